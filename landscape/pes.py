"""Potential energy surfaces (势能面): which minima a transition state joins, and the barriers.

A transition state (过渡态) is an index-1 saddle. Steepest descent started a hair away from it
along its single negative-curvature direction, one way and the other, runs down into two minima:
the reactant and the product it connects (that path is the intrinsic reaction coordinate,
Fukui 1970). The energy barrier from a minimum is ``E(saddle) - E(minimum)``.
"""
from dataclasses import dataclass

import numpy as np

from .critical import CriticalPoint
from .escape import escape_direction, gd_paths


@dataclass
class Barrier:
    """A transition state and the two minima it connects.

    Attributes
    ----------
    saddle : CriticalPoint
        The index-1 saddle.
    minima : tuple of CriticalPoint
        The minima reached by steepest descent along ``-v`` and ``+v`` (``v`` its escape direction).
    paths : ndarray, shape (steps + 1, 2, n)
        The two descent paths.
    """

    saddle: CriticalPoint
    minima: tuple
    paths: np.ndarray = None

    @property
    def heights(self):
        """``(E_saddle - E_min0, E_saddle - E_min1)``: the barrier seen from each side."""
        return tuple(float(self.saddle.value - m.value) for m in self.minima)

    def __repr__(self):
        a, b = self.minima
        h = self.heights
        return (f"Barrier(saddle at {np.round(self.saddle.x, 3).tolist()} joins minima at "
                f"{np.round(a.x, 3).tolist()} and {np.round(b.x, 3).tolist()}; heights {h[0]:.2f}, {h[1]:.2f})")


def connect(L, saddle, minima, push=1e-3, lr=None, steps=1500, tol=1e-3):
    """The two minima that steepest descent from a transition state reaches.

    Parameters
    ----------
    L : Landscape
    saddle : CriticalPoint
        An index-1 saddle of ``L``.
    minima : list of CriticalPoint
        Candidate minima.
    push : float
        Initial displacement along the escape direction, both ways.
    lr : float, optional
        Step size; default ``0.5 / max |eigenvalue|`` over the saddle and the minima (stable).
    steps : int
        Gradient steps.
    tol : float
        A path must end within ``tol`` of a minimum.

    Returns
    -------
    Barrier
    """
    if not isinstance(saddle, CriticalPoint) or saddle.index != 1:
        raise ValueError(f"connect needs an index-1 saddle (a transition state); got {saddle!r}")
    minima = [m for m in minima if m.kind == "minimum"]
    if not minima:
        raise ValueError("connect needs at least one minimum to connect to")
    if lr is None:
        lr = 0.5 / max(float(np.max(np.abs(p.eigenvalues))) for p in [saddle] + minima)
    _, v = escape_direction(L, saddle.x)
    paths = gd_paths(L, np.stack([saddle.x - push * v, saddle.x + push * v]), steps, lr=lr)
    ends = []
    for end in paths[-1]:
        d = [np.linalg.norm(end - m.x) for m in minima]
        if min(d) > tol:
            raise ValueError(f"steepest descent from the saddle at {saddle.x.tolist()} ended at {end.tolist()}, "
                             f"which is none of the given minima; add the minimum or take more steps")
        ends.append(minima[int(np.argmin(d))])
    return Barrier(saddle=saddle, minima=tuple(ends), paths=paths)


def barriers(L, points, **kw):
    """A `Barrier` for every index-1 saddle among ``points`` (e.g. ``L.critical_points(bounds)``)."""
    points = list(points)
    return [connect(L, p, points, **kw) for p in points if p.kind == "saddle" and p.index == 1]


__all__ = ["Barrier", "connect", "barriers"]
