"""Chapter 02: every number its prose states, the escape law, and the figure callbacks."""
import inspect

import numpy as np
import pytest
import sympy as sp

from landscape import Landscape, classify, optim, zoo
from landscape.degenerate import higher_order_test, leading_form
from landscape.escape import (escape_direction, escape_steps, fit_escape_law, gd_paths, noisy_gd,
                              predicted_escape_steps)
from landscape.figures import critical as figs
from landscape.figures import saddle_escape as esc
from landscape.pes import barriers, connect

x, y = zoo.x, zoo.y


# --- classification and degenerate cases -------------------------------------------------
def test_quadratic_shapes_classified():
    assert [classify(np.diag(ev)) for ev in figs.QUADRATICS.values()] == ["minimum", "maximum", "saddle"]


@pytest.mark.parametrize("expr, n, kind, lowest, valleys", [
    (x**4 + y**4, 2, "minimum", 0.5, 0),
    (x**4 - y**4, 2, "saddle", -1.0, 2),
    (x**3, 1, "saddle", -1.0, 1),
    (x**3 - 3 * x * y**2, 2, "saddle", -1.0, 3),
    (-(x**4) - y**4, 2, "maximum", -1.0, None),
    (x**2 - y**2, 2, "saddle", -1.0, 2),
])
def test_higher_order_test_decides_degenerate_points(expr, n, kind, lowest, valleys):
    L = Landscape(expr, (x, y)[:n])
    t = higher_order_test(L, np.zeros(n))
    assert t.kind == kind
    assert t.lowest == pytest.approx(lowest, rel=1e-4)
    if valleys is not None:
        assert t.valleys == valleys
    if t.degree > 2:
        assert classify(L.hess(np.zeros(n))) == "degenerate"  # the Hessian test is silent


def test_semidefinite_leading_form_is_silent():
    for e in (x**2 + y**4, x**2 - y**4):
        assert higher_order_test(Landscape(e, (x, y)), [0, 0]).kind == "degenerate"


def test_leading_form_rejects_bad_input():
    with pytest.raises(TypeError, match="polynomial"):
        leading_form(zoo.muller_brown(), [0, 0])
    with pytest.raises(ValueError, match="not a critical point"):
        leading_form(Landscape(x**2 + y, (x, y)), [0, 0])
    with pytest.raises(ValueError, match="x0"):
        leading_form(zoo.monkey_saddle(), [0, 0, 0])


# --- gallery and chemistry ---------------------------------------------------------------
def test_himmelblau_gallery_numbers():
    pts = zoo.himmelblau().critical_points([(-6, 6), (-6, 6)])
    kinds = [p.kind for p in pts]
    counts = (kinds.count("minimum"), kinds.count("maximum"), kinds.count("saddle"))
    assert counts == (4, 1, 4)
    assert counts[0] - counts[2] + counts[1] == 1  # Morse count
    top = [p for p in pts if p.kind == "maximum"][0]
    np.testing.assert_allclose(top.x, [-0.2708, -0.9230], atol=1e-4)
    assert top.value == pytest.approx(181.617, abs=1e-3)


def _muller_brown_named():
    L = zoo.muller_brown()
    pts = L.critical_points(zoo.MULLER_BROWN_BOUNDS)
    minima = sorted((p for p in pts if p.kind == "minimum"), key=lambda p: p.value)
    saddles = sorted((p for p in pts if p.kind == "saddle"), key=lambda p: p.x[0])
    return L, pts, {id(p): n for p, n in zip(minima + saddles, ["A", "B", "C", "TS1", "TS2"])}


