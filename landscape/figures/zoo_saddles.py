"""Figures of chapter 05, the saddle zoo: flat-saddle escape, curved escape valleys, dead ReLUs.

Each widget callback is a plain function ``params -> Figure``.
"""
import functools

import matplotlib.pyplot as plt
import numpy as np

from .. import dead_relu, optim, plots, zoo
from ..saddle_escape import coupling_slowdown, flat_escape_time, gd_path

FLAT_BOUNDS = ((-1.2, 1.2), (-0.7, 0.7))
CURVED_BOUNDS = ((-0.4, 2.2), (-0.3, 1.4))


@functools.lru_cache(maxsize=None)
def _flat(alpha):
    return zoo.flat_saddle(alpha)


@functools.lru_cache(maxsize=None)
def _curved(bend):
    return zoo.curved_saddle(bend, 10)


def flat_saddle_escape(alpha=1.0, y0=0.05, x0=1.0, lr=0.1, max_steps=20_000):
    """GD leaving the flat saddle ``x^2/2 + alpha x^2 y^2 - y^4`` from ``(x0, y0)``: path and ``|y|`` per step.

    The escape step is marked and compared with two predictions: the uncoupled flow time
    ``(1/y0^2 - 1/0.5^2)/(8 lr)`` and the same times the coupling delay of `coupling_slowdown`.
    """
    if not y0 > 0:
        raise ValueError(f"y0 must be positive, got {y0!r}")
    alpha = float(alpha)
    L = _flat(round(alpha, 6))
    path, escaped = gd_path(L, [x0, y0], lr=lr, radius=0.5, max_steps=max_steps)
    k = np.arange(len(path))
    base = flat_escape_time(y0, 0.5) / lr
    pred = base * float(coupling_slowdown(alpha, x0, lr))
    fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(12, 4.6))
    plots.contour(L, FLAT_BOUNDS, ax=ax0, levels=np.linspace(-0.25, 1.5, 30),
                  title=f"Flat saddle, α = {alpha:g}: GD from (x₀, y₀) = ({x0:g}, {y0:.3g})")
    plots.trajectory(ax0, path, label=f"GD, lr = {lr:g}", color=plots.COLORS[1])
    ax0.legend(loc="lower left")
    ax1.semilogy(k, np.abs(path[:, 1]), color=plots.COLORS[1], label="|y| along the GD path")
    ax1.semilogy(k, np.abs(path[:, 0]) + 1e-300, color=plots.COLORS[0], ls=":", label="|x|")
    ax1.axhline(0.5, color="k", lw=0.8, ls="--", label="escape radius |y| = 0.5")
    ax1.axvline(base, color=plots.COLORS[2], lw=1.2, ls="--", label=f"α = 0 prediction: {base:.0f} steps")
    if pred < 10 * max_steps:
        ax1.axvline(pred, color=plots.COLORS[3], lw=1.2, ls="-.", label=f"with coupling delay: {pred:.0f}")
    ax1.set_xlim(0, max(len(path) - 1, 1) * 1.05)
    ax1.set_ylim(max(min(np.min(np.abs(path[:, 1])), y0) / 3, 1e-6), 1.0)
    ax1.set_xlabel("GD step k")
    ax1.set_ylabel("|coordinate| (log scale)")
    status = f"escaped at step {len(path) - 1}" if escaped else f"still on the plateau after {max_steps} steps"
    ax1.set_title(f"Escape: {status}")
    ax1.legend(loc="lower right", fontsize=8)
    return fig


def escape_laws(flat_y0, flat_steps, strict_y0, strict_steps, power, log_slope):
    """Two panels: flat-saddle escape steps against ``y0`` (log-log) and strict-saddle steps against ``log(1/y0)``."""
    fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(12, 4.4))
    p, C = power
    ax0.loglog(flat_y0, flat_steps, "o", color=plots.COLORS[1], label="measured (GD, lr = 0.5)")
    ax0.loglog(flat_y0, C * flat_y0**p, "-", color="k", lw=1, label=f"fit: steps ∝ y₀^{p:.2f}")
    ax0.set_xlabel("start y₀ (log scale)")
    ax0.set_ylabel("steps to escape (log scale)")
    ax0.set_title("Flat saddle: escape steps ∝ 1/y₀²")
    ax0.legend()
    a, b, _ = log_slope
    u = np.log(1 / np.asarray(strict_y0))
    ax1.plot(u, strict_steps, "o", color=plots.COLORS[0], label="measured (GD, lr = 0.5)")
    ax1.plot(u, a * u + b, "-", color="k", lw=1, label=f"fit: {a:.2f} · log(1/y₀) {b:+.1f}")
    ax1.set_xlabel("log(1/y₀)")
    ax1.set_ylabel("steps to escape")
    ax1.set_title("Strict saddle: escape steps ∝ log(1/y₀)")
    ax1.legend()
    return fig


