"""Optimizers as update rules, and `run` to follow one across a landscape.

Each optimizer is a function ``step(L, x, state, **hyper) -> x_new`` that reads and updates the
dict ``state`` (momentum buffers, step counter). ``L`` is anything with ``f`` and ``grad``
(``hess`` for the Newton family, ``residual``/``jacobian`` for Gauss-Newton): a `Landscape`
or a bound network from `landscape.nets`.
"""
import inspect
import warnings

import numpy as np

from ._checks import as_point


class DivergenceWarning(RuntimeWarning):
    """An optimizer run left every bound; the rest of the trajectory is NaN."""


def gd(L, x, state, lr=0.1):
    """Gradient descent: ``x - lr * grad``."""
    return x - lr * L.grad(x)


def momentum(L, x, state, lr=0.01, beta=0.9):
    """Heavy-ball momentum in Goh's (2017) form: ``z = beta z + grad; x = x - lr z``."""
    z = beta * state.get("z", 0.0) + L.grad(x)
    state["z"] = z
    return x - lr * z


def nesterov(L, x, state, lr=0.01, beta=0.9):
    """Nesterov's accelerated gradient: the gradient is taken at the look-ahead point."""
    z = state.get("z", np.zeros_like(x))
    z = beta * z + L.grad(x - lr * beta * z)
    state["z"] = z
    return x - lr * z


def newton(L, x, state, lr=1.0, damping=0.0):
    """Newton's method ``x - lr (H + damping I)^-1 grad``: jumps to the nearest critical point of
    the quadratic model, whatever its kind -- saddles attract it."""
    H = L.hess(x) + damping * np.eye(len(x))
    try:
        return x - lr * np.linalg.solve(H, L.grad(x))
    except np.linalg.LinAlgError:
        return x - lr * np.linalg.lstsq(H, L.grad(x), rcond=None)[0]


def saddle_free_newton(L, x, state, lr=1.0, damping=1e-6):
    """Saddle-free Newton (Dauphin et al. 2014): rescale by ``|H|`` instead of ``H``, so that
    negative-curvature directions are descended, not climbed."""
    lam, Q = np.linalg.eigh(L.hess(x))
    return x - lr * Q @ ((Q.T @ L.grad(x)) / (np.abs(lam) + damping))


def gauss_newton(L, x, state, lr=1.0, damping=0.0):
    """Gauss-Newton for ``L = |r|^2 / 2``: curvature ``J^T J`` is positive semidefinite, so it is
    blind to negative curvature."""
    J, r = L.jacobian(x), L.residual(x)
    G = J.T @ J + damping * np.eye(len(x))
    return x - lr * np.linalg.lstsq(G, J.T @ r, rcond=None)[0]


def rmsprop(L, x, state, lr=0.01, rho=0.9, eps=1e-8):
    """RMSProp: divide each coordinate's step by a running RMS of its gradient."""
    g = L.grad(x)
    s = rho * state.get("s", 0.0) + (1 - rho) * g**2
    state["s"] = s
    return x - lr * g / (np.sqrt(s) + eps)