def test_muller_brown_transition_states_and_barriers():
    L, pts, names = _muller_brown_named()
    kinds = [p.kind for p in pts]
    assert (kinds.count("minimum"), kinds.count("saddle")) == (3, 2)
    assert [p.index for p in pts if p.kind == "saddle"] == [1, 1]
    bars = barriers(L, pts)
    joins = {names[id(b.saddle)]: sorted(names[id(m)] for m in b.minima) for b in bars}
    assert joins == {"TS1": ["A", "C"], "TS2": ["B", "C"]}
    height = {}
    for b in bars:
        for m, h in zip(b.minima, b.heights):
            other = [names[id(q)] for q in b.minima if q is not m][0]
            height[names[id(m)] + "→" + other] = h
    expected = {"A→C": 106.03, "C→A": 40.10, "C→B": 8.52, "B→C": 35.92}
    for step, h in expected.items():
        assert height[step] == pytest.approx(h, abs=0.01), step
    # barrier = E(saddle) - E(minimum), by definition
    for b in bars:
        assert b.heights == pytest.approx([b.saddle.value - m.value for m in b.minima])


def test_connect_rejects_non_saddles():
    L, pts, _ = _muller_brown_named()
    with pytest.raises(ValueError, match="index-1 saddle"):
        connect(L, [p for p in pts if p.kind == "minimum"][0], pts)
    with pytest.raises(ValueError, match="minimum"):
        connect(L, [p for p in pts if p.kind == "saddle"][0], [])


# --- pseudo-stable saddles -----------------------------------------------------------------
def test_stable_manifold_converges_and_a_perturbation_escapes():
    L = zoo.strict_saddle()
    assert np.linalg.norm(gd_paths(L, [[1.0, 0.0]], 300, lr=0.1)[-1, 0]) < 1e-12
    np.testing.assert_allclose(gd_paths(L, [[1.0, 1e-6]], 300, lr=0.1)[-1, 0], [0, 1], atol=1e-9)
    assert np.isinf(escape_steps(L, [0, 0], [0.0], stable_offset=0.3, max_steps=1000)[0])


@pytest.mark.parametrize("lr, stated", [(0.1, 10.48), (0.3, 3.81)])
def test_escape_law_fitted_over_ten_decades(lr, stated):
    L = zoo.strict_saddle()
    lam, v = escape_direction(L, [0, 0])
    assert lam == pytest.approx(-1.0) and abs(v[1]) == pytest.approx(1.0)
    offsets = 10.0 ** -np.arange(2, 13)
    steps = escape_steps(L, [0, 0], offsets, lr=lr, radius=0.5, stable_offset=0.3)
    slope, _ = fit_escape_law(offsets, steps)
    predicted = 1 / np.log1p(lr * abs(lam))
    assert slope == pytest.approx(predicted, rel=0.01)
    assert slope == pytest.approx(stated, abs=0.01)
    # each measured count is within a few steps of the linear prediction
    assert np.max(np.abs(steps - predicted_escape_steps(offsets, lam, lr, 0.5))) < 6


def test_noise_escapes_from_the_saddle_itself():
    L = zoo.strict_saddle()
    med = {s: np.median(escape_steps(L, [0, 0], np.zeros(20), noise=s, seed=1)) for s in (1e-4, 1e-3, 1e-2)}
    assert all(np.isfinite(m) for m in med.values())
    assert med[1e-3] == pytest.approx(90.5)
    assert (med[1e-4] - med[1e-2]) / 2 == pytest.approx(24.0, abs=1.0)
    assert np.log(10) / np.log(1.1) == pytest.approx(24.2, abs=0.05)


def test_rounding_errors_escape_a_rotated_saddle_slowly():
    L = zoo.strict_saddle()
    c, s = sp.cos(sp.pi / 6), sp.sin(sp.pi / 6)
    R = Landscape(L.expr.subs({x: c * x + s * y, y: -s * x + c * y}, simultaneous=True), (x, y))
    dist = np.linalg.norm(gd_paths(R, [[float(c), float(s)]], 600, lr=0.1)[:, 0], axis=1)
    closest = int(np.argmin(dist))
    assert dist[closest] < 1e-8
    assert closest + int(np.argmax(dist[closest:] >= 0.5)) == pytest.approx(400, abs=50)


