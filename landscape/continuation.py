"""Continuation (graduated optimisation): smooth a rugged landscape with a Gaussian, then sharpen."""
import numpy as np
import sympy as sp


def gaussian_smoothing(expr, x, sigma):
    """Exact ``E[f(x + sigma z)]``, ``z ~ N(0, 1)``, of a 1-D sympy expression (sympy integrates).

    Returns
    -------
    sympy expression in ``x`` and ``sigma``
    """
    z = sp.Symbol("z", real=True)
    density = sp.exp(-z**2 / 2) / sp.sqrt(2 * sp.pi)
    # cos and sin become exponentials, so every term is a Gaussian integral sympy knows
    terms = sp.Add.make_args(sp.expand(expr.subs(x, x + sigma * z).rewrite(sp.exp)))
    total = sum(sp.integrate(t * density, (z, -sp.oo, sp.oo), conds="none") for t in terms)
    return sp.expand(sp.expand_complex(total))   # back to real cos/sin


def smoothed(f, sigma, nodes=100):
    """Numerical Gaussian smoothing of a vectorised function ``f`` by Gauss-Hermite quadrature.

    Parameters
    ----------
    nodes : int
        Quadrature nodes; oscillations of frequency w need ``nodes`` well above ``(w sigma)^2``
        (100 is exact to 1e-13 for ``cos(2 pi x)`` up to ``sigma = 2``).

    Returns
    -------
    callable
        ``x -> E[f(x + sigma z)]``.
    """
    if sigma < 0:
        raise ValueError(f"sigma must be >= 0; got {sigma}")
    z, w = np.polynomial.hermite_e.hermegauss(nodes)
    w = w / w.sum()
    return lambda x: np.tensordot(f(np.asarray(x, float)[..., None] + sigma * z), w, axes=([-1], [0]))


def continuation(grad, x0, sigmas, steps=100, lr=0.01):
    """Minimise along a sequence of smoothed landscapes, each start being the previous end.

    Parameters
    ----------
    grad : callable
        ``(x, sigma) -> gradient of the sigma-smoothed loss`` (vectorised over x).
    x0 : array_like
        Starts (any shape: many runs at once).
    sigmas : sequence of float
        The schedule, wide to narrow (end at 0 for the true landscape).

    Returns
    -------
    ndarray
        Final points, shape of ``x0``.
    """
    x = np.array(x0, dtype=float)
    for s in sigmas:
        for _ in range(steps):
            x = x - lr * grad(x, s)
    return x
