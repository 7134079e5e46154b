"""Chapter 06 (optimizers as climbing gear): every number the chapter states, its figure callbacks
at defaults and slider extremes, and the race widget's fast update."""
import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from landscape import optim, race, zoo
from landscape.convergence import gd_rate, measured_rate, momentum_matrix, momentum_rate, steps_to_escape
from landscape.figures import optimizers as figs


# --- momentum on a quadratic ---------------------------------------------------------------
@pytest.mark.parametrize("kappa, rate", [(10, 0.519), (100, 0.818)])
def test_goh_rate_matches_formula_matrix_and_measurement(kappa, rate):
    lr, beta, r = optim.goh_optimal(1, kappa)
    assert r == pytest.approx((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1))
    assert r == pytest.approx(rate, abs=5e-4)
    assert momentum_rate(lr, beta, (1, kappa)) == pytest.approx(r, abs=1e-6)
    traj = optim.run("momentum", zoo.quadratic((1, kappa)), [1.0, 1.0], steps=300, lr=lr, beta=beta)
    assert measured_rate(traj) == pytest.approx(rate, abs=0.01)


def test_goh_optimum_for_kappa_100_and_best_gd():
    lr, beta, _ = optim.goh_optimal(1, 100)
    assert lr == pytest.approx(0.0331, abs=5e-5) and beta == pytest.approx(0.669, abs=5e-4)
    assert gd_rate(2 / 101, (1, 100)) == pytest.approx(0.980, abs=5e-4)


def test_momentum_rate_is_the_spectral_radius_of_the_iteration_matrix():
    rng = np.random.default_rng(0)
    for lr, beta, lam in zip(rng.uniform(0, 0.05, 20), rng.uniform(0, 1, 20), rng.uniform(0.5, 100, 20)):
        rho = max(abs(np.linalg.eigvals(momentum_matrix(lr, beta, lam))))
        assert momentum_rate(lr, beta, [lam]) == pytest.approx(rho, rel=1e-6, abs=1e-9)


def test_momentum_rate_rejects_bad_eigenvalues():
    with pytest.raises(ValueError, match="positive"):
        momentum_rate(0.1, 0.5, [1.0, -2.0])


def test_measured_rates_follow_theory_up_to_kappa_1000():
    gd_m, mom_m = figs.measured_rates([1000])
    assert gd_m[0] == pytest.approx(999 / 1001, abs=1e-4)
    assert mom_m[0] == pytest.approx((np.sqrt(1000) - 1) / (np.sqrt(1000) + 1), abs=0.01)


# --- Newton, saddle-free Newton, Gauss-Newton --------------------------------------------------
def test_newton_lands_on_the_saddle_and_saddle_free_newton_leaves_it():
    S = zoo.strict_saddle()
    assert np.linalg.norm(optim.run("newton", S, [0.8, 0.4], steps=8)[-1]) < 1e-10
    end = optim.run("saddle_free_newton", S, [0.8, 0.4], steps=8)[-1]
    assert S.f(end) == pytest.approx(-0.25, abs=1e-10)
    assert np.allclose(end, [0, 1], atol=1e-6)


def test_gauss_newton_sees_zero_curvature_at_the_saddle():
    D = zoo.deep_linear(2)
    J = D.jacobian([0.0, 0.0])
    assert np.allclose(np.linalg.eigvalsh(J.T @ J), [0, 0])
    assert np.allclose(np.linalg.eigvalsh(D.hess([0.0, 0.0])), [-1, 1])
    assert np.allclose(optim.run("gauss_newton", D, [0.0, 0.0], steps=1, damping=1.0)[-1], 0)
    v = np.linalg.eigh(D.hess([0.0, 0.0]))[1][:, 0]
    assert D.f(v) == pytest.approx(0.125)


