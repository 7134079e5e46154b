"""Chapter 07: every number its prose states, its widget callbacks, and the package pieces it uses."""
import numpy as np
import pytest
import sympy as sp

from landscape import continuation, distill, fitness, folding, hopfield, nets, paths, zoo
from landscape.figures import disciplines


# --- physics: Hopfield memory --------------------------------------------------
def test_hopfield_patterns_are_minima_and_mixtures_are_spurious_minima():
    xi = hopfield.random_patterns(5, 100, seed=0)
    W = hopfield.store(xi)
    for p in xi:   # every stored pattern is a fixed point of descent
        np.testing.assert_array_equal(hopfield.anneal(W, p[None], [0.0])[0], p)
    mix = np.sign(xi[0] + xi[1] + xi[2])
    np.testing.assert_array_equal(hopfield.anneal(W, mix[None], [0.0] * 5)[0], mix)
    assert hopfield.energy(W, mix) == pytest.approx(-36.40, abs=0.01)
    assert hopfield.energy(W, xi[0]) == pytest.approx(-49.04, abs=0.01)


def test_annealing_recalls_more_often_than_descent():
    xi = hopfield.random_patterns(5, 100, seed=0)
    W = hopfield.store(xi)
    starts = np.random.default_rng(1).choice([-1.0, 1.0], size=(200, 100))
    cold = hopfield.anneal(W, starts, hopfield.schedule(0.0, 0, tail=10), seed=2)
    hot = hopfield.anneal(W, starts, hopfield.schedule(0.8, 30), seed=3)
    assert hopfield.recalled(xi, cold).mean() == pytest.approx(0.76, abs=0.01)
    assert hopfield.recalled(xi, hot).mean() == pytest.approx(0.98, abs=0.01)


def test_hopfield_bad_input():
    with pytest.raises(ValueError, match="-1/\\+1"):
        hopfield.store([[0, 1, 1]])
    with pytest.raises(ValueError, match="W must be"):
        hopfield.anneal(np.zeros((3, 3)), np.ones((2, 4)), [0.0])
    with pytest.raises(ValueError, match="temperatures"):
        hopfield.anneal(np.zeros((3, 3)), np.ones((2, 3)), [-1.0])


# --- chemistry: nudged elastic band ----------------------------------------------
@pytest.fixture(scope="module")
def mb():
    L = zoo.muller_brown()
    pts = L.critical_points(zoo.MULLER_BROWN_BOUNDS)
    A, B, C = sorted((p for p in pts if p.kind == "minimum"), key=lambda p: p.value)
    return L, pts, A, B, C


def test_neb_climbing_image_lands_on_the_transition_states(mb):
    L, pts, A, B, C = mb
    saddles = [p for p in pts if p.kind == "saddle"]
    for a, b, stated in ((A, C, 106.03), (C, B, 8.52)):
        band = paths.neb(L, a.x, b.x)
        dE, i = paths.barrier(L, band)
        assert dE == pytest.approx(stated, abs=0.01)
        assert min(np.linalg.norm(band[i] - s.x) for s in saddles) < 1e-6
        assert np.linalg.norm(L.grad(band[i])) < 1e-6


def test_without_climbing_the_top_image_misses_the_saddle(mb):
    L, pts, A, _, C = mb
    band = paths.neb(L, A.x, C.x, climb_after=None)
    dE, i = paths.barrier(L, band)
    assert dE < 106.03 - 0.05          # the band straddles the saddle: its top is below it


def test_arrhenius_ratio_stated_in_the_text():
    assert np.exp((106.03467 - 8.51987) / 10) == pytest.approx(1.72e4, rel=0.005)


def test_neb_bad_input(mb):
    L = mb[0]
    with pytest.raises(ValueError, match="at least 3"):
        paths.neb(L, [0, 0], [1, 1], images=2)
    with pytest.raises(ValueError, match="length-2"):
        paths.neb(L, [0, 0, 0], [1, 1])


