"""Small networks: backprop equals finite differences; initialisers; data; optimizers train them."""
import numpy as np
import pytest

from landscape import nets, optim
from conftest import fd_grad


@pytest.mark.parametrize("activation", nets.ACTIVATIONS)
@pytest.mark.parametrize("loss", nets.LOSSES)
def test_backprop_matches_finite_differences(activation, loss):
    rng = np.random.default_rng(0)
    net = nets.MLP((3, 5, 4, 2), activation=activation, loss=loss)
    X = rng.normal(size=(20, 3))
    y = rng.integers(0, 2, size=20) if loss == "cross_entropy" else rng.normal(size=(20, 2))
    theta = net.init(seed=1) + 0.1 * rng.normal(size=net.n)   # biases nonzero too
    obj = net.bind(X, y)
    np.testing.assert_allclose(obj.grad(theta), fd_grad(obj.f, theta), rtol=1e-5, atol=1e-7)


def test_flatten_roundtrip_and_parameter_count():
    net = nets.MLP((2, 7, 1))
    assert net.n == 2 * 7 + 7 + 7 + 1
    theta = np.arange(net.n, dtype=float)
    np.testing.assert_array_equal(net.flatten(net.unflatten(theta)), theta)
    assert nets.MLP((2, 7, 1), bias=False).n == 21


def test_he_init_keeps_relu_activations_alive_through_depth():
    net = nets.MLP([100] * 31, activation="relu")
    X = np.random.default_rng(0).normal(size=(500, 100))
    z_he = net.hidden(net.init(seed=0, scheme="he"), X)
    z_gl = net.hidden(net.init(seed=0, scheme="glorot"), X)
    ratio_he = z_he[-1].var() / z_he[0].var()
    ratio_gl = z_gl[-1].var() / z_gl[0].var()
    assert 0.2 < ratio_he < 5          # He: variance roughly constant through 30 ReLU layers
    assert ratio_gl < 1e-6             # Glorot halves it at every ReLU layer: 2^-29


def test_adam_trains_a_student_to_low_loss():
    X, y, _ = nets.teacher_student(n=200, sizes=(2, 3, 1), seed=0)
    net = nets.MLP((2, 16, 1), activation="tanh")
    obj = net.bind(X, y)
    theta0 = net.init(seed=1)
    t = optim.run("adam", obj, theta0, steps=500, lr=0.02)
    assert obj.f(t[-1]) < 0.05 * obj.f(theta0)


def test_filter_normalized_direction_has_the_rows_norms():
    net = nets.MLP((2, 6, 1))
    theta = net.init(seed=0)
    d = nets.random_direction(net, theta, seed=3)
    for (Wd, bd), (Wt, _) in zip(net.unflatten(d), net.unflatten(theta)):
        np.testing.assert_allclose(np.linalg.norm(Wd, axis=1), np.linalg.norm(Wt, axis=1))
        np.testing.assert_array_equal(bd, 0)


def test_classification_data():
    for kind in ("moons", "spirals"):
        X, lab = nets.classification(n=100, kind=kind)
        assert X.shape == (100, 2) and set(lab) == {0, 1}


@pytest.mark.parametrize("call, words", [
    (lambda: nets.MLP((2,)), "at least"),
    (lambda: nets.MLP((2, 3), activation="gelu"), "unknown activation"),
    (lambda: nets.MLP((2, 3), loss="l1"), "unknown loss"),
    (lambda: nets.MLP((2, 3, 1)).bind(np.zeros((5, 3)), np.zeros(5)), "X must have shape (N, 2)"),
    (lambda: nets.MLP((2, 3, 1)).bind(np.zeros((5, 2)), np.zeros(4)), "targets must have shape"),
    (lambda: nets.MLP((2, 3, 2), loss="cross_entropy").bind(np.zeros((5, 2)), np.full(5, 2)), "labels must lie"),
    (lambda: nets.MLP((2, 3, 1)).loss(np.zeros(3), np.zeros((5, 2)), np.zeros(5)), "theta"),
    (lambda: nets.MLP((2, 3, 1)).init(scheme="xavier"), "unknown init"),
])
def test_bad_input_is_named(call, words):
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    assert words in str(info.value)
