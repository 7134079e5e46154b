"""Compiled derivatives vs sympy substitution; critical points of Müller-Brown."""
import numpy as np
import sympy as sp

from run import best_of
from landscape import zoo


def benchmarks():
    L = zoo.muller_brown()
    p = np.array([0.1, 0.4])
    sub = dict(zip(L.symbols, p))
    g_exprs, H_exprs = L.grad_expr, L.hess_expr

    def subs_grad_hess():
        sp.core.cache.clear_cache()   # sympy caches repeated substitutions; a new point would miss it
        [float(e.subs(sub)) for e in g_exprs]
        [float(e.subs(sub)) for e in H_exprs]

    def compiled_grad_hess():
        L.grad(p)
        L.hess(p)

    t_subs = best_of(subs_grad_hess, repeat=3)
    t_comp = best_of(compiled_grad_hess, repeat=5, number=200)
    yield "compiled grad+Hessian (Müller-Brown)", t_comp, "sympy .subs()", t_subs, ">= 100x"

    t_cp = best_of(lambda: L.critical_points(zoo.MULLER_BROWN_BOUNDS), repeat=3)
    yield "critical_points(Müller-Brown)", t_cp, "goal 0.5 s", 0.5, "<= 1x"

    P = np.random.default_rng(0).normal(size=(200, 200, 2))
    t_batch = best_of(lambda: L.f(P), repeat=5)
    t_loop = best_of(lambda: [L.f(q) for q in P[:20].reshape(-1, 2)], repeat=1) * 10
    yield "f on a 200x200 grid, one batched call", t_batch, "a Python loop of f(x)", t_loop, ">= 10x"
