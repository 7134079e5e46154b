"""Chapter 01 (the local map): every number its prose states, the Taylor-error slopes, the widgets."""
import numpy as np
import pytest
import sympy as sp

from landscape import optim, taylor_error, zoo
from landscape.figures import taylor as figs


@pytest.fixture(scope="module")
def network():
    net, obj, w = taylor_error.regression_net(steps=30)
    return net, obj, w


@pytest.fixture(scope="module")
def errors(network):
    _, obj, w = network
    return taylor_error.model_errors(obj, w, -obj.grad(w), np.logspace(-3, -1, 13))


# --- sections 1-2: gradient and Hessian of Himmelblau at (1, 1) -------------------------------

def test_gradient_and_steepest_slope_at_1_1():
    L = zoo.himmelblau()
    g = L.grad([1, 1])
    np.testing.assert_allclose(g, [-46, -38])
    assert np.linalg.norm(g) == pytest.approx(59.67, abs=0.01)
    phi = np.linspace(0, 2 * np.pi, 3601)
    assert (np.cos(phi) * g[0] + np.sin(phi) * g[1]).max() == pytest.approx(59.67, abs=0.01)


def test_hessian_eigenvalues_exact_and_rayleigh_range():
    L = zoo.himmelblau()
    H = sp.hessian(L.expr, L.symbols).subs(dict(zip(L.symbols, (1, 1))))
    assert H == sp.Matrix([[-26, 8], [8, -10]])
    assert set(H.eigenvals()) == {-18 - 8 * sp.sqrt(2), -18 + 8 * sp.sqrt(2)}
    lam = np.linalg.eigvalsh(L.hess([1, 1]))
    np.testing.assert_allclose(lam, [-29.31, -6.69], atol=0.01)
    phi = np.linspace(0, 2 * np.pi, 3601)
    U = np.stack([np.cos(phi), np.sin(phi)], 1)
    R = np.einsum("ki,ij,kj->k", U, L.hess([1, 1]), U)
    np.testing.assert_allclose([R.min(), R.max()], lam, atol=1e-4)


def test_taylor_coefficients_match_gradient_and_hessian():
    L = zoo.himmelblau()
    (x, y), t, p1, p2 = L.symbols, *sp.symbols("t p1 p2")
    a, b = sp.Rational(3, 7), sp.Rational(-5, 4)   # a generic point
    ell = sp.expand(L.expr.subs({x: a + t * p1, y: b + t * p2}, simultaneous=True))
    g = [sp.diff(L.expr, s).subs({x: a, y: b}) for s in (x, y)]
    H = sp.hessian(L.expr, (x, y)).subs({x: a, y: b})
    p = sp.Matrix([p1, p2])
    assert sp.expand(ell.coeff(t, 1) - (g[0] * p1 + g[1] * p2)) == 0
    assert sp.expand(ell.coeff(t, 2) - (p.T * H * p)[0] / 2) == 0
    assert sp.degree(ell, t) == 4 and ell.coeff(t, 3) != 0


def test_trusted_fractions_quoted_in_the_text():
    L = zoo.himmelblau()
    assert taylor_error.trusted_fraction(L, (1, 1), 1.0) == pytest.approx(0.90, abs=0.01)
    assert taylor_error.trusted_fraction(L, (1, 1), 0.25) == pytest.approx(0.998, abs=0.001)
    # the quadratic model is exact for a quadratic: it holds everywhere (except the centre itself)
    assert taylor_error.trusted_fraction(zoo.quadratic((1, 10)), (1, 1), 2.0) > 0.999


# --- section 4: the measured slopes -----------------------------------------------------------

def test_network_size(network):
    assert network[1].n == 33 and len(network[1].X) == 200


def test_error_slopes_are_2_and_3(errors):
    t = errors["t"]
    assert taylor_error.fit_slope(t, errors["err_linear"]) == pytest.approx(2.0, abs=0.05)
    assert taylor_error.fit_slope(t, errors["err_quadratic"]) == pytest.approx(3.0, abs=0.05)


def test_relative_errors_at_largest_step(errors):
    change = abs(errors["change"][-1])
    assert errors["err_quadratic"][-1] / change < 0.02
    assert errors["err_linear"][-1] / change > 8.0


def test_fit_slope_recovers_known_powers():
    t = np.logspace(-3, 0, 10)
    assert taylor_error.fit_slope(t, 5 * t**3) == pytest.approx(3.0)
    assert taylor_error.fit_slope(t, 0.1 * t**2) == pytest.approx(2.0)


def test_model_errors_on_a_quadratic_are_exact_for_the_quadratic_model():
    L = zoo.quadratic((1, 10))
    r = taylor_error.model_errors(L, [0.3, -0.2], [1.0, 2.0], np.logspace(-2, 0, 5))
    assert np.max(r["err_quadratic"]) < 1e-7
    assert taylor_error.fit_slope(r["t"], r["err_linear"]) == pytest.approx(2.0, abs=1e-6)


