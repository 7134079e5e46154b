"""Chapter 03 (symmetries and the myth of bad minima): the package helpers, the widget callbacks,
and every number the chapter states."""
import math

import numpy as np
import pytest
import sympy as sp

from landscape import classify, nets, optim, symmetry, zoo
from landscape.figures import symmetry as figs


# --- widget callbacks: defaults and every slider extreme, warnings as errors -----------------
@pytest.mark.parametrize("alpha", [1.0, 0.25, 4.0])
def test_orbit_callback(no_warnings, alpha):
    fig = figs.orbit(alpha=alpha)
    assert len(fig.axes) >= 2 and all(ax.get_title() for ax in fig.axes[:1])


@pytest.mark.parametrize("t", [0.5, 0.0, 1.0])
def test_permuted_path_callback(no_warnings, t):
    fig = figs.permuted_path(t=t)
    assert [ax.get_xlabel() for ax in fig.axes] and fig.axes[0].get_title()


@pytest.mark.parametrize("lr", [0.02, 0.0025, 0.08])
def test_drift_callback(no_warnings, lr):
    fig = figs.drift(lr=lr)
    assert fig.axes[0].get_title() and fig.axes[0].get_ylabel()


@pytest.mark.parametrize("call", [lambda: figs.orbit(alpha=0.1), lambda: figs.orbit(alpha=float("nan")),
                                  lambda: figs.permuted_path(t=1.5), lambda: figs.drift(lr=0.5)])
def test_callbacks_reject_out_of_range(call):
    with pytest.raises(ValueError):
        call()


# --- permutation and sign symmetry -------------------------------------------------------------
def _data(d_in=2, d_out=1, n=30, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d_in)), rng.normal(size=(n, d_out))


@pytest.mark.parametrize("activation", ["tanh", "relu", "linear", "leaky_relu"])
@pytest.mark.parametrize("layer", [0, 1])
def test_permutation_keeps_the_function(activation, layer):
    X, _ = _data()
    net = nets.MLP((2, 4, 3, 1), activation=activation)
    theta = net.init(seed=3) + 0.1 * np.random.default_rng(1).normal(size=net.n)   # nonzero biases
    perm = [2, 0, 1] if layer == 1 else [3, 1, 0, 2]
    moved = symmetry.permute_hidden(net, theta, perm, layer=layer)
    assert not np.allclose(moved, theta)
    np.testing.assert_allclose(net.forward(moved, X), net.forward(theta, X), atol=1e-12)


def test_sign_flips_keep_tanh_function_and_copies_count():
    X, _ = _data(d_in=1)
    net = nets.MLP((1, 3, 1), activation="tanh")
    theta = net.init(seed=0) + 0.1
    copies = symmetry.symmetry_copies(net, theta, signs=True)
    assert copies.shape == (2**3 * math.factorial(3), net.n)
    assert len(np.unique(np.round(copies, 10), axis=0)) == 48
    out = np.array([net.forward(c, X) for c in copies])
    assert np.abs(out - out[0]).max() < 1e-12
    relu = nets.MLP((1, 3, 1), activation="relu")
    assert symmetry.symmetry_copies(relu, relu.init(seed=0)).shape == (6, relu.n)


def test_sign_flip_is_not_a_relu_symmetry():
    net = nets.MLP((1, 3, 1), activation="relu")
    with pytest.raises(ValueError, match="odd"):
        symmetry.flip_signs(net, net.init(), [1, -1, 1])


@pytest.mark.parametrize("perm", [[0, 1], [0, 0, 1, 2], [0, 1, 2, 4]])
def test_bad_permutation_is_named(perm):
    net = nets.MLP((1, 4, 1))
    with pytest.raises(ValueError, match="permutation"):
        symmetry.permute_hidden(net, net.init(), perm)


def test_bad_layer_and_net():
    net = nets.MLP((1, 4, 1))
    with pytest.raises(ValueError, match="layer"):
        symmetry.permute_hidden(net, net.init(), [0, 1, 2, 3], layer=1)
    with pytest.raises(ValueError, match="no hidden layer"):
        symmetry.balance(nets.MLP((2, 1)), np.zeros(3))
    with pytest.raises(TypeError, match="MLP"):
        symmetry.balance("net", np.zeros(3))


