"""Figures of chapter 06 (optimizers as climbing gear): each a plain ``params -> Figure``."""
import warnings

import matplotlib.pyplot as plt
import numpy as np

from .. import nets, optim, plots, zoo
from ..convergence import gd_rate, measured_rate, momentum_rate

KAPPA = 100            # the quadratic of the rate heat map: eigenvalues 1 and KAPPA
LR_STAR, BETA_STAR, RATE_STAR = optim.goh_optimal(1, KAPPA)


def _quiet_run(name, L, x0, steps, **hyper):
    """`optim.run` whose divergence shows in the figure, not as a warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optim.DivergenceWarning)
        return optim.run(name, L, x0, steps=steps, **hyper)


def rate_heatmap(lr=round(LR_STAR, 4), beta=round(BETA_STAR, 3), steps=150):
    """Heavy-ball rate over (step size, momentum) on the quadratic with eigenvalues 1 and 100,
    and the error of a run at the chosen pair against GD and Goh's optimum."""
    lam = (1.0, float(KAPPA))
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11.5, 4.4))
    A, B = np.meshgrid(np.linspace(1e-4, 4.0 / KAPPA, 241), np.linspace(0.0, 0.999, 201))
    R = momentum_rate(A, B, lam)
    im = ax.pcolormesh(A, B, np.where(R < 1, R, np.nan), cmap="viridis", vmin=0.5, vmax=1.0, shading="auto")
    ax.contourf(A, B, (R >= 1).astype(float), levels=[0.5, 1.5], colors=["#bbbbbb"])
    ax.contour(A, B, R, levels=[RATE_STAR * 1.02, 0.9, 0.95, 0.99], colors="w", linewidths=0.8)
    fig.colorbar(im, ax=ax, label="rate ρ (error × ρ per step)")
    ax.plot(LR_STAR, BETA_STAR, "*", ms=16, color="#E69F00", mec="k", label=f"Goh's optimum, ρ = {RATE_STAR:.3f}")
    rate = momentum_rate(lr, beta, lam)
    ax.plot(lr, beta, "o", ms=10, mfc="white", mec="k",
            label=f"your (α, β): ρ = {rate:.3f}" + (" (diverges)" if rate >= 1 else ""))
    ax.set_xlabel("step size α")
    ax.set_ylabel("momentum β")
    ax.set_title(f"momentum's rate on a quadratic, κ = {KAPPA} (grey: diverges)")
    ax.legend(loc="lower left", fontsize=9)

    L = zoo.quadratic(lam)
    k = np.arange(steps + 1)
    runs = {
        "your (α, β)": _quiet_run("momentum", L, [1.0, 1.0], steps, lr=lr, beta=beta),
        "Goh's optimum": optim.run("momentum", L, [1.0, 1.0], steps, lr=LR_STAR, beta=BETA_STAR),
        "best GD, α = 2/(λ₁+λ₂)": optim.run("gd", L, [1.0, 1.0], steps, lr=2 / (lam[0] + lam[1])),
    }
    for (label, traj), color in zip(runs.items(), ("k", "#E69F00", "#0072B2")):
        err = np.linalg.norm(traj, axis=1)
        ok = np.isfinite(err)
        if traj.diverged:
            label += f" (diverged at step {traj.diverged_at})"
        ax2.semilogy(k[ok], np.maximum(err[ok], 1e-300), color=color, label=label)
    ax2.semilogy(k, np.sqrt(2) * RATE_STAR**k, ":", color="#E69F00", label="theory ρ*ᵏ")
    ax2.set_ylim(1e-16, 1e4)
    ax2.set_xlabel("step k")
    ax2.set_ylabel("distance to the minimum |x_k|")
    ax2.set_title("error per step")
    ax2.legend(fontsize=9, loc="lower left")
    return fig


