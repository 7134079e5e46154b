"""Symmetries of network parameters, and paths between minima.

A network's loss is unchanged when hidden units are permuted, when a tanh unit's signs are
flipped, or when a ReLU/linear layer is scaled by ``alpha`` and the next one by ``1/alpha``.
These functions apply those maps to a flat parameter vector of a `landscape.nets.MLP`, measure
the conserved "balance" that scaling symmetry implies, and follow the loss along straight lines
and quadratic Bezier curves between two parameter vectors (mode connectivity).

>>> from landscape import nets, symmetry
>>> net = nets.MLP((1, 3, 1), activation="tanh")
>>> theta = net.init(seed=0)
>>> swapped = symmetry.permute_hidden(net, theta, [1, 0, 2])
"""
import itertools
import math

import numpy as np
import sympy as sp

from . import optim
from ._checks import as_point
from .core import Landscape

ODD = ("linear", "tanh")             # sigma(-z) = -sigma(z): sign flips are symmetries
HOMOGENEOUS = ("linear", "relu", "leaky_relu")   # sigma(a z) = a sigma(z) for a > 0


def _check_net(net):
    if not (hasattr(net, "unflatten") and hasattr(net, "sizes")):
        raise TypeError(f"net must be a landscape.nets.MLP, got {type(net).__name__}")


def _hidden(net, layer):
    _check_net(net)
    n_hidden = len(net.sizes) - 2
    if n_hidden < 1:
        raise ValueError(f"{net!r} has no hidden layer, so it has no hidden-unit symmetry")
    if not isinstance(layer, (int, np.integer)) or not 0 <= layer < n_hidden:
        raise ValueError(f"layer must be a hidden-layer index in 0..{n_hidden - 1}, got {layer!r}")
    return net.sizes[layer + 1]


def _copy_layers(net, theta):
    return [(W.copy(), None if b is None else b.copy()) for W, b in net.unflatten(theta)]


def permute_hidden(net, theta, perm, layer=0):
    """Reorder the hidden units of one layer: unit ``perm[i]`` becomes unit ``i``.

    The incoming weights and bias (rows of ``W[layer]``) and the outgoing weights (columns of
    ``W[layer + 1]``) move together, so the network computes the same function.

    Parameters
    ----------
    net : nets.MLP
    theta : array_like, shape (net.n,)
    perm : sequence of int
        A permutation of ``range(width)``.
    layer : int
        Which hidden layer (0 = the first).

    Returns
    -------
    ndarray, shape (net.n,)
    """
    h = _hidden(net, layer)
    perm = np.asarray(perm)
    if perm.shape != (h,) or sorted(perm.tolist()) != list(range(h)):
        raise ValueError(f"perm must be a permutation of 0..{h - 1}; got {perm.tolist()}")
    layers = _copy_layers(net, theta)
    W, b = layers[layer]
    layers[layer] = (W[perm], None if b is None else b[perm])
    W2, b2 = layers[layer + 1]
    layers[layer + 1] = (W2[:, perm], b2)
    return net.flatten(layers)


def flip_signs(net, theta, signs, layer=0):
    """Multiply each hidden unit's incoming and outgoing weights by ``signs[i]`` (+1 or -1).

    A symmetry only for odd activations (tanh, linear): ``tanh(-z) = -tanh(z)``.
    """
    h = _hidden(net, layer)
    if net.activation not in ODD:
        raise ValueError(f"sign flips are a symmetry only for odd activations {ODD}, not {net.activation!r}")
    signs = np.asarray(signs, dtype=float)
    if signs.shape != (h,) or not np.all(np.abs(signs) == 1):
        raise ValueError(f"signs must be {h} values, each +1 or -1; got {signs.tolist()}")
    return _scale_units(net, theta, signs, layer)


def rescale(net, theta, alpha, layer=0):
    """Scaling symmetry: multiply layer ``layer``'s weights and bias by ``alpha`` and the next
    layer's weights by ``1/alpha``.

    Parameters
    ----------
    alpha : float or array_like of shape (width,)
        One factor for the whole layer, or one per hidden unit. Must be > 0 for ReLU
        (``relu(a z) = a relu(z)`` only for ``a > 0``) and nonzero for a linear network.

    Returns
    -------
    ndarray, shape (net.n,)
        A parameter vector with the same network function and the same loss.
    """
    h = _hidden(net, layer)
    if net.activation not in HOMOGENEOUS:
        raise ValueError(f"rescaling is a symmetry only for positively homogeneous activations "
                         f"{HOMOGENEOUS}, not {net.activation!r}")
    a = np.broadcast_to(np.asarray(alpha, dtype=float), (h,)) if np.ndim(alpha) == 0 else np.asarray(alpha, float)
    if a.shape != (h,) or not np.all(np.isfinite(a)):
        raise ValueError(f"alpha must be a finite number or {h} finite numbers; got {alpha!r}")
    if net.activation == "linear" and np.any(a == 0):
        raise ValueError("alpha must be nonzero")
    if net.activation != "linear" and np.any(a <= 0):
        raise ValueError(f"alpha must be positive for {net.activation!r} (relu(a z) = a relu(z) needs a > 0); "
                         f"got {alpha!r}")
    return _scale_units(net, theta, a, layer)