def test_escape_steps_near_the_deep_linear_saddle():
    D = zoo.deep_linear(2)
    counts = [steps_to_escape("gauss_newton", D, [0.5, -0.5 + e], below=0.1, max_steps=500, damping=1.0)
              for e in (1e-2, 1e-4, 1e-6)]
    assert counts == [8, 15, 22]
    assert steps_to_escape("newton", D, [0.5, -0.5 + 1e-2], below=0.1, max_steps=500) == 500


# --- adaptive methods, perturbed GD ---------------------------------------------------------------
def test_adam_crosses_the_flat_saddle_14_times_faster_than_gd():
    F = zoo.flat_saddle(1)
    n_gd = steps_to_escape("gd", F, [0.1, 0.01], below=-1.0, lr=0.5)
    n_adam = steps_to_escape("adam", F, [0.1, 0.01], below=-1.0, lr=0.01)
    n_rms = steps_to_escape("rmsprop", F, [0.1, 0.01], below=-1.0, lr=0.01)
    assert (n_gd, n_rms, n_adam) == (2574, 192, 189)
    assert round(n_gd / n_adam) == 14


def test_adam_stalls_when_the_escape_gradient_is_far_below_its_memory_and_eps():
    F = zoo.flat_saddle(1)
    stuck = optim.run("adam", F, [1.0, 0.01], steps=3000, lr=0.01)
    assert np.min(F.f(stuck)) > -1.0
    assert abs(stuck[-1, 1]) == pytest.approx(1.3e-6, abs=0.05e-6)
    assert abs(F.grad(stuck[-1])[1]) < 2e-17


