"""Chapter 00 (introduction): the trained network, its slices, filter normalisation, the widgets."""
import nbformat
import numpy as np
import pytest

from conftest import ROOT
from landscape import nets, slices, symmetry
from landscape.figures import slices as figs


@pytest.fixture(scope="module")
def example():
    return figs.example()


def test_trained_network_as_the_text_says(example):
    net, obj, theta = example
    assert net.n == 354 and len(obj.X) == 200
    assert np.mean(net.forward(theta, obj.X).argmax(axis=1) == obj.y) == 1.0
    assert obj.f(theta) < 1e-3


def test_random_directions_nearly_orthogonal(example):
    net, _, theta = example
    d1, d2 = nets.random_direction(net, theta, seed=1), nets.random_direction(net, theta, seed=1001)
    assert d1 @ d2 / (np.linalg.norm(d1) * np.linalg.norm(d2)) == pytest.approx(0.04, abs=0.01)


def test_one_d_slice_lowest_at_trained_point_and_rises_3_to_4_orders(example):
    net, obj, theta = example
    a, l = slices.slice_1d(obj, theta, nets.random_direction(net, theta, seed=1), span=1.0, n=121)
    assert a[np.argmin(l)] == 0.0
    orders = np.log10(l[[0, -1]] / obj.f(theta))
    assert np.all((orders > 3) & (orders < 4))


def test_two_d_slice_matches_one_d_slices(example):
    net, obj, theta = example
    d1, d2 = nets.random_direction(net, theta, seed=1), nets.random_direction(net, theta, seed=2)
    A, B, Z = slices.slice_2d(obj, theta, d1, d2, span=1.0, n=5)
    _, l1 = slices.slice_1d(obj, theta, d1, span=1.0, n=5)
    np.testing.assert_allclose(Z[2, :], l1)            # the beta = 0 row is the 1-D slice along d1
    assert A[2, 0] == -1.0 and B[0, 2] == -1.0


def test_rescaling_keeps_function_and_filter_normalised_slice(example):
    net, obj, theta = example
    small = symmetry.rescale(net, theta, 0.25)
    np.testing.assert_allclose(net.forward(small, obj.X), net.forward(theta, obj.X), rtol=1e-10, atol=1e-12)

    def rise(th, normalize):
        d = nets.random_direction(net, th, seed=1, normalize=normalize)
        if normalize is None:
            d = d * np.linalg.norm(theta)
        return slices.rise(obj, th, d, alpha=0.1)

    assert rise(small, None) / rise(theta, None) == pytest.approx(74, abs=1)
    assert rise(small, "filter") == pytest.approx(rise(theta, "filter"), rel=1e-9)


def test_bad_inputs_are_named(example):
    net, obj, theta = example
    with pytest.raises(ValueError, match="zero vector"):
        slices.slice_1d(obj, theta, np.zeros(net.n))
    with pytest.raises(ValueError, match="span"):
        slices.slice_2d(obj, theta, theta, theta, span=0)
    with pytest.raises(ValueError, match="alpha"):
        symmetry.rescale(net, theta, -1.0)
    with pytest.raises(ValueError, match="homogeneous"):
        symmetry.rescale(nets.MLP((2, 3, 1), activation="tanh"), np.zeros(13), 2.0)
    with pytest.raises(ValueError, match="theta"):
        slices.slice_1d(obj, theta[:-1], theta)
    with pytest.raises(ValueError, match="span"):
        figs.slice_2d_figure(span=100)


@pytest.mark.parametrize("kw", [dict(), dict(span=0.05), dict(span=3.0), dict(seed=0), dict(seed=20)])
def test_slice_2d_widget(no_warnings, kw):
    fig = figs.slice_2d_figure(**kw)
    ax = fig.axes[0]
    assert ax.get_title().startswith("A 2-D slice") and ax.get_xlabel() and ax.get_ylabel()


@pytest.mark.parametrize("kw", [dict(), dict(alpha=0.1), dict(alpha=10.0), dict(seed=0), dict(seed=20)])
def test_rescaling_widget(no_warnings, kw):
    fig = figs.rescaling_slices(**kw)
    left, right = fig.axes[:2]
    # right panel: the two filter-normalised slices coincide for every rescaling
    y0, y1 = (line.get_ydata() for line in right.get_lines()[:2])
    np.testing.assert_allclose(y0, y1, rtol=1e-8)
    if kw.get("alpha", 0.25) != 1.0:
        assert not np.allclose(*(line.get_ydata() for line in left.get_lines()[:2]))


def test_slice_1d_figure(no_warnings):
    assert figs.slice_1d_figure().axes[0].get_yscale() == "log"


def test_glossary_lists_the_key_terms():
    nb = nbformat.read(ROOT / "chapters" / "00_introduction.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for term in ("损失地貌", "梯度", "海森矩阵", "曲率", "临界点", "局部极小值", "局部极大值", "鞍点",
                 "势能面", "排列对称性", "尺度对称性", "流形", "随机矩阵理论", "死亡神经元", "负曲率"):
        assert term in text, f"glossary misses {term}"
    for n in range(1, 8):
        assert f"| 0{n} |" in text, f"roadmap misses chapter 0{n}"


def test_glossary_covers_the_chinese_terms_of_chapters_01_02():
    import re

    def markdown(name):
        nb = nbformat.read(ROOT / "chapters" / name, as_version=4)
        return "\n".join(c.source for c in nb.cells[1:] if c.cell_type == "markdown")

    glossary = markdown("00_introduction.ipynb")
    not_key = {"薯片"}  # Pringles crisp: an image, not a term
    for name in ("01_local_map.ipynb", "02_critical_points.ipynb"):
        terms = set(re.findall(r"[（(,，]\s*([\u4e00-\u9fff]+)", markdown(name))) - not_key
        assert terms, f"no Chinese terms found in {name}"
        missing = sorted(t for t in terms if t not in glossary)
        assert not missing, f"{name} introduces {missing}, missing from the chapter 00 glossary"