# --- biology ------------------------------------------------------------------
def test_levinthal_and_the_funnel():
    assert folding.levinthal_years() == pytest.approx(1.6e27, rel=0.03)
    assert folding.folding_time(100, 3, 0.0) == pytest.approx(2.59e45, rel=0.01)
    assert folding.folding_time(100, 3, 2.0) == pytest.approx(9.73e8, rel=0.01)
    # one bond, no bias: from incorrect, the time to fix is 1/k1
    assert folding.folding_time(1, 2, 0.0) == pytest.approx(1.0)
    times = [folding.folding_time(100, 3, b) for b in np.linspace(0, 3, 7)]
    assert np.all(np.diff(times) < 0)
    with pytest.raises(ValueError):
        folding.folding_time(0, 3)


def test_nk_peaks_grow_with_epistasis():
    assert all(len(fitness.NK(10, 0, seed=s).peaks()) == 1 for s in range(5))
    assert np.mean([len(fitness.NK(10, 9, seed=s).peaks()) for s in range(5)]) == pytest.approx(90.4, abs=0.05)
    nk = fitness.NK(10, 4, seed=0)
    best = int(np.argmax(nk.values))
    ends = np.array([nk.adaptive_walk(s) for s in range(0, 1024, 7)])
    assert np.mean(ends == best) == pytest.approx(0.075, abs=0.01)
    assert set(ends) <= set(nk.peaks())       # every walk ends on a peak
    with pytest.raises(ValueError):
        fitness.NK(10, 10)


# --- distillation -------------------------------------------------------------
def test_soft_targets_flatten_the_students_minimum():
    d = distill.setup()
    hard = distill.train_student(None)
    soft = distill.train_student(1.0)
    assert distill.sharpness(*hard) == pytest.approx(11.4, abs=0.1)
    assert distill.sharpness(*soft) == pytest.approx(1.43, abs=0.05)
    assert distill.accuracy(*hard, d["labels"]) == pytest.approx(0.945, abs=0.001)
    assert distill.accuracy(*soft, d["labels"]) == pytest.approx(0.875, abs=0.001)


def test_soft_target_cross_entropy_gradient_and_validation():
    rng = np.random.default_rng(0)
    net = nets.MLP((2, 4, 3), "tanh", loss="cross_entropy")
    X, Q = rng.normal(size=(10, 2)), nets.softmax(rng.normal(size=(10, 3)), T=2.0)
    obj, th = net.bind(X, Q), net.init(1)
    e = np.zeros(net.n)
    for i in (0, 5, net.n - 1):
        e[:] = 0
        e[i] = 1e-6
        assert obj.grad(th)[i] == pytest.approx((obj.f(th + e) - obj.f(th - e)) / 2e-6, rel=1e-5, abs=1e-9)
    labels = rng.integers(0, 3, 10)   # one-hot soft targets give the same loss as labels
    assert net.bind(X, np.eye(3)[labels]).f(th) == pytest.approx(net.bind(X, labels).f(th))
    with pytest.raises(ValueError, match="rows of probabilities"):
        net.bind(X, np.ones((10, 3)))
    with pytest.raises(ValueError, match="temperature"):
        nets.softmax(Q, T=0)


# --- continuation -------------------------------------------------------------
def test_gaussian_smoothing_is_exact():
    x, s = sp.symbols("x sigma", real=True)
    f = x**2 / 2 + 2 * (1 - sp.cos(2 * sp.pi * x))
    fs = continuation.gaussian_smoothing(f, x, s)
    assert sp.simplify(fs - (s**2 / 2 + x**2 / 2 + 2 - 2 * sp.exp(-2 * sp.pi**2 * s**2) * sp.cos(2 * sp.pi * x))) == 0
    xs = np.linspace(-2, 2, 9)
    np.testing.assert_allclose(continuation.smoothed(disciplines.rastrigin, 0.3)(xs),
                               disciplines.rastrigin_smoothed(xs, 0.3), atol=1e-8)
    assert float(sp.exp(-2 * sp.pi**2 * 0.09)) == pytest.approx(0.17, abs=0.005)


