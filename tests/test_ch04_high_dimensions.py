"""Chapter 04: every number the prose states, recomputed through the package; the widget callback."""
import re

import nbformat
import numpy as np
import pytest

from conftest import ROOT
from landscape import hvp, lanczos, nets, optim, rmt
from landscape.figures import rmt as figs

NB = ROOT / "chapters" / "04_high_dimensions.ipynb"


def test_goe_is_symmetric_half_negative_and_fills_the_semicircle():
    H = rmt.goe(200, size=20, seed=0)
    assert H.shape == (20, 200, 200) and np.allclose(H, H.transpose(0, 2, 1))
    eigs = np.linalg.eigvalsh(H)
    assert abs(rmt.index_fraction(eigs).mean() - 0.5) < 0.01          # "0.50 (to within 0.01)"
    assert abs(np.abs(eigs).max() - 2.0) < 0.15                        # "within 0.15 of 2"
    # histogram vs semicircle, and the off-diagonal variance 1/N
    hist, edges = np.histogram(eigs, bins=20, range=(-2, 2), density=True)
    mid = 0.5 * (edges[1:] + edges[:-1])
    assert np.abs(hist - rmt.semicircle(mid)).max() < 0.05
    assert abs(H[:, 0, 1:].var() * 200 - 1.0) < 0.05


def test_semicircle_density_cdf_and_shifted_index():
    x = np.linspace(-2, 2, 20001)
    assert abs(np.trapezoid(rmt.semicircle(x), x) - 1.0) < 1e-6
    np.testing.assert_allclose(rmt.semicircle_cdf([-3, 0, 3]), [0, 0.5, 1])
    assert rmt.shifted_index(0.0) == pytest.approx(0.5, abs=1e-12)
    assert rmt.shifted_index(2.0) == pytest.approx(0.0, abs=1e-12)
    assert rmt.shifted_index(1.0) == pytest.approx(0.196, abs=0.001)   # "index fraction 0.196"
    assert rmt.shifted_index(-2.0) == pytest.approx(1.0, abs=1e-12)


def test_widget_samples_reach_index_zero_where_the_text_says():
    first_min = {N: -np.linalg.eigvalsh(rmt.goe(N, seed=0))[0] for N in (2, 400)}
    assert abs(first_min[400] - 2.0) < 0.1                              # "near shift 2 (within 0.1)"
    assert first_min[2] < 0.5                                           # "before shift 0.5"
    assert rmt.index_fraction(np.linalg.eigvalsh(rmt.goe(2, seed=0)) + 0.5) == 0


@pytest.fixture(scope="module")
def all_positive():
    Ns = np.arange(1, 6)
    runs = [rmt.prob_all_positive(int(N), samples=s, seed=int(N))
            for N, s in zip(Ns, [100_000, 200_000, 400_000, 1_000_000, 3_000_000])]
    return Ns, np.array([p for p, _ in runs]), np.array([c for _, c in runs])


def test_prob_all_positive_stated_numbers(all_positive):
    Ns, probs, counts = all_positive
    assert abs(probs[1] - (2 - np.sqrt(2)) / 4) < 0.003                 # P_2 = (2 - sqrt 2)/4
    theta, b, c = rmt.fit_theta(Ns, probs)
    assert abs(theta - np.log(3) / 4) < 0.03                            # theta-hat within 0.03 of ln3/4
    assert 100 < 2.0**-5 / probs[4] < 300                               # coin flips ~200x too large at N=5
    assert rmt.THETA_DEAN_MAJUMDAR == pytest.approx(0.2747, abs=1e-4)
    assert np.all(np.diff(np.log(probs)) < -np.log(2))                  # faster than coin flips at every N
    assert abs(-np.polyfit(Ns**2, np.log(probs), 1)[0] - 0.34) < 0.01   # no linear term: 0.34
    assert abs(rmt.fit_theta(Ns[1:], probs[1:])[0] - 0.26) < 0.01       # N = 2..5: 0.26
    assert abs(-np.log(3) / 4 * 100**2 + 2747) < 1 and abs(-100 * np.log(2) + 69.3) < 0.05
    assert 0.75e-30 < 2.0**-100 < 1.25e-30                              # "about 10^-30"