def rate_vs_kappa(kappas=(3, 10, 30, 100, 300, 1000), steps=400):
    """Optimal rates of GD and momentum against the condition number: theory lines, measured dots."""
    kappas = np.asarray(kappas, dtype=float)
    fig, ax = plt.subplots(figsize=(7, 4.4))
    kk = np.geomspace(kappas.min(), kappas.max(), 100)
    ax.semilogx(kk, 1 - (kk - 1) / (kk + 1), color="#0072B2", label="GD theory 1 − (κ−1)/(κ+1)")
    ax.semilogx(kk, 1 - (np.sqrt(kk) - 1) / (np.sqrt(kk) + 1), color="#D55E00",
                label="momentum theory 1 − (√κ−1)/(√κ+1)")
    gd_m, mom_m = measured_rates(kappas, steps)
    ax.semilogx(kappas, 1 - gd_m, "o", color="#0072B2", label="GD measured")
    ax.semilogx(kappas, 1 - mom_m, "s", color="#D55E00", label="momentum measured")
    ax.set_yscale("log")
    ax.set_xlabel("condition number κ = λ_max / λ_min")
    ax.set_ylabel("1 − rate  (fraction of error removed per step)")
    ax.set_title("momentum turns κ into √κ")
    ax.legend(fontsize=9)
    return fig


def measured_rates(kappas, steps=400):
    """Measured per-step rates of GD and momentum, each at its optimal hyperparameters, on
    ``quadratic((1, kappa))`` for each kappa."""
    gd_m, mom_m = [], []
    for kappa in kappas:
        L = zoo.quadratic((1.0, float(kappa)))
        lr, beta, _ = optim.goh_optimal(1.0, float(kappa))
        mom_m.append(measured_rate(optim.run("momentum", L, [1.0, 1.0], steps, lr=lr, beta=beta)))
        gd_m.append(measured_rate(optim.run("gd", L, [1.0, 1.0], steps, lr=2 / (1 + float(kappa)))))
    return np.array(gd_m), np.array(mom_m)


NEWTON_BOUNDS = ((-1.5, 1.5), (-1.5, 1.5))


def newton_vs_saddle_free(y0=0.4, x0=0.8, steps=8):
    """Newton, saddle-free Newton and GD from one start on ``x²/2 + y⁴/4 − y²/2``."""
    L = zoo.strict_saddle()
    fig, ax = plt.subplots(figsize=(7.2, 5.6))
    plots.contour(L, NEWTON_BOUNDS, ax=ax, levels=25, title="Newton climbs to the saddle; |H| does not")
    edge, basin = 1 / np.sqrt(3), 1 / np.sqrt(5)
    for s in (edge, -edge):
        ax.axhline(s, ls="--", lw=1.2, color="w")
    for s in (basin, -basin):
        ax.axhline(s, ls=":", lw=1.6, color="#E69F00")
    box = dict(facecolor="black", alpha=0.55, edgecolor="none", pad=2)
    ax.text(-1.45, edge + 0.05, "H_yy = 0  (y = ±1/√3)", color="w", fontsize=10, bbox=box)
    ax.text(-1.45, -basin + 0.05, "Newton → saddle for |y| < 1/√5", color="#E69F00", fontsize=10, bbox=box)
    plots.critical_points(ax, L.critical_points(NEWTON_BOUNDS), labels=False)
    for name, color, hyper in (("newton", "#D55E00", {}), ("saddle_free_newton", "#0072B2", {}),
                               ("gd", "#009E73", dict(lr=0.5))):
        traj = _quiet_run(name, L, [x0, y0], steps, **hyper)
        plots.trajectory(ax, traj, label=f"{name} ({steps} steps)", color=color, marker=".", ms=7)
    ax.legend(loc="lower left", fontsize=9)
    return fig


def flat_saddle_escape(y0=0.01, x0=0.1, steps=3000, gd_lr=0.5, adaptive_lr=0.01):
    """Distance |y| from the flat saddle of ``x²/2 + x²y² − y⁴`` per step, for GD, RMSProp and Adam."""
    L = zoo.flat_saddle(1)
    fig, ax = plt.subplots(figsize=(7.5, 4.4))
    for name, color, lr in (("gd", "#0072B2", gd_lr), ("rmsprop", "#CC79A7", adaptive_lr),
                            ("adam", "#E69F00", adaptive_lr)):
        traj = _quiet_run(name, L, [x0, y0], steps, lr=lr, bound=10.0)
        y = np.abs(traj[:, 1])
        ok = np.isfinite(y)
        ax.loglog(np.arange(1, steps + 2)[ok], np.maximum(y[ok], 1e-12), color=color, label=f"{name}, lr = {lr:g}")
    ax.axhline(1.0, ls=":", color="k")
    ax.text(1.2, 1.15, "escaped: L < −1 once |y| ≳ 1", fontsize=10)
    ax.set_xlabel("step (log scale)")
    ax.set_ylabel("|y| (log scale)")
    ax.set_ylim(1e-4, 10)
    ax.set_title("crossing a flat saddle: per-parameter steps win")
    ax.legend(fontsize=9, loc="lower right")
    return fig