def test_continuation_finds_the_wide_basin_and_misses_the_narrow_well():
    g = lambda x, s: x + 4 * np.pi * np.exp(-2 * np.pi**2 * s**2) * np.sin(2 * np.pi * x)
    x0 = np.linspace(-4, 4, 81)
    plain = continuation.continuation(g, x0, [0.0], steps=600, lr=0.01)
    graded = continuation.continuation(g, x0, [1.0, 0.6, 0.4, 0.25, 0.1, 0.0], steps=100, lr=0.01)
    assert np.sum(np.abs(plain) < 0.5) == 11 and np.all(np.abs(graded) < 0.5)

    def grad_g(x, sigma, w=0.1, depth=3.0):
        v = w**2 + sigma**2
        return x / 4 + depth * (w / np.sqrt(v)) * (x - 3) / v * np.exp(-(x - 3)**2 / (2 * v))
    plain_g = continuation.continuation(grad_g, x0, [0.0], steps=3000, lr=0.005)
    graded_g = continuation.continuation(grad_g, x0, [1.0, 0.5, 0.25, 0.0], steps=750, lr=0.005)
    assert np.any(np.abs(plain_g - 3) < 0.2) and not np.any(np.abs(graded_g - 3) < 0.2)
    with pytest.raises(ValueError):
        continuation.smoothed(np.sin, -1.0)
    # the default quadrature stays exact where the ripples are fine relative to sigma
    np.testing.assert_allclose(continuation.smoothed(disciplines.rastrigin, 2.0)(xs := np.linspace(-2, 2, 5)),
                               disciplines.rastrigin_smoothed(xs, 2.0), atol=1e-10)


# --- widget callbacks at defaults and extremes ------------------------------------
@pytest.mark.parametrize("fn, kwargs", [
    (disciplines.annealing_figure, {}),
    (disciplines.annealing_figure, dict(T0=0.0, sweeps=0)),
    (disciplines.annealing_figure, dict(T0=3.0, sweeps=100)),
    (disciplines.annealing_figure, dict(T0=0.0, sweeps=100)),
    (disciplines.annealing_figure, dict(T0=3.0, sweeps=0)),
    (disciplines.soft_targets_figure, {}),
    (disciplines.soft_targets_figure, dict(T=0.25)),
    (disciplines.soft_targets_figure, dict(T=10.0)),
    (disciplines.smoothing_figure, {}),
    (disciplines.smoothing_figure, dict(sigma=0.0)),
    (disciplines.smoothing_figure, dict(sigma=1.5)),
])
def test_callbacks(fn, kwargs, no_warnings):
    fig = fn(**kwargs)
    ax = fig.axes[0]
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


def test_callback_defaults_match_the_text():
    import inspect
    assert inspect.signature(disciplines.annealing_figure).parameters["T0"].default == 0.8
    assert inspect.signature(disciplines.annealing_figure).parameters["sweeps"].default == 30
    assert inspect.signature(disciplines.smoothing_figure).parameters["sigma"].default == 0.3
    assert inspect.signature(disciplines.soft_targets_figure).parameters["T"].default == 2.0


def test_exact_hessian_with_soft_targets_matches_finite_differences():
    rng = np.random.default_rng(1)
    net = nets.MLP((2, 5, 3), "tanh", loss="cross_entropy")
    X, Q = rng.normal(size=(12, 2)), nets.softmax(rng.normal(size=(12, 3)))
    obj, th = net.bind(X, Q), net.init(2) + 0.1 * rng.normal(size=net.n)
    H = obj.hessian(th)
    eps = 1e-5
    fd = np.array([(obj.grad(th + eps * e) - obj.grad(th - eps * e)) / (2 * eps) for e in np.eye(net.n)])
    np.testing.assert_allclose(H, fd, atol=1e-6)


def test_two_distilled_students_lie_in_one_connected_valley():
    from landscape import optim, symmetry
    d = distill.setup()
    obj, th1 = distill.train_student(1.0)
    th2 = optim.run("adam", obj, d["student"].init(7), steps=d["steps"], lr=d["lr"])[-1]
    t, line = symmetry.path_losses(obj, th1, th2)
    bend = symmetry.fit_bezier(obj, th1, th2, steps=150, lr=0.02)
    t, curve = symmetry.path_losses(obj, th1, th2, control=bend)
    assert symmetry.barrier(t, line) == pytest.approx(0.60, abs=0.01)
    assert symmetry.barrier(t, curve) < 0.01