def steep_escape_histogram(results, lr):
    """Histograms of escape steps from random starts, one per saddle: ``results = {label: steps}``."""
    fig, ax = plt.subplots(figsize=(9, 4.2))
    top = max(float(np.max(s)) for s in results.values())
    bins = np.arange(0, top + 3, 2)
    for (label, steps), color in zip(results.items(), plots.COLORS):
        ax.hist(steps, bins=bins, alpha=0.6, color=color, label=f"{label}: median {np.median(steps):.0f}")
    ax.set_xlabel(f"GD steps to escape (lr = {lr:g})")
    ax.set_ylabel("number of random starts")
    ax.set_title("Steeper saddles, more negative directions: faster and surer escape")
    ax.legend()
    return fig


def curved_escape(bend=1.0, beta=0.9, lr=0.01, steps=600):
    """GD and heavy-ball momentum leaving the curved saddle ``5 (x - bend y^2)^2 + y^4/4 - y^2/2``."""
    L = _curved(round(float(bend), 6))
    start = [0.0, 0.01]
    runs = {"GD": optim.run("gd", L, start, steps=steps, lr=lr)}
    if beta > 0:
        runs[f"momentum β = {beta:.2f}"] = optim.run("momentum", L, start, steps=steps, lr=lr, beta=beta)
    fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(12, 4.6))
    plots.contour(L, CURVED_BOUNDS, ax=ax0, levels=np.linspace(-0.25, 2.0, 30),
                  title=f"Curved escape valley, bend = {bend:g}")
    yy = np.linspace(*CURVED_BOUNDS[1], 200)
    ax0.plot(bend * yy**2, yy, "--", color="0.85", lw=1.2, label="valley floor x = bend·y²")
    curves = {}
    for (label, tr), color in zip(runs.items(), (plots.COLORS[1], plots.COLORS[3])):
        plots.trajectory(ax0, tr, label=label, color=color)
        curves[label] = L.f(np.asarray(tr)[~np.isnan(tr).any(axis=1)]) + 0.25
    ax0.legend(loc="lower right", fontsize=8)
    plots.loss_curves(ax1, curves)
    ax1.set_ylabel("loss − minimum (L + 0.25)")
    ax1.set_title(f"Loss gap per step (lr = {lr:g})")
    return fig


def dead_fraction_curves(biases, frac_bias, lrs, frac_lr, steps):
    """Two panels: fraction of dead units against the initial bias (at initialisation) and against the
    learning rate (after ``steps`` GD steps from zero bias)."""
    fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(12, 4.2))
    ax0.plot(biases, frac_bias, "o-", color=plots.COLORS[1])
    ax0.set_xlabel("initial bias of every hidden unit")
    ax0.set_ylabel("fraction of dead hidden units")
    ax0.set_title("Shifting the bias down kills units")
    ax0.set_ylim(-0.03, 1.03)
    ax1.plot(lrs, frac_lr, "o-", color=plots.COLORS[0])
    ax1.set_xlabel("learning rate")
    ax1.set_ylabel("fraction of dead hidden units")
    ax1.set_title(f"Too-large steps kill units (after {steps} GD steps)")
    ax1.set_ylim(-0.03, 1.03)
    return fig


def dead_relu_training(bias=-3.0, lr=0.1, steps=300, runs=8):
    """Training curves of small ReLU and Leaky ReLU (slope 0.1) networks from a shifted bias, against
    ReLU from zero bias (He initialisation); see `dead_relu.training_curves`."""
    res = dead_relu.training_curves(bias, lr, steps, runs)
    fig, ax = plt.subplots(figsize=(9, 4.6))
    for (label, r), color in zip(res.items(), plots.COLORS):
        curve = np.where(np.isfinite(r["loss"]) & (r["loss"] < 1e6), r["loss"], np.nan)
        extra = (f"{r['diverged']} of {runs} runs diverged" if r["diverged"]
                 else f"dead at the end: {r['dead_after']:.0%}")
        ax.plot(np.arange(steps + 1), curve, color=color, label=f"{label} ({extra})")
    ax.set_yscale("log")
    ax.set_xlim(0, steps)
    ax.set_xlabel("GD step")
    ax.set_ylabel(f"training loss (mean of {runs} nets)")
    dead0 = next(iter(res.values()))["dead_before"]
    ax.set_title(f"Dead units at the start: {dead0:.0%} (bias {bias:g}, lr {lr:g})")
    ax.legend(fontsize=8)
    return fig


def committee_plateaus(deltas, losses, overlap):
    """Teacher-student plateaus: loss and the two student units' overlap per step, one curve per asymmetry ``delta``."""
    fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(12, 4.2))
    steps = np.arange(len(losses))
    for j, (d, color) in enumerate(zip(deltas, plots.COLORS)):
        ax0.semilogy(steps, losses[:, j], color=color, label=f"δ = {d:.0e}")
        ax1.plot(steps, overlap[:, j], color=color, label=f"δ = {d:.0e}")
    ax0.set_xlabel("GD step")
    ax0.set_ylabel("training loss (log scale)")
    ax0.set_title("Plateau while the units are identical")
    ax0.legend()
    ax1.set_xlabel("GD step")
    ax1.set_ylabel("cosine between the two units' weights")
    ax1.set_title("Specialisation ends the plateau")
    ax1.set_ylim(-0.1, 1.05)
    return fig
