"""Teacher-student learning with a soft committee machine, where plateaus come from symmetric saddles.

The student ``f(x) = sum_i tanh(w_i . x)`` learns from a teacher of the same form. While its hidden
units are (nearly) identical -- not yet specialised -- it sits near a saddle of the symmetric subspace,
and the loss stalls on a plateau whose length grows like ``log(1/delta)`` in the initial asymmetry.
(Saad & Solla 1995.)
"""
import numpy as np


def committee_data(n=400, d=8, units=2, seed=0):
    """Inputs ``X ~ N(0, I)`` of shape ``(n, d)`` and labels ``y = sum_i tanh(b_i . x)`` from a teacher
    whose ``units`` weight vectors ``b_i`` are the first coordinate axes (orthonormal)."""
    if not (isinstance(units, int) and 1 <= units <= d):
        raise ValueError(f"units must be an integer in 1..d={d}, got {units!r}")
    X = np.random.default_rng(seed).normal(size=(n, d))
    return X, np.tanh(X[:, :units]).sum(axis=1)


def symmetric_starts(deltas, d=8, units=2, scale=0.01, seed=1):
    """Student weights ``(len(deltas), units, d)``: every unit equals one small random vector ``w``,
    plus ``delta`` times a fixed random perturbation -- ``delta`` is the initial asymmetry."""
    deltas = np.asarray(deltas, float)
    if deltas.ndim != 1 or np.any(deltas < 0) or not np.all(np.isfinite(deltas)):
        raise ValueError(f"deltas must be a 1-D array of non-negative numbers, got {deltas!r}")
    rng = np.random.default_rng(seed)
    w, noise = scale * rng.normal(size=d), rng.normal(size=(units, d))
    return w[None, None, :] + deltas[:, None, None] * noise[None]


def train_committee(W, X, y, lr=0.5, steps=800):
    """Full-batch GD on ``0.5 mean (sum_i tanh(w_i . x) - y)^2`` for a stack of students ``W (R, K, d)``.

    Returns
    -------
    losses : ndarray (steps + 1, R)
    overlap : ndarray (steps + 1, R)
        Cosine between the first two units' weight vectors (1: not specialised).
    """
    W = np.array(W, float)
    X, y = np.asarray(X, float), np.asarray(y, float)
    if W.ndim != 3 or W.shape[1] < 2 or W.shape[2] != X.shape[1] or y.shape != (X.shape[0],):
        raise ValueError(f"need W (R, K>=2, d) with d = X.shape[1] and y (N,); got {W.shape}, {X.shape}, {y.shape}")
    if not lr > 0:
        raise ValueError(f"lr must be positive, got {lr!r}")
    N = len(X)
    losses, overlap = np.empty((steps + 1, len(W))), np.empty((steps + 1, len(W)))
    for k in range(steps + 1):
        T = np.tanh(W @ X.T)                                   # (R, K, N)
        r = T.sum(axis=1) - y                                  # (R, N)
        losses[k] = 0.5 * np.mean(r**2, axis=1)
        w0, w1 = W[:, 0], W[:, 1]
        overlap[k] = (w0 * w1).sum(1) / np.sqrt((w0 * w0).sum(1) * (w1 * w1).sum(1))
        if k < steps:
            W -= (lr / N) * ((r[:, None, :] * (1 - T * T)) @ X)
    return losses, overlap


def plateau_length(losses, level=1e-3):
    """First step at which each run's loss falls below ``level`` (``-1`` if never)."""
    below = np.asarray(losses) < level
    return np.where(below.any(axis=0), below.argmax(axis=0), -1)