def test_random_starts_never_end_at_the_strict_saddle():
    starts = np.random.default_rng(0).uniform(-1.5, 1.5, size=(1000, 2))
    ends = gd_paths(zoo.strict_saddle(), starts, 300, lr=0.1)[-1]
    assert np.sum(np.linalg.norm(ends, axis=1) < 0.1) == 0
    assert np.sum(np.linalg.norm(np.abs(ends) - [0, 1], axis=1) < 1e-6) == 1000


def test_noisy_gd_is_an_optimizer_step():
    L = zoo.strict_saddle()
    exact = optim.run(noisy_gd, L, [1.0, 1e-6], steps=50, lr=0.1)
    np.testing.assert_allclose(exact, optim.run("gd", L, [1.0, 1e-6], steps=50, lr=0.1))
    noisy = optim.run(noisy_gd, L, [0.0, 0.0], steps=200, lr=0.1, noise=1e-3, seed=3)
    assert abs(noisy[-1, 1]) == pytest.approx(1.0, abs=0.01)


def test_escape_functions_reject_bad_input():
    L = zoo.strict_saddle()
    with pytest.raises(ValueError, match="strict saddle"):
        escape_steps(L, [0, 1], [1e-3])  # a minimum
    with pytest.raises(ValueError, match="inside the ball"):
        escape_steps(L, [0, 0], [0.6])
    with pytest.raises(ValueError, match="lr"):
        escape_steps(L, [0, 0], [1e-3], lr=-1)
    with pytest.raises(ValueError, match="negative eigenvalue"):
        predicted_escape_steps(1e-3, 1.0)
    with pytest.raises(ValueError, match="same length"):
        fit_escape_law([1e-3, 1e-4], [10.0])
    with pytest.raises(ValueError, match="escape"):
        fit_escape_law([1e-3, 1e-4], [10.0, np.inf])
    with pytest.raises(ValueError, match="steps"):
        gd_paths(L, [[0, 0]], -1)
    with pytest.raises(ValueError, match="noise"):
        gd_paths(L, [[0, 0]], 5, noise=-1)


# --- figures and the widget callback ------------------------------------------------------
WIDGET = {"offset": (1e-6, 1e-12, 1e-1), "noise": (0.0, 0.0, 0.05), "lr": (0.1, 0.05, 0.5)}


def test_widget_defaults_are_the_texts_values():
    params = inspect.signature(esc.saddle_escape).parameters
    for name, (default, _, _) in WIDGET.items():
        assert params[name].default == default, name


CASES = [{}] + [{name: v} for name, (_, lo, hi) in WIDGET.items() for v in (lo, hi)] + [
    {k: lo for k, (_, lo, _) in WIDGET.items()}, {k: hi for k, (_, _, hi) in WIDGET.items()}]


@pytest.mark.parametrize("kw", CASES, ids=[str(c) for c in CASES])
def test_saddle_escape_callback(kw, no_warnings):
    fig = esc.saddle_escape(**kw)
    assert len(fig.axes) >= 3 and all(ax.get_title() for ax in fig.axes[:1])


def test_saddle_escape_callback_rejects_bad_input():
    with pytest.raises(ValueError, match="offset"):
        esc.saddle_escape(offset=-1e-3)
    with pytest.raises(ValueError, match="offset"):
        esc.saddle_escape(offset=0.7)
    with pytest.raises(ValueError, match="noise"):
        esc.saddle_escape(noise=float("nan"))


def test_static_figures(no_warnings):
    for fig in (figs.quadratic_shapes(), figs.degenerate_cases()):
        assert fig.axes and all(ax.get_title() for ax in fig.axes)
    H = zoo.himmelblau()
    fig = figs.critical_map(H, H.critical_points([(-6, 6), (-6, 6)]), ((-6, 6), (-6, 6)), "Himmelblau", log=True)
    assert fig.axes[0].get_xlabel() == "x"
    L, pts, names = _muller_brown_named()
    fig = figs.muller_brown_map(L, pts, barriers(L, pts), zoo.MULLER_BROWN_BOUNDS, [names[id(p)] for p in pts])
    assert fig.axes[0].get_title()
    offsets = 10.0 ** -np.arange(2, 6)
    fig = esc.escape_law(offsets, np.array([43.0, 67, 91, 115]), 10.5, -5.0, 10.49, 0.1)
    assert fig.axes[0].get_ylabel()


