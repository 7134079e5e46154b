"""Minimum-energy paths between minima: the nudged elastic band (NEB) with a climbing image."""
import numpy as np

from ._checks import as_point


def tangents(path, E):
    """Upwind tangents at the inner images (Henkelman & Jónsson 2000); zero at the ends."""
    tp, tm = path[2:] - path[1:-1], path[1:-1] - path[:-2]
    Ep, E0, Em = E[2:], E[1:-1], E[:-2]
    dmax = np.maximum(abs(Ep - E0), abs(Em - E0))[:, None]
    dmin = np.minimum(abs(Ep - E0), abs(Em - E0))[:, None]
    mixed = np.where((Ep > Em)[:, None], tp * dmax + tm * dmin, tp * dmin + tm * dmax)
    t = np.where(((Ep > E0) & (E0 > Em))[:, None], tp, np.where(((Ep < E0) & (E0 < Em))[:, None], tm, mixed))
    t = t / np.linalg.norm(t, axis=1, keepdims=True)
    zero = np.zeros((1, path.shape[1]))
    return np.vstack([zero, t, zero])


def neb_forces(L, path, k=100.0, climbing=False):
    """NEB force on every image: the true force across the path plus springs along it.

    With ``climbing=True`` the highest image feels no spring and the along-path force reversed,
    so it climbs to the saddle.
    """
    E, G = L.f(path), L.grad(path)
    t = tangents(path, E)
    F = -(G - np.sum(G * t, axis=1, keepdims=True) * t)
    d = np.linalg.norm(np.diff(path, axis=0), axis=1)
    s = np.zeros(len(path))
    s[1:-1] = d[1:] - d[:-1]
    F += k * s[:, None] * t
    if climbing:
        i = 1 + int(np.argmax(E[1:-1]))
        F[i] = -G[i] + 2 * np.dot(G[i], t[i]) * t[i]
    F[0] = F[-1] = 0.0
    return F


def neb(L, a, b, images=11, k=100.0, steps=500, lr=4e-4, climb_after=200):
    """Nudged elastic band from minimum ``a`` to minimum ``b``.

    Parameters
    ----------
    L : Landscape
        Needs batched ``f`` and ``grad``.
    a, b : array_like (n,)
        End points (kept fixed).
    images : int
        Number of images, ends included.
    k : float
        Spring constant.
    steps, lr : int, float
        Steepest-descent steps on the NEB forces and their size (below 2 / largest curvature).
    climb_after : int
        Switch on the climbing image after this many steps (None: never).

    Returns
    -------
    ndarray (images, n)
        The converged band; its highest image is the transition state when climbing.
    """
    a, b = as_point(a, L.n, "a"), as_point(b, L.n, "b")
    if images < 3:
        raise ValueError(f"a band needs at least 3 images; got {images}")
    path = np.linspace(a, b, images)
    for it in range(steps):
        path = path + lr * neb_forces(L, path, k, climbing=climb_after is not None and it >= climb_after)
        if not np.all(np.isfinite(path)):
            raise FloatingPointError("the band blew up: lower lr")
    return path


def barrier(L, path):
    """Energy barrier along a path: ``max E - E(start)``, and the index of the highest image."""
    E = L.f(path)
    i = int(np.argmax(E))
    return float(E[i] - E[0]), i
