"""The book's figure style and the plots every chapter draws: contours, trajectories, critical points."""
import warnings
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from .core import grid

STYLE = Path(__file__).with_name("style") / "landscape.mplstyle"
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
KIND_STYLE = {
    "minimum": dict(marker="o", color="#0072B2", label="minimum"),
    "maximum": dict(marker="^", color="#D55E00", label="maximum"),
    "saddle": dict(marker="X", color="#E69F00", label="saddle"),
    "degenerate": dict(marker="D", color="#CC79A7", label="degenerate"),
}


def use_style():
    """Apply the book's matplotlib style (call once at the top of a notebook)."""
    plt.style.use(str(STYLE))


def contour(L, bounds, ax=None, levels=30, n=200, log=False, filled=True, title=None):
    """Contour plot of a 2-D landscape over ``bounds = ((x0, x1), (y0, y1))``.

    Parameters
    ----------
    log : bool
        Contour ``log(1 + L - min L)``: shows detail in wide valleys (Rosenbrock, Himmelblau).

    Returns
    -------
    ax : matplotlib Axes
    """
    if getattr(L, "n", None) != 2:
        raise ValueError(f"contour needs a 2-D landscape; this one has n={getattr(L, 'n', None)}")
    ax = ax or plt.subplots()[1]
    X, Y, P = grid(bounds, n)
    Z = L.f(P)
    if log:
        Z = np.log1p(Z - np.nanmin(Z))
    if filled:
        cs = ax.contourf(X, Y, Z, levels=levels, cmap="viridis", alpha=0.85)
        ax.figure.colorbar(cs, ax=ax, label="log(1 + L − min L)" if log else "loss L")
    ax.contour(X, Y, Z, levels=levels, colors="k", linewidths=0.4, alpha=0.5)
    ax.set_xlabel(str(L.symbols[0]) if hasattr(L, "symbols") else "x")
    ax.set_ylabel(str(L.symbols[1]) if hasattr(L, "symbols") else "y")
    ax.set_xlim(*bounds[0])
    ax.set_ylim(*bounds[1])
    ax.set_title(title if title is not None else getattr(L, "name", ""))
    return ax


def trajectory(ax, traj, label=None, color=None, **kw):
    """Draw an optimizer path (an ``(steps+1, 2)`` array) with its start marked; a diverged run is
    drawn up to where it left and labelled so."""
    traj = np.asarray(traj)
    if traj.ndim != 2 or traj.shape[1] != 2:
        raise ValueError(f"a trajectory to draw must have shape (steps+1, 2); got {traj.shape}")
    diverged = getattr(traj, "diverged_at", None) is not None or np.isnan(traj).any()
    if label and diverged:
        label = f"{label} (diverged)"
    (line,) = ax.plot(traj[:, 0], traj[:, 1], "-", lw=1.8, color=color, label=label, **kw)
    ax.plot(traj[0, 0], traj[0, 1], "o", ms=6, mfc="white", color=line.get_color())
    ok = traj[~np.isnan(traj).any(axis=1)]
    if len(ok):
        ax.plot(ok[-1, 0], ok[-1, 1], "x" if diverged else "*", ms=10, color=line.get_color())
    return line


def critical_points(ax, points, labels=True, size=90):
    """Mark critical points by kind (minimum ●, maximum ▲, saddle ✕, degenerate ◆)."""
    seen = set()
    for p in points:
        st = dict(KIND_STYLE[p.kind])
        lab = st.pop("label")
        ax.scatter([p.x[0]], [p.x[1]], s=size, edgecolor="white", linewidth=1.2, zorder=5,
                   label=lab if labels and lab not in seen else None, **st)
        seen.add(lab)
    if labels and seen:
        ax.legend(loc="best")
    return ax


def eigen_arrows(ax, x0, H, scale=0.3):
    """Arrows along the Hessian's eigenvectors at ``x0``: solid for positive curvature, dashed for negative."""
    lam, Q = np.linalg.eigh(np.asarray(H, float))
    for l, q in zip(lam, Q.T):
        style = "-" if l > 0 else "--"
        for s in (1, -1):
            ax.annotate("", xy=(x0[0] + s * scale * q[0], x0[1] + s * scale * q[1]), xytext=(x0[0], x0[1]),
                        arrowprops=dict(arrowstyle="->", lw=1.8, ls=style,
                                        color="#009E73" if l > 0 else "#D55E00"))
    return ax


def loss_curves(ax, curves, log=True):
    """Loss against step for several runs: ``curves = {label: losses}``."""
    for label, ys in curves.items():
        ax.plot(np.arange(len(ys)), ys, label=label)
    if log:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ax.set_yscale("symlog", linthresh=1e-8)
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.legend()
    return ax


def close(fig):
    """Close a figure built by a widget callback (keeps memory flat while sliding)."""
    plt.close(fig)
    return fig


__all__ = ["use_style", "contour", "trajectory", "critical_points", "eigen_arrows", "loss_curves",
           "COLORS", "KIND_STYLE", "STYLE"]
