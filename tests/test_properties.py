"""Property tests: gradients match finite differences, Hessians are symmetric, classify is
invariant under orthogonal similarity."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from landscape import classify, zoo

LANDSCAPES = {name: make() for name, make in zoo.ALL.items()}
coords = st.floats(-1.5, 1.5, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(sorted(LANDSCAPES)), p=st.lists(coords, min_size=3, max_size=3))
def test_gradient_matches_central_differences(name, p):
    L = LANDSCAPES[name]
    x = np.array(p[:L.n])
    h = 1e-6
    fd = np.array([(L.f(x + h * e) - L.f(x - h * e)) / (2 * h) for e in np.eye(L.n)])
    scale = 1 + np.abs(fd).max()
    np.testing.assert_allclose(L.grad(x), fd, atol=1e-5 * scale)
    fd_h = np.array([(L.grad(x + h * e) - L.grad(x - h * e)) / (2 * h) for e in np.eye(L.n)])
    np.testing.assert_allclose(L.hess(x), fd_h, atol=1e-5 * (1 + np.abs(fd_h).max()))


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(sorted(LANDSCAPES)), p=st.lists(coords, min_size=3, max_size=3))
def test_hessian_is_symmetric(name, p):
    L = LANDSCAPES[name]
    H = L.hess(np.array(p[:L.n]))
    np.testing.assert_array_equal(H, H.T)


@settings(max_examples=200, deadline=None)
@given(ev=st.lists(st.sampled_from([-3.0, -1.0, -0.2, 0.0, 0.5, 2.0, 7.0]), min_size=1, max_size=5),
       seed=st.integers(0, 2**32 - 1))
def test_classify_is_invariant_under_orthogonal_similarity(ev, seed):
    n = len(ev)
    Q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(n, n)))
    H = Q @ np.diag(ev) @ Q.T
    H = (H + H.T) / 2
    assert classify(H, tol=1e-8) == classify(np.array(ev))
