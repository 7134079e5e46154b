"""Chapter 05, the saddle zoo: every number the chapter states, its helpers and its widget callbacks."""
import matplotlib.pyplot as plt
import numpy as np
import pytest
import sympy as sp

from landscape import dead_relu, nets, optim, zoo
from landscape.figures import zoo_saddles
from landscape.saddle_escape import (coupling_slowdown, escape_steps, fit_log_law, fit_power_law,
                                     flat_escape_time, gd_path, strict_escape_steps)


# --- new zoo animals -----------------------------------------------------------------
def test_steep_saddle_hessian_and_index():
    L = zoo.steep_saddle(3, 4)
    assert L.n == 4
    np.testing.assert_allclose(L.hess(np.zeros(4)), np.diag([1, -4, -4, -4]))
    assert np.allclose(L.grad([0, 1, -1, 1]), 0)          # a minimum at y_i = +-1


def test_curved_saddle_hessians():
    C = zoo.curved_saddle(1, 10)
    np.testing.assert_allclose(C.hess([0, 0]), [[10, 0], [0, -1]])
    pts = C.critical_points(((-2, 2), (-2, 2)))
    assert [p.kind for p in pts] == ["minimum", "minimum", "saddle"]
    np.testing.assert_allclose(pts[0].eigenvalues, [26 - np.sqrt(656), 26 + np.sqrt(656)], rtol=1e-9)
    assert abs(pts[0].eigenvalues[1] - 51.61) < 0.01


