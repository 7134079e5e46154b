"""Exact Hessian-vector products, full Hessians and Lanczos/SLQ spectra of small networks."""
import tracemalloc

import numpy as np
import pytest
import sympy as sp

from landscape import hvp, lanczos, nets, optim
from conftest import fd_grad


def problem(activation, loss, sizes=(3, 5, 4, 2), n=20, seed=0):
    rng = np.random.default_rng(seed)
    net = nets.MLP(sizes, activation=activation, loss=loss)
    X = rng.normal(size=(n, sizes[0]))
    y = rng.integers(0, sizes[-1], size=n) if loss == "cross_entropy" else rng.normal(size=(n, sizes[-1]))
    theta = net.init(seed=1) + 0.1 * rng.normal(size=net.n)
    return net, net.bind(X, y), theta


@pytest.mark.parametrize("activation", nets.ACTIVATIONS)
@pytest.mark.parametrize("loss", nets.LOSSES)
def test_gradient_and_hvp_match_finite_differences(activation, loss):
    net, obj, theta = problem(activation, loss)
    np.testing.assert_allclose(obj.grad(theta), fd_grad(obj.f, theta), rtol=1e-5, atol=1e-7)
    v = np.random.default_rng(2).normal(size=net.n)
    eps = 1e-5
    fd = (obj.grad(theta + eps * v) - obj.grad(theta - eps * v)) / (2 * eps)
    np.testing.assert_allclose(obj.hvp(theta, v), fd, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("loss", nets.LOSSES)
def test_hessian_is_symmetric_and_agrees_with_batched_and_single_hvps(loss):
    net, obj, theta = problem("tanh", loss)
    H = obj.hessian(theta)
    V = np.random.default_rng(3).normal(size=(4, net.n))
    np.testing.assert_allclose(obj.hvp(theta, V), V @ H, atol=1e-12)
    np.testing.assert_allclose(obj.hvp(theta, V[0]), H @ V[0], atol=1e-12)
    raw = hvp.hvp(net, theta, obj.X, obj.y, np.eye(net.n))
    assert np.abs(raw - raw.T).max() < 1e-12          # exact products are symmetric before symmetrising


def sympy_hessian_221(theta, X, y):
    """Hessian of 0.5 * mean (w2 . tanh(W1 x + b1) + b2 - y)^2 for a 2-2-1 net, derived by sympy."""
    w = sp.symbols("w0:9")
    W1 = sp.Matrix([[w[0], w[1]], [w[2], w[3]]])
    b1 = sp.Matrix([w[4], w[5]])
    W2 = sp.Matrix([[w[6], w[7]]])
    b2 = w[8]
    L = 0
    for x, t in zip(X, y):
        h = (W1 * sp.Matrix(x) + b1).applyfunc(sp.tanh)
        L += sp.Rational(1, 2) * ((W2 * h)[0] + b2 - t) ** 2
    L = L / len(X)
    Hs = sp.hessian(L, w)
    return np.array(sp.lambdify(w, Hs, "numpy")(*theta), dtype=float)


def test_hvp_and_hessian_match_a_sympy_derived_hessian():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3, 2))
    y = rng.normal(size=3)
    net = nets.MLP((2, 2, 1), activation="tanh")
    theta = rng.normal(size=net.n)
    # our flat layout is W1 (row-major), b1, W2, b2 -- the same order as the symbols above
    H_sym = sympy_hessian_221(theta, X, [float(t) for t in y])
    obj = net.bind(X, y)
    np.testing.assert_allclose(obj.hessian(theta), H_sym, rtol=1e-10, atol=1e-12)
    v = rng.normal(size=net.n)
    np.testing.assert_allclose(obj.hvp(theta, v), H_sym @ v, rtol=1e-10, atol=1e-12)


def test_hvp_rejects_bad_input():
    net, obj, theta = problem("tanh", "mse")
    with pytest.raises(ValueError, match="v must"):
        obj.hvp(theta, np.ones(net.n + 1))
    with pytest.raises(ValueError, match="theta"):
        obj.hvp(theta[:-1], np.ones(net.n))
    with pytest.raises(ValueError, match="at least one direction"):
        obj.hvp(theta, np.zeros((0, net.n)))
    with pytest.raises(TypeError, match="MLP"):
        hvp.hvp("net", theta, obj.X, obj.y, np.ones(net.n))
    with pytest.raises(ValueError, match="lanczos"):
        hvp.hessian(nets.MLP((2, 80, 80, 1)), np.zeros(nets.MLP((2, 80, 80, 1)).n), np.zeros((3, 2)), np.zeros(3))


