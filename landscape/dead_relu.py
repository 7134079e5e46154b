"""Dead ReLU units: detect them, count them, and train many small ReLU networks at once to see
how initial bias and learning rate create them.

A hidden unit is *dead* on a data set when its activation has zero derivative on every example
(for a ReLU: its pre-activation is <= 0 on the whole set). Its output is then constant (zero) and
no gradient reaches its incoming weights or bias, so in the first hidden layer it stays dead
whatever plain gradient descent does next.
"""
import functools

import numpy as np

from . import nets
from .nets import MLP


def dead_units(net, theta, X):
    """Which hidden units are dead on the inputs ``X``.

    Parameters
    ----------
    net : nets.MLP
    theta : array_like
        The network's parameters.
    X : array_like, shape (N, d)
        The data (usually the whole training set).

    Returns
    -------
    list of ndarray of bool
        One mask per hidden layer: ``True`` where the activation's derivative is zero on every row of ``X``.
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net must be a landscape.nets.MLP, got {type(net).__name__}")
    _, cache = net.forward(theta, X, return_cache=True)
    return [np.all(da == 0, axis=0) for (_, _, da) in cache[:-1]]


def dead_fraction(net, theta, X):
    """Fraction of all hidden units of ``net`` that are dead on ``X`` (0 for a net without hidden layers)."""
    masks = dead_units(net, theta, X)
    total = sum(m.size for m in masks)
    return float(sum(m.sum() for m in masks) / total) if total else 0.0


def init_many(runs, d, hidden, seed=0, bias=0.0, scheme="he"):
    """Parameters of ``runs`` one-hidden-layer networks ``d -> hidden -> 1``, stacked.

    Parameters
    ----------
    bias : float or array_like, shape (runs,)
        Initial bias of every hidden unit (a negative value shifts units towards death).
    scheme : {'he', 'glorot'}
        Weight variance ``2/d`` or ``2/(d + hidden)`` in the first layer.

    Returns
    -------
    dict
        ``W (runs, hidden, d)``, ``b (runs, hidden)``, ``a (runs, hidden)``, ``c (runs,)``.
    """
    for name, v in (("runs", runs), ("d", d), ("hidden", hidden)):
        if not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a positive integer, got {v!r}")
    var = {"he": 2.0 / d, "glorot": 2.0 / (d + hidden)}.get(scheme)
    if var is None:
        raise ValueError(f"unknown scheme {scheme!r}; choose 'he' or 'glorot'")
    bias = np.broadcast_to(np.asarray(bias, float), (runs,))
    if not np.all(np.isfinite(bias)):
        raise ValueError("bias must be finite")
    rng = np.random.default_rng(seed)
    return dict(W=rng.normal(0, np.sqrt(var), (runs, hidden, d)),
                b=np.repeat(bias[:, None], hidden, axis=1).copy(),
                a=rng.normal(0, np.sqrt(1.0 / hidden), (runs, hidden)),
                c=np.zeros(runs))


def train_many(params, X, y, lr, steps, slope=0.0):
    """Full-batch gradient descent on many ``d -> hidden -> 1`` (leaky) ReLU networks at once.

    The loss is ``0.5 * mean (out - y)^2``, as `nets.MLP` with ``loss='mse'``.

    Parameters
    ----------
    params : dict
        From `init_many` (not modified).
    X : array_like, shape (N, d)
    y : array_like, shape (N,) or (N, 1)
    lr : float or array_like, shape (runs,)
        Step size of each run.
    steps : int
    slope : float
        Negative-side slope: 0 for ReLU, e.g. 0.01 for Leaky ReLU.

    Returns
    -------
    params : dict
        The trained parameters.
    losses : ndarray, shape (steps + 1, runs)
        Training loss before every step and after the last.
    """
    X = np.asarray(X, float)
    y = np.asarray(y, float).reshape(-1)
    W, b, a, c = (np.array(params[k], float) for k in "Wbac")
    R, h, d = W.shape
    if X.ndim != 2 or X.shape[1] != d or y.shape != (X.shape[0],):
        raise ValueError(f"X must be (N, {d}) and y (N,) to match; got {X.shape} and {y.shape}")
    lr = np.broadcast_to(np.asarray(lr, float), (R,))
    if not np.all(np.isfinite(lr)) or np.any(lr <= 0):
        raise ValueError(f"lr must be positive, got {lr}")
    if not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    N = X.shape[0]
    losses = np.empty((steps + 1, R))
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(steps + 1):
            z = np.einsum("rhd,nd->rnh", W, X) + b[:, None, :]
            act = np.where(z > 0, z, slope * z)
            r = act @ a[:, :, None]
            r = r[..., 0] + c[:, None] - y                     # (R, N) residuals
            losses[k] = 0.5 * np.mean(r**2, axis=1)
            if k == steps:
                break
            delta = r / N                                      # dloss/dout
            ga, gc = np.einsum("rn,rnh->rh", delta, act), delta.sum(1)
            dz = delta[:, :, None] * a[:, None, :] * np.where(z > 0, 1.0, slope)
            gW, gb = np.einsum("rnh,nd->rhd", dz, X), dz.sum(1)
            W -= lr[:, None, None] * gW
            b -= lr[:, None] * gb
            a -= lr[:, None] * ga
            c -= lr * gc
    return dict(W=W, b=b, a=a, c=c), losses


def dead_fraction_many(params, X):
    """Fraction of dead ReLU units in each network of a stack from `init_many`/`train_many`, shape ``(runs,)``.

    A network whose parameters are no longer finite (the run diverged) counts as NaN.
    """
    W, b = np.asarray(params["W"], float), np.asarray(params["b"], float)
    with np.errstate(invalid="ignore", over="ignore"):
        z = np.einsum("rhd,nd->rnh", W, np.asarray(X, float)) + b[:, None, :]
    frac = np.all(z <= 0, axis=1).mean(axis=1)
    finite = np.all(np.isfinite(W), axis=(1, 2)) & np.all(np.isfinite(b), axis=1)
    return np.where(finite, frac, np.nan)


def as_mlp(params, run=0, slope=0.0):
    """One network of a stack as ``(nets.MLP, theta)``, to use with `dead_units` and the rest of the book."""
    W, b, a, c = (np.asarray(params[k], float)[run] for k in "Wbac")
    h, d = W.shape
    net = MLP((d, h, 1), activation="leaky_relu" if slope else "relu", slope=slope)
    return net, net.flatten([(W, b), (a[None, :], np.atleast_1d(c))])


def demo_data():
    """The chapter's training set: 100 points in the plane labelled by a small tanh teacher ``(X, y)``."""
    X, y, _ = nets.teacher_student(n=100, sizes=(2, 4, 1), seed=0)
    return X, y


