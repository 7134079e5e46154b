"""Chapter 01's figures: the local map -- gradient, Hessian, the quadratic (Taylor) model, GD stability."""
import warnings

import matplotlib.pyplot as plt
import numpy as np

from .. import optim, taylor_error, zoo


def _check(name, value, lo, hi):
    if not (np.isscalar(value) and np.isfinite(value) and lo <= value <= hi):
        raise ValueError(f"{name} must be a number in [{lo}, {hi}], got {value!r}")


def quadratic_model_figure(cx=1.0, cy=1.0, radius=1.0):
    """Himmelblau's surface against its quadratic model around ``(cx, cy)``.

    Left: contours of the true loss (solid) and the model (dashed) in a window of half-width
    ``radius``, shaded where the model errs by less than 10% of the real change. Right: both along
    the steepest-descent line through the centre.
    """
    _check("cx", cx, -5, 5)
    _check("cy", cy, -5, 5)
    _check("radius", radius, 0.05, 5)
    L = zoo.himmelblau()
    c = np.array([cx, cy], float)
    X, Y, Z, Q, ok, disk = taylor_error.trust_mask(L, c, radius)
    frac = float(ok[disk].mean())
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(12, 5), gridspec_kw=dict(width_ratios=[1.1, 1]))
    ax.contourf(X, Y, ok.astype(float), levels=[0.5, 1.5], colors=["#56B4E9"], alpha=0.35)
    levels = np.linspace(Z.min(), Z.max(), 14)
    ax.contour(X, Y, Z, levels=levels, colors="k", linewidths=1.0)
    ax.contour(X, Y, Q, levels=levels, colors="#D55E00", linewidths=1.3, linestyles="--")
    ax.add_patch(plt.Circle(c, radius, fill=False, color="#009E73", lw=1.5))
    ax.plot(*c, "o", color="#D55E00", ms=8)
    ax.plot([], [], "k-", label="true loss L")
    ax.plot([], [], "--", color="#D55E00", label="quadratic model q")
    ax.fill([], [], color="#56B4E9", alpha=0.35, label="error < 10% of the change")
    ax.plot([], [], color="#009E73", lw=1.5, label=f"disk of radius {radius:g}")
    ax.legend(loc="lower left", fontsize=9, frameon=True, facecolor="white", framealpha=0.9)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_aspect("equal")
    ax.set_title(f"Model holds on {100 * frac:.0f}% of the disk of radius {radius:g}")
    g = L.grad(c)
    flat = np.linalg.norm(g) < 1e-9
    u = np.array([1.0, 0.0]) if flat else -g / np.linalg.norm(g)
    t = np.linspace(-radius, radius, 201)
    P = c + t[:, None] * u
    q = L.taylor(c, order=2)
    bx.plot(t, L.f(P), "k-", lw=2, label="true loss L")
    bx.plot(t, q(P), "--", color="#D55E00", lw=2, label="quadratic model q")
    bx.plot(t, L.taylor(c, order=1)(P), ":", color="#0072B2", lw=2, label="linear model")
    bx.set_xlabel("t  (step along x: the gradient is zero here)" if flat
                  else "t  (step along the steepest-descent direction −∇L/|∇L|)")
    bx.set_ylabel("loss")
    bx.set_title(f"Along the line through ({cx:g}, {cy:g})")
    bx.legend(fontsize=9)
    return fig


def taylor_error_figure(result):
    """Errors of the linear and quadratic models against step length, on log-log axes.

    Parameters
    ----------
    result : dict
        From `landscape.taylor_error.model_errors`.
    """
    t = result["t"]
    fig, ax = plt.subplots(figsize=(7, 5))
    for key, label, color in (("err_linear", "linear model", "#0072B2"),
                              ("err_quadratic", "quadratic model", "#D55E00")):
        k = taylor_error.fit_slope(t, result[key])
        c = np.exp(np.mean(np.log(result[key]) - k * np.log(t)))
        ax.loglog(t, result[key], "o", color=color, label=f"{label}: fitted slope {k:.2f}")
        ax.loglog(t, c * t**k, "-", color=color, lw=1.2, alpha=0.7)
    ax.loglog(t, np.abs(result["change"]), "k:", label="|real change of the loss|")
    ax.set_xlabel("step length t = |p|")
    ax.set_ylabel("|prediction − real change|")
    ax.set_title("How the Taylor models' errors shrink with the step")
    ax.legend()
    return fig