def test_prefiltered_sampler_agrees_with_brute_force():
    p_fast, _ = rmt.prob_all_positive(3, samples=100_000, seed=5)
    ev = np.linalg.eigvalsh(rmt.goe(3, size=100_000, seed=6))
    p_slow = np.mean(ev[:, 0] > 0)
    se = np.sqrt(p_slow * (1 - p_slow) / 100_000)
    assert abs(p_fast - p_slow) < 5 * se
    assert rmt.prob_all_positive(1, samples=100_000)[0] == pytest.approx(0.5, abs=0.01)


@pytest.fixture(scope="module")
def survey():
    X, y, _ = nets.teacher_student(n=30, sizes=(2, 3, 1), noise=0.1, seed=0)
    net = nets.MLP((2, 3, 1), activation="tanh", bias=False)
    obj = net.bind(X, y)

    def start(seed, gain):
        theta = net.init(seed=seed, gain=gain)
        k = (seed % 2) * (seed * 37 % 100)
        return optim.run("gd", obj, theta, steps=k, lr=0.5)[-1] if k else theta

    return obj, rmt.critical_point_survey(obj, start, n_starts=40, gains=(0.5, 3.0))


def test_index_rises_with_loss_on_a_small_network(survey):
    obj, s = survey
    assert obj.n == 9
    assert rmt.spearman(s["loss"], s["index_fraction"]) > 0.5
    minima = s["index_fraction"] == 0
    assert minima.any() and s["loss"][minima].max() == pytest.approx(s["loss"][0], rel=1e-6)
    assert s["index_fraction"][-1] > 0.25
    assert abs(s["loss"][-1] - 0.34) < 0.005 and s["index_fraction"][-1] == pytest.approx(1 / 3)
    assert np.all(s["grad_norm"] < 1e-7)
    for theta_loss, ev in zip(s["loss"], s["eigenvalues"]):
        assert ev.shape == (9,)


def test_find_critical_point_reaches_a_zero_gradient():
    X, y, _ = nets.teacher_student(n=30, sizes=(2, 3, 1), noise=0.1, seed=0)
    net = nets.MLP((2, 3, 1), activation="tanh", bias=False)
    obj = net.bind(X, y)
    theta, gn = rmt.find_critical_point(obj, net.init(seed=3))
    assert gn < 1e-9 and np.linalg.norm(obj.grad(theta)) == pytest.approx(gn)
    with pytest.raises(ValueError, match="theta0"):
        rmt.find_critical_point(obj, np.zeros(3))


def test_trained_network_spectra_bulk_and_outliers():
    Xc, yc = nets.classification(n=200, kind="moons", noise=0.1, seed=0)
    small = nets.MLP((2, 12, 12, 2), activation="tanh", loss="cross_entropy")
    obj_s = small.bind(Xc, yc)
    theta_s = optim.run("adam", obj_s, small.init(seed=0), steps=400, lr=0.01)[-1]
    ev = np.linalg.eigvalsh(obj_s.hessian(theta_s))
    assert small.n == 218
    assert np.mean(np.abs(ev) < 0.01 * ev[-1]) > 0.95
    assert int(np.sum(ev > 0.1 * ev[-1])) == 2
    _, hi = lanczos.extreme_eigenvalues(hvp.operator(obj_s, theta_s), small.n, k=60)
    assert hi == pytest.approx(ev[-1], rel=1e-6)
    assert abs(ev[0]) < 1e-3 * ev[-1]
    large = nets.MLP((2, 128, 128, 2), activation="tanh", loss="cross_entropy")
    obj_l = large.bind(Xc, yc)
    theta_l = optim.run("adam", obj_l, large.init(seed=0), steps=150, lr=0.01)[-1]
    nodes, weights = lanczos.slq(hvp.operator(obj_l, theta_l), large.n, k=50, n_probes=2, seed=0)
    top = nodes.max()
    assert large.n == 17_154
    assert abs(50 * large.n * 8 / 1e6 - 7) < 0.2 and abs(large.n**2 * 8 / 1e9 - 2.4) < 0.1
    assert lanczos.cdf(nodes, weights, 0.01 * top) - lanczos.cdf(nodes, weights, -0.01 * top) > 0.95