def test_adam_defaults_and_bias_corrected_first_step():
    assert optim.defaults("adam") == {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    first = optim.run("adam", zoo.quadratic((1, 100)), [1.0, 1.0], steps=1)
    assert np.allclose(np.abs(first[1] - first[0]), 0.001, atol=1e-9)
    assert 0.1 / np.sqrt(0.001) == pytest.approx(3.16, abs=0.005)


def test_perturbed_gd_escapes_an_exact_saddle_that_gd_cannot():
    S = zoo.strict_saddle()
    assert steps_to_escape("gd", S, [0.0, 0.0], below=-0.2, max_steps=1000, lr=0.1) == 1000
    assert steps_to_escape("perturbed_gd", S, [0.0, 0.0], below=-0.2, max_steps=1000, lr=0.1) == 69


def test_steps_to_escape_checks_its_start():
    with pytest.raises(ValueError, match="shape"):
        steps_to_escape("gd", zoo.strict_saddle(), [0.0, 0.0, 0.0], below=0.0)


# --- initialisation ---------------------------------------------------------------------------------
def test_he_keeps_relu_variance_and_glorot_halves_it_per_layer():
    assert abs(np.log2(figs.variance_ratio(30, "he"))) < 1.0
    assert np.log2(figs.variance_ratio(30, "glorot")) == pytest.approx(-29.0, abs=1.0)


def test_leaky_relu_keeps_the_gradient_of_dead_units():
    assert figs.dead_units("relu", -10.0) == (1.0, 1.0)
    assert figs.dead_units("leaky_relu", -10.0) == (1.0, 0.0)
    assert figs.dead_units("relu", 0.0) == (0.0, 0.0)
    with pytest.raises(ValueError, match="activation"):
        figs.dead_units("tanh")


def test_activation_variances_rejects_bad_depth():
    with pytest.raises(ValueError, match="depth"):
        figs.activation_variances(0)


# --- figure callbacks at defaults and slider extremes -------------------------------------------------
CALLBACKS = [
    (figs.rate_heatmap, {}),
    (figs.rate_heatmap, dict(lr=0.001, beta=0.0)), (figs.rate_heatmap, dict(lr=0.04, beta=0.99)),
    (figs.rate_heatmap, dict(lr=0.04, beta=0.0)), (figs.rate_heatmap, dict(lr=0.001, beta=0.99)),
    (figs.newton_vs_saddle_free, {}),
    (figs.newton_vs_saddle_free, dict(y0=-1.2, x0=-1.2)), (figs.newton_vs_saddle_free, dict(y0=1.2, x0=1.2)),
    (figs.newton_vs_saddle_free, dict(y0=0.0, x0=0.0)),
    (figs.init_variance, {}), (figs.init_variance, dict(depth=2, gain=0.5)),
    (figs.init_variance, dict(depth=50, gain=2.0)), (figs.init_variance, dict(depth=50, gain=0.5)),
    (figs.flat_saddle_escape, {}), (figs.rate_vs_kappa, {}),
]


@pytest.mark.parametrize("fn, params", CALLBACKS, ids=[f"{f.__name__}-{p}" for f, p in CALLBACKS])
def test_callbacks_return_titled_labelled_figures_without_warnings(fn, params, no_warnings):
    fig = fn(**params)
    assert isinstance(fig, Figure)
    for ax in fig.axes:
        if ax.get_label() == "<colorbar>":
            continue
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


def test_slider_defaults_are_the_values_the_text_quotes():
    import inspect
    assert figs.LR_STAR == pytest.approx(0.0331, abs=5e-5) and figs.BETA_STAR == pytest.approx(0.669, abs=5e-4)
    d = inspect.signature(figs.newton_vs_saddle_free).parameters
    assert (d["y0"].default, d["x0"].default) == (0.4, 0.8)
    d = inspect.signature(figs.init_variance).parameters
    assert (d["depth"].default, d["gain"].default) == (30, 1.0)


def test_rate_heatmap_marks_divergence_in_the_legend(no_warnings):
    fig = figs.rate_heatmap(lr=0.04, beta=0.0)
    labels = [t.get_text() for ax in fig.axes for t in (ax.get_legend().get_texts() if ax.get_legend() else [])]
    assert any("diverges" in t for t in labels) and any("diverged at step" in t for t in labels)


# --- the race ----------------------------------------------------------------------------------------
def test_race_fmin_are_the_global_minima():
    for name in ("himmelblau", "rosenbrock", "strict_saddle", "ill_conditioned_bowl"):
        spec = race.LANDSCAPES[name]
        L = race._landscape(name)
        pts = L.critical_points(spec["bounds"])
        assert min(p.value for p in pts) == pytest.approx(spec["fmin"], abs=1e-8), name
    L = race._landscape("muller_brown")
    best = optim.run("gd", L, [-0.558, 1.442], steps=2000, lr=1e-4)[-1]
    assert L.f(best) == pytest.approx(race.LANDSCAPES["muller_brown"]["fmin"], abs=1e-6)


def test_newton_climbs_onto_himmelblaus_maximum_in_the_race():
    traj, losses = race.run_racer("himmelblau", "newton", race.LANDSCAPES["himmelblau"]["start"])
    assert losses[-1] == pytest.approx(181.6, abs=0.05)
    assert np.allclose(traj[-1], [-0.27, -0.92], atol=0.005)
    assert np.linalg.norm(zoo.himmelblau().grad(traj[-1])) < 1e-8


@pytest.mark.parametrize("landscape", sorted(race.LANDSCAPES))
def test_race_update_at_defaults_and_step_size_extremes(landscape, no_warnings):
    R = race.Race(landscape, optimizers=race.RACERS, dpi=40)
    R.png()
    for name in race.RACERS:
        d = race.default_hyper(landscape, name)["lr"]
        for lr in (d * race.LR_RANGE[0], d * race.LR_RANGE[1], d):
            R.update(name, lr=lr)
        png = R.png()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
    R.update("momentum", beta=0.0)
    R.update("momentum", beta=0.99)
    (a, b), (c, e) = race.LANDSCAPES[landscape]["bounds"]
    R.set_start(a, c).png()
    R.set_start(b, e).png()
    R.close()


def test_race_shows_a_divergent_run_as_diverged(no_warnings):
    R = race.Race("ill_conditioned_bowl", optimizers=("gd",), dpi=40)
    R.update("gd", lr=0.11)
    R.png()
    assert R.trajs["gd"].diverged
    assert "diverged at step" in R.lines["gd"].get_label()
    assert R.ends["gd"].get_marker() == "X"
    assert "diverged" in R._legend.get_texts()[0].get_text()
    fig = race.race_figure("ill_conditioned_bowl", optimizers=("gd",), gd_lr=0.11)
    assert "diverged" in fig.axes[0].get_legend().get_texts()[0].get_text()
    R.close()


def test_race_update_only_changes_line_data_not_the_contour():
    R = race.Race("himmelblau", optimizers=("gd", "adam"), dpi=40)
    R.png()
    contour = list(R.ax_map.collections)
    background = R._background
    before = R.lines["gd"].get_xydata().copy()
    adam_before = R.lines["adam"].get_xydata().copy()
    R.update("adam", lr=0.05)
    R.png()
    after = R.lines["adam"].get_xydata()
    assert not np.array_equal(after, adam_before)
    assert np.allclose(after, R.trajs["adam"], equal_nan=True)
    assert list(R.ax_map.collections) == contour and R._background is background
    assert np.array_equal(R.lines["gd"].get_xydata(), before)
    R.set_landscape("rosenbrock")
    assert R._background is None and list(R.ax_map.collections) != contour
    R.close()


def test_race_widget_controls_redraw():
    R = race.Race("strict_saddle", optimizers=("gd",), dpi=40)
    box = R.widget()
    first = box.image.value
    box.controls["gd_lr"].value = 0.3
    assert box.image.value != first
    box.controls["adam_on"].value = True
    assert "adam" in R.shown
    box.controls["landscape"].value = "rosenbrock"
    assert R.landscape == "rosenbrock" and box.controls["x0"].value == race.LANDSCAPES["rosenbrock"]["start"][0]
    R.close()


def test_race_rejects_unknown_names():
    with pytest.raises(ValueError, match="unknown race landscape"):
        race.Race("atlantis")
    with pytest.raises(ValueError, match="unknown racer"):
        race.default_hyper("himmelblau", "sgd")
    R = race.Race("himmelblau", optimizers=(), dpi=40)
    with pytest.raises(TypeError, match="no hyperparameter"):
        R.update("gd", beta=0.5)
    with pytest.raises(TypeError, match="adam_lr"):
        race.race_figure("himmelblau", lr=0.1)
    R.close()


def test_backend_is_headless():
    assert matplotlib.get_backend().lower() == "agg"


def test_measured_momentum_rates_sit_half_a_percent_above_theory():
    for kappa in (10, 100):
        lr, beta, r = optim.goh_optimal(1, kappa)
        traj = optim.run("momentum", zoo.quadratic((1, kappa)), [1.0, 1.0], steps=300, lr=lr, beta=beta)
        assert measured_rate(traj) / r - 1 == pytest.approx(0.005, abs=0.001)


def test_newton_saddle_basin_is_one_over_root_five_inside_the_negative_curvature_band():
    S = zoo.strict_saddle()
    edge, basin = 1 / np.sqrt(3), 1 / np.sqrt(5)
    assert S.hess([0.0, edge])[1, 1] == pytest.approx(0.0, abs=1e-12)
    assert (round(edge, 3), round(basin, 3)) == (0.577, 0.447)
    # just inside |y| < 1/sqrt(5) Newton goes to the saddle; just outside it overshoots to a minimum
    assert np.linalg.norm(optim.run("newton", S, [0.8, basin - 0.002], steps=30)[-1]) < 1e-8
    assert S.f(optim.run("newton", S, [0.8, basin + 0.002], steps=30)[-1]) == pytest.approx(-0.25)


def test_race_widget_leaves_no_pyplot_figure_behind():
    """The inline backend would draw a second, frozen copy of an open figure under the widget."""
    import matplotlib.pyplot as plt
    plt.close("all")
    r = race.Race("himmelblau")
    r.widget()
    assert plt.get_fignums() == []
    r.set_start(1.0, 1.0)
    assert len(r.png()) > 1000