@pytest.fixture(scope="module")
def trained():
    X, y = nets.classification(n=200, kind="moons", noise=0.1, seed=0)
    net = nets.MLP((2, 12, 12, 2), activation="tanh", loss="cross_entropy")
    obj = net.bind(X, y)
    theta = optim.run("adam", obj, net.init(seed=0), steps=400, lr=0.01)[-1]
    return obj, theta, np.linalg.eigvalsh(obj.hessian(theta))


def test_lanczos_extreme_eigenvalues_match_the_exact_spectrum(trained):
    obj, theta, ev = trained
    lo, hi = lanczos.extreme_eigenvalues(hvp.operator(obj, theta), obj.n, k=60)
    assert abs(hi - ev[-1]) < 1e-8 * ev[-1]
    assert abs(lo - ev[0]) < 1e-3 * ev[-1]
    assert ev[0] - 1e-12 <= lo and hi <= ev[-1] + 1e-12     # Ritz values lie inside the spectrum


def test_slq_density_matches_the_exact_spectrum():
    # a spectrum with structure: a bulk, a gap and outliers
    rng = np.random.default_rng(0)
    P = 400
    ev = np.sort(np.r_[rng.normal(0.0, 0.05, 380), rng.uniform(0.5, 1.0, 17), [3.0, 4.0, 6.0]])
    Q, _ = np.linalg.qr(rng.normal(size=(P, P)))
    A = (Q * ev) @ Q.T
    nodes, weights = lanczos.slq(lambda v: A @ v, P, k=60, n_probes=20, seed=1)
    assert np.allclose(weights.sum(axis=1), 1.0)
    for x in [-0.1, 0.0, 0.1, 0.7, 2.0, 5.0]:
        assert abs(lanczos.cdf(nodes, weights, x) - np.mean(ev <= x)) < 0.05, x
    assert abs(nodes.max() - 6.0) < 1e-8 and abs(nodes.min() - ev[0]) < 1e-2
    grid = np.linspace(-1, 7, 4001)
    rho = lanczos.spectral_density(nodes, weights, grid, sigma=0.05)
    assert abs(np.trapezoid(rho, grid) - 1.0) < 1e-3
    hist_mass = np.trapezoid(rho[(grid > 0.4) & (grid < 1.1)], grid[(grid > 0.4) & (grid < 1.1)])
    assert abs(hist_mass - 17 / P) < 0.03


def test_lanczos_memory_is_order_k_times_P():
    P, k = 200_000, 10
    d = np.linspace(-1, 1, P)
    tracemalloc.start()
    lanczos.lanczos(lambda v: d * v, P, k=k)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < (k + 8) * P * 8          # the k Lanczos vectors and a few work vectors, no P x P


def test_lanczos_rejects_bad_input():
    with pytest.raises(TypeError, match="matvec"):
        lanczos.lanczos(np.eye(3), 3)
    with pytest.raises(ValueError, match="k"):
        lanczos.lanczos(lambda v: v, 3, k=0)
    with pytest.raises(ValueError, match="v0"):
        lanczos.lanczos(lambda v: v, 3, v0=np.zeros(3))
    with pytest.raises(ValueError, match="matvec returned"):
        lanczos.lanczos(lambda v: v[:2], 3)
    with pytest.raises(ValueError, match="sigma"):
        lanczos.spectral_density(np.zeros((1, 2)), np.ones((1, 2)), [0.0], sigma=0)
    with pytest.raises(ValueError, match="same shape"):
        lanczos.cdf(np.zeros((1, 2)), np.ones((1, 3)), 0.0)


def test_slq_cdf_matches_a_trained_network_spectrum(trained):
    obj, theta, ev = trained
    nodes, weights = lanczos.slq(hvp.operator(obj, theta), obj.n, k=60, n_probes=8, seed=0)
    for frac in [-0.01, 0.01, 0.05, 0.2, 0.5]:
        x = frac * ev[-1]
        assert abs(lanczos.cdf(nodes, weights, x) - np.mean(ev <= x)) < 0.05, frac


def test_hvp_without_biases_matches_finite_differences():
    rng = np.random.default_rng(4)
    net = nets.MLP((2, 3, 1), activation="tanh", bias=False)
    obj = net.bind(rng.normal(size=(10, 2)), rng.normal(size=10))
    theta, v = rng.normal(size=net.n), rng.normal(size=net.n)
    fd = (obj.grad(theta + 1e-5 * v) - obj.grad(theta - 1e-5 * v)) / 2e-5
    np.testing.assert_allclose(obj.hvp(theta, v), fd, rtol=1e-6, atol=1e-9)