@pytest.mark.parametrize("call, match", [
    (lambda: zoo.steep_saddle(0), "negative"),
    (lambda: zoo.steep_saddle(2, -1), "curvature"),
    (lambda: zoo.curved_saddle(1, 0), "wall"),
])
def test_new_landscapes_reject_bad_parameters(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# --- steep saddles -----------------------------------------------------------------
def test_steep_saddle_escape_numbers():
    rng = np.random.default_rng(0)
    steps = {}
    for k, c in ((1, 1), (1, 4), (3, 4)):
        u = rng.normal(size=(1000, 1 + k))
        u *= 1e-3 / np.linalg.norm(u, axis=1, keepdims=True)
        steps[k, c] = escape_steps(zoo.steep_saddle(k, c), u, lr=0.1, radius=0.5, along=list(range(1, k + 1)))
    assert [np.median(steps[key]) for key in ((1, 1), (1, 4), (3, 4))] == [71, 20, 19]
    assert abs(np.median(steps[1, 1]) / np.median(steps[1, 4]) - np.log(1.4) / np.log(1.1)) < 0.05
    assert steps[1, 4].max() == 39 and steps[3, 4].max() == 27


# --- flat saddle ---------------------------------------------------------------------
def test_flat_saddle_origin_only_critical_point_and_degenerate_hessian():
    F = zoo.flat_saddle(1)
    crit = F.critical_points(((-2, 2), (-2, 2)))
    assert len(crit) == 1 and np.allclose(crit[0].x, 0)
    np.testing.assert_allclose(F.hess([0, 0]), [[1, 0], [0, 0]])


def test_blow_up_time_from_sympy():
    y0, Y = sp.symbols("y_0 Y", positive=True)
    t_reach = sp.integrate(1 / (4 * Y**3), (Y, y0, sp.oo))
    assert sp.simplify(t_reach - 1 / (8 * y0**2)) == 0
    assert flat_escape_time(0.01) == pytest.approx(1250)


def test_escape_laws_fitted():
    lr = 0.5
    y0f = np.logspace(-2.5, -0.5, 9)
    sf = escape_steps(zoo.flat_saddle(1), np.c_[0 * y0f, y0f], lr=lr, radius=0.5)
    y0s = np.logspace(-12, -1, 12)
    ss = escape_steps(zoo.strict_saddle(), np.c_[0 * y0s, y0s], lr=lr, radius=0.5)
    p, _ = fit_power_law(y0f, sf)
    a, _, r2 = fit_log_law(y0s, ss)
    assert abs(p + 2) < 0.05 and round(p, 2) == -1.96
    assert abs(a - 1 / np.log(1.5)) < 0.05 and r2 > 0.999
    assert sf[0] == 25007
    assert abs(lr * sf[0] / flat_escape_time(y0f[0], 0.5) - 1) < 0.002
    # the linearised strict-saddle estimate is within a step or two
    assert np.all(np.abs(ss - strict_escape_steps(y0s, lr, 0.5)) < 2)


def test_coupling_slows_escape_as_predicted():
    alphas = [0, 0.5, 1]
    steps = np.array([escape_steps(zoo.flat_saddle(a), [[1.0, 0.05]], lr=0.1, max_steps=50_000)[0] for a in alphas])
    assert steps.tolist() == [499, 1465, 4619]
    slowdown = steps / steps[0]
    np.testing.assert_allclose(slowdown, coupling_slowdown(alphas, 1.0, 0.1), rtol=0.02)
    assert abs(slowdown[2] - 9.26) < 0.01
    # the gradient-flow limit of the GD prediction is exp(2 alpha x0^2)
    assert coupling_slowdown(1.0, 1.0, 1e-3, steps=100_000) == pytest.approx(np.exp(2), rel=3e-3)


def test_escape_steps_batches_and_reports_non_escape():
    S = zoo.strict_saddle()
    one = [escape_steps(S, [[0, y]], lr=0.5)[0] for y in (1e-3, 1e-6)]
    both = escape_steps(S, [[0, 1e-3], [0, 1e-6]], lr=0.5)
    assert both.tolist() == one
    assert escape_steps(S, [[0, 0.0]], lr=0.5, max_steps=50)[0] == np.inf   # on the stable manifold
    assert escape_steps(S, [[0, 0.7]], lr=0.5)[0] == 0


@pytest.mark.parametrize("kwargs, match", [
    (dict(lr=0), "lr"), (dict(radius=-1), "radius"), (dict(max_steps=0), "max_steps"), (dict(along=5), "along"),
])
def test_escape_steps_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        escape_steps(zoo.strict_saddle(), [[0, 0.1]], **kwargs)


def test_escape_helpers_reject_bad_input():
    with pytest.raises(ValueError, match="starts"):
        escape_steps(zoo.strict_saddle(), [[0, 0.1, 0]])
    with pytest.raises(TypeError, match="Landscape"):
        escape_steps(object(), [[0, 0.1]])
    with pytest.raises(ValueError, match="y0"):
        fit_power_law([0.1, -1], [3, 4])
    with pytest.raises(ValueError, match="same length"):
        fit_log_law([0.1, 0.01], [3, 4, 5])
    with pytest.raises(ValueError, match="lr"):
        coupling_slowdown(1, lr=1.5)
    with pytest.raises(ValueError, match="flips"):
        coupling_slowdown(10, x0=1, lr=0.1)


def test_gd_path_stops_at_escape():
    path, escaped = gd_path(zoo.flat_saddle(1), [1.0, 0.05], lr=0.1)
    assert escaped and len(path) - 1 == 4619 and abs(path[-1, 1]) >= 0.5 and np.all(np.isfinite(path))
    path, escaped = gd_path(zoo.flat_saddle(1), [1.0, 0.05], lr=0.1, max_steps=100)
    assert not escaped and len(path) == 101


# --- curved escape ---------------------------------------------------------------------
def test_curved_escape_numbers():
    C = zoo.curved_saddle(1, 10)
    gd = np.asarray(optim.run("gd", C, [0, 0.01], steps=600, lr=0.01))
    m9 = np.asarray(optim.run("momentum", C, [0, 0.01], steps=600, lr=0.01, beta=0.9))
    m97 = np.asarray(optim.run("momentum", C, [0, 0.01], steps=600, lr=0.01, beta=0.97))
    gap = lambda tr: C.f(tr) + 0.25   # noqa: E731
    assert not (gap(gd) < 1e-3).any() and abs(gap(gd)[-1] - 0.063) < 0.002
    assert int(np.argmax(gap(m9) < 1e-3)) == 123
    assert abs(m97[:, 1].max() - 1.19) < 0.01


# --- dead ReLUs ----------------------------------------------------------------------------
def test_dead_unit_has_zero_gradient_and_stays_dead():
    X, y = dead_relu.demo_data()
    net = nets.MLP((2, 16, 1), activation="relu")
    theta = net.init(seed=1)
    assert dead_relu.dead_fraction(net, theta, X) == 0.0
    layers = net.unflatten(theta)
    layers[0][1][0] = -10.0
    theta = net.flatten(layers)
    assert np.flatnonzero(dead_relu.dead_units(net, theta, X)[0]).tolist() == [0]
    g = net.unflatten(net.bind(X, y).grad(theta))
    assert np.all(g[0][0][0] == 0) and g[0][1][0] == 0 and g[1][0][0, 0] == 0
    end = net.unflatten(optim.run("gd", net.bind(X, y), theta, steps=200, lr=0.1)[-1])
    assert np.all(end[0][0][0] == layers[0][0][0]) and end[0][1][0] == -10.0
    # a Leaky ReLU unit is never dead
    leaky = nets.MLP((2, 16, 1), activation="leaky_relu")
    assert dead_relu.dead_fraction(leaky, theta, X) == 0.0


def test_batched_training_matches_mlp_backprop():
    X, y = dead_relu.demo_data()
    p = dead_relu.init_many(3, 2, 16, seed=4, bias=-0.5)
    for slope in (0.0, 0.1):
        q, losses = dead_relu.train_many(p, X, y, lr=0.05, steps=1, slope=slope)
        for r in range(3):
            net, theta = dead_relu.as_mlp(p, r, slope=slope)
            loss, grad = net.loss_grad(theta, X, y)
            assert losses[0, r] == pytest.approx(loss, rel=1e-12)
            np.testing.assert_allclose(dead_relu.as_mlp(q, r, slope=slope)[1], theta - 0.05 * grad, atol=1e-12)
    np.testing.assert_allclose(dead_relu.dead_fraction_many(p, X),
                               [dead_relu.dead_fraction(*dead_relu.as_mlp(p, r), X) for r in range(3)])


def test_dead_fractions_vs_bias_and_lr():
    X, y = dead_relu.demo_data()
    biases = np.linspace(0, -4, 9)
    p = dead_relu.init_many(len(biases) * 20, 2, 16, seed=0, bias=np.repeat(biases, 20))
    fb = dead_relu.dead_fraction_many(p, X).reshape(-1, 20).mean(axis=1)
    assert fb[0] == 0 and abs(fb[4] - 0.328) < 0.005
    lrs = np.array([0.05, 0.1, 0.2, 0.3, 0.4, 0.5])
    p0 = dead_relu.init_many(len(lrs) * 8, 2, 16, seed=1, bias=0.0)
    p1, _ = dead_relu.train_many(p0, X, y, np.repeat(lrs, 8), steps=100)
    fl = dead_relu.dead_fraction_many(p1, X).reshape(-1, 8).mean(axis=1)
    assert fl[:3].tolist() == [0, 0, 0] and abs(fl[-1] - 0.719) < 0.005


def test_plateau_and_its_cures():
    res = dead_relu.training_curves(bias=-3.0, lr=0.1, steps=300)
    assert abs(res["ReLU, bias -3"]["dead_before"] - 0.656) < 0.005
    assert abs(res["ReLU, bias -3"]["loss"][-1] - 0.041) < 0.002
    assert abs(res["Leaky ReLU (0.1), bias -3"]["loss"][-1] - 0.0091) < 0.0005
    assert abs(res["ReLU, bias 0 (He init)"]["loss"][-1] - 0.0032) < 0.0003
    res["ReLU, bias -3"]["loss"][:] = 0                       # a copy: the cache is not touched
    assert dead_relu.training_curves(bias=-3.0)["ReLU, bias -3"]["loss"][-1] > 0.03


def test_dead_relu_helpers_reject_bad_input():
    X, y = dead_relu.demo_data()
    with pytest.raises(TypeError, match="MLP"):
        dead_relu.dead_units("net", np.zeros(3), X)
    with pytest.raises(ValueError, match="scheme"):
        dead_relu.init_many(2, 2, 4, scheme="xavier")
    with pytest.raises(ValueError, match="runs"):
        dead_relu.init_many(0, 2, 4)
    p = dead_relu.init_many(2, 2, 4)
    with pytest.raises(ValueError, match="lr"):
        dead_relu.train_many(p, X, y, lr=-1, steps=1)
    with pytest.raises(ValueError, match="X must be"):
        dead_relu.train_many(p, X[:, :1], y, lr=0.1, steps=1)
    with pytest.raises(ValueError, match="lr"):
        dead_relu.training_curves(lr=0)


# --- widget callbacks at defaults and extremes ------------------------------------------------
CALLBACKS = [
    (zoo_saddles.flat_saddle_escape, dict(alpha=(0.0, 1.5), y0=(0.02, 0.2))),
    (zoo_saddles.curved_escape, dict(bend=(0.0, 2.0), beta=(0.0, 0.97))),
    (zoo_saddles.dead_relu_training, dict(bias=(-4.0, 1.0), lr=(0.01, 0.9))),
]
CASES = [(fn, {}) for fn, _ in CALLBACKS] + [
    (fn, {name: v for name, v in zip(ranges, combo)})
    for fn, ranges in CALLBACKS
    for combo in [(r[0] for r in ranges.values()), (r[1] for r in ranges.values()),
                  (lo_hi for lo_hi in (list(ranges.values())[0][0], list(ranges.values())[1][1])),
                  (lo_hi for lo_hi in (list(ranges.values())[0][1], list(ranges.values())[1][0]))]
]


@pytest.mark.parametrize("fn, kwargs", CASES,
                         ids=[f"{fn.__name__}-{kw}" for fn, kw in CASES])
def test_callbacks_at_defaults_and_extremes(fn, kwargs, no_warnings):
    fig = fn(**kwargs)
    for ax in fig.axes:
        if ax.get_label() == "<colorbar>":
            continue
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    plt.close(fig)


def test_widget_defaults_match_the_text():
    import inspect
    d = {k: p.default for k, p in inspect.signature(zoo_saddles.flat_saddle_escape).parameters.items()}
    assert (d["alpha"], d["y0"], d["x0"], d["lr"]) == (1.0, 0.05, 1.0, 0.1)
    d = {k: p.default for k, p in inspect.signature(zoo_saddles.curved_escape).parameters.items()}
    assert (d["bend"], d["beta"], d["lr"]) == (1.0, 0.9, 0.01)
    d = {k: p.default for k, p in inspect.signature(zoo_saddles.dead_relu_training).parameters.items()}
    assert (d["bias"], d["lr"]) == (-3.0, 0.1)


def test_flat_escape_callback_reports_the_measured_escape():
    fig = zoo_saddles.flat_saddle_escape()
    assert "4619" in fig.axes[-1].get_title() or any("4619" in ax.get_title() for ax in fig.axes)
    fig = zoo_saddles.flat_saddle_escape(alpha=1.5, y0=0.02)
    assert any("still on the plateau" in ax.get_title() for ax in fig.axes)


# --- teacher-student plateaus ------------------------------------------------------------------
def test_symmetric_plateau_lengths_grow_like_log_inverse_asymmetry(no_warnings):
    from landscape.committee import committee_data, plateau_length, symmetric_starts, train_committee
    X, y = committee_data(n=400, d=8)
    deltas = np.array([1e-2, 1e-4, 1e-6, 1e-8])
    losses, overlap = train_committee(symmetric_starts(deltas), X, y, lr=0.5, steps=600)
    p = plateau_length(losses, level=1e-3)
    assert p.tolist() == [135, 209, 283, 357]
    a, _, r2 = fit_log_law(deltas, p)
    assert abs(a - 16.07) < 0.01 and r2 > 0.999
    assert abs(losses[200, 3] - 0.0174) < 0.0005
    assert overlap[100, 1:].min() > 0.999 and overlap[-1].max() < 0.01
    fig = zoo_saddles.committee_plateaus(deltas, losses, overlap)
    assert all(ax.get_title() and ax.get_xlabel() and ax.get_ylabel() for ax in fig.axes)


def test_committee_gradient_matches_finite_differences():
    from landscape.committee import committee_data, train_committee
    X, y = committee_data(n=50, d=3)
    W = np.random.default_rng(2).normal(size=(1, 2, 3))
    loss = lambda V: train_committee(V, X, y, lr=1.0, steps=0)[0][0, 0]   # noqa: E731
    step = train_committee(W, X, y, lr=1e-6, steps=1)[0]                   # loss before and after
    num = np.zeros_like(W)
    for idx in np.ndindex(W.shape):
        E = np.zeros_like(W)
        E[idx] = 1e-6
        num[idx] = (loss(W + E) - loss(W - E)) / 2e-6
    # a step of lr along -grad lowers the loss by lr |grad|^2 to first order
    assert (step[0, 0] - step[1, 0]) / 1e-6 == pytest.approx(np.sum(num**2), rel=1e-4)


def test_committee_helpers_reject_bad_input():
    from landscape.committee import committee_data, symmetric_starts, train_committee
    with pytest.raises(ValueError, match="units"):
        committee_data(d=2, units=3)
    with pytest.raises(ValueError, match="deltas"):
        symmetric_starts([-1.0])
    X, y = committee_data(n=10, d=8)
    with pytest.raises(ValueError, match="need W"):
        train_committee(np.zeros((1, 1, 8)), X, y)


def test_diverged_training_runs_are_counted_and_labelled(no_warnings):
    res = dead_relu.training_curves(bias=1.0, lr=0.9)
    assert all(r["diverged"] > 0 for r in res.values())
    assert dead_relu.training_curves()["ReLU, bias -3"]["diverged"] == 0
    fig = zoo_saddles.dead_relu_training(bias=1.0, lr=0.9)
    assert any("runs diverged" in t.get_text() for t in fig.axes[0].get_legend().get_texts())
