"""A zoo of landscapes used throughout the book, each a `Landscape`.

Every function returns a fresh `Landscape` in the symbols ``x, y`` (or ``w1 ... wk``).
"""
import functools

import sympy as sp

from .core import Landscape

x, y = sp.symbols("x y", real=True)
half = sp.Rational(1, 2)


def _number(value, name):
    try:
        return sp.nsimplify(value) if isinstance(value, (int, float)) else sp.sympify(value)
    except (TypeError, sp.SympifyError) as exc:
        raise TypeError(f"{name} must be a number, got {value!r}") from exc


def quadratic(eigenvalues=(1.0, 10.0)):
    """``0.5 * sum(lam_i * x_i**2)``: the model of every smooth minimum, maximum or saddle.

    Parameters
    ----------
    eigenvalues : sequence of 2 numbers
        Curvatures along ``x`` and ``y`` (their signs make a bowl, dome or saddle).
    """
    if len(eigenvalues) != 2:
        raise ValueError(f"quadratic takes two eigenvalues (a 2-D landscape); got {len(eigenvalues)}")
    a, b = (_number(v, "eigenvalue") for v in eigenvalues)
    return Landscape(half * (a * x**2 + b * y**2), (x, y), name=f"quadratic({a}, {b})")


def bowl(a=1, b=1):
    """Minimum at the origin: ``0.5 * (a x^2 + b y^2)`` with ``a, b > 0``."""
    return quadratic((a, b))


def saddle(a=1, b=1):
    """Horse saddle at the origin: ``0.5 * (a x^2 - b y^2)``."""
    L = quadratic((a, -_number(b, "b")))
    L.name = f"saddle({a}, {b})"
    return L


def monkey_saddle():
    """``x^3 - 3 x y^2``: three valleys, three ridges; the Hessian at 0 is zero (degenerate)."""
    return Landscape(x**3 - 3 * x * y**2, (x, y), name="monkey saddle")


