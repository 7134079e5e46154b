"""How long gradient descent takes to leave a saddle: measured for many starts at once, and fitted.

>>> from landscape import zoo
>>> from landscape.saddle_escape import escape_steps
>>> steps = escape_steps(zoo.strict_saddle(), [[0, 1e-3], [0, 1e-6]], lr=0.5)
"""
import numpy as np

from ._checks import as_point


def escape_steps(L, starts, lr=0.5, radius=0.5, along=1, max_steps=200_000):
    """Gradient-descent steps until each start has left the saddle at the origin.

    All starts run together (one batched gradient per step), so a sweep over many ``y0``
    costs about as much as its slowest member.

    Parameters
    ----------
    L : Landscape
        Anything with ``n`` and a batched ``grad`` (shape ``(m, n) -> (m, n)``).
    starts : array_like, shape (m, n)
        Start points.
    lr : float
        Step size (> 0).
    radius : float
        A run has escaped once the norm of its escape coordinates reaches ``radius``.
    along : int or sequence of int
        The escape coordinates (default 1: ``y``).
    max_steps : int
        Give up after this many steps.

    Returns
    -------
    ndarray of float, shape (m,)
        Steps to escape; ``inf`` for a start that had not escaped after ``max_steps``.
    """
    n = getattr(L, "n", None)
    if n is None or not hasattr(L, "grad"):
        raise TypeError("L must be a Landscape (something with .n and a batched .grad)")
    X = as_point(starts, n, name="starts", batch=True).reshape(-1, n).copy()
    if not (np.isscalar(lr) and np.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    if not (np.isscalar(radius) and np.isfinite(radius) and radius > 0):
        raise ValueError(f"radius must be a positive number, got {radius!r}")
    if not isinstance(max_steps, (int, np.integer)) or max_steps < 1:
        raise ValueError(f"max_steps must be a positive integer, got {max_steps!r}")
    idx = np.atleast_1d(np.asarray(along))
    if idx.dtype.kind not in "iu" or idx.min() < 0 or idx.max() >= n:
        raise ValueError(f"along must index coordinates 0..{n - 1}, got {along!r}")
    grad = _fast_grad(L)
    out = np.full(len(X), np.inf)
    r2 = radius**2
    ids = np.arange(len(X))
    inside = np.sum(X[:, idx] ** 2, axis=1) < r2
    out[~inside] = 0
    X, ids = X[inside], ids[inside]
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, max_steps + 1):
            if not len(ids):
                break
            X = X - lr * grad(X)
            inside = (np.abs(X[:, idx[0]]) < radius) if len(idx) == 1 else (np.sum(X[:, idx] ** 2, axis=1) < r2)
            # (NaN counts as gone)
            if not inside.all():
                out[ids[~inside]] = k
                X, ids = X[inside], ids[inside]
    return out


def _fast_grad(L):
    """``L.grad`` for a batch ``(m, n)``, skipping input checks when ``L`` is a compiled `Landscape`."""
    g = getattr(L, "_g", None)
    if g is None:
        return L.grad

    def grad(X):
        G = np.empty_like(X)
        for j, part in enumerate(g(*X.T)):
            G[:, j] = part
        return G
    return grad


def flat_escape_time(y0, radius=np.inf):
    """Gradient-flow time for ``y' = 4 y^3`` to go from ``y0`` to ``radius``: ``(1/y0^2 - 1/radius^2)/8``.

    With ``radius = inf`` this is the blow-up time ``t* = 1 / (8 y0^2)``.
    """
    y0 = _positive(y0, "y0")
    return (1.0 / y0**2 - 1.0 / np.asarray(radius, float) ** 2) / 8.0


def strict_escape_steps(y0, lr=0.5, radius=0.5, curvature=1.0):
    """Linearised estimate of GD's steps to escape a strict saddle: ``log(radius/y0) / log(1 + lr*curvature)``."""
    y0 = _positive(y0, "y0")
    return np.log(radius / y0) / np.log1p(lr * curvature)