def directional_figure(x0=(1.0, 1.0)):
    """Slope and curvature of Himmelblau's surface along a unit direction at angle phi, at ``x0``.

    The slope ``g.u`` peaks at the gradient's angle with value ``|g|``; the curvature ``u.H.u``
    (Rayleigh quotient) swings between the Hessian's eigenvalues, reached along its eigenvectors.
    """
    L = zoo.himmelblau()
    g, H = L.grad(x0), L.hess(x0)
    lam, V = np.linalg.eigh(H)
    phi = np.linspace(0, 2 * np.pi, 361)
    U = np.stack([np.cos(phi), np.sin(phi)], 1)
    slope = U @ g
    curv = np.einsum("ki,ij,kj->k", U, H, U)
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(12, 4.2), sharex=True)
    ax.plot(np.degrees(phi), slope, lw=2)
    ax.axhline(np.linalg.norm(g), color="#D55E00", ls="--", label=f"|∇L| = {np.linalg.norm(g):.1f}")
    ax.axvline(np.degrees(np.arctan2(g[1], g[0]) % (2 * np.pi)), color="#009E73", ls=":", label="angle of ∇L")
    ax.set_xlabel("direction angle φ (degrees)")
    ax.set_ylabel("slope ∇L·u")
    ax.set_title("Slope along u: largest along the gradient")
    ax.legend(fontsize=9)
    bx.plot(np.degrees(phi), curv, lw=2)
    for l, v, ls in zip(lam, V.T, ("--", "-.")):
        bx.axhline(l, color="#D55E00", ls=ls, label=f"eigenvalue λ = {l:.1f}")
        bx.axvline(np.degrees(np.arctan2(v[1], v[0]) % np.pi), color="#009E73", ls=":",
                   label="eigenvector angle" if ls == "--" else None)
    bx.set_xlabel("direction angle φ (degrees)")
    bx.set_ylabel("curvature uᵀHu")
    bx.set_title("Curvature along u: between the eigenvalues")
    span = lam[-1] - lam[0] if lam[-1] > lam[0] else 1.0
    bx.set_ylim(lam[0] - 0.45 * span, lam[-1] + 0.1 * span)
    bx.legend(fontsize=9, loc="lower center", ncol=2, frameon=True, facecolor="white", framealpha=0.9)
    return fig


def gd_quadratic_figure(lr=0.15, lam_max=10.0, steps=40):
    """Gradient descent on ``(x^2 + lam_max y^2)/2`` from ``(-4, 1)``: trajectory and loss curve.

    Converges for ``lr < 2/lam_max``, zig-zags across the valley for ``lr > 1/lam_max``.
    """
    _check("lr", lr, 1e-4, 2.0)
    _check("lam_max", lam_max, 1.0, 100.0)
    L = zoo.quadratic((1.0, float(lam_max)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optim.DivergenceWarning)
        traj = optim.run("gd", L, [-4.0, 1.0], steps=int(steps), lr=float(lr))
    limit = 2.0 / lam_max
    verdict = ("diverges" if lr > limit else "converges, zig-zagging" if lr > 1.0 / lam_max
               else "converges smoothly")
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(12, 4.6))
    X, Y = np.meshgrid(np.linspace(-5, 5, 201), np.linspace(-2.5, 2.5, 201))
    ax.contour(X, Y, L.f(np.stack([X, Y], -1)), levels=np.geomspace(0.05, 60, 14), colors="k",
               linewidths=0.6, alpha=0.6)
    ok = traj[~np.isnan(traj).any(axis=1)]
    ax.plot(ok[:, 0], ok[:, 1], "o-", color="#D55E00", ms=3, lw=1.3)
    ax.plot(-4, 1, "o", ms=8, mfc="white", color="#D55E00")
    ax.set_xlim(-5, 5)
    ax.set_ylim(-2.5, 2.5)
    ax.set_aspect("equal")
    ax.set_xlabel("x  (curvature 1)")
    ax.set_ylabel(f"y  (curvature {lam_max:g})")
    ax.set_title(f"η = {lr:.3g}, 2/λmax = {limit:.3g}: {verdict}")
    losses = L.f(ok)
    bx.semilogy(np.arange(len(ok)), np.maximum(losses, 1e-300), "o-", ms=3)
    bx.set_xlim(0, steps)
    bx.set_xlabel("step")
    bx.set_ylabel("loss (log scale)")
    bx.set_title("Loss per step" + (" (run stopped: it diverged)" if traj.diverged else ""))
    return fig


def contraction_figure(lr=0.15, eigenvalues=(1.0, 10.0)):
    """The factor ``|1 - lr * lam|`` by which GD shrinks each eigen-direction, against ``lr``."""
    lrs = np.linspace(0, 2.5 / max(eigenvalues), 400)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for lam in eigenvalues:
        ax.plot(lrs, np.abs(1 - lrs * lam), lw=2, label=f"eigen-direction with λ = {lam:g}")
    worst = np.max([np.abs(1 - lrs * lam) for lam in eigenvalues], axis=0)
    ax.plot(lrs, worst, "k:", lw=2, label="worst factor (sets the rate)")
    ax.axhline(1, color="grey", lw=1)
    ax.axvline(2 / max(eigenvalues), color="#D55E00", ls="--", label=f"2/λmax = {2 / max(eigenvalues):g}")
    ax.axvline(lr, color="#009E73", ls="-.", label=f"η = {lr:g}")
    ax.set_ylim(0, 1.6)
    ax.set_xlabel("learning rate η")
    ax.set_ylabel("factor |1 − ηλ| per step")
    ax.set_title("Each eigen-direction shrinks by |1 − ηλ| per step")
    ax.legend(fontsize=9)
    return fig


__all__ = ["quadratic_model_figure", "taylor_error_figure", "directional_figure", "gd_quadratic_figure",
           "contraction_figure"]
