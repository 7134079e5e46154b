"""Chapter 03 (symmetries): the small trained networks it studies, and its widget callbacks.

The examples are deterministic and cached, so the chapter, its widgets and its tests see the
same numbers.
"""
import functools
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np

from .. import nets, optim, plots, zoo
from .. import symmetry as sym

SWAP = (0, 2, 1, 3)          # the permutation the chapter uses: swap hidden units 1 and 2


@functools.lru_cache(maxsize=None)
def permutation_example():
    """A 1-4-1 tanh network trained (Adam, 1500 steps) on 40 points labelled by a 1-3-1 teacher.

    Returns a namespace with ``net, obj, X, y, theta``, ``swapped`` (units 1 and 2 exchanged) and
    ``control``, the bend point of a quadratic Bezier curve from ``theta`` to ``swapped`` fitted by
    `symmetry.fit_bezier` (400 steps).
    """
    X, y, _ = nets.teacher_student(n=40, sizes=(1, 3, 1), activation="tanh", seed=0)
    net = nets.MLP((1, 4, 1), activation="tanh")
    obj = net.bind(X, y)
    theta = np.array(optim.run("adam", obj, net.init(seed=1), steps=1500, lr=0.02)[-1])
    swapped = sym.permute_hidden(net, theta, SWAP)
    control = sym.fit_bezier(obj, theta, swapped, steps=400, lr=0.02)
    return SimpleNamespace(net=net, obj=obj, X=X, y=y, theta=theta, swapped=swapped, control=control)


@functools.lru_cache(maxsize=None)
def scaling_example():
    """A 2-4-1 ReLU network trained (Adam, 1500 steps) on 40 points labelled by a 2-3-1 ReLU teacher."""
    X, y, _ = nets.teacher_student(n=40, sizes=(2, 3, 1), activation="relu", seed=0)
    net = nets.MLP((2, 4, 1), activation="relu")
    obj = net.bind(X, y)
    theta = np.array(optim.run("adam", obj, net.init(seed=1), steps=1500, lr=0.02)[-1])
    direction = np.random.default_rng(0).normal(size=net.n)
    return SimpleNamespace(net=net, obj=obj, X=X, y=y, theta=theta, direction=direction / np.linalg.norm(direction))


def _check_range(name, value, low, high):
    if not (np.isscalar(value) and np.isfinite(value) and low <= value <= high):
        raise ValueError(f"{name} must be a number in [{low}, {high}], got {value!r}")


def orbit(alpha=1.0):
    """Widget: slide along the scaling orbit ``(alpha w1, w2 / alpha)``.

    Left, the scalar network ``0.5 (1 - w2 w1)^2``: the point ``(alpha, 1/alpha)`` moves along the
    hyperbola of minima, with the Hessian's flat (eigenvalue 0) and curved (``alpha^2 + alpha^-2``)
    directions. Right, a trained 2-4-1 ReLU network: the loss along its orbit stays flat, while a
    step of the same length in a random direction climbs.
    """
    _check_range("alpha", alpha, 0.25, 4.0)
    L = zoo.deep_linear(2)
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(12, 5))
    plots.contour(L, ((-0.5, 4.5), (-0.5, 4.5)), ax=ax, log=True, levels=25,
                  title="scalar net ½(1 − w₂w₁)²: minima on w₂w₁ = 1")
    s = np.geomspace(0.2, 4.5, 200)
    ax.plot(s, 1 / s, color="white", lw=2.5, label="global minima w₂ = 1/w₁")
    p = np.array([alpha, 1 / alpha])
    lam, Q = np.linalg.eigh(L.hess(p))
    for l, q, c, name in zip(lam, Q.T, ("#009E73", "#D55E00"), ("flat", "curved")):
        ax.annotate("", xy=p + 0.8 * q, xytext=p - 0.8 * q,
                    arrowprops=dict(arrowstyle="<->", lw=2.2, color=c))
        ax.plot([], [], color=c, lw=2.2, label=f"{name}: eigenvalue {abs(l) if abs(l) < 1e-9 else l:.3g}")
    ax.plot(*p, "o", ms=10, color="#E69F00", mec="k", zorder=6, label=f"(α, 1/α), α = {alpha:.3g}")
    ax.set_xlabel("w₁")
    ax.set_ylabel("w₂")
    ax.legend(loc="upper right", fontsize=9, framealpha=0.9)

    ex = scaling_example()
    a = np.geomspace(0.25, 4.0, 61)
    base = ex.obj.f(ex.theta)
    on_orbit = np.array([ex.obj.f(sym.rescale(ex.net, ex.theta, ai)) for ai in a])
    dist = np.array([np.linalg.norm(sym.rescale(ex.net, ex.theta, ai) - ex.theta) for ai in a])
    off = np.array([ex.obj.f(ex.theta + d * ex.direction) for d in dist])
    bx.plot(a, on_orbit, lw=2.5, color=plots.COLORS[0], label="along the orbit θ_α")
    bx.plot(a, off, lw=2, ls="--", color=plots.COLORS[1], label="same distance, random direction")
    here = sym.rescale(ex.net, ex.theta, alpha)
    bx.plot(alpha, ex.obj.f(here), "o", ms=10, color="#E69F00", mec="k", zorder=6)
    bx.set_xscale("log")
    bx.set_yscale("log")
    bx.set_xticks([0.25, 0.5, 1, 2, 4], ["0.25", "0.5", "1", "2", "4"])
    bx.minorticks_off()
    bx.set_xlabel("scale factor α (layer 1 × α, layer 2 ÷ α)")
    bx.set_ylabel("training loss")
    bx.set_title(f"2-4-1 ReLU net: loss {ex.obj.f(here):.2e} (at α=1: {base:.2e})\n"
                 f"balance ‖W₁‖²+‖b₁‖²−‖W₂‖² = {sym.balance(ex.net, here):.3g}")
    bx.legend(loc="upper left")
    return fig