def _scale_units(net, theta, a, layer):
    layers = _copy_layers(net, theta)
    W, b = layers[layer]
    layers[layer] = (W * a[:, None], None if b is None else b * a)
    W2, b2 = layers[layer + 1]
    layers[layer + 1] = (W2 / a[None, :], b2)
    return net.flatten(layers)


def symmetry_copies(net, theta, layer=0, signs=False):
    """Every permutation (and, with ``signs=True``, every sign flip) of one hidden layer.

    Returns
    -------
    ndarray, shape (h!, net.n) or (2**h * h!, net.n)
    """
    h = _hidden(net, layer)
    if h > 7:
        raise ValueError(f"{math.factorial(h)} permutations of {h} units is too many to list; use h <= 7")
    out = []
    flips = itertools.product((1.0, -1.0), repeat=h) if signs else [None]
    for s in flips:
        base = theta if s is None else flip_signs(net, theta, s, layer)
        for perm in itertools.permutations(range(h)):
            out.append(permute_hidden(net, base, perm, layer))
    return np.array(out)


def balance(net, theta, layer=0):
    """``|W_in|^2 + |b_in|^2 - |W_out|^2`` for one hidden layer (squared Frobenius norms).

    Gradient flow on a ReLU or linear network keeps it constant (Du, Hu & Lee 2018); gradient
    descent with step ``lr`` changes it by exactly ``lr^2 (|g_in|^2 - |g_out|^2)`` per step.
    """
    _hidden(net, layer)
    layers = net.unflatten(theta)
    W, b = layers[layer]
    W2, _ = layers[layer + 1]
    return float(np.sum(W**2) + (0.0 if b is None else np.sum(b**2)) - np.sum(W2**2))


def orbit_tangent(net, theta, layer=0):
    """The direction ``d/d alpha`` of `rescale` at ``alpha = 1``: ``(W_in, b_in, -W_out)``, zero elsewhere.

    At a minimum the Hessian maps this vector to zero: the loss is flat along the orbit.
    """
    _hidden(net, layer)
    layers = [(np.zeros_like(W), None if b is None else np.zeros_like(b)) for W, b in net.unflatten(theta)]
    src = net.unflatten(theta)
    layers[layer] = (src[layer][0].copy(), None if src[layer][1] is None else src[layer][1].copy())
    layers[layer + 1] = (-src[layer + 1][0], layers[layer + 1][1])
    return net.flatten(layers)


def linear_net_landscape(X, Y, widths):
    """A deep linear network ``x -> W_k ... W_1 x`` (no biases) with loss ``0.5 mean |y - W x|^2``,
    as an exact sympy `Landscape`.

    The parameters are ordered like ``nets.MLP(sizes, activation='linear', bias=False)``, so the
    same vector works with both. The loss is written through the data moments, so its size does
    not grow with the number of samples.

    Parameters
    ----------
    X : array_like (N, d_in)
    Y : array_like (N, d_out) or (N,)
    widths : sequence of int
        Hidden widths, e.g. ``(2,)`` for one hidden layer of two units.
    """
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    if Y.ndim == 1:
        Y = Y[:, None]
    if X.ndim != 2 or Y.ndim != 2 or X.shape[0] != Y.shape[0]:
        raise ValueError(f"X must be (N, d_in) and Y (N, d_out) with the same N; got {X.shape} and {Y.shape}")
    sizes = (X.shape[1], *[int(w) for w in widths], Y.shape[1])
    if min(sizes) < 1:
        raise ValueError(f"widths must be positive integers; got {widths!r}")
    N = X.shape[0]
    symbols, mats = [], []
    for k, (a, b) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        s = sp.symbols(f"W{k}_0:{b}_0:{a}", real=True) if b * a > 1 else (sp.Symbol(f"W{k}_0_0", real=True),)
        symbols += list(s)
        mats.append(sp.Matrix(b, a, s))
    W = mats[0]
    for M in mats[1:]:
        W = M * W
    Sxx = sp.Matrix(X.T @ X / N)
    Sxy = sp.Matrix(X.T @ Y / N)
    syy = float(np.sum(Y**2) / N)
    expr = sp.Rational(1, 2) * (W * Sxx * W.T).trace() - (W * Sxy).trace() + sp.Float(syy / 2)
    return Landscape(sp.expand(expr), symbols, name=f"deep linear network {sizes}")


def least_squares_loss(X, Y, intercept=True):
    """The smallest possible ``0.5 mean |y - (A x + c)|^2`` over all linear maps (closed form)."""
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    if Y.ndim == 1:
        Y = Y[:, None]
    if X.ndim != 2 or X.shape[0] != Y.shape[0]:
        raise ValueError(f"X must be (N, d_in) and Y (N, d_out) with the same N; got {X.shape} and {Y.shape}")
    A = np.hstack([X, np.ones((len(X), 1))]) if intercept else X
    coef = np.linalg.lstsq(A, Y, rcond=None)[0]
    return 0.5 * float(np.sum((Y - A @ coef) ** 2)) / len(X)