def adam(L, x, state, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam (Kingma & Ba 2015) with bias correction."""
    g = L.grad(x)
    t = state["t"] = state.get("t", 0) + 1
    m = state["m"] = beta1 * state.get("m", 0.0) + (1 - beta1) * g
    v = state["v"] = beta2 * state.get("v", 0.0) + (1 - beta2) * g**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return x - lr * m_hat / (np.sqrt(v_hat) + eps)


def perturbed_gd(L, x, state, lr=0.1, radius=0.01, g_thresh=1e-3, t_thresh=10, seed=0):
    """Perturbed gradient descent (Jin et al. 2017): where the gradient is tiny, and no kick came
    in the last ``t_thresh`` steps, add a uniform random point of a ball of ``radius``."""
    rng = state.setdefault("rng", np.random.default_rng(seed))
    t = state["t"] = state.get("t", 0) + 1
    if np.linalg.norm(L.grad(x)) <= g_thresh and t - state.get("t_kick", -np.inf) > t_thresh:
        u = rng.normal(size=x.shape)
        u *= radius * rng.uniform() ** (1 / len(x)) / np.linalg.norm(u)
        x = x + u
        state["t_kick"] = t
    return x - lr * L.grad(x)


OPTIMIZERS = {
    f.__name__: f
    for f in (gd, momentum, nesterov, newton, saddle_free_newton, gauss_newton, rmsprop, adam, perturbed_gd)
}


def defaults(name):
    """The default hyperparameters of optimizer ``name`` as a dict."""
    fn = _lookup(name)
    return {k: p.default for k, p in list(inspect.signature(fn).parameters.items())[3:]}


def _lookup(name):
    if callable(name):
        return name
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {sorted(OPTIMIZERS)}")
    return OPTIMIZERS[name]


def run(name, L, x0, steps=100, bound=1e6, **hyper):
    """Follow an optimizer from ``x0`` for ``steps`` steps.

    Parameters
    ----------
    name : str or callable
        One of `OPTIMIZERS` (e.g. ``'adam'``), or a step function of the same form.
    L : Landscape or bound network
        Must have ``f`` and ``grad`` (and what the optimizer needs).
    x0 : array_like, shape (n,)
        Start.
    steps : int
        Number of updates.
    bound : float
        A run whose iterate leaves ``|x| < bound`` (or turns NaN) has diverged.
    **hyper
        Hyperparameters, e.g. ``lr=0.01``; see `defaults`.

    Returns
    -------
    Trajectory
        Array of shape ``(steps + 1, n)``; ``.diverged_at`` is the step at which the run diverged
        (rows after it are NaN, and a single `DivergenceWarning` says so), else None.
    """
    fn = _lookup(name)
    n = getattr(L, "n", None)
    if n is None:
        raise TypeError("L must be a Landscape or a bound network (something with .n, .f and .grad)")
    x = as_point(x0, n, name="x0").copy()
    if not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    allowed = list(inspect.signature(fn).parameters)[3:]
    unknown = set(hyper) - set(allowed)
    if unknown:
        raise TypeError(f"{getattr(fn, '__name__', fn)} has no hyperparameter(s) {sorted(unknown)}; "
                        f"it takes {allowed}")
    for key, val in hyper.items():
        if key != "seed" and not (np.isscalar(val) and np.isfinite(val)):
            raise ValueError(f"hyperparameter {key} must be a finite number, got {val!r}")
        if key == "lr" and val <= 0:
            raise ValueError(f"lr must be positive, got {val}")
    traj = np.full((steps + 1, n), np.nan)
    traj[0] = x
    state = {}
    diverged = None
    with np.errstate(all="ignore"):
        for k in range(1, steps + 1):
            x = np.asarray(fn(L, x, state, **hyper), dtype=float)
            if not np.all(np.isfinite(x)) or np.max(np.abs(x)) > bound:
                diverged = k
                break
            traj[k] = x
    out = traj.view(Trajectory)
    out.diverged_at, out.optimizer = diverged, getattr(fn, "__name__", str(fn))
    if diverged is not None:
        warnings.warn(f"{out.optimizer} diverged at step {diverged} (|x| exceeded {bound:g}); "
                      "the remaining rows of the trajectory are NaN. Try a smaller lr.",
                      DivergenceWarning, stacklevel=2)
    return out


class Trajectory(np.ndarray):
    """An ``(steps + 1, n)`` array of iterates with ``.diverged_at`` and ``.optimizer``."""

    def __array_finalize__(self, obj):
        self.diverged_at = getattr(obj, "diverged_at", None)
        self.optimizer = getattr(obj, "optimizer", None)

    @property
    def diverged(self):
        return self.diverged_at is not None


def goh_optimal(lam_min, lam_max):
    """Optimal heavy-ball step and momentum for a quadratic (Goh 2017).

    Returns
    -------
    (lr, beta, rate) : tuple of float
        ``lr = (2 / (sqrt(l_min) + sqrt(l_max)))^2``, ``beta = rate^2`` and the convergence
        rate ``(sqrt(kappa) - 1) / (sqrt(kappa) + 1)``.
    """
    if not (0 < lam_min <= lam_max):
        raise ValueError(f"need 0 < lam_min <= lam_max, got {lam_min}, {lam_max}")
    rate = (np.sqrt(lam_max) - np.sqrt(lam_min)) / (np.sqrt(lam_max) + np.sqrt(lam_min))
    return (2 / (np.sqrt(lam_min) + np.sqrt(lam_max))) ** 2, rate**2, rate
