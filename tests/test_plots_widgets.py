"""The figure style and the plumbing that chapters' widgets use."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from landscape import optim, plots, widgets, zoo


def test_style_ships_inside_the_package_and_is_colour_blind_safe():
    assert plots.STYLE.exists()
    plots.use_style()
    cycle = [c["color"].lower() for c in plt.rcParams["axes.prop_cycle"]]
    assert cycle[:3] == ["#0072b2", "#d55e00", "#009e73"]   # Okabe-Ito


def test_contour_with_points_and_trajectories(no_warnings):
    L = zoo.muller_brown()
    ax = plots.contour(L, zoo.MULLER_BROWN_BOUNDS, levels=np.linspace(-150, 100, 26))
    plots.critical_points(ax, L.critical_points(zoo.MULLER_BROWN_BOUNDS))
    plots.trajectory(ax, optim.run("gd", L, [0.5, 1.5], steps=50, lr=1e-4), label="GD")
    plots.eigen_arrows(ax, [0.212, 0.293], L.hess([0.212, 0.293]), scale=0.2)
    labels = ax.get_legend_handles_labels()[1]
    assert {"minimum", "saddle", "GD"} <= set(labels)


def test_diverged_trajectory_is_labelled():
    fig, ax = plt.subplots()
    with pytest.warns(optim.DivergenceWarning):
        t = optim.run("gd", zoo.quadratic((1, 10)), [1, 1], steps=200, lr=0.5)
    plots.trajectory(ax, t, label="GD")
    assert ax.get_legend_handles_labels()[1] == ["GD (diverged)"]


def test_contour_rejects_non_2d():
    with pytest.raises(ValueError, match="2-D"):
        plots.contour(zoo.deep_linear(3), ((0, 1), (0, 1)))


def test_interact_calls_the_callback_and_redraws_on_change():
    calls = []

    def cb(lr, name):
        calls.append((lr, name))
        fig, ax = plt.subplots()
        ax.set_title(f"{name} {lr}")
        return fig

    box = widgets.interact(cb, lr=widgets.slider(0.1, 0.01, 1.0), name=["gd", "adam"])
    assert calls == [(0.1, "gd")]
    box.controls["lr"].value = 0.5
    box.controls["name"].value = "adam"
    assert calls[-1] == (0.5, "adam") and len(calls) == 3


def test_slider_default_outside_range_is_an_error():
    with pytest.raises(ValueError, match="outside"):
        widgets.slider(3.0, 0.0, 1.0)