# --- scaling symmetry ----------------------------------------------------------------------------
@pytest.mark.parametrize("activation", ["relu", "linear", "leaky_relu"])
def test_rescaling_keeps_the_function(activation):
    X, _ = _data()
    net = nets.MLP((2, 5, 1), activation=activation)
    theta = net.init(seed=2) + 0.1
    for alpha in (0.25, 3.0, np.array([0.5, 1.0, 2.0, 4.0, 0.3])):
        np.testing.assert_allclose(net.forward(symmetry.rescale(net, theta, alpha), X), net.forward(theta, X),
                                   rtol=1e-12, atol=1e-12)


def test_rescaling_is_checked():
    relu, tanh = nets.MLP((2, 3, 1), activation="relu"), nets.MLP((2, 3, 1), activation="tanh")
    with pytest.raises(ValueError, match="positive"):
        symmetry.rescale(relu, relu.init(), -1.0)
    with pytest.raises(ValueError, match="homogeneous"):
        symmetry.rescale(tanh, tanh.init(), 2.0)
    with pytest.raises(ValueError, match="alpha"):
        symmetry.rescale(relu, relu.init(), [1.0, 2.0])


def test_orbit_tangent_is_the_derivative_of_rescale():
    net = nets.MLP((2, 3, 2), activation="relu")
    theta = net.init(seed=4) + 0.2
    h = 1e-6
    fd = (symmetry.rescale(net, theta, 1 + h) - symmetry.rescale(net, theta, 1 - h)) / (2 * h)
    np.testing.assert_allclose(symmetry.orbit_tangent(net, theta), fd, atol=1e-8)


def test_gradient_is_orthogonal_to_the_orbit():
    """The identity behind the conservation law: <W1,g1> + <b1,gb1> - <W2,g2> = 0 (chapter: < 1e-12)."""
    ex = figs.scaling_example()
    for seed in (5, 6, 7):
        th = ex.net.init(seed=seed)
        assert abs(symmetry.orbit_tangent(ex.net, th) @ ex.obj.grad(th)) < 1e-12


def test_balance_conserved_under_small_steps_and_drift_formula():
    """Per step GD changes the balance by exactly lr^2 (|g1|^2 + |gb1|^2 - |g2|^2)."""
    ex = figs.scaling_example()
    lr, th, predicted = 0.04, ex.net.init(seed=1), 0.0
    b0 = symmetry.balance(ex.net, th)
    for _ in range(50):
        g = ex.obj.grad(th)
        (gW1, gb1), (gW2, _) = ex.net.unflatten(g)
        predicted += lr**2 * (np.sum(gW1**2) + np.sum(gb1**2) - np.sum(gW2**2))
        th = th - lr * g
    measured = symmetry.balance(ex.net, th) - b0
    assert measured == pytest.approx(predicted, rel=1e-9)
    assert abs(measured) > 1e-4                      # the drift is real, not zero


def test_drift_scales_like_lr():
    """Chapter: log-log slope 1.0 (tol 0.05) over T = 2 for lr = 0.0025 ... 0.04."""
    ex = figs.scaling_example()
    theta0 = ex.net.init(seed=1)
    rates = np.array([0.0025, 0.005, 0.01, 0.02, 0.04])
    drifts = []
    for lr in rates:
        traj = optim.run("gd", ex.obj, theta0, steps=int(round(2.0 / lr)), lr=lr)
        drifts.append(abs(symmetry.balance(ex.net, traj[-1]) - symmetry.balance(ex.net, theta0)))
    slope = np.polyfit(np.log(rates), np.log(drifts), 1)[0]
    assert slope == pytest.approx(1.0, abs=0.05)


def test_conservation_law_sympy():
    u1, u2 = sp.symbols("w1 w2", real=True)
    L = sp.Function("ell")(u2 * u1)
    assert sp.simplify(2 * u1 * -sp.diff(L, u1) - 2 * u2 * -sp.diff(L, u2)) == 0


# --- deep linear networks -----------------------------------------------------------------------------
def test_scalar_deep_linear_depth_two():
    L = zoo.deep_linear(2)
    w1, w2 = L.symbols
    assert len(sp.solve(L.grad_expr, [w1, w2], dict=True)) == 2
    np.testing.assert_allclose(np.linalg.eigvalsh(L.hess([0.0, 0.0])), [-1.0, 1.0])
    assert classify(L.hess([0.0, 0.0])) == "saddle"
    assert L.f([0.0, 0.0]) == 0.5
    for a in (0.25, 1.0, 2.0, 4.0):
        lam, Q = np.linalg.eigh(L.hess([a, 1 / a]))
        np.testing.assert_allclose(lam, [0.0, a**2 + a**-2], atol=1e-12)
        tangent = np.array([a, -1 / a]) / np.hypot(a, 1 / a)
        assert abs(abs(Q[:, 0] @ tangent) - 1) < 1e-12
    sharp = {a: np.linalg.eigvalsh(L.hess([a, 1 / a])).max() for a in (1.0, 4.0)}
    assert sharp[1.0] == pytest.approx(2.0) and sharp[4.0] == pytest.approx(16.0625)
    assert sharp[4.0] / sharp[1.0] == pytest.approx(8.0, abs=0.05)


