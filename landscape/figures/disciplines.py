"""Chapter 07's widget callbacks: annealing a Hopfield network, soft targets, Gaussian continuation."""
import functools

import matplotlib.pyplot as plt
import numpy as np

from .. import distill, hopfield


@functools.lru_cache(maxsize=1)
def _memory(P=5, N=100, R=200, seed=0):
    xi = hopfield.random_patterns(P, N, seed)
    starts = np.random.default_rng(seed + 1).choice([-1.0, 1.0], size=(R, N))
    return xi, hopfield.store(xi), starts


def annealing_figure(T0=0.8, sweeps=30):
    """Final energies of 200 runs of a Hopfield network: plain descent vs annealing from ``T0``."""
    xi, W, starts = _memory()
    cold = hopfield.anneal(W, starts, hopfield.schedule(0.0, 0, tail=10), seed=2)
    hot = hopfield.anneal(W, starts, hopfield.schedule(T0, sweeps), seed=3)
    e_pat = hopfield.energy(W, xi[:1])
    fig, ax = plt.subplots(figsize=(7, 4))
    bins = np.linspace(e_pat - 2, e_pat + 20, 45)
    for s, lab in ((cold, "T = 0 descent"), (hot, f"annealed from T0 = {T0:.2f}, {sweeps} sweeps")):
        ok = hopfield.recalled(xi, s).mean()
        ax.hist(hopfield.energy(W, s), bins=bins, alpha=0.6, label=f"{lab}: {ok:.0%} recall a pattern")
    ax.axvline(e_pat, color="k", ls="--", lw=1.2, label="energy of a stored pattern")
    ax.set_xlabel("final energy E = −sᵀWs/2")
    ax.set_ylabel("runs (of 200)")
    ax.set_title("Does noise help the network out of spurious minima?")
    ax.legend(fontsize=9, loc="upper right")
    return fig


def soft_targets_figure(T=2.0):
    """The teacher's soft targets at temperature ``T`` against its logit margin, and their entropy."""
    d = distill.setup()
    margin = d["teacher_logits"][:, 1] - d["teacher_logits"][:, 0]
    q = distill.targets(d, T)[:, 1]
    order = np.argsort(margin)
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.8))
    a1.scatter(margin, d["labels"], s=10, color="#999999", label="hard label")
    a1.plot(margin[order], q[order], color="#0072B2", label=f"soft target, T = {T:.1f}")
    a1.set_xlabel("teacher's logit margin z₁ − z₀")
    a1.set_ylabel("target probability of class 1")
    a1.set_title("What the student is asked to fit")
    a1.legend(fontsize=9)
    Ts = np.linspace(0.25, 10, 60)
    H = [-np.mean(np.sum(distill.targets(d, t) * np.log(distill.targets(d, t) + 1e-300), axis=1)) for t in Ts]
    a2.plot(Ts, H)
    a2.axvline(T, color="#D55E00", ls="--")
    a2.set_xlabel("temperature T")
    a2.set_ylabel("mean target entropy (nats)")
    a2.set_title("Higher T: softer targets")
    return fig


def rastrigin(x, A=2.0):
    """The rugged 1-D loss of the continuation section: ``x^2/2 + A (1 - cos 2 pi x)``."""
    return 0.5 * x**2 + A * (1 - np.cos(2 * np.pi * x))


def rastrigin_smoothed(x, sigma, A=2.0):
    """Its exact Gaussian smoothing ``E[f(x + sigma z)]`` (derived with sympy in the chapter)."""
    return 0.5 * (x**2 + sigma**2) + A * (1 - np.exp(-2 * np.pi**2 * sigma**2) * np.cos(2 * np.pi * x))


def smoothing_figure(sigma=0.3):
    """The rugged loss and its Gaussian-smoothed version at width ``sigma``: how many minima survive?"""
    x = np.linspace(-4, 4, 801)
    fs = rastrigin_smoothed(x, sigma)
    minima = np.flatnonzero((fs[1:-1] < fs[:-2]) & (fs[1:-1] < fs[2:])) + 1
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(x, rastrigin(x), color="#999999", lw=1.2, label="rugged loss f (σ = 0)")
    ax.plot(x, fs, color="#0072B2", label=f"smoothed f_σ, σ = {sigma:.2f}")
    ax.plot(x[minima], fs[minima], "o", color="#D55E00", label=f"{len(minima)} local minima of f_σ")
    ax.set_xlabel("x")
    ax.set_ylabel("loss")
    ax.set_ylim(-0.5, 14)
    ax.set_title("Smoothing erases the small minima first")
    ax.legend(fontsize=9, loc="upper center")
    return fig


__all__ = ["annealing_figure", "soft_targets_figure", "smoothing_figure", "rastrigin", "rastrigin_smoothed"]