def test_network_hessian_and_rayleigh_quotients(network):
    _, obj, w = network
    H = obj.hessian(w)
    np.testing.assert_allclose(H, H.T)
    lam, Q = np.linalg.eigh(H)
    U = np.random.default_rng(0).normal(size=(2000, obj.n))
    U /= np.linalg.norm(U, axis=1, keepdims=True)
    R = np.einsum("ki,ij,kj->k", U, H, U)
    assert np.all((R >= lam[0]) & (R <= lam[-1]))
    assert taylor_error.curvature_along(obj, w, Q[:, -1]) == pytest.approx(lam[-1], rel=1e-4)
    assert R.mean() == pytest.approx(np.trace(H) / obj.n, rel=0.02)
    assert R.max() < 0.5 * lam[-1]


def test_bad_inputs_are_named():
    L = zoo.quadratic((1, 10))
    with pytest.raises(ValueError, match="zero vector"):
        taylor_error.model_errors(L, [0, 0], [0, 0], [0.1, 0.2])
    with pytest.raises(ValueError, match="positive step"):
        taylor_error.model_errors(L, [0, 0], [1, 0], [0.1, -0.2])
    with pytest.raises(ValueError, match="positive"):
        taylor_error.fit_slope([0.1, 0.2], [0.0, 1.0])
    with pytest.raises(ValueError, match="2-D"):
        taylor_error.trust_mask(zoo.deep_linear(3), [0, 0, 0], 1.0)
    with pytest.raises(ValueError, match="radius"):
        taylor_error.trust_mask(L, [0, 0], -1.0)
    with pytest.raises(ValueError, match="lr"):
        figs.gd_quadratic_figure(lr=-1)


# --- section 5: GD on a quadratic ---------------------------------------------------------------

def test_gd_threshold_and_rates():
    lam = np.array([1.0, 10.0])
    assert 2 / lam.max() == pytest.approx(0.2)
    np.testing.assert_allclose(np.abs(1 - 0.15 * lam), [0.85, 0.5])
    np.testing.assert_allclose(np.abs(1 - 2 / lam.sum() * lam), [9 / 11, 9 / 11])
    L = zoo.quadratic((1, 10))
    ok = optim.run("gd", L, [-4.0, 1.0], steps=40, lr=0.15)
    assert not ok.diverged and np.linalg.norm(ok[-1]) < 1e-2
    with pytest.warns(optim.DivergenceWarning):
        bad = optim.run("gd", L, [-4.0, 1.0], steps=40, lr=0.25)
    assert bad.diverged
    # just below and just above the threshold
    below = optim.run("gd", L, [-4.0, 1.0], steps=400, lr=0.199)
    above = optim.run("gd", L, [-4.0, 1.0], steps=400, lr=0.201)
    assert abs(below[-1, 1]) < abs(below[0, 1]) < abs(above[-1, 1])


# --- widgets: defaults and every extreme, warnings as errors --------------------------------------

@pytest.mark.parametrize("kw", [dict(), dict(cx=-5.0), dict(cx=5.0), dict(cy=-5.0), dict(cy=5.0),
                                dict(radius=0.1), dict(radius=3.0), dict(cx=3.0, cy=2.0),
                                dict(cx=-5.0, cy=-5.0, radius=3.0)])
def test_quadratic_model_widget(no_warnings, kw):
    fig = figs.quadratic_model_figure(**kw)
    assert fig.axes[0].get_title().startswith("Model holds on")
    assert all(ax.get_xlabel() for ax in fig.axes[:2])


def test_quadratic_model_widget_title_quotes_the_fraction(no_warnings):
    assert figs.quadratic_model_figure().axes[0].get_title() == "Model holds on 90% of the disk of radius 1"


@pytest.mark.parametrize("lr", [0.01, 0.15, 0.25])
@pytest.mark.parametrize("lam_max", [2.0, 10.0, 20.0])
def test_gd_widget(no_warnings, lr, lam_max):
    fig = figs.gd_quadratic_figure(lr=lr, lam_max=lam_max)
    title = fig.axes[0].get_title()
    expected = "diverges" if lr > 2 / lam_max else "converges"
    assert expected in title


def test_static_figures(no_warnings, errors):
    assert "slope 2.00" in " ".join(figs.taylor_error_figure(errors).axes[0].get_legend_handles_labels()[1])
    assert len(figs.directional_figure((1.0, 1.0)).axes) == 2
    assert figs.contraction_figure(0.15).axes[0].get_title()


@pytest.mark.parametrize("lr, verdict", [(0.05, "converges smoothly"), (0.15, "converges, zig-zagging"),
                                         (0.21, "diverges")])
def test_gd_widget_verdict_matches_the_run(no_warnings, lr, verdict):
    fig = figs.gd_quadratic_figure(lr=lr, lam_max=10.0)
    assert fig.axes[0].get_title().endswith(verdict)
    losses = fig.axes[1].get_lines()[0].get_ydata()
    assert (losses[-1] > losses[0]) == (verdict == "diverges")