def test_scalar_deep_linear_depth_three_degenerate_saddle():
    L = zoo.deep_linear(3)
    w = L.symbols
    assert np.all(L.hess(np.zeros(3)) == 0)
    assert classify(L.hess(np.zeros(3))) == "degenerate"
    s = sp.Symbol("s", real=True)
    assert sp.expand(L.expr.subs({wi: s for wi in w}) - (s**6 / 2 - s**3 + sp.Rational(1, 2))) == 0
    assert L.f([0.1, 0.1, 0.1]) < L.f(np.zeros(3))          # a descent direction: not a minimum
    np.testing.assert_allclose(np.linalg.eigvalsh(L.hess([0.7, 0.0, 0.0])), [-0.7, 0.0, 0.7], atol=1e-12)


def test_deep_linear_matrix_nets_reach_least_squares():
    """Chapter: 12 starts of a 3-4-4-2 linear net, 400 GD steps at lr 0.15, all within 1e-8."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    Y = X @ rng.normal(size=(3, 2)) / 2 + 0.3 * rng.normal(size=(40, 2))
    best = symmetry.least_squares_loss(X, Y)
    deep = nets.MLP((3, 4, 4, 2), activation="linear")
    obj = deep.bind(X, Y)
    gaps = [obj.f(optim.run("gd", obj, deep.init(seed=k, scheme="glorot"), steps=400, lr=0.15)[-1]) - best
            for k in range(12)]
    assert max(gaps) < 1e-8 and min(gaps) > -1e-12


def test_least_squares_loss_is_the_minimum():
    X, Y = _data(d_in=3, d_out=2)
    best = symmetry.least_squares_loss(X, Y)
    A = np.linalg.lstsq(np.hstack([X, np.ones((len(X), 1))]), Y, rcond=None)[0]
    for eps in (1e-3, 1e-1):
        B = A + eps * np.random.default_rng(0).normal(size=A.shape)
        assert 0.5 * np.mean(np.sum((Y - np.hstack([X, np.ones((len(X), 1))]) @ B) ** 2, 1)) > best
    with pytest.raises(ValueError):
        symmetry.least_squares_loss(X, Y[:5])


def test_linear_net_landscape_matches_mlp():
    X, Y = _data(d_in=2, d_out=2)
    L = symmetry.linear_net_landscape(X, Y, widths=(3,))
    net = nets.MLP((2, 3, 2), activation="linear", bias=False)
    theta = net.init(seed=1)
    assert L.f(theta) == pytest.approx(net.loss(theta, X, Y), rel=1e-12)
    np.testing.assert_allclose(L.grad(theta), net.bind(X, Y).grad(theta), atol=1e-12)


def test_hessian_null_direction_along_the_orbit():
    """Chapter: at a hand-built minimum of a 2-2-1 linear net, H v = 0 and 4 zero eigenvalues."""
    ex = figs.scaling_example()
    net = nets.MLP((2, 2, 1), activation="linear", bias=False)
    L = symmetry.linear_net_landscape(ex.X, ex.y, widths=(2,))
    W_star = np.linalg.lstsq(ex.X, ex.y, rcond=None)[0].T
    W1 = np.array([[1.0, 0.5], [-0.3, 0.8]])
    theta = net.flatten([(W1, None), (W_star @ np.linalg.inv(W1), None)])
    assert np.linalg.norm(L.grad(theta)) < 1e-12
    H = L.hess(theta)
    v = symmetry.orbit_tangent(net, theta)
    assert np.linalg.norm(H @ v) / np.linalg.norm(v) < 1e-12
    lam = np.linalg.eigvalsh(H)
    assert int(np.sum(np.abs(lam) < 1e-10 * lam.max())) == 4
    r = np.random.default_rng(0).normal(size=net.n)
    assert r @ H @ r > 1e-3 * (r @ r)                      # a random direction is curved


def test_scaling_example_orbit_is_flat():
    ex = figs.scaling_example()
    base = ex.obj.f(ex.theta)
    for a in np.geomspace(0.25, 4, 9):
        assert abs(ex.obj.f(symmetry.rescale(ex.net, ex.theta, a)) / base - 1) < 1e-12


# --- the permutation example and barriers --------------------------------------------------------
def test_permutation_example_numbers():
    """Chapter: 384 copies, same function, trained loss < 1e-5, barrier 0.065, 0.5 var(y) = 0.064."""
    ex = figs.permutation_example()
    copies = symmetry.symmetry_copies(ex.net, ex.theta, signs=True)
    assert len(np.unique(np.round(copies, 8), axis=0)) == 384
    out = np.array([ex.net.forward(c, ex.X) for c in copies])
    assert np.abs(out - out[0]).max() < 1e-12
    assert ex.obj.f(ex.theta) < 1e-5
    ts, losses = symmetry.path_losses(ex.obj, ex.theta, ex.swapped, t=np.linspace(0, 1, 61))
    assert symmetry.barrier(ts, losses) == pytest.approx(0.065, abs=0.001)
    assert 0.5 * np.var(ex.y) == pytest.approx(0.064, abs=0.001)


def test_passes_between_copies_are_low():
    """Chapter: Bezier barrier between permuted copies < 0.001; GD from the line's midpoint stays
    symmetric (exactly) and reaches a loss < 1e-5."""
    ex = figs.permutation_example()
    ts, curved = symmetry.path_losses(ex.obj, ex.theta, ex.swapped, t=np.linspace(0, 1, 61), control=ex.control)
    assert symmetry.barrier(ts, curved) < 0.001
    merged = optim.run("adam", ex.obj, (ex.theta + ex.swapped) / 2, steps=1500, lr=0.01)[-1]
    assert np.abs(symmetry.permute_hidden(ex.net, merged, figs.SWAP) - merged).max() == 0.0
    assert ex.obj.f(merged) < 1e-5


def test_paths_and_barrier():
    a, b, c = np.zeros(3), np.ones(3), np.array([0.5, 2.0, 0.5])
    pts = symmetry.bezier(a, b, c, [0.0, 0.5, 1.0])
    np.testing.assert_allclose(pts[0], a)
    np.testing.assert_allclose(pts[-1], b)
    np.testing.assert_allclose(pts[1], 0.25 * a + 0.5 * c + 0.25 * b)
    t, line = symmetry.path_losses(lambda th: float(th.sum()), a, b)
    assert symmetry.barrier(t, line) == pytest.approx(0.0, abs=1e-12)       # linear loss: no barrier
    t, bump = symmetry.path_losses(lambda th: float(np.sin(np.pi * th[0])), a, b, t=np.linspace(0, 1, 11))
    assert symmetry.barrier(t, bump) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        symmetry.barrier([0, 1], [1.0])
    with pytest.raises(TypeError):
        symmetry.path_losses(3, a, b)
    with pytest.raises(ValueError):
        symmetry.bezier(a, np.ones(2), c, 0.5)
    with pytest.raises(ValueError, match="theta_a"):
        symmetry.bezier(np.ones((2, 2)), b, c, 0.5)
    with pytest.raises(ValueError, match="NaN"):
        symmetry.path_losses(lambda th: 0.0, np.array([np.nan, 0, 0]), b)


@pytest.fixture(scope="module")
def mode_connectivity():
    Xm, ym, _ = nets.teacher_student(n=60, sizes=(2, 3, 1), activation="tanh", seed=3)
    net = nets.MLP((2, 10, 1), activation="tanh")
    obj = net.bind(Xm, ym)
    A = optim.run("adam", obj, net.init(seed=1), steps=800, lr=0.02)[-1]
    B = optim.run("adam", obj, net.init(seed=2), steps=800, lr=0.02)[-1]
    C = symmetry.fit_bezier(obj, A, B, steps=300, lr=0.02)
    return obj, A, B, C


def test_mode_connectivity_numbers(mode_connectivity):
    """Chapter: straight-line barrier 0.16 (tol 0.01); fitted Bezier curve below 0.001."""
    obj, A, B, C = mode_connectivity
    ts, line = symmetry.path_losses(obj, A, B)
    ts, curve = symmetry.path_losses(obj, A, B, control=C)
    assert symmetry.barrier(ts, line) == pytest.approx(0.16, abs=0.01)
    assert symmetry.barrier(ts, curve) < 0.001


def test_fit_bezier_checks_input(mode_connectivity):
    obj, A, B, _ = mode_connectivity
    with pytest.raises(TypeError):
        symmetry.fit_bezier(lambda th: 0.0, A, B)
    with pytest.raises(ValueError):
        symmetry.fit_bezier(obj, A, B, lr=0.0)
    with pytest.raises(ValueError):
        symmetry.fit_bezier(obj, A, B[:3])