@functools.lru_cache(maxsize=32)
def _curves(bias, lr, steps, runs):
    X, y = demo_data()
    shifted = init_many(runs, 2, 16, seed=1, bias=bias)
    healthy = init_many(runs, 2, 16, seed=1, bias=0.0)
    out = {}
    for label, p, slope in ((f"ReLU, bias {bias:g}", shifted, 0.0),
                            (f"Leaky ReLU (0.1), bias {bias:g}", shifted, 0.1),
                            ("ReLU, bias 0 (He init)", healthy, 0.0)):
        q, losses = train_many(p, X, y, lr, steps, slope=slope)
        with np.errstate(invalid="ignore", over="ignore"):
            curve = losses.mean(axis=1)
        after = dead_fraction_many(q, X)
        out[label] = dict(loss=curve, dead_before=float(dead_fraction_many(p, X).mean()),
                          dead_after=float(after.mean()), diverged=int(np.isnan(after).sum()))
    return out


def training_curves(bias=-3.0, lr=0.1, steps=300, runs=8):
    """Mean training curves of ``runs`` ``2 -> 16 -> 1`` networks on `demo_data`, three ways.

    ReLU and Leaky ReLU (slope 0.1) from every hidden bias set to ``bias``, and ReLU from zero bias
    (He initialisation). Results are cached: the chapter's numbers and its widget share one run.

    Returns
    -------
    dict
        label -> ``{'loss': (steps + 1,) mean loss, 'dead_before': float, 'dead_after': float,
        'diverged': int}``; a diverged run makes the mean curve and ``dead_after`` NaN (``diverged`` counts them).
    """
    if not (np.isfinite(bias) and np.isfinite(lr) and lr > 0):
        raise ValueError(f"bias must be finite and lr positive; got bias={bias!r}, lr={lr!r}")
    res = _curves(float(bias), float(lr), int(steps), int(runs))
    return {k: dict(v, loss=v["loss"].copy()) for k, v in res.items()}


__all__ = ["demo_data", "training_curves", "dead_units", "dead_fraction", "init_many", "train_many", "dead_fraction_many", "as_mlp"]
