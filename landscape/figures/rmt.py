"""Figures and the widget callback of chapter 04 (high dimensions, random matrices)."""
import matplotlib.pyplot as plt
import numpy as np

from .. import rmt
from ..lanczos import spectral_density
from ..plots import COLORS

SHIFT_DEFAULT, N_DEFAULT = 0.0, 200
SHIFT_RANGE, N_RANGE = (-3.0, 3.0), (2, 400)


def shifted_semicircle(N=N_DEFAULT, shift=SHIFT_DEFAULT, seed=0):
    """Widget: one ``N x N`` GOE matrix plus ``shift * I`` -- the Hessian of a critical point whose
    energy sits ``shift`` below the level where half the directions curve down.

    Left: the eigenvalue histogram, negative part shaded, with the shifted semicircle. Right: the
    index fraction as a function of the shift, semicircle law vs this sample.
    """
    if isinstance(N, bool) or int(N) != N or not N_RANGE[0] <= N <= N_RANGE[1]:
        raise ValueError(f"N must be an integer in {N_RANGE}; got {N!r}")
    if not np.isfinite(shift):
        raise ValueError(f"shift must be a finite number; got {shift!r}")
    N = int(N)
    ev = np.linalg.eigvalsh(rmt.goe(N, seed=seed)) + shift
    frac = float(rmt.index_fraction(ev))
    theory = float(rmt.shifted_index(shift))
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(12, 4.4))
    lo, hi = min(-2.5, shift - 2.5), max(2.5, shift + 2.5)
    bins = np.linspace(lo, hi, int(np.clip(N // 4, 8, 50)) + 1)
    ax.hist(ev[ev >= 0], bins=bins, density=False, weights=np.full((ev >= 0).sum(), 1 / (N * np.diff(bins)[0])),
            color=COLORS[0], alpha=0.7, label="positive curvature")
    ax.hist(ev[ev < 0], bins=bins, density=False, weights=np.full((ev < 0).sum(), 1 / (N * np.diff(bins)[0])),
            color=COLORS[1], alpha=0.8, label="negative curvature")
    x = np.linspace(lo, hi, 400)
    ax.plot(x, rmt.semicircle(x, shift=shift), "k-", lw=2, label="semicircle")
    ax.axvline(0, color="0.3", lw=1, ls="--")
    ax.set(xlim=(lo, hi), xlabel="Hessian eigenvalue λ", ylabel="density",
           title=f"N = {N}, shift {shift:.2f}: index {frac:.2f} (law {theory:.2f})")
    ax.legend(loc="upper left", fontsize=9)
    s = np.linspace(*SHIFT_RANGE, 300)
    ax2.plot(s, rmt.shifted_index(s), "k-", lw=2, label="semicircle law (N → ∞)")
    base = np.linalg.eigvalsh(rmt.goe(N, seed=seed))
    ax2.plot(s, rmt.index_fraction(base[None, :] + s[:, None]), color=COLORS[1], lw=1.5,
             drawstyle="steps-post", label=f"this sample, N = {N}")
    ax2.plot([shift], [frac], "o", color=COLORS[1], ms=9)
    ax2.set(xlabel="shift (lower energy → larger shift)", ylabel="index fraction (share of λ < 0)",
            title="Index fraction vs shift", ylim=(-0.03, 1.03))
    ax2.legend(fontsize=9)
    return fig


def semicircle_figure(eigenvalues, N):
    """Histogram of GOE eigenvalues (all samples pooled) against the semicircle."""
    ev = np.ravel(eigenvalues)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.hist(ev, bins=60, density=True, color=COLORS[0], alpha=0.6, label=f"GOE eigenvalues, N = {N}")
    x = np.linspace(-2.3, 2.3, 400)
    ax.plot(x, rmt.semicircle(x), "k-", lw=2, label="Wigner semicircle")
    ax.axvline(0, color=COLORS[1], ls="--", lw=1.5, label="λ = 0")
    ax.set(xlabel="eigenvalue λ", ylabel="density", ylim=(0, 0.5),
           title="Random symmetric matrices: the semicircle law")
    ax.legend(fontsize=9, loc="upper left")
    return fig


def all_positive_figure(Ns, probs, counts, theta_fit, b, c):
    """``ln P(all eigenvalues > 0)`` against ``N``: coin flips (2^-N) vs GOE (exp(-theta N^2))."""
    Ns, probs, counts = np.asarray(Ns), np.asarray(probs), np.asarray(counts)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    err = 1.0 / np.sqrt(np.maximum(counts, 1))      # relative error of a count -> error of its log
    ax.errorbar(Ns, np.log(probs), yerr=err, fmt="o", color=COLORS[0], ms=7, capsize=3,
                label="GOE, Monte Carlo")
    x = np.linspace(1, Ns.max() + 1, 100)
    ax.plot(x, -x * np.log(2), "--", color=COLORS[4], lw=2, label="independent coin flips: −N ln 2")
    ax.plot(x, -theta_fit * x**2 + b * x + c, "-", color=COLORS[0], lw=1.5,
            label=f"fit −θN² + bN + c, θ = {theta_fit:.3f}")
    ax.plot(x, -rmt.THETA_DEAN_MAJUMDAR * x**2, ":", color="k", lw=1.5,
            label="Dean–Majumdar: −(ln 3/4) N²")
    ax.set(xlabel="matrix size N", ylabel="ln P(all N eigenvalues > 0)",
           title="Minima are rarer than coin flips suggest")
    ax.legend(fontsize=9)
    return fig


def index_vs_loss_figure(survey, P):
    """Critical points of a small network: index fraction against loss (Spearman rho in the title)."""
    rho = rmt.spearman(survey["loss"], survey["index_fraction"])
    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.scatter(survey["loss"], survey["index_fraction"], s=70, color=COLORS[3], edgecolor="k", zorder=3)
    ax.set_xscale("log")
    ax.set(xlabel="training loss at the critical point (log scale)",
           ylabel=f"index fraction (negative eigenvalues / {P})",
           title=f"Higher critical points have more ways down (ρ = {rho:.2f})")
    return fig


def spectrum_figure(exact, P_small, nodes, weights, P_large, sigma):
    """Trained networks: exact spectrum (small P) and SLQ density (large P), log density scale."""
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    exact = np.asarray(exact)
    ax.hist(exact, bins=60, color=COLORS[0], alpha=0.8)
    ax.set_yscale("log")
    ax.set(xlabel="eigenvalue λ", ylabel="count (log scale)",
           title=f"Exact Hessian spectrum, P = {P_small}")
    hi = float(np.max(nodes))
    grid = np.linspace(-0.1 * hi, 1.1 * hi, 600)
    rho = spectral_density(nodes, weights, grid, sigma=sigma)
    ax2.semilogy(grid, np.maximum(rho, 1e-8), color=COLORS[2], lw=2)
    ax2.set(xlabel="eigenvalue λ", ylabel="density (log scale)", ylim=(1e-5, None),
            title=f"Lanczos (SLQ) density, P = {P_large:,}")
    return fig
