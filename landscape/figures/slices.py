"""Chapter 00's figures: slices of a small trained network's loss (Li et al. 2018)."""
import functools

import matplotlib.pyplot as plt
import numpy as np

from .. import nets, slices, symmetry


@functools.lru_cache(maxsize=1)
def example():
    """The intro's trained two-moons ReLU classifier ``(net, obj, theta)`` (computed once)."""
    return slices.trained_classifier()


def _check(name, value, lo, hi):
    if not (np.isscalar(value) and lo <= value <= hi):
        raise ValueError(f"{name} must be a number in [{lo}, {hi}], got {value!r}")


def slice_1d_figure(span=1.0, seed=1):
    """Loss along one filter-normalised random direction through the trained parameters."""
    _check("span", span, 0.01, 10)
    net, obj, theta = example()
    d = nets.random_direction(net, theta, seed=int(seed))
    a, l = slices.slice_1d(obj, theta, d, span=span, n=121)
    fig, ax = plt.subplots(figsize=(6.5, 4))
    ax.semilogy(a, l, lw=2.2)
    ax.plot([0], [obj.f(theta)], "*", ms=14, color="#D55E00", label="trained parameters θ*")
    ax.set_xlabel("α  (step along the direction d)")
    ax.set_ylabel("training loss L(θ* + α d), log scale")
    ax.set_title("A 1-D slice of a trained network's loss")
    ax.legend()
    return fig


def slice_2d_figure(span=1.0, seed=1):
    """Contours of the loss on the plane spanned by two filter-normalised random directions.

    ``span`` is the zoom: the half-width of the square of ``(alpha, beta)`` shown.
    """
    _check("span", span, 0.01, 10)
    net, obj, theta = example()
    d1 = nets.random_direction(net, theta, seed=int(seed))
    d2 = nets.random_direction(net, theta, seed=int(seed) + 1000)
    A, B, Z = slices.slice_2d(obj, theta, d1, d2, span=span, n=35)
    Z = np.log10(Z)
    fig, ax = plt.subplots(figsize=(6.5, 5.2))
    cs = ax.contourf(A, B, Z, levels=25, cmap="viridis")
    ax.contour(A, B, Z, levels=25, colors="k", linewidths=0.4, alpha=0.5)
    fig.colorbar(cs, ax=ax, label="log₁₀ training loss")
    ax.plot([0], [0], "*", ms=14, color="#D55E00")
    ax.annotate("θ* (trained)", (0, 0), xytext=(9, -4), textcoords="offset points", color="white",
                fontsize=11, fontweight="bold")
    ax.set_xlabel("α  (along d₁)")
    ax.set_ylabel("β  (along d₂)")
    ax.set_title(f"A 2-D slice around θ*, half-width {span:g}")
    ax.set_aspect("equal")
    return fig


def rescaling_slices(alpha=0.25, seed=1):
    """Why filter normalisation: the same function, rescaled by ``alpha``, sliced two ways.

    Left: along a plain random direction of fixed length (not normalised) the slice of the rescaled network
    changes with ``alpha``; right: along a filter-normalised direction it does not.
    """
    _check("alpha", alpha, 0.05, 20)
    net, obj, theta = example()
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
    for ax, norm, title in zip(axes, (None, "filter"), ("plain direction (fixed length)",
                                                         "filter-normalised direction")):
        for scale, style, label in ((1.0, "-", "original weights"),
                                    (alpha, "--", f"layer 1 × {alpha:.3g}, layer 2 ÷ {alpha:.3g}")):
            th = symmetry.rescale(net, theta, scale)
            d = nets.random_direction(net, th, seed=int(seed), normalize=norm)
            if norm is None:
                d = d * np.linalg.norm(theta)  # same length as the original weights, for a visible slice
            a, l = slices.slice_1d(obj, th, d, span=1.0, n=81)
            ax.plot(a, l, style, lw=2.2, label=label)
        ax.set_title(title)
        ax.set_xlabel("α  (step along the direction)")
        ax.legend(loc="upper center")
    axes[0].set_ylabel("training loss")
    fig.suptitle("The same network function, two parametrisations: which slice notices?")
    return fig


__all__ = ["example", "slice_1d_figure", "slice_2d_figure", "rescaling_slices"]