def permuted_path(t=0.5):
    """Widget: walk the straight line from a trained tanh network to its copy with hidden units 1
    and 2 swapped. Left, the loss along the line; right, the function the network computes at ``t``.
    """
    _check_range("t", t, 0.0, 1.0)
    ex = permutation_example()
    ts, losses = sym.path_losses(ex.obj, ex.theta, ex.swapped, t=np.linspace(0, 1, 61))
    here = (1 - t) * ex.theta + t * ex.swapped
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(12, 4.8))
    _, curved = sym.path_losses(ex.obj, ex.theta, ex.swapped, t=ts, control=ex.control)
    ax.plot(ts, losses, lw=2.5, color=plots.COLORS[0], label=f"straight line (barrier {sym.barrier(ts, losses):.3f})")
    ax.plot(ts, curved, lw=2, ls="--", color=plots.COLORS[2],
            label=f"fitted Bézier curve (barrier {sym.barrier(ts, curved):.4f})")
    ax.plot(t, ex.obj.f(here), "o", ms=10, color="#E69F00", mec="k", zorder=6)
    ax.set_xlabel("t   (θ(t) = (1 − t) θ + t · Pθ)")
    ax.set_ylabel("training loss")
    ax.set_title("from θ to its copy Pθ (units 1, 2 swapped)")
    ax.set_ylim(-0.05 * losses.max(), 1.4 * losses.max())      # room for the legend above the hill
    ax.legend(loc="upper left")
    xs = np.linspace(ex.X.min() - 0.3, ex.X.max() + 0.3, 200)[:, None]
    bx.plot(ex.X[:, 0], ex.y[:, 0], "o", color="0.4", ms=5, label="training data")
    bx.plot(xs[:, 0], ex.net.forward(ex.theta, xs)[:, 0], lw=2, ls="--", color=plots.COLORS[2],
            label="θ and Pθ (same function)")
    bx.plot(xs[:, 0], ex.net.forward(here, xs)[:, 0], lw=2.5, color=plots.COLORS[1], label=f"θ(t), t = {t:.2f}")
    bx.set_xlabel("input x")
    bx.set_ylabel("network output")
    bx.set_title(f"the network at t = {t:.2f}: loss {ex.obj.f(here):.3g}")
    bx.legend(loc="best")
    return fig


def drift(lr=0.02, time=2.0):
    """Widget: gradient descent with step ``lr`` on the 2-4-1 ReLU network for a fixed training
    time; the balance ``|W1|^2 + |b1|^2 - |W2|^2`` drifts, by ``lr^2 (|g1|^2 - |g2|^2)`` per step."""
    _check_range("lr", lr, 0.0025, 0.08)
    ex = scaling_example()
    theta0 = ex.net.init(seed=1)
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    for rate, color in ((0.08, plots.COLORS[5]), (lr, plots.COLORS[1])):
        steps = int(round(time / rate))
        traj = optim.run("gd", ex.obj, theta0, steps=steps, lr=rate)
        b = np.array([sym.balance(ex.net, th) for th in traj])
        ax.plot(np.arange(steps + 1) * rate, b - b[0], lw=2.5 if rate == lr else 1.5, color=color,
                label=f"GD, lr = {rate:.3g}")
    ax.axhline(0, color="k", lw=1, label="gradient flow (exactly 0)")
    ax.set_xlabel("training time  (steps × lr)")
    ax.set_ylabel("change of balance ‖W₁‖²+‖b₁‖²−‖W₂‖²")
    ax.set_title(f"the conserved quantity drifts in proportion to lr (now {lr:.3g})")
    ax.legend(loc="best")
    return fig