def fit_power_law(y0, steps):
    """Fit ``steps = C * y0^p`` on log-log axes.

    Returns
    -------
    (p, C) : tuple of float
        The exponent (slope of ``log steps`` against ``log y0``) and the prefactor.
    """
    y0, steps = _pair(y0, steps)
    p, logc = np.polyfit(np.log(y0), np.log(steps), 1)
    return float(p), float(np.exp(logc))


def fit_log_law(y0, steps):
    """Fit ``steps = a * log(1/y0) + b`` (a straight line against ``log(1/y0)``).

    Returns
    -------
    (a, b, r2) : tuple of float
        Slope, intercept and the coefficient of determination of the fit.
    """
    y0, steps = _pair(y0, steps)
    u = np.log(1.0 / y0)
    a, b = np.polyfit(u, steps, 1)
    resid = steps - (a * u + b)
    r2 = 1.0 - float(np.sum(resid**2) / np.sum((steps - steps.mean()) ** 2))
    return float(a), float(b), r2


def _positive(v, name):
    arr = np.asarray(v, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise ValueError(f"{name} must be positive and finite, got {v!r}")
    return arr


def _pair(y0, steps):
    y0, steps = _positive(y0, "y0"), _positive(steps, "steps")
    if y0.ndim != 1 or y0.shape != steps.shape or len(y0) < 2:
        raise ValueError(f"y0 and steps must be 1-D arrays of the same length >= 2; got {y0.shape} and {steps.shape}")
    return y0, steps





def gd_path(L, x0, lr=0.1, radius=0.5, along=1, max_steps=20_000):
    """One gradient-descent path from ``x0``, stopped when it escapes (``|x[along]| >= radius``).

    Stopping at escape keeps the path finite on landscapes unbounded below (the flat saddle).

    Returns
    -------
    path : ndarray, shape (k + 1, n)
        The iterates; ``len(path) - 1`` is the escape step, or ``max_steps`` if it never escaped.
    escaped : bool
    """
    n = getattr(L, "n", None)
    if n is None:
        raise TypeError("L must be a Landscape (something with .n and .grad)")
    x = as_point(x0, n, name="x0").copy()
    if not (np.isscalar(lr) and np.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    grad = _fast_grad(L)
    path = np.empty((max_steps + 1, n))
    path[0] = x
    X = x[None, :]
    for k in range(1, max_steps + 1):
        X = X - lr * grad(X)
        path[k] = X[0]
        if not abs(X[0, along]) < radius:
            return path[:k + 1], True
    return path, False


def coupling_slowdown(alpha, x0=1.0, lr=0.1, steps=10_000):
    """Predicted factor by which the coupling ``alpha x^2 y^2`` delays escape from the flat saddle.

    While ``x_k = x0 (1 - lr)^k`` decays, each GD step multiplies ``y`` by ``1 - 2 lr alpha x_k^2``;
    escape time scales as ``1/y^2``, so the delay factor is ``prod(1 - 2 lr alpha x_k^2)^-2``.
    As ``lr -> 0`` this tends to the gradient-flow value ``exp(2 alpha x0^2)``.
    """
    if not (0 < lr < 1):
        raise ValueError(f"lr must lie in (0, 1) for x to decay monotonically, got {lr!r}")
    alpha = np.asarray(alpha, float)
    xk2 = (x0 * (1 - lr) ** np.arange(steps)) ** 2
    factors = 1 - 2 * lr * alpha[..., None] * xk2
    if np.any(factors <= 0):
        raise ValueError("2 lr alpha x0^2 >= 1: the first step flips y's sign; take a smaller lr or alpha")
    return np.prod(factors, axis=-1) ** -2.0


__all__ = ["escape_steps", "gd_path", "flat_escape_time", "strict_escape_steps", "coupling_slowdown",
           "fit_power_law", "fit_log_law"]