def himmelblau():
    """Himmelblau's function: 4 minima (value 0), 1 maximum, 4 saddles."""
    return Landscape((x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2, (x, y), name="Himmelblau",
                     residuals=[sp.sqrt(2) * (x**2 + y - 11), sp.sqrt(2) * (x + y**2 - 7)])


def rosenbrock(a=1, b=100):
    """Rosenbrock's banana valley ``(a - x)^2 + b (y - x^2)^2``; minimum at ``(a, a^2)``."""
    a, b = _number(a, "a"), _number(b, "b")
    return Landscape((a - x) ** 2 + b * (y - x**2) ** 2, (x, y), name="Rosenbrock",
                     residuals=[sp.sqrt(2) * (a - x), sp.sqrt(2 * b) * (y - x**2)])


# Müller & Brown (1979), Theor. Chim. Acta 53, 75: the standard parameters.
MULLER_BROWN = dict(
    A=(-200, -100, -170, 15),
    a=(-1, -1, -6.5, 0.7),
    b=(0, 0, 11, 0.6),
    c=(-10, -10, -6.5, 0.7),
    x0=(1, 0, -0.5, -1),
    y0=(0, 0.5, 1.5, 1),
)


@functools.lru_cache(maxsize=None)
def _muller_brown_expr():
    p = {k: [sp.nsimplify(v) for v in vals] for k, vals in MULLER_BROWN.items()}
    return sum(
        p["A"][k] * sp.exp(p["a"][k] * (x - p["x0"][k]) ** 2 + p["b"][k] * (x - p["x0"][k]) * (y - p["y0"][k])
                           + p["c"][k] * (y - p["y0"][k]) ** 2)
        for k in range(4)
    )


def muller_brown():
    """The Müller-Brown potential energy surface: 3 minima, 2 transition states (index-1 saddles).

    Standard box: ``[-1.5, 1.2] x [-0.5, 2]``.
    """
    return Landscape(_muller_brown_expr(), (x, y), name="Müller-Brown")


MULLER_BROWN_BOUNDS = ((-1.5, 1.2), (-0.5, 2.0))


def strict_saddle():
    """``x^2/2 + y^4/4 - y^2/2``: a strict saddle at 0 (eigenvalues 1, -1), minima at ``(0, +-1)``."""
    return Landscape(half * x**2 + y**4 / 4 - half * y**2, (x, y), name="strict saddle")


def flat_saddle(alpha=1):
    """``x^2/2 + alpha x^2 y^2 - y^4``: Hessian at 0 is diag(1, 0); only ``-y^4`` makes it escapable."""
    a = _number(alpha, "alpha")
    return Landscape(half * x**2 + a * x**2 * y**2 - y**4, (x, y), name=f"flat saddle (alpha={alpha})")


def deep_linear(depth=2):
    """Scalar deep linear network ``0.5 * (1 - w_k ... w_1)^2`` in ``w1 ... wk``.

    Global minima on ``w_k ... w_1 = 1``; the origin is a strict saddle for depth 2 and a
    degenerate saddle (no negative eigenvalue) for depth >= 3.
    """
    if not isinstance(depth, int) or depth < 1:
        raise ValueError(f"depth must be a positive integer, got {depth!r}")
    w = sp.symbols(f"w1:{depth + 1}", real=True)
    r = 1 - sp.Mul(*w)
    return Landscape(half * r**2, w, name=f"deep linear (depth {depth})", residuals=[r])


ALL = {
    "bowl": bowl,
    "saddle": saddle,
    "monkey_saddle": monkey_saddle,
    "himmelblau": himmelblau,
    "rosenbrock": rosenbrock,
    "muller_brown": muller_brown,
    "strict_saddle": strict_saddle,
    "flat_saddle": flat_saddle,
    "deep_linear": deep_linear,
}


def steep_saddle(negative=2, curvature=4):
    """A saddle with several strongly negative directions, in ``x, y1 ... yk``.

    ``x^2/2 + sum_i curvature * (y_i^4/4 - y_i^2/2)``: at the origin the Hessian is
    ``diag(1, -curvature, ..., -curvature)`` (index ``negative``); minima at ``y_i = +-1``.

    Parameters
    ----------
    negative : int
        Number of negative directions ``k`` (the saddle's index), at least 1.
    curvature : number
        Their curvature magnitude (> 0): larger is steeper.
    """
    if not isinstance(negative, int) or isinstance(negative, bool) or negative < 1:
        raise ValueError(f"negative must be a positive integer (the number of negative directions), got {negative!r}")
    c = _number(curvature, "curvature")
    if not c.is_positive:
        raise ValueError(f"curvature must be positive, got {curvature!r}")
    ys = sp.symbols(f"y1:{negative + 1}", real=True)
    expr = half * x**2 + sum(c * (yi**4 / 4 - half * yi**2) for yi in ys)
    return Landscape(expr, (x, *ys), name=f"steep saddle (index {negative}, curvature {curvature})")


def curved_saddle(bend=1, wall=10):
    """A strict saddle whose escape valley bends along the parabola ``x = bend * y^2``.

    ``wall/2 (x - bend y^2)^2 + y^4/4 - y^2/2``: Hessian ``diag(wall, -1)`` at the origin, minima
    at ``(bend, +-1)``; the valley floor ``x = bend y^2`` curves away from the straight escape line.

    Parameters
    ----------
    bend : number
        Curvature of the valley floor (0: a straight valley).
    wall : number
        Steepness of the valley walls (> 0).
    """
    b, w = _number(bend, "bend"), _number(wall, "wall")
    if not w.is_positive:
        raise ValueError(f"wall must be positive, got {wall!r}")
    expr = w / 2 * (x - b * y**2) ** 2 + y**4 / 4 - half * y**2
    return Landscape(expr, (x, y), name=f"curved saddle (bend={bend}, wall={wall})")


ALL.update(steep_saddle=steep_saddle, curved_saddle=curved_saddle)
