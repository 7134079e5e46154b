"""Chapter 02 widget and figures: gradient descent near a strict saddle, with and without noise."""
import matplotlib.pyplot as plt
import numpy as np

from .. import plots, zoo
from ..escape import gd_paths, predicted_escape_steps

STEPS = 300
RADIUS = 0.5
BOUNDS = ((-1.2, 1.2), (-1.4, 1.4))
RUN = plots.COLORS[3]


def saddle_escape(offset=1e-6, noise=0.0, lr=0.1, steps=STEPS, seed=0):
    """GD on the strict saddle ``x²/2 + y⁴/4 − y²/2`` from ``(1, offset)``, with gradient noise.

    Parameters
    ----------
    offset : float
        Start distance from the stable manifold ``y = 0`` (along the escape direction y).
    noise : float
        Standard deviation of the Gaussian noise added to each gradient component (SGD's noise).
    lr : float
        Step size.
    steps : int
        Number of steps.

    Returns
    -------
    matplotlib Figure
        Paths on the contour map, loss against step, and the distance ``|y|`` from the stable
        manifold on a log scale (a straight line: geometric growth by ``1 + lr``).
    """
    for name, v, lo in (("offset", offset, 0.0), ("noise", noise, 0.0), ("lr", lr, 1e-12)):
        if not (np.isscalar(v) and np.isfinite(v) and v >= lo):
            raise ValueError(f"{name} must be a finite number >= {lo:g}, got {v!r}")
    if offset >= RADIUS:
        raise ValueError(f"offset must be below {RADIUS} (it is a small perturbation), got {offset}")
    L = zoo.strict_saddle()
    ref = gd_paths(L, [[1.0, 0.0]], steps, lr=lr)[:, 0]
    run = gd_paths(L, [[1.0, offset]], steps, lr=lr, noise=noise, seed=seed)[:, 0]
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.6), layout="constrained")
    ax = axes[0]
    plots.contour(L, BOUNDS, ax=ax, levels=25, title="Paths near the saddle at (0, 0)")
    plots.eigen_arrows(ax, (0.0, 0.0), L.hess([0.0, 0.0]), scale=0.35)
    plots.trajectory(ax, ref, label="exact GD on the stable manifold", color="0.85")
    off = f"{offset:.0e}" if offset > 0 else "0"
    plots.trajectory(ax, run, label=f"offset {off}, noise {noise:g}", color=RUN)
    ax.legend(loc="lower left", fontsize=9, frameon=True, facecolor="white", framealpha=0.85)
    k = np.arange(steps + 1)
    ax = axes[1]
    ax.plot(k, L.f(ref), color="0.55", lw=3, label="on the stable manifold")
    ax.plot(k, L.f(run), color=RUN, label="perturbed run")
    ax.axhline(0.0, color="k", lw=0.8, ls=":", label="loss at the saddle (0)")
    ax.axhline(-0.25, color=plots.COLORS[0], lw=0.8, ls=":", label="loss at the minima (−1/4)")
    ax.set_xlabel("step")
    ax.set_ylabel("loss L")
    ax.set_title("Loss: a plateau, then the drop")
    ax.legend(fontsize=9)
    ax = axes[2]
    with np.errstate(divide="ignore"):
        ax.semilogy(k, np.maximum(np.abs(run[:, 1]), 1e-300), color=RUN, label="|y| of the run")
    if offset > 0:
        pred = offset * (1 + lr) ** k
        ax.semilogy(k, np.where(pred < 1, pred, np.nan), color="k", ls="--", label="offset·(1 + η)^k")
        k_pred = float(predicted_escape_steps(offset, -1.0, lr, RADIUS))
        if k_pred <= steps:
            ax.axvline(k_pred, color="k", lw=0.8, ls=":", label=f"predicted escape (|y| = {RADIUS})")
        else:
            ax.plot([], [], " ", label=f"predicted escape: step {k_pred:.0f}")
    ax.set_ylim(1e-13, 3)
    ax.set_xlim(0, steps)
    ax.set_xlabel("step")
    ax.set_ylabel("distance from stable manifold |y|")
    ax.set_title("|y| grows geometrically")
    ax.legend(fontsize=9, loc="lower right")
    fig.get_layout_engine().set(wspace=0.06)
    return fig


def escape_law(offsets, steps, slope, intercept, predicted_slope, lr):
    """Measured escape steps against log(1/offset), the fitted line and the linear prediction."""
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    t = np.log(1 / np.asarray(offsets))
    ax.plot(t, steps, "o", ms=8, label="measured (exact GD)")
    ax.plot(t, slope * t + intercept, "-", label=f"fit: slope {slope:.2f} steps per e-fold")
    ax.plot(t, predicted_slope * t + intercept, "k:", lw=2,
            label=f"prediction 1 / log(1 + η|λ|) = {predicted_slope:.2f} (η = {lr:g})")
    ax.set_xlabel("log(1 / offset)")
    ax.set_ylabel("steps to escape (|w − w*| ≥ 0.5)")
    ax.set_title("Escape time grows like log(1/offset) / |λ|")
    ax.legend()
    return fig


__all__ = ["saddle_escape", "escape_law", "STEPS", "RADIUS"]
