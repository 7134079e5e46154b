"""How well the linear and quadratic Taylor models predict a network's real change in loss.

For a step ``p = t u`` the linear model predicts ``t g.u`` and the quadratic model adds
``t^2 u.H.u / 2``. Their errors shrink like ``t^2`` and ``t^3``: `fit_slope` measures the powers.
The curvature ``u.H.u`` is taken from the exact (backprop) gradient by a central difference,
whose own error (``~ eps^2``) is far below what is measured.
"""
import numpy as np

from . import nets, optim
from ._checks import as_point


def regression_net(width=8, steps=60, lr=0.02, seed=0):
    """A small tanh network part-way through training on teacher-student data.

    Part-way, so that the gradient is not zero and both models have something to predict.

    Returns
    -------
    net : nets.MLP
    obj : nets.Objective
        Mean-squared-error training loss.
    theta : ndarray
        The parameters after ``steps`` Adam steps.
    """
    X, y, _ = nets.teacher_student(n=200, sizes=(2, 4, 1), seed=seed)
    net = nets.MLP((2, width, 1), activation="tanh")
    obj = net.bind(X, y)
    traj = optim.run("adam", obj, net.init(seed=seed + 1), steps=steps, lr=lr)
    return net, obj, np.array(traj[-1])


def curvature_along(obj, theta, u, eps=1e-4):
    """``u.H.u``: the second derivative of the loss along ``u``, from exact gradients."""
    theta = as_point(theta, obj.n, name="theta")
    u = as_point(u, obj.n, name="u")
    return float(u @ (obj.grad(theta + eps * u) - obj.grad(theta - eps * u)) / (2 * eps))


def model_errors(obj, theta, u, steps):
    """Real change of the loss for steps ``t * u`` and the errors of the two Taylor models.

    Parameters
    ----------
    obj : object with ``f``, ``grad``, ``n``
        The loss (e.g. a bound network).
    theta : array_like (P,)
        Where the models are built.
    u : array_like (P,)
        Step direction (normalised to length 1 here).
    steps : array_like
        Positive step lengths ``t``.

    Returns
    -------
    dict
        ``t``, ``change`` (real), ``linear`` and ``quadratic`` (predicted changes),
        ``err_linear`` and ``err_quadratic`` (absolute errors).
    """
    theta = as_point(theta, obj.n, name="theta")
    u = as_point(u, obj.n, name="u")
    norm = np.linalg.norm(u)
    if norm == 0:
        raise ValueError("u is the zero vector: the step needs a direction")
    u = u / norm
    t = np.asarray(steps, dtype=float)
    if t.ndim != 1 or t.size < 2 or np.any(t <= 0):
        raise ValueError("steps must be a 1-D array of at least two positive step lengths")
    f0, g = obj.f(theta), obj.grad(theta)
    slope, curv = float(g @ u), curvature_along(obj, theta, u)
    change = np.array([obj.f(theta + s * u) - f0 for s in t])
    linear = t * slope
    quadratic = linear + 0.5 * t**2 * curv
    return dict(t=t, change=change, linear=linear, quadratic=quadratic,
                err_linear=np.abs(change - linear), err_quadratic=np.abs(change - quadratic))


def fit_slope(t, err):
    """Least-squares slope of ``log err`` against ``log t``: the power ``k`` in ``err ~ t^k``."""
    t, err = np.asarray(t, float), np.asarray(err, float)
    if t.shape != err.shape or t.size < 2:
        raise ValueError("t and err must be arrays of the same shape with at least two entries")
    if np.any(t <= 0) or np.any(err <= 0):
        raise ValueError("log-log fit needs positive step lengths and errors")
    return float(np.polyfit(np.log(t), np.log(err), 1)[0])





def trust_mask(L, x0, radius, n=161, tol=0.1):
    """Where the quadratic model of a 2-D landscape errs by less than ``tol`` of the real change.

    Parameters
    ----------
    L : Landscape
        A 2-D landscape.
    x0 : array_like (2,)
        Centre of the model.
    radius : float
        Half-width of the square window around ``x0``.
    tol : float
        Relative error allowed: ``|q(w) - L(w)| < tol * |L(w) - L(x0)|``.

    Returns
    -------
    X, Y, Ltrue, Q, ok, in_disk : ndarray (n, n)
        Grid, true loss, quadratic model, the mask of points where it holds, and the disk of ``radius``.
    """
    if getattr(L, "n", None) != 2:
        raise ValueError(f"trust_mask needs a 2-D landscape; got n={getattr(L, 'n', None)}")
    x0 = as_point(x0, 2, name="x0")
    if not radius > 0:
        raise ValueError(f"radius must be positive, got {radius}")
    q = L.taylor(x0, order=2)
    ax = np.linspace(-radius, radius, int(n))
    X, Y = np.meshgrid(x0[0] + ax, x0[1] + ax)
    P = np.stack([X, Y], axis=-1)
    Ltrue, Q = L.f(P), q(P)
    ok = np.abs(Q - Ltrue) < tol * np.abs(Ltrue - L.f(x0))
    in_disk = (X - x0[0]) ** 2 + (Y - x0[1]) ** 2 <= radius**2
    return X, Y, Ltrue, Q, ok, in_disk


def trusted_fraction(L, x0, radius, n=161, tol=0.1):
    """Fraction of the disk of ``radius`` around ``x0`` where the quadratic model errs by < ``tol``."""
    *_, ok, disk = trust_mask(L, x0, radius, n=n, tol=tol)
    return float(ok[disk].mean())
__all__ = ["regression_net", "curvature_along", "hessian", "model_errors", "fit_slope", "trust_mask", "trusted_fraction"]
