"""1-D and 2-D slices of a network's loss along random directions (Li et al. 2018).

>>> from landscape import slices
>>> net, obj, theta = slices.trained_classifier()
>>> d = slices.nets.random_direction(net, theta, seed=1)
>>> alphas, losses = slices.slice_1d(obj, theta, d, span=1.0, n=5)
"""
import numpy as np

from . import nets, optim
from ._checks import as_point


def trained_classifier(width=16, steps=400, lr=0.02, seed=0, activation="relu"):
    """A small ReLU classifier trained on the two-moons data set: the intro's example network.

    Parameters
    ----------
    width : int
        Units in each of the two hidden layers.
    steps, lr : int, float
        Adam steps and learning rate.
    seed : int
        Seed of the data and of the initialisation.

    Returns
    -------
    net : nets.MLP
    obj : nets.Objective
        The training loss (cross-entropy) as a function of the flat parameters.
    theta : ndarray
        The trained parameters.
    """
    X, y = nets.classification(n=200, kind="moons", noise=0.1, seed=seed)
    net = nets.MLP((2, width, width, 2), activation=activation, loss="cross_entropy")
    obj = net.bind(X, y)
    traj = optim.run("adam", obj, net.init(seed=seed + 1), steps=steps, lr=lr)
    return net, obj, np.array(traj[-1])


def _direction(obj, d, name):
    d = as_point(d, obj.n, name=name)
    if not np.any(d):
        raise ValueError(f"{name} is the zero vector: a slice needs a direction")
    return d


def slice_1d(obj, theta, d, span=1.0, n=101):
    """Loss along the line ``theta + alpha * d`` for ``alpha`` in ``[-span, span]``.

    Returns
    -------
    alphas, losses : ndarray (n,)
    """
    theta = as_point(theta, obj.n, name="theta")
    d = _direction(obj, d, "d")
    if not span > 0:
        raise ValueError(f"span must be positive, got {span}")
    alphas = np.linspace(-span, span, int(n))
    return alphas, np.array([obj.f(theta + a * d) for a in alphas])


def slice_2d(obj, theta, d1, d2, span=1.0, n=41):
    """Loss on the plane ``theta + a * d1 + b * d2``, ``a, b`` in ``[-span, span]``.

    Returns
    -------
    A, B, Z : ndarray (n, n)
        Meshgrid of the coordinates and the loss (``Z[i, j]`` at ``a=A[i, j], b=B[i, j]``).
    """
    theta = as_point(theta, obj.n, name="theta")
    d1, d2 = _direction(obj, d1, "d1"), _direction(obj, d2, "d2")
    if not span > 0:
        raise ValueError(f"span must be positive, got {span}")
    ax = np.linspace(-span, span, int(n))
    A, B = np.meshgrid(ax, ax)
    Z = np.array([[obj.f(theta + a * d1 + b * d2) for a, b in zip(ra, rb)] for ra, rb in zip(A, B)])
    return A, B, Z


def rise(obj, theta, d, alpha):
    """How much the loss rises a distance ``alpha`` along ``d``: the mean of ``L(theta +- alpha d)``
    minus ``L(theta)``. A robust measure of a valley's width (a ReLU net's loss has kinks, so its
    second derivative along a line is not a stable number)."""
    if not alpha > 0:
        raise ValueError(f"alpha must be positive, got {alpha}")
    _, l = slice_1d(obj, theta, d, span=alpha, n=3)
    return float((l[0] + l[2]) / 2 - l[1])


__all__ = ["trained_classifier", "slice_1d", "slice_2d", "rescale", "rise"]