@pytest.mark.parametrize("N", [figs.N_DEFAULT, *figs.N_RANGE])
@pytest.mark.parametrize("shift", [figs.SHIFT_DEFAULT, *figs.SHIFT_RANGE])
def test_widget_callback_at_defaults_and_extremes(no_warnings, N, shift):
    fig = figs.shifted_semicircle(N=N, shift=shift)
    ax = fig.axes[0]
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert fig.axes[1].get_title() and fig.axes[1].get_xlabel()


def test_widget_index_matches_the_sample():
    fig = figs.shifted_semicircle(N=400, shift=3.0)
    assert "index 0.00" in fig.axes[0].get_title()
    fig = figs.shifted_semicircle(N=400, shift=-3.0)
    assert "index 1.00" in fig.axes[0].get_title()


def test_other_figures_draw_without_warnings(no_warnings, all_positive):
    Ns, probs, counts = all_positive
    figs.all_positive_figure(Ns, probs, counts, *rmt.fit_theta(Ns, probs))
    figs.semicircle_figure(np.linalg.eigvalsh(rmt.goe(50, size=2)), 50)
    figs.index_vs_loss_figure({"loss": np.array([0.1, 0.2, 0.3]), "index_fraction": np.array([0, 0.1, 0.3])}, 9)
    nodes, weights = lanczos.slq(lambda v: np.arange(50.0) * v, 50, k=20)
    figs.spectrum_figure(np.arange(50.0), 50, nodes, weights, 50, sigma=0.5)


def test_slider_defaults_in_the_notebook_equal_the_callback_defaults():
    src = "\n".join(c.source for c in nbformat.read(NB, as_version=4).cells if c.cell_type == "code")
    m_n = re.search(r"N=slider\((\d+), (\d+), (\d+)", src)
    m_s = re.search(r"shift=slider\(([-\d.]+), ([-\d.]+), ([-\d.]+)", src)
    assert (int(m_n[1]), int(m_n[2]), int(m_n[3])) == (figs.N_DEFAULT, *figs.N_RANGE)
    assert (float(m_s[1]), float(m_s[2]), float(m_s[3])) == (figs.SHIFT_DEFAULT, *figs.SHIFT_RANGE)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="N must"):
        rmt.goe(0)
    with pytest.raises(ValueError, match="N must"):
        figs.shifted_semicircle(N=1)
    with pytest.raises(ValueError, match="shift"):
        figs.shifted_semicircle(shift=np.nan)
    with pytest.raises(ValueError, match="radius"):
        rmt.semicircle(0.0, radius=0)
    with pytest.raises(ValueError, match="at least 3"):
        rmt.fit_theta([1, 2], [0.5, 0.1])
    with pytest.raises(ValueError, match="> 0"):
        rmt.fit_theta([1, 2, 3], [0.5, 0.1, 0.0])
    with pytest.raises(ValueError, match="constant"):
        rmt.spearman([1, 2, 3], [1, 1, 1])
    with pytest.raises(ValueError, match="at least one"):
        rmt.index_fraction([])
    with pytest.raises(ValueError, match="samples"):
        rmt.prob_all_positive(3, samples=0)


def test_finite_differences_of_gradients_are_only_approximately_the_hvp():
    X, y, _ = nets.teacher_student(n=30, sizes=(2, 3, 1), noise=0.1, seed=0)
    net = nets.MLP((2, 3, 1), activation="tanh", bias=False)
    obj = net.bind(X, y)
    theta0, v = net.init(seed=1), np.random.default_rng(0).normal(size=net.n)
    Hv = obj.hvp(theta0, v)
    err = {eps: np.linalg.norm((obj.grad(theta0 + eps * v) - obj.grad(theta0 - eps * v)) / (2 * eps) - Hv)
           / np.linalg.norm(Hv) for eps in (1e-2, 1e-3, 1e-5, 1e-8)}
    assert abs(np.log10(err[1e-2] / err[1e-3]) - 2.0) < 0.05
    assert min(err.values()) < 1e-9
    assert err[1e-8] > 10 * err[1e-5]