def test_escape_steps_with_a_given_direction_handles_flat_saddles():
    L = zoo.flat_saddle(1)
    with pytest.raises(ValueError, match="strict saddle"):
        escape_steps(L, [0, 0], [1e-2])
    slow = escape_steps(L, [0, 0], [1e-1, 1e-2], direction=[0, 1], lr=0.1, max_steps=20000)
    assert np.all(np.isfinite(slow)) and slow[1] > 10 * slow[0]  # polynomial, not logarithmic, in 1/offset
    with pytest.raises(ValueError, match="non-zero"):
        escape_steps(L, [0, 0], [1e-2], direction=[0, 0])


def test_widget_text_predicts_552_steps_beyond_the_window(no_warnings):
    """The 'Try it' list: at lr 0.05 and offset 1e-12 the prediction is 552 steps, past the window."""
    k = float(predicted_escape_steps(1e-12, -1.0, lr=0.05, radius=esc.RADIUS))
    assert round(k) == 552 and k > esc.STEPS
    labels = esc.saddle_escape(offset=1e-12, lr=0.05).axes[2].get_legend_handles_labels()[1]
    assert "predicted escape: step 552" in labels


def test_escape_counts_and_time_units_quoted_in_the_text():
    """Section 5 and question 3: 139 and 212 steps (lr 0.1), 77 (lr 0.3); slopes x lr = 1.05, 1.14."""
    L = zoo.strict_saddle()
    offsets = 10.0 ** -np.arange(2, 13)
    runs = {lr: escape_steps(L, [0, 0], offsets, lr=lr, radius=0.5, stable_offset=0.3) for lr in (0.1, 0.3)}
    assert [runs[0.1][4], runs[0.1][7], runs[0.3][7]] == [139, 212, 77]
    assert 0.1 * fit_escape_law(offsets, runs[0.1])[0] == pytest.approx(1.05, abs=0.005)
    assert 0.3 * fit_escape_law(offsets, runs[0.3])[0] == pytest.approx(1.14, abs=0.005)
    assert 3 * np.log(10) / np.log(1.1) == pytest.approx(72, abs=0.5)
    assert np.log(1.1) / np.log(1.3) == pytest.approx(0.36, abs=0.005)


def test_arrhenius_ratio_in_question_4():
    L, pts, names = _muller_brown_named()
    height = {}
    for b in barriers(L, pts):
        for m, h in zip(b.minima, b.heights):
            height[names[id(m)]] = height.get(names[id(m)], {}) | {names[id(b.saddle)]: h}
    # C -> B over TS2 (8.52) against B -> C over TS2 (35.92), at k_B T = 10
    assert np.exp((height["B"]["TS2"] - height["C"]["TS2"]) / 10) == pytest.approx(15.5, abs=0.05)


def test_lee_hypotheses_hold_on_the_box():
    """Section 6: on [-1.5, 1.5]^2 the largest curvature is 5.75, so lr 0.1 < 1/5.75; GD stays in the box."""
    L = zoo.strict_saddle()
    corners = np.array([[1.5, 1.5], [0.0, 1.5], [0.0, 0.0]])
    ell = float(np.max(np.abs(np.linalg.eigvalsh(L.hess(corners)))))
    assert ell == pytest.approx(5.75) and 0.1 < 1 / ell
    starts = np.random.default_rng(0).uniform(-1.5, 1.5, size=(1000, 2))
    assert np.all(np.abs(gd_paths(L, starts, 300, lr=0.1)) <= 1.5)
