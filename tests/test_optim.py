"""Optimizers: one step checked by hand, the saddle behaviours the book teaches, Goh's rate."""
import warnings

import numpy as np
import pytest
import sympy as sp

from landscape import Landscape, optim, zoo

x, y = sp.symbols("x y")
Q = Landscape(5 * x**2 - y**2, (x, y), name="5x^2 - y^2")   # gradient (10x, -2y), H = diag(10, -2)


def test_first_steps_by_hand():
    x0 = np.array([1.0, 1e-3])
    g = np.array([10.0, -2e-3])
    np.testing.assert_allclose(optim.run("gd", Q, x0, 1, lr=0.05)[1], x0 - 0.05 * g)
    np.testing.assert_allclose(optim.run("momentum", Q, x0, 1, lr=0.05, beta=0.9)[1], x0 - 0.05 * g)
    t = optim.run("momentum", Q, x0, 2, lr=0.05, beta=0.9)
    x1 = x0 - 0.05 * g
    z2 = 0.9 * g + np.array([10 * x1[0], -2 * x1[1]])
    np.testing.assert_allclose(t[2], x1 - 0.05 * z2)
    # Adam's first step has size lr in every coordinate (bias correction makes m_hat/sqrt(v_hat) = sign g)
    np.testing.assert_allclose(optim.run("adam", Q, x0, 1, lr=0.01)[1], x0 - 0.01 * np.sign(g), rtol=1e-5)
    # RMSProp's first step: s = (1 - rho) g^2
    np.testing.assert_allclose(optim.run("rmsprop", Q, x0, 1, lr=0.01, rho=0.9)[1],
                               x0 - 0.01 * g / (np.sqrt(0.1 * g**2) + 1e-8))
    # Nesterov's first step equals GD's (z starts at 0)
    np.testing.assert_allclose(optim.run("nesterov", Q, x0, 1, lr=0.05)[1], x0 - 0.05 * g)


def test_newton_lands_on_the_saddle_in_one_step():
    t = optim.run("newton", Q, [1.0, 1e-3], steps=1)
    np.testing.assert_allclose(t[1], [0.0, 0.0], atol=1e-15)


def test_saddle_free_newton_moves_away_from_the_saddle():
    t = optim.run("saddle_free_newton", Q, [1.0, 1e-3], steps=5)
    assert abs(t[1, 1]) > 1e-3 and np.all(np.diff(np.abs(t[:, 1])) > 0)   # y grows every step
    assert np.all(np.diff(Q.f(t)) < 0)                                       # and the loss falls
    np.testing.assert_allclose(t[1], [0.0, 2e-3], atol=1e-6)   # damping 1e-6 leaves a 1e-7 residue


def test_gauss_newton_sees_no_curvature_at_the_deep_linear_saddle():
    L = zoo.deep_linear(2)
    J = L.jacobian([0.0, 0.0])
    np.testing.assert_array_equal(J.T @ J, np.zeros((2, 2)))
    assert np.linalg.eigvalsh(L.hess([0.0, 0.0])).min() == pytest.approx(-1.0)
    t = optim.run("gauss_newton", L, [0.0, 0.0], steps=10)
    np.testing.assert_array_equal(t, 0.0)   # stalls at the saddle
    t = optim.run("saddle_free_newton", L, [1e-3, 2e-3], steps=50, lr=0.5)
    assert L.f(t[-1]) < 1e-6               # while saddle-free Newton escapes to a global minimum


@pytest.mark.parametrize("kappa", [10.0, 100.0])
def test_heavy_ball_with_goh_optimal_parameters_converges_at_the_predicted_rate(kappa):
    L = zoo.quadratic((1.0, kappa))
    lr, beta, rate = optim.goh_optimal(1.0, kappa)
    assert rate == pytest.approx((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1))
    t = optim.run("momentum", L, [1.0, 1.0], steps=400, lr=lr, beta=beta)
    err = np.linalg.norm(t, axis=1)
    k = np.arange(100, 300)
    measured = np.exp(np.polyfit(k, np.log(err[k]), 1)[0])
    assert measured == pytest.approx(rate, rel=0.02)
    # and plain GD at its best step is slower: (kappa - 1) / (kappa + 1)
    t_gd = optim.run("gd", L, [1.0, 1.0], steps=300, lr=2 / (1 + kappa))
    assert np.linalg.norm(t_gd[-1]) > err[300]


def test_perturbed_gd_escapes_an_exact_saddle_where_gd_stays():
    L = zoo.strict_saddle()
    assert np.array_equal(optim.run("gd", L, [0.0, 0.0], steps=200, lr=0.1)[-1], [0.0, 0.0])
    t = optim.run("perturbed_gd", L, [0.0, 0.0], steps=200, lr=0.1, radius=0.01, seed=3)
    assert abs(abs(t[-1, 1]) - 1.0) < 0.02   # near a minimum (0, +-1); kicks of radius 0.01 go on there


def test_divergence_stops_and_says_so_once():
    L = zoo.quadratic((1.0, 10.0))
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        t = optim.run("gd", L, [1.0, 1.0], steps=500, lr=0.3)   # lr > 2/10
    assert t.shape == (501, 2) and t.diverged and 1 < t.diverged_at < 500
    assert np.isnan(t[t.diverged_at:]).all() and np.isfinite(t[:t.diverged_at]).all()
    assert len(rec) == 1 and issubclass(rec[0].category, optim.DivergenceWarning)
    assert "diverged at step" in str(rec[0].message)
    ok = optim.run("gd", L, [1.0, 1.0], steps=500, lr=0.19)
    assert not ok.diverged and np.linalg.norm(ok[-1]) < 1e-6


@pytest.mark.parametrize("kwargs, err, words", [
    (dict(name="adamw"), ValueError, "unknown optimizer"),
    (dict(learning_rate=0.1), TypeError, "no hyperparameter"),
    (dict(lr=-1.0), ValueError, "lr must be positive"),
    (dict(lr=float("nan")), ValueError, "finite"),
    (dict(x0=[1.0, 2.0, 3.0]), ValueError, "length-2"),
    (dict(steps=-1), ValueError, "steps"),
])
def test_bad_arguments_are_named(kwargs, err, words):
    args = dict(name="gd", L=Q, x0=[1.0, 1.0], steps=3)
    args.update(kwargs)
    with pytest.raises(err) as info:
        optim.run(args.pop("name"), args.pop("L"), args.pop("x0"), args.pop("steps"), **args)
    assert words in str(info.value)


def test_defaults_are_listed():
    assert optim.defaults("adam") == dict(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8)
    assert set(optim.OPTIMIZERS) >= {"gd", "momentum", "nesterov", "newton", "saddle_free_newton",
                                     "gauss_newton", "rmsprop", "adam", "perturbed_gd"}