def activation_variances(depth=30, width=100, scheme="he", gain=1.0, activation="relu", n=200, seed=0):
    """Variance of every hidden layer's pre-activations in a ``depth``-layer MLP at initialisation.

    Returns
    -------
    ndarray, shape (depth,)
    """
    if not isinstance(depth, (int, np.integer)) or depth < 1:
        raise ValueError(f"depth must be a positive integer, got {depth!r}")
    net = nets.MLP((width,) * (depth + 1) + (1,), activation=activation)
    X = np.random.default_rng([seed, 1]).normal(size=(n, width))   # a stream apart from the weights
    theta = net.init(seed=seed, scheme=scheme, gain=gain)
    return np.array([z.var() for z in net.hidden(theta, X)])


def init_variance(depth=30, gain=1.0, width=200):
    """Pre-activation variance through a deep ReLU net: He × gain against Glorot."""
    fig, ax = plt.subplots(figsize=(7.5, 4.4))
    layers = np.arange(1, int(depth) + 1)
    with np.errstate(all="ignore"):
        he = activation_variances(int(depth), width, scheme="he", gain=gain)
        gl = activation_variances(int(depth), width, scheme="glorot")
    ax.semilogy(layers, he, "o-", ms=4, label=f"He (2/fan_in) × gain {gain:g}")
    ax.semilogy(layers, gl, "s-", ms=4, label="Glorot (2/(fan_in+fan_out))")
    ax.semilogy(layers, he[0] * (gain**2) ** (layers - 1), ":", color="#0072B2", label="theory: × gain² per layer")
    ax.semilogy(layers, gl[0] * 0.5 ** (layers - 1), ":", color="#D55E00", label="theory: × ½ per layer")
    ax.set_xlabel("layer")
    ax.set_ylabel("variance of pre-activations")
    ax.set_title(f"signal through {int(depth)} ReLU layers (width {width})")
    ax.legend(fontsize=9, loc="best")
    return fig


def variance_ratio(depth=30, scheme="he", width=200, seeds=(0, 1, 2), activation="relu", n=200):
    """Geometric mean over ``seeds`` of var(last hidden layer) / var(first hidden layer)."""
    logs = [np.log(v[-1] / v[0]) for v in
            (activation_variances(depth, width, scheme, activation=activation, n=n, seed=s) for s in seeds)]
    return float(np.exp(np.mean(logs)))


def dead_units(activation="relu", bias_shift=-10.0, width=20, n=200, seed=0):
    """Shift every hidden bias of a one-hidden-layer net by ``bias_shift`` (as a bad step might) and
    report what is left of the first layer's gradient.

    Returns
    -------
    dead : float
        Fraction of hidden units whose pre-activation is negative on every input.
    zero_grad : float
        Fraction of first-layer weight-gradient entries that are exactly zero.
    """
    if activation not in ("relu", "leaky_relu"):
        raise ValueError(f"activation must be 'relu' or 'leaky_relu', got {activation!r}")
    X, y, _ = nets.teacher_student(n=n, sizes=(2, 4, 1), seed=seed)
    net = nets.MLP((2, width, 1), activation=activation)
    layers = net.unflatten(net.init(seed=seed))
    layers[0] = (layers[0][0], layers[0][1] + bias_shift)
    theta = net.flatten(layers)
    dead = float(np.mean(np.all(net.hidden(theta, X)[0] < 0, axis=0)))
    grad_W1 = net.unflatten(net.loss_grad(theta, X, y)[1])[0][0]
    return dead, float(np.mean(grad_W1 == 0.0))
