"""Escaping a strict saddle: gradient descent with optional gradient noise, escape times, the
log(1/offset) law.

Near a strict saddle ``x*`` the loss is ``L(x* + u) ~ L(x*) + sum_i lam_i u_i^2 / 2``, and one
gradient step multiplies the coordinate along eigenvector ``i`` by ``1 - lr lam_i``. Along a
negative eigenvalue that factor is ``1 + lr |lam| > 1``: an offset ``eps`` grows geometrically and
reaches a radius ``r`` after about ``log(r / eps) / log(1 + lr |lam|)`` steps.
"""
import numpy as np

from ._checks import as_point


def _positive(value, name):
    if not (np.isscalar(value) and np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return float(value)


def _nonnegative(value, name):
    if not (np.isscalar(value) and np.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a non-negative number, got {value!r}")
    return float(value)


def noisy_gd(L, x, state, lr=0.1, noise=0.0, seed=0):
    """One step of gradient descent on a noisy gradient: ``x - lr (grad + noise * xi)``,
    ``xi`` standard normal -- the simplest model of minibatch (SGD) noise.

    A step function in the form of `landscape.optim` (use ``optim.run(noisy_gd, L, x0, ...)``).
    """
    rng = state.setdefault("rng", np.random.default_rng(seed))
    g = L.grad(x)
    if noise > 0:
        g = g + noise * rng.standard_normal(np.shape(g))
    return x - lr * g


def escape_direction(L, saddle):
    """Most negative Hessian eigenvalue at ``saddle`` and its unit eigenvector.

    Raises
    ------
    ValueError
        If the Hessian there has no negative eigenvalue (not a strict saddle).
    """
    saddle = as_point(saddle, L.n, name="saddle")
    lam, Q = np.linalg.eigh(L.hess(saddle))
    if not lam[0] < 0:
        raise ValueError(f"the Hessian at {saddle.tolist()} has no negative eigenvalue (eigenvalues "
                         f"{lam.tolist()}): not a strict saddle, there is no escape direction")
    v = Q[:, 0]
    return float(lam[0]), v * np.sign(v[np.argmax(np.abs(v))])


def gd_paths(L, starts, steps, lr=0.1, noise=0.0, seed=0):
    """Gradient descent from many starts at once (the gradient is evaluated batched).

    Parameters
    ----------
    L : Landscape
    starts : array_like, shape (m, n)
        Start points.
    steps : int
        Number of steps.
    lr : float
        Step size.
    noise : float
        Standard deviation of Gaussian noise added to each gradient component (0: exact GD).
    seed : int
        Seed of the noise.

    Returns
    -------
    ndarray, shape (steps + 1, m, n)
        The iterates.
    """
    starts = as_point(starts, L.n, name="starts", batch=True)
    if starts.ndim != 2:
        raise ValueError(f"starts must have shape (m, {L.n}); got {starts.shape}")
    if not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    lr, noise = _positive(lr, "lr"), _nonnegative(noise, "noise")
    rng = np.random.default_rng(seed)
    out = np.empty((steps + 1,) + starts.shape)
    out[0] = x = starts.copy()
    with np.errstate(all="ignore"):
        for k in range(1, steps + 1):
            g = L.grad(x)
            if noise > 0:
                g = g + noise * rng.standard_normal(g.shape)
            x = x - lr * g
            out[k] = x
    return out


def escape_steps(L, saddle, offsets, lr=0.1, radius=0.5, noise=0.0, seed=0, max_steps=5000,
                 stable_offset=0.0, direction=None):
    """Steps gradient descent needs to leave a ball around a strict saddle.

    GD starts at ``saddle + offset * v_neg + stable_offset * v_pos``, with ``v_neg`` the escape
    direction (most negative curvature) and ``v_pos`` the most positive curvature direction; it
    has escaped at the first step where ``|x - saddle| >= radius``.

    Parameters
    ----------
    L : Landscape
    saddle : array_like, shape (n,)
        A strict saddle of ``L``.
    offsets : float or array_like
        Start distances along the escape direction (0 is on the stable manifold of the
        linearisation).
    lr, radius : float
        Step size and the radius of the ball.
    noise : float
        Gradient-noise standard deviation (see `noisy_gd`).
    seed : int
        Noise seed.
    max_steps : int
        Give up after this many steps.
    stable_offset : float
        Start displacement along the most positive curvature direction (must be < radius).
    direction : array_like, optional
        Direction of the offset instead of ``v_neg``; needed where the Hessian has no negative
        eigenvalue (a flat saddle such as ``x^2/2 + alpha x^2 y^2 - y^4``, chapter 05).

    Returns
    -------
    ndarray of float
        Steps to escape, one per offset; ``inf`` where GD had not escaped after ``max_steps``.
    """
    saddle = as_point(saddle, L.n, name="saddle")
    offs = np.atleast_1d(np.asarray(offsets, dtype=float))
    if offs.ndim != 1 or not np.all(np.isfinite(offs)):
        raise ValueError(f"offsets must be finite numbers; got {offsets!r}")
    radius = _positive(radius, "radius")
    if not abs(stable_offset) < radius or np.any(np.abs(offs) >= radius):
        raise ValueError("the start must lie inside the ball: |offset| and |stable_offset| must be < radius")
    if direction is None:
        _, v = escape_direction(L, saddle)
    else:
        v = as_point(direction, L.n, name="direction")
        if not np.linalg.norm(v) > 0:
            raise ValueError("direction must be a non-zero vector")
        v = v / np.linalg.norm(v)
    _, Q = np.linalg.eigh(L.hess(saddle))
    starts = saddle + offs[:, None] * v + stable_offset * Q[:, -1]
    lr, noise = _positive(lr, "lr"), _nonnegative(noise, "noise")
    rng = np.random.default_rng(seed)
    x = starts.copy()
    out = np.full(len(offs), np.inf)
    active = np.ones(len(offs), bool)
    with np.errstate(all="ignore"):
        for k in range(1, int(max_steps) + 1):
            g = L.grad(x[active])
            if noise > 0:
                g = g + noise * rng.standard_normal(g.shape)
            x[active] = x[active] - lr * g
            left = active & (np.linalg.norm(x - saddle, axis=1) >= radius)
            out[left] = k
            active &= ~left
            if not active.any():
                break
    return out


def predicted_escape_steps(offset, lam, lr=0.1, radius=0.5):
    """The linear prediction ``log(radius / offset) / log(1 + lr |lam|)`` for a negative ``lam``."""
    if not lam < 0:
        raise ValueError(f"lam must be the negative eigenvalue of a strict saddle, got {lam!r}")
    lr, radius = _positive(lr, "lr"), _positive(radius, "radius")
    offset = np.asarray(offset, dtype=float)
    if np.any(offset <= 0):
        raise ValueError("offsets must be positive")
    return np.log(radius / offset) / np.log1p(lr * abs(lam))


def fit_escape_law(offsets, steps):
    """Least-squares fit ``steps = slope * log(1/offset) + intercept``.

    Returns
    -------
    (slope, intercept) : tuple of float
        The slope is to be compared with ``1 / log(1 + lr |lam|)``.
    """
    offsets, steps = np.asarray(offsets, float), np.asarray(steps, float)
    if offsets.shape != steps.shape or offsets.ndim != 1 or len(offsets) < 2:
        raise ValueError("offsets and steps must be 1-D arrays of the same length (at least 2)")
    if np.any(offsets <= 0) or not np.all(np.isfinite(steps)):
        raise ValueError("offsets must be positive and steps finite (did every run escape?)")
    slope, intercept = np.polyfit(np.log(1 / offsets), steps, 1)
    return float(slope), float(intercept)


__all__ = ["noisy_gd", "escape_direction", "gd_paths", "escape_steps", "predicted_escape_steps",
           "fit_escape_law"]
