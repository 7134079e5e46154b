"""Chapter 02 figures: the three quadratic shapes, degenerate critical points, critical-point maps
(Himmelblau, Müller-Brown)."""
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp

from .. import plots
from ..core import Landscape, grid
from ..critical import classify
from ..degenerate import higher_order_test
from ..zoo import x, y

QUADRATICS = {
    "bowl": (1, 1),
    "dome": (-1, -1),
    "horse saddle": (1, -1),
}


def _surface(ax, L, r=1.0, n=41, title=""):
    X, Y, P = grid(((-r, r), (-r, r)), n)
    Z = L.f(P)
    ax.plot_surface(X, Y, Z, cmap="viridis", linewidth=0, antialiased=True, alpha=0.9)
    ax.contour(X, Y, Z, levels=12, offset=float(Z.min()) - 0.1 * float(np.ptp(Z) or 1), colors="k",
               linewidths=0.5)
    ax.set_xticks([-r, 0, r])
    ax.set_yticks([-r, 0, r])
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_zlabel("L")
    ax.set_title(title)
    return ax


def quadratic_shapes():
    """Bowl, dome and horse saddle ``(a x^2 + b y^2) / 2`` with their Hessian eigenvalues and verdicts."""
    fig = plt.figure(figsize=(13, 4.4))
    for i, (name, (a, b)) in enumerate(QUADRATICS.items()):
        L = Landscape(sp.Rational(1, 2) * (a * x**2 + b * y**2), (x, y))
        lam = np.linalg.eigvalsh(L.hess([0.0, 0.0]))
        ax = fig.add_subplot(1, 3, i + 1, projection="3d")
        _surface(ax, L, title=f"{name}\neigenvalues {lam[0]:+.0f}, {lam[1]:+.0f} → {classify(lam)}")
    fig.suptitle("The sign pattern of the Hessian's eigenvalues decides the shape at ∇L = 0")
    return fig


def degenerate_cases():
    """x⁴ + y⁴, x⁴ − y⁴, x³ and the monkey saddle: Hessian zero at 0, decided by the leading form."""
    cases = [Landscape(x**4 + y**4, (x, y), name="x⁴ + y⁴"), Landscape(x**4 - y**4, (x, y), name="x⁴ − y⁴"),
             Landscape(x**3, (x,), name="x³"), Landscape(x**3 - 3 * x * y**2, (x, y), name="monkey saddle x³ − 3xy²")]
    fig = plt.figure(figsize=(14, 4.2))
    for i, L in enumerate(cases):
        H = L.hess(np.zeros(L.n))
        t = higher_order_test(L, np.zeros(L.n))
        verdict = {"minimum": "minimum", "maximum": "maximum", "saddle": "saddle"}[t.kind]
        if L.n == 1:
            verdict = "inflection point"
        title = f"{L.name}\nHessian test: {classify(H)}\norder-{t.degree} term: {verdict}"
        if L.n == 1:
            ax = fig.add_subplot(1, 4, i + 1)
            s = np.linspace(-1, 1, 200)
            ax.plot(s, L.f(s[:, None]), lw=2.5)
            ax.axhline(0, color="k", lw=0.6)
            ax.plot([0], [0], "D", color=plots.KIND_STYLE["degenerate"]["color"], ms=9)
            ax.set_xlabel("x")
            ax.set_ylabel("L")
            ax.set_title(title)
        else:
            _surface(fig.add_subplot(1, 4, i + 1, projection="3d"), L, title=title)
    fig.suptitle("Degenerate critical points: the Hessian is zero, the lowest non-zero Taylor term decides")
    return fig


def critical_map(L, points, bounds, title, log=False, levels=30, vmax=None, names=None, ax=None):
    """Contour map of a 2-D landscape with its critical points marked by kind (and named).

    Parameters
    ----------
    points : list of CriticalPoint
    vmax : float, optional
        Clip the loss above this value (the Müller-Brown surface shoots up to thousands).
    names : list of str, optional
        Labels written beside the points, in the order of ``points``.
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(7.5, 6))
    if vmax is None:
        plots.contour(L, bounds, ax=ax, levels=levels, log=log, title=title)
    else:
        X, Y, P = grid(bounds, 200)
        Z = np.minimum(L.f(P), vmax)
        cs = ax.contourf(X, Y, Z, levels=levels, cmap="viridis", alpha=0.85)
        ax.figure.colorbar(cs, ax=ax, label=f"energy (clipped at {vmax:g})")
        ax.contour(X, Y, Z, levels=levels, colors="k", linewidths=0.4, alpha=0.5)
        ax.set_xlim(*bounds[0])
        ax.set_ylim(*bounds[1])
        ax.set_xlabel(str(L.symbols[0]))
        ax.set_ylabel(str(L.symbols[1]))
        ax.set_title(title)
    plots.critical_points(ax, points)
    for i, p in enumerate(points):
        label = names[i] if names else f"{p.value + 0.0:.1f}"
        ax.annotate(label, p.x, xytext=(7, 7), textcoords="offset points", fontsize=11, color="white",
                    fontweight="bold")
    return ax.figure


def muller_brown_map(L, points, barrier_list, bounds, names):
    """Müller-Brown surface: minima, transition states, steepest-descent paths and barrier heights."""
    fig = critical_map(L, points, bounds, "Müller–Brown surface: 3 minima, 2 transition states",
                       levels=np.linspace(-150, 100, 26), vmax=100, names=names)
    ax = fig.axes[0]
    for b in barrier_list:
        for path in np.moveaxis(b.paths, 1, 0):
            ax.plot(path[:, 0], path[:, 1], color="white", lw=2, ls="--")
    ax.plot([], [], color="white", lw=2, ls="--", label="steepest descent from TS")
    handles, labels = ax.get_legend_handles_labels()
    labels = ["transition state (TS)" if lab == "saddle" else "stable conformation" if lab == "minimum" else lab
              for lab in labels]
    ax.legend(handles, labels, loc="lower left", facecolor="0.8")
    return fig


__all__ = ["quadratic_shapes", "degenerate_cases", "critical_map", "muller_brown_map"]
