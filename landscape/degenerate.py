"""Deciding a degenerate critical point (退化临界点) where the Hessian test says nothing.

At a critical point ``x0`` write ``L(x0 + p) - L(x0)`` as a sum of homogeneous polynomials in
``p``. The lowest-degree nonzero one, the leading form ``F_k(p)``, rules near ``x0``: if ``F_k > 0``
on every direction the point is a strict minimum, if ``F_k < 0`` a strict maximum, if it takes both
signs it is neither (a saddle; in one dimension an inflection point). Only a semidefinite form
(zero along some direction, like ``x^2`` in ``x^2 + y^4``) leaves the question to still higher terms.
"""
from dataclasses import dataclass

import numpy as np
import sympy as sp

from ._checks import as_point


@dataclass
class HigherOrderTest:
    """Result of `higher_order_test`.

    Attributes
    ----------
    kind : str
        'minimum', 'maximum', 'saddle', or 'degenerate' (the leading form is semidefinite).
    degree : int
        Degree ``k`` of the leading form.
    form : sympy expression
        The leading form ``F_k`` in the displacement symbols.
    lowest, highest : float
        Extremes of ``F_k`` on the unit sphere of directions.
    valleys : int
        Number of separate arcs of directions (n = 2) or directions (n = 1) along which ``F_k < 0``:
        the ways down (2 for a horse saddle, 3 for the monkey saddle).
    """

    kind: str
    degree: int
    form: sp.Expr
    lowest: float
    highest: float
    valleys: int


def leading_form(L, x0):
    """Degree and lowest-order nonzero homogeneous part of ``L(x0 + p) - L(x0)``.

    Needs a polynomial landscape; ``x0`` must be a critical point (the degree-1 part vanishes).
    """
    x0 = as_point(x0, L.n, name="x0")
    if not L.expr.is_polynomial(*L.symbols):
        raise TypeError(f"{L.name} is not a polynomial; the leading form is computed for polynomials")
    p = sp.symbols(f"p1:{L.n + 1}", real=True)
    shifted = L.expr.subs({s: sp.nsimplify(float(c)) + q for s, c, q in zip(L.symbols, x0, p)}, simultaneous=True)
    poly = sp.Poly(sp.expand(shifted), *p)
    by_degree = {}
    for monom, coeff in poly.terms():
        d = sum(monom)
        if d > 0:
            by_degree[d] = by_degree.get(d, 0) + coeff * sp.prod([q**e for q, e in zip(p, monom)])
    by_degree = {d: f for d, f in by_degree.items() if f != 0}
    if not by_degree:
        raise ValueError(f"{L.name} is constant: every point is critical and nothing is decided")
    k = min(by_degree)
    if k == 1:
        raise ValueError(f"x0={x0.tolist()} is not a critical point of {L.name} (the gradient there is "
                         f"{L.grad(x0).tolist()})")
    return k, by_degree[k], p


def _directions(n, m=3600, seed=0):
    if n == 1:
        return np.array([[1.0], [-1.0]])
    if n == 2:
        t = np.linspace(0, 2 * np.pi, m, endpoint=False)
        return np.stack([np.cos(t), np.sin(t)], axis=1)
    u = np.random.default_rng(seed).standard_normal((20 * m, n))
    return u / np.linalg.norm(u, axis=1, keepdims=True)


def higher_order_test(L, x0, tol=1e-9):
    """Classify a critical point by the leading form of the Taylor expansion.

    Parameters
    ----------
    L : Landscape
        Polynomial landscape.
    x0 : array_like, shape (n,)
        A critical point.
    tol : float
        Relative tolerance for "zero" on the sphere of directions.

    Returns
    -------
    HigherOrderTest
    """
    k, form, p = leading_form(L, x0)
    u = _directions(L.n)
    vals = np.broadcast_to(np.asarray(sp.lambdify(p, form, "numpy")(*u.T), float), (len(u),))
    lo, hi = float(vals.min()), float(vals.max())
    zero = tol * max(abs(lo), abs(hi))
    neg = vals < -zero
    if L.n == 1:
        valleys = int(neg.sum())
    else:  # count arcs of negative values around the circle (or clusters on the sphere, n > 2: approx.)
        valleys = int(np.sum(neg & ~np.roll(neg, 1))) if not neg.all() else 1
    if lo > zero:
        kind = "minimum"
    elif hi < -zero:
        kind = "maximum"
    elif lo < -zero and hi > zero:
        kind = "saddle"
    else:
        kind = "degenerate"
    return HigherOrderTest(kind=kind, degree=k, form=form, lowest=lo, highest=hi, valleys=valleys)


__all__ = ["HigherOrderTest", "leading_form", "higher_order_test"]
