"""Lanczos iteration on a Hessian you can only multiply by: extreme eigenvalues and the spectral
density by stochastic Lanczos quadrature (SLQ, as in PyHessian; Yao et al. 2020, Ghorbani et al. 2019).

Only ``v -> H v`` is needed (e.g. `landscape.hvp.operator`); memory is ``O(k P)`` for ``k`` steps
(the Lanczos vectors, kept for full reorthogonalisation).

>>> A = np.diag(np.arange(100.0))
>>> lo, hi = extreme_eigenvalues(lambda v: A @ v, 100, k=60)
>>> nodes, weights = slq(lambda v: A @ v, 100, k=30, n_probes=4)
>>> rho = spectral_density(nodes, weights, np.linspace(-5, 105, 200), sigma=2.0)
"""
import numpy as np


def _check_matvec(matvec, n, k):
    if not callable(matvec):
        raise TypeError(f"matvec must be a function v -> H v; got {type(matvec).__name__}")
    if int(n) != n or n < 1:
        raise ValueError(f"n (the dimension) must be a positive integer; got {n!r}")
    if int(k) != k or k < 1:
        raise ValueError(f"k (the number of Lanczos steps) must be a positive integer; got {k!r}")
    return int(n), int(min(k, n))


def lanczos(matvec, n, k=80, seed=0, v0=None):
    """``k`` steps of Lanczos with full reorthogonalisation.

    Parameters
    ----------
    matvec : callable
        ``v -> H v`` for a symmetric ``n x n`` operator ``H``.
    n : int
        Dimension.
    k : int
        Number of steps (capped at ``n``; stops early if the Krylov space is exhausted).
    seed : int
        Seed of the random start vector (Rademacher), if ``v0`` is not given.
    v0 : array_like, optional
        Start vector.

    Returns
    -------
    alpha, beta : ndarray
        Diagonal (length ``m <= k``) and off-diagonal (length ``m - 1``) of the tridiagonal ``T``
        with ``Q^T H Q = T``; ``Q[:, 0]`` is the normalised start vector.
    """
    n, k = _check_matvec(matvec, n, k)
    if v0 is None:
        v0 = np.random.default_rng(seed).choice([-1.0, 1.0], size=n)
    v = np.asarray(v0, dtype=float)
    if v.shape != (n,) or not np.all(np.isfinite(v)) or not np.any(v):
        raise ValueError(f"v0 must be a finite nonzero vector of shape ({n},); got shape {v.shape}")
    Q = np.empty((k, n))
    Q[0] = v / np.linalg.norm(v)
    alpha, beta = [], []
    for j in range(k):
        w = np.asarray(matvec(Q[j]), dtype=float)
        if w.shape != (n,):
            raise ValueError(f"matvec returned shape {w.shape}; expected ({n},)")
        a = float(Q[j] @ w)
        alpha.append(a)
        # full reorthogonalisation (twice is enough): keeps the Ritz values free of ghost copies
        for _ in range(2):
            w -= Q[:j + 1].T @ (Q[:j + 1] @ w)
        b = float(np.linalg.norm(w))
        if j == k - 1 or b <= 1e-10 * max(1.0, abs(a)):
            break
        beta.append(b)
        Q[j + 1] = w / b
    return np.array(alpha), np.array(beta)


def ritz(alpha, beta):
    """Eigenvalues ``nodes`` of the tridiagonal ``T`` and the squared first components of its
    eigenvectors, ``weights`` (they sum to 1): the Gauss quadrature rule of the start vector."""
    alpha, beta = np.asarray(alpha, float), np.asarray(beta, float)
    if beta.shape != (max(len(alpha) - 1, 0),):
        raise ValueError(f"beta must have length len(alpha) - 1 = {len(alpha) - 1}; got {beta.shape}")
    T = np.diag(alpha) + np.diag(beta, 1) + np.diag(beta, -1)
    nodes, vecs = np.linalg.eigh(T)
    return nodes, vecs[0] ** 2


def extreme_eigenvalues(matvec, n, k=80, seed=0):
    """Smallest and largest eigenvalue of ``H`` from the extreme Ritz values of ``k`` Lanczos steps
    (they converge first; both are inside the true range, ``lo >= lambda_min``, ``hi <= lambda_max``)."""
    nodes, _ = ritz(*lanczos(matvec, n, k=k, seed=seed))
    return float(nodes[0]), float(nodes[-1])


def slq(matvec, n, k=80, n_probes=4, seed=0):
    """Stochastic Lanczos quadrature: for each of ``n_probes`` random Rademacher vectors, ``k``
    Lanczos steps give nodes and weights whose average approximates the spectral measure
    ``(1/n) sum_i delta(x - lambda_i)``.

    Returns
    -------
    nodes, weights : ndarray, shape (n_probes, m)
        Ragged runs (early stop) are padded with weight 0.
    """
    n, k = _check_matvec(matvec, n, k)
    if int(n_probes) != n_probes or n_probes < 1:
        raise ValueError(f"n_probes must be a positive integer; got {n_probes!r}")
    rng = np.random.default_rng(seed)
    nodes = np.zeros((int(n_probes), k))
    weights = np.zeros((int(n_probes), k))
    for p in range(int(n_probes)):
        nd, wt = ritz(*lanczos(matvec, n, k=k, v0=rng.choice([-1.0, 1.0], size=n)))
        nodes[p, :len(nd)], weights[p, :len(wt)] = nd, wt
        nodes[p, len(nd):] = nd[-1]
    return nodes, weights


def _check_rule(nodes, weights):
    nodes, weights = np.atleast_2d(np.asarray(nodes, float)), np.atleast_2d(np.asarray(weights, float))
    if nodes.shape != weights.shape:
        raise ValueError(f"nodes and weights must have the same shape; got {nodes.shape} and {weights.shape}")
    return nodes, weights


def spectral_density(nodes, weights, grid, sigma=0.01):
    """Smoothed SLQ density on ``grid``: each node is a Gaussian of width ``sigma`` carrying its
    weight, averaged over probes (integrates to 1 if the grid covers the spectrum)."""
    nodes, weights = _check_rule(nodes, weights)
    if not sigma > 0:
        raise ValueError(f"sigma must be positive; got {sigma!r}")
    grid = np.asarray(grid, float)
    z = (grid[..., None, None] - nodes) / sigma
    rho = (weights * np.exp(-0.5 * z**2)).sum(axis=(-1, -2)) / nodes.shape[0]
    return rho / (sigma * np.sqrt(2 * np.pi))


def cdf(nodes, weights, x):
    """SLQ estimate of the fraction of eigenvalues ``<= x``."""
    nodes, weights = _check_rule(nodes, weights)
    x = np.asarray(x, float)
    return ((nodes <= x[..., None, None]) * weights).sum(axis=(-1, -2)) / nodes.shape[0]
