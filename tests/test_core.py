"""Landscape: compiled derivatives agree with sympy's exact values; batches; Taylor models; bad input."""
import numpy as np
import pytest
import sympy as sp

from landscape import Landscape, zoo

x, y = sp.symbols("x y")


def exact(expr, syms, point):
    sub = dict(zip(syms, point))
    g = [float(sp.diff(expr, s).subs(sub)) for s in syms]
    H = [[float(sp.diff(expr, a, b).subs(sub)) for b in syms] for a in syms]
    return float(expr.subs(sub)), np.array(g), np.array(H)


@pytest.mark.parametrize("make", [zoo.himmelblau, zoo.muller_brown, zoo.monkey_saddle, zoo.rosenbrock,
                                  lambda: zoo.flat_saddle(2), zoo.strict_saddle])
def test_f_grad_hess_match_sympy(make):
    L = make()
    for p in [(0.3, -1.2), (-0.7, 0.5), (1.1, 1.4)]:
        f, g, H = exact(L.expr, L.symbols, p)
        assert L.f(p) == pytest.approx(f, rel=1e-10, abs=1e-10)
        np.testing.assert_allclose(L.grad(p), g, rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(L.hess(p), H, rtol=1e-10, atol=1e-10)


def test_batches_have_the_right_shapes():
    L = zoo.muller_brown()
    P = np.random.default_rng(0).normal(size=(4, 5, 2))
    assert L.f(P).shape == (4, 5)
    assert L.grad(P).shape == (4, 5, 2)
    assert L.hess(P).shape == (4, 5, 2, 2)
    np.testing.assert_allclose(L.f(P)[2, 3], L.f(P[2, 3]))
    np.testing.assert_allclose(L.hess(P)[1, 4], L.hess(P[1, 4]))


def test_constant_derivatives_broadcast_over_batches():
    L = zoo.bowl(1, 3)  # Hessian is constant: lambdify returns plain numbers
    assert L.hess(np.zeros((7, 2))).shape == (7, 2, 2)
    np.testing.assert_allclose(L.hess([0.2, 0.1]), np.diag([1.0, 3.0]))


def test_taylor_quadratic_is_exact_on_a_quadratic_and_second_order_elsewhere():
    Q = Landscape(3 * x**2 - 2 * x * y + y**2 + x, (x, y))
    m = Q.taylor([0.4, -0.3])
    for p in [(1.0, 2.0), (-3.0, 0.5)]:
        assert m(p) == pytest.approx(Q.f(p))
    L = zoo.himmelblau()
    x0, d = np.array([1.0, 1.0]), np.array([0.6, 0.8])
    m1, m2 = L.taylor(x0, 1), L.taylor(x0, 2)
    err1 = [abs(L.f(x0 + h * d) - m1(x0 + h * d)) for h in (1e-2, 1e-3)]
    err2 = [abs(L.f(x0 + h * d) - m2(x0 + h * d)) for h in (1e-2, 1e-3)]
    assert err1[0] / err1[1] == pytest.approx(100, rel=0.05)   # error ~ h^2
    assert err2[0] / err2[1] == pytest.approx(1000, rel=0.05)  # error ~ h^3


def test_taylor_higher_order_matches_sympy_series():
    L = zoo.muller_brown()
    m3 = L.taylor([0.1, 0.2], order=3)
    p = np.array([0.1, 0.2]) + 1e-2
    assert abs(m3(p) - L.f(p)) < abs(L.taylor([0.1, 0.2], 2)(p) - L.f(p))
    assert m3.expr.as_poly(*L.symbols).total_degree() == 3


@pytest.mark.parametrize("bad, err, words", [
    ([1.0, 2.0, 3.0], ValueError, "length-2"),
    ([[1.0, 2.0]], ValueError, "shape (1, 2)"),
    ([np.nan, 0.0], ValueError, "NaN"),
    (["a", 0.0], TypeError, "numbers"),
])
def test_bad_points_are_named(bad, err, words):
    L = zoo.himmelblau()
    with pytest.raises(err) as info:
        L.taylor(bad)
    assert words in str(info.value)
    if np.ndim(bad) == 1:  # batches are allowed for f/grad/hess, single points of the wrong length are not
        with pytest.raises(err) as info:
            L.grad(bad)
        assert "got shape (3,)" in str(info.value) or words in str(info.value)


def test_bad_construction():
    a = sp.Symbol("a")
    with pytest.raises(ValueError, match="not coordinates"):
        Landscape(a * x**2, (x,))
    with pytest.raises(TypeError, match="Symbols"):
        Landscape(x**2, ("x",))
    with pytest.raises(ValueError, match="residuals"):
        Landscape(x**2, (x,), residuals=[x])
    with pytest.raises(TypeError, match="residuals"):
        zoo.muller_brown().jacobian([0, 0])
    with pytest.raises(ValueError, match="low < high"):
        zoo.himmelblau().critical_points([(1, 0), (0, 1)])
    with pytest.raises(ValueError, match="one \\(low, high\\) pair"):
        zoo.himmelblau().critical_points([(0, 1)])
