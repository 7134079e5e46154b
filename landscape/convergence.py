"""Convergence rates of first-order methods on a quadratic, and steps to escape a saddle.

On ``L = sum(lam_i x_i^2) / 2`` every optimizer in `landscape.optim` that is linear in the
gradient acts on each eigen-direction separately; heavy-ball momentum (Goh's form
``z = beta z + grad; x = x - lr z``) acts on the pair ``(z, x)`` through the 2x2 matrix
``[[beta, lam], [-lr beta, 1 - lr lam]]``. Its spectral radius is the rate of that direction.
"""
import numpy as np

from . import optim


def momentum_matrix(lr, beta, lam):
    """The iteration matrix ``R`` with ``(z_k+1, x_k+1) = R (z_k, x_k)`` for one eigenvalue ``lam``."""
    return np.array([[beta, lam], [-lr * beta, 1.0 - lr * lam]], dtype=float)


def momentum_rate(lr, beta, eigenvalues):
    """Convergence rate of heavy-ball momentum on a quadratic: ``max_i rho(R(lam_i))``.

    Parameters
    ----------
    lr, beta : float or array_like
        Step size and momentum (broadcast together, e.g. a grid for a heat map).
    eigenvalues : sequence of float
        The Hessian's eigenvalues (all > 0).

    Returns
    -------
    ndarray or float
        The spectral radius: errors shrink like ``rate**k`` (``>= 1``: no convergence).
    """
    lam = np.asarray(eigenvalues, dtype=float)
    if lam.ndim != 1 or lam.size == 0 or not np.all(lam > 0):
        raise ValueError(f"eigenvalues must be a non-empty sequence of positive numbers, got {eigenvalues!r}")
    lr, beta = np.broadcast_arrays(np.asarray(lr, dtype=float), np.asarray(beta, dtype=float))
    # eigenvalues of R solve mu^2 - (1 + beta - lr lam) mu + beta = 0
    b = 1.0 + beta[..., None] - lr[..., None] * lam
    disc = np.sqrt((b**2 - 4 * beta[..., None]).astype(complex))
    rho = np.maximum(np.abs((b + disc) / 2), np.abs((b - disc) / 2)).max(axis=-1)
    return float(rho) if rho.ndim == 0 else rho


def gd_rate(lr, eigenvalues):
    """Rate of gradient descent on a quadratic: ``max_i |1 - lr lam_i|``."""
    return momentum_rate(lr, 0.0, eigenvalues)


def measured_rate(traj, start=None):
    """Per-step contraction of the distance to the origin, fitted over the second half of a run.

    Parameters
    ----------
    traj : array (steps + 1, n)
        Iterates of a run on a quadratic with minimum at 0.
    start : int, optional
        First step of the fit (default: half the run).

    Returns
    -------
    float
        ``exp(slope)`` of a least-squares line through ``log |x_k|``.
    """
    traj = np.asarray(traj, dtype=float)
    if traj.ndim != 2 or len(traj) < 3:
        raise ValueError(f"traj must be a (steps + 1, n) array with at least 3 rows; got shape {traj.shape}")
    err = np.linalg.norm(traj, axis=1)
    k = np.arange(len(err))
    keep = (k >= (len(err) // 2 if start is None else start)) & np.isfinite(err) & (err > 0)
    if keep.sum() < 2:
        raise ValueError("too few finite, non-zero iterates to fit a rate")
    slope = np.polyfit(k[keep], np.log(err[keep]), 1)[0]
    return float(np.exp(slope))


def steps_to_escape(name, L, x0, below, max_steps=100_000, **hyper):
    """How many steps optimizer ``name`` takes from ``x0`` until the loss drops below ``below``.

    Uses the update rules of `landscape.optim`. Returns ``max_steps`` if it never does (a stall).
    """
    step = optim._lookup(name)
    x, state = np.asarray(x0, dtype=float).copy(), {}
    if x.shape != (L.n,):
        raise ValueError(f"x0 must have shape ({L.n},), got {x.shape}")
    with np.errstate(all="ignore"):
        for k in range(1, max_steps + 1):
            x = step(L, x, state, **hyper)
            if L.f(x) < below:
                return k
    return max_steps
