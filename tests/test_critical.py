"""Critical points found and classified: Müller-Brown, Himmelblau, degenerate cases; `classify`."""
import numpy as np
import pytest

from landscape import classify, index, zoo

# Müller & Brown (1979), Table 1 (locations to 3 decimals, energies to 2)
MB_MINIMA = [((-0.558, 1.442), -146.70), ((0.623, 0.028), -108.17), ((-0.050, 0.467), -80.77)]
MB_SADDLES = [((-0.822, 0.624), -40.66), ((0.212, 0.293), -72.25)]


def test_muller_brown_has_three_minima_and_two_transition_states():
    pts = zoo.muller_brown().critical_points(zoo.MULLER_BROWN_BOUNDS)
    kinds = [p.kind for p in pts]
    assert kinds.count("minimum") == 3 and kinds.count("saddle") == 2 and len(pts) == 5, pts
    for group, ref in (("minimum", MB_MINIMA), ("saddle", MB_SADDLES)):
        found = sorted((p for p in pts if p.kind == group), key=lambda p: p.x[0])
        for p, (xy, e) in zip(found, sorted(ref)):
            np.testing.assert_allclose(p.x, xy, atol=1e-3)
            assert p.value == pytest.approx(e, abs=0.01)
            if group == "saddle":
                assert p.index == 1


def test_himmelblau_has_4_minima_1_maximum_4_saddles():
    pts = zoo.himmelblau().critical_points([(-6, 6), (-6, 6)])
    kinds = [p.kind for p in pts]
    assert (kinds.count("minimum"), kinds.count("maximum"), kinds.count("saddle")) == (4, 1, 4)
    assert any(np.allclose(p.x, (3, 2)) for p in pts)
    for p in pts:
        assert np.linalg.norm(zoo.himmelblau().grad(p.x)) < 1e-8
        if p.kind == "minimum":
            assert p.value == pytest.approx(0, abs=1e-12)
    mx = [p for p in pts if p.kind == "maximum"][0]
    np.testing.assert_allclose(mx.x, (-0.270845, -0.923039), atol=1e-5)
    assert mx.value == pytest.approx(181.617, abs=1e-3)


@pytest.mark.parametrize("make", [zoo.monkey_saddle, lambda: zoo.flat_saddle(1), lambda: zoo.flat_saddle(3)])
def test_degenerate_origins(make):
    pts = make().critical_points([(-1, 1), (-1, 1)])
    assert len(pts) == 1 and pts[0].exact
    np.testing.assert_allclose(pts[0].x, 0, atol=1e-12)
    assert pts[0].kind == "degenerate"


def test_strict_saddle_and_deep_linear():
    pts = zoo.strict_saddle().critical_points([(-2, 2), (-2, 2)])
    assert [p.kind for p in pts] == ["minimum", "minimum", "saddle"]
    H0 = zoo.deep_linear(2).hess([0, 0])
    assert classify(H0) == "saddle" and index(H0) == 1
    assert classify(zoo.deep_linear(3).hess([0, 0, 0])) == "degenerate"  # Hessian is 0 at the origin


@pytest.mark.parametrize("ev, kind", [
    ([1, 2], "minimum"), ([-1, -2], "maximum"), ([-2, 3], "saddle"), ([0, 1], "degenerate"),
    ([0, -1], "degenerate"), ([0, 0], "degenerate"), ([-1, 0, 1], "saddle"), ([1e-12, 5], "degenerate"),
])
def test_classify_eigenvalues(ev, kind):
    assert classify(ev) == kind
    assert classify(np.diag(ev)) == kind


@pytest.mark.parametrize("bad, err, words", [
    (np.array([[1.0, 2.0], [0.0, 1.0]]), ValueError, "not symmetric"),
    (np.ones((2, 3)), ValueError, "square"),
    ([np.nan, 1.0], ValueError, "NaN"),
    ([], ValueError, "eigenvalues"),
    ("minimum", TypeError, "string"),
    (np.ones((2, 2, 2)), ValueError, "shape"),
])
def test_classify_rejects_bad_input(bad, err, words):
    with pytest.raises(err) as info:
        classify(bad)
    assert words in str(info.value)