# --- paths between parameter vectors -----------------------------------------------------
def _ts(ts):
    ts = np.atleast_1d(np.asarray(ts, dtype=float))
    if ts.ndim != 1 or not np.all(np.isfinite(ts)):
        raise ValueError("t must be finite numbers")
    return ts


def _vector(x, name):
    arr = np.asarray(x, dtype=float) if not isinstance(x, str) else None
    if arr is None or arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a flat parameter vector; got {x!r:.60}")
    return as_point(arr, arr.size, name=name)


def bezier(theta_a, theta_b, control, t):
    """Points of the quadratic Bezier curve ``(1-t)^2 a + 2t(1-t) c + t^2 b`` (Garipov et al. 2018).

    With ``control = (a + b)/2`` it is the straight line. Returns shape ``(len(t), P)``.
    """
    a = _vector(theta_a, "theta_a")
    b = as_point(theta_b, a.size, name="theta_b")
    c = as_point(control, a.size, name="control")
    t = _ts(t)[:, None]
    return (1 - t) ** 2 * a + 2 * t * (1 - t) * c + t**2 * b


def path_losses(loss, theta_a, theta_b, t=None, control=None):
    """The loss along the straight line from ``theta_a`` to ``theta_b`` (or along a Bezier curve
    through ``control``).

    Parameters
    ----------
    loss : callable or object with ``.f``
        ``theta -> float`` (e.g. a bound network ``net.bind(X, y)``).
    t : array_like, optional
        Positions in [0, 1]; default 41 evenly spaced.

    Returns
    -------
    t, losses : ndarray
    """
    f = loss.f if hasattr(loss, "f") else loss
    if not callable(f):
        raise TypeError("loss must be callable or have .f")
    a = _vector(theta_a, "theta_a")
    t = np.linspace(0, 1, 41) if t is None else _ts(t)
    c = (a + as_point(theta_b, a.size, name="theta_b")) / 2 if control is None else control
    pts = bezier(a, theta_b, c, t)
    return t, np.array([f(p) for p in pts])


def barrier(t, losses):
    """Height of the loss above the straight interpolation of its end values, at its worst:
    ``max_t [L(t) - ((1-t) L(0) + t L(1))]`` (Frankle et al. 2020)."""
    t, losses = _ts(t), np.asarray(losses, dtype=float)
    if losses.shape != t.shape or len(t) < 2:
        raise ValueError("t and losses must be 1-D arrays of the same length >= 2")
    base = (1 - t) * losses[0] + t * losses[-1]
    return float(np.max(losses - base))


def fit_bezier(objective, theta_a, theta_b, steps=300, lr=0.01, n_t=8, seed=0):
    """Train the control point of a quadratic Bezier curve so the loss stays low along it.

    Minimises the average loss over ``t ~ U(0, 1)`` with Adam; the gradient with respect to the
    control point is ``2 t (1 - t) grad L(phi(t))`` (Garipov et al. 2018).

    Parameters
    ----------
    objective : bound network
        Has ``.n``, ``.f`` and ``.grad`` (``net.bind(X, y)``).
    steps, lr, n_t : int, float, int
        Adam steps, step size, and values of ``t`` sampled per step.

    Returns
    -------
    ndarray, shape (P,)
        The control point.
    """
    if not (hasattr(objective, "grad") and hasattr(objective, "n")):
        raise TypeError("objective must have .n and .grad (e.g. net.bind(X, y))")
    a = as_point(theta_a, objective.n, name="theta_a")
    b = as_point(theta_b, objective.n, name="theta_b")
    if not (isinstance(steps, (int, np.integer)) and steps >= 0 and isinstance(n_t, (int, np.integer)) and n_t >= 1):
        raise ValueError("steps must be an integer >= 0 and n_t an integer >= 1")
    if not lr > 0:
        raise ValueError(f"lr must be positive, got {lr}")
    return optim.run("adam", _CurveLoss(objective, a, b, n_t, seed), (a + b) / 2, steps=steps, lr=lr)[-1]


class _CurveLoss:
    """The average loss along the Bezier curve as a function of its control point, with a
    stochastic gradient: each call samples ``n_t`` positions ``t``."""

    def __init__(self, objective, a, b, n_t, seed):
        self.objective, self.a, self.b, self.n_t = objective, a, b, n_t
        self.n = objective.n
        self.rng = np.random.default_rng(seed)

    def grad(self, c):
        ts = self.rng.uniform(0, 1, self.n_t)
        pts = bezier(self.a, self.b, c, ts)
        return sum(2 * t * (1 - t) * self.objective.grad(p) for t, p in zip(ts, pts)) / self.n_t


__all__ = ["permute_hidden", "flip_signs", "rescale", "symmetry_copies", "balance", "orbit_tangent",
           "linear_net_landscape", "least_squares_loss", "bezier", "path_losses", "barrier", "fit_bezier"]
