"""Random matrices for chapter 04: GOE samples, the Wigner semicircle, how often all eigenvalues are
positive, and the index (fraction of negative curvature directions) of a network's critical points.

Convention: ``goe(N)`` has off-diagonal entries of variance ``1/N`` and diagonal entries of variance
``2/N``, so that as ``N -> infinity`` the eigenvalues fill the semicircle on ``[-2, 2]``.
"""
import numpy as np

THETA_DEAN_MAJUMDAR = np.log(3.0) / 4.0     # P(all N eigenvalues > 0) ~ exp(-theta N^2)


def _pos_int(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    return int(value)


def goe(N, size=None, seed=0):
    """Samples of the Gaussian orthogonal ensemble (GOE, 高斯正交系综).

    Parameters
    ----------
    N : int
        Matrix size.
    size : int, optional
        Number of matrices; ``None`` gives one ``(N, N)`` matrix.
    seed : int or numpy Generator

    Returns
    -------
    ndarray, shape (N, N) or (size, N, N)
        Symmetric; ``H = (A + A^T) / sqrt(2N)`` with ``A`` standard normal.
    """
    N = _pos_int(N, "N")
    rng = np.random.default_rng(seed)
    m = 1 if size is None else _pos_int(size, "size")
    A = rng.normal(size=(m, N, N))
    H = (A + A.transpose(0, 2, 1)) / np.sqrt(2 * N)
    return H[0] if size is None else H


def semicircle(x, radius=2.0, shift=0.0):
    """Wigner's semicircle density (半圆律) ``2/(pi R^2) sqrt(R^2 - (x - shift)^2)`` on ``|x - shift| <= R``."""
    if not radius > 0:
        raise ValueError(f"radius must be positive; got {radius!r}")
    u = np.asarray(x, dtype=float) - shift
    return 2.0 / (np.pi * radius**2) * np.sqrt(np.clip(radius**2 - u**2, 0.0, None))


def semicircle_cdf(x, radius=2.0, shift=0.0):
    """Fraction of the semicircle's mass at or below ``x``."""
    if not radius > 0:
        raise ValueError(f"radius must be positive; got {radius!r}")
    s = np.clip((np.asarray(x, dtype=float) - shift) / radius, -1.0, 1.0)
    return 0.5 + (s * np.sqrt(1 - s**2) + np.arcsin(s)) / np.pi


def index_fraction(eigenvalues, tol=0.0):
    """Fraction of eigenvalues below ``-tol`` (the index divided by the dimension), along the last axis."""
    ev = np.asarray(eigenvalues, dtype=float)
    if ev.ndim == 0 or ev.shape[-1] == 0:
        raise ValueError("index_fraction needs at least one eigenvalue")
    if tol < 0:
        raise ValueError(f"tol must be >= 0; got {tol!r}")
    return np.mean(ev < -tol, axis=-1)


def shifted_index(shift, radius=2.0):
    """Index fraction of a semicircle spectrum shifted right by ``shift``: ``F(0)`` of the shifted law.
    ``shift = 0`` gives 1/2; ``shift >= radius`` gives 0 (all curvatures positive: a minimum)."""
    return semicircle_cdf(0.0, radius=radius, shift=shift)


def prob_all_positive(N, samples=100_000, seed=0, chunk=200_000):
    """Monte Carlo estimate of P(all N eigenvalues of a GOE matrix are > 0).

    Exact sampling with a cheap filter: a positive definite matrix has a positive diagonal, so the
    diagonal is drawn first and only the (about ``2^-N``) matrices that pass get off-diagonals and an
    eigenvalue check.

    Returns
    -------
    p : float
        The estimate ``count / samples``.
    count : int
        How many samples had all eigenvalues positive.
    """
    N, samples, chunk = _pos_int(N, "N"), _pos_int(samples, "samples"), _pos_int(chunk, "chunk")
    rng = np.random.default_rng(seed)
    count, done = 0, 0
    iu = np.triu_indices(N, 1)
    while done < samples:
        m = min(chunk, samples - done)
        done += m
        diag = rng.normal(scale=np.sqrt(2.0 / N), size=(m, N))
        diag = diag[(diag > 0).all(axis=1)]
        if N == 1:
            count += len(diag)
            continue
        H = np.zeros((len(diag), N, N))
        H[:, np.arange(N), np.arange(N)] = diag
        off = rng.normal(scale=np.sqrt(1.0 / N), size=(len(diag), len(iu[0])))
        H[:, iu[0], iu[1]] = off
        H[:, iu[1], iu[0]] = off
        count += int((np.linalg.eigvalsh(H)[:, 0] > 0).sum())
    return count / samples, count


def fit_theta(Ns, probs):
    """Fit ``ln P_N = -theta N^2 + b N + c`` by least squares; returns ``(theta, b, c)``."""
    Ns, probs = np.asarray(Ns, dtype=float), np.asarray(probs, dtype=float)
    if Ns.shape != probs.shape or Ns.ndim != 1 or len(Ns) < 3:
        raise ValueError(f"need at least 3 matching (N, P_N) pairs; got shapes {Ns.shape} and {probs.shape}")
    if not np.all(probs > 0):
        raise ValueError("every probability must be > 0 to take its logarithm (use more samples)")
    a, b, c = np.polyfit(Ns, np.log(probs), 2)
    return -a, b, c


# --- critical points of a small network ------------------------------------------------------
def find_critical_point(obj, theta0, iters=300, gtol=1e-10):
    """Locate a critical point (of any index) near ``theta0`` by minimising ``1/2 |grad L|^2``.

    The gradient of ``1/2 |g|^2`` is ``H g`` (one Hessian-vector product). Steps are Levenberg-
    Marquardt steps for the equation ``g(theta) = 0``: ``d = -(H^2 + mu I)^{-1} H g``, with ``mu``
    shrunk after a step that lowers ``|g|`` and grown otherwise. Unlike gradient descent on ``L``, this
    is attracted to saddles as much as to minima -- which is what we want when counting them.

    Returns
    -------
    theta : ndarray
    grad_norm : float
        ``|grad L(theta)|``: the point is critical only if this is tiny.
    """
    theta = np.array(theta0, dtype=float)
    if theta.shape != (obj.n,):
        raise ValueError(f"theta0 must have shape ({obj.n},); got {theta.shape}")
    I = np.eye(obj.n)
    g = obj.grad(theta)
    gg, mu = g @ g, 1e-2
    for _ in range(iters):
        if gg < gtol**2:
            break
        H = obj.hessian(theta)
        Hg = H @ g
        while mu < 1e12:
            d = np.linalg.solve(H @ H + mu * I, -Hg)
            g_new = obj.grad(theta + d)
            if g_new @ g_new < gg:
                theta, g, gg, mu = theta + d, g_new, g_new @ g_new, max(mu / 5, 1e-14)
                break
            mu *= 5
        else:
            break
    return theta, float(np.sqrt(gg))


def critical_point_survey(obj, init, n_starts=40, gains=(0.3, 3.0), seed=0, gtol=1e-7, rtol=1e-4, iters=100):
    """Critical points from ``n_starts`` random initialisations and their index fractions.

    Parameters
    ----------
    obj : objective with ``f``, ``grad``, ``hessian`` and ``n`` (from `nets.MLP.bind`)
    init : callable
        ``(seed, gain) -> theta``, e.g. ``net.init``.
    gains : (float, float)
        Initial scales drawn log-uniformly in this range (small and large starts find different points).
    gtol : float
        A point counts as critical if ``|grad L| < gtol``.
    rtol : float
        An eigenvalue counts as negative if below ``-rtol * max |eigenvalue|``.
    iters : int
        Steps of `find_critical_point` per start.

    Returns
    -------
    dict of arrays
        ``loss``, ``index_fraction``, ``grad_norm``, ``eigenvalues`` (rows) of the distinct critical
        points found (same loss to 6 decimals and same index = one point), sorted by loss;
        ``tried``: ``n_starts``.
    """
    n_starts = _pos_int(n_starts, "n_starts")
    rng = np.random.default_rng(seed)
    out = {"loss": [], "index_fraction": [], "grad_norm": [], "eigenvalues": []}
    for s in range(n_starts):
        gain = float(np.exp(rng.uniform(np.log(gains[0]), np.log(gains[1]))))
        theta, gn = find_critical_point(obj, init(seed=seed * 1000 + s, gain=gain), iters=iters)
        if gn >= gtol:
            continue
        ev = np.linalg.eigvalsh(obj.hessian(theta))
        out["loss"].append(obj.f(theta))
        out["index_fraction"].append(index_fraction(ev, rtol * np.abs(ev).max()))
        out["grad_norm"].append(gn)
        out["eigenvalues"].append(ev)
    res = {k: np.array(v) for k, v in out.items()}
    order = np.argsort(res["loss"], kind="stable")
    res = {k: v[order] for k, v in res.items()}
    # the same critical point (or a symmetric copy: same loss, same index) found twice counts once
    key = np.c_[np.round(res["loss"], 6), np.round(res["index_fraction"] * obj.n)]
    _, first = np.unique(key, axis=0, return_index=True)
    keep = np.sort(first)
    res = {k: v[keep] for k, v in res.items()}
    res["tried"] = n_starts
    return res


def spearman(x, y):
    """Spearman rank correlation (ties get average ranks)."""
    def ranks(a):
        a = np.asarray(a, dtype=float)
        order = np.argsort(a, kind="mergesort")
        r = np.empty(len(a))
        r[order] = np.arange(len(a), dtype=float)
        for v in np.unique(a):                      # average ranks of ties
            r[a == v] = r[a == v].mean()
        return r
    x, y = np.asarray(x), np.asarray(y)
    if x.shape != y.shape or x.ndim != 1 or len(x) < 3:
        raise ValueError("spearman needs two 1-D arrays of the same length >= 3")
    rx, ry = ranks(x), ranks(y)
    if rx.std() == 0 or ry.std() == 0:
        raise ValueError("spearman is undefined when one variable is constant")
    return float(np.corrcoef(rx, ry)[0, 1])
