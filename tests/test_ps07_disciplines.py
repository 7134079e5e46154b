"""Practice 07: the numbers its prose states, recomputed with the package (the notebook's own
tests check the learner's functions; these check that what the text promises is true)."""
import functools

import numpy as np
import pytest
import sympy as sp

from landscape import continuation, paths, zoo

x = sp.Symbol("x", real=True)
sigma = sp.Symbol("sigma", positive=True)
F = (x**2 - 4)**2 / 16 + x / 2 + 1 - sp.cos(2 * sp.pi * x)       # the practice set's rugged loss
F_SIGMA = (x**4 + 6 * sigma**2 * x**2 + 3 * sigma**4 - 8 * (x**2 + sigma**2) + 16) / 16 + x / 2 \
    + 1 - sp.exp(-2 * sp.pi**2 * sigma**2) * sp.cos(2 * sp.pi * x)
STARTS = np.linspace(-4, 4, 41)
WIDE = [2.0, 1.5, 1.0, 0.6, 0.4, 0.2, 0.0]


@pytest.fixture(scope="module")
def rugged():
    f_num = sp.lambdify(x, F, "numpy")
    f_prime = sp.lambdify(x, sp.diff(F, x), "numpy")
    grid = np.linspace(-4, 4, 80001)
    x_star = grid[np.argmin(f_num(grid))]
    smoothed_prime = functools.lru_cache(maxsize=None)(lambda s_: continuation.smoothed(f_prime, s_, nodes=100))
    return f_num, (lambda x_, s_: smoothed_prime(float(s_))(x_)), x_star


def test_the_smoothed_loss_the_hidden_test_expects_is_right():
    exact = sp.lambdify((x, sigma), F_SIGMA, "numpy")
    xs = np.linspace(-4, 4, 17)
    for s in (0.0, 0.1, 0.5, 1.0, 2.0):
        assert np.allclose(exact(xs, s), continuation.smoothed(sp.lambdify(x, F, "numpy"), s, nodes=100)(xs), atol=1e-10)


def test_rugged_loss_has_seven_minima_and_its_global_one_at_minus_2_012(rugged):
    f_num, _, x_star = rugged
    g = f_num(np.linspace(-4, 4, 80001))
    assert np.sum((g[1:-1] < g[:-2]) & (g[1:-1] < g[2:])) == 7
    assert x_star == pytest.approx(-2.012, abs=5e-4)


def _fraction(ends, x_star):
    return np.mean(np.abs(ends - x_star) < 0.5)


def test_basin_fractions_stated_in_part_8(rugged):
    _, grad, x_star = rugged
    plain = continuation.continuation(grad, STARTS, [0.0], steps=100 * len(WIDE), lr=0.01)
    wide = continuation.continuation(grad, STARTS, WIDE, steps=100, lr=0.01)
    narrow = continuation.continuation(grad, STARTS, [0.5, 0.25, 0.0], steps=1000, lr=0.01)
    plain_long = continuation.continuation(grad, STARTS, [0.0], steps=3000, lr=0.01)
    assert _fraction(plain, x_star) * 41 == pytest.approx(5)
    assert _fraction(wide, x_star) == 1.0
    assert _fraction(narrow, x_star) * 41 == pytest.approx(24)
    assert _fraction(plain_long, x_star) * 41 == pytest.approx(5)


def test_single_minimum_above_one_over_sqrt3():
    """The written answer: without ripples f_sigma' has one real zero iff sigma > 1/sqrt(3)."""
    for s, roots in ((0.5, 3), (0.57, 3), (0.59, 1), (1.0, 1), (2.0, 1)):
        r = np.roots([1, 0, 3 * s**2 - 4, 2])
        assert np.sum(np.abs(r.imag) < 1e-9) == roots, s


def test_barriers_and_transition_states_stated_in_part_5():
    L = zoo.muller_brown()
    crit = L.critical_points(zoo.MULLER_BROWN_BOUNDS)
    A, B, C = (p.x for p in sorted((p for p in crit if p.kind == "minimum"), key=lambda p: p.value))
    for a, b, dE, top in ((A, C, 106.03, (-0.8220, 0.6243)), (C, B, 8.52, (0.2125, 0.2930))):
        band = paths.neb(L, a, b)
        got, i = paths.barrier(L, band)
        assert got == pytest.approx(dE, abs=0.01)
        assert band[i] == pytest.approx(np.array(top), abs=1e-4)
