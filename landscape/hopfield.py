"""Hopfield networks: stored patterns as energy minima, spurious states, annealing (Glauber dynamics)."""
import numpy as np


def store(patterns):
    """Hebbian weights ``W = X^T X / N`` (zero diagonal) for ``patterns`` of shape ``(P, N)`` in {-1, +1}."""
    X = np.asarray(patterns, dtype=float)
    if X.ndim != 2 or not np.all(np.isin(X, (-1.0, 1.0))):
        raise ValueError(f"patterns must be a (P, N) array of -1/+1; got shape {X.shape}")
    W = X.T @ X / X.shape[1]
    np.fill_diagonal(W, 0.0)
    return W


def random_patterns(P=5, N=100, seed=0):
    """``P`` random +-1 patterns of length ``N``."""
    return np.random.default_rng(seed).choice([-1.0, 1.0], size=(P, N))


def energy(W, s):
    """Energy ``-s^T W s / 2`` of states ``s`` of shape ``(N,)`` or ``(R, N)``."""
    s = np.atleast_2d(np.asarray(s, dtype=float))
    e = -0.5 * np.einsum("ri,ij,rj->r", s, W, s)
    return e if e.size > 1 else float(e[0])


def anneal(W, states, temperatures, seed=0):
    """Asynchronous Glauber dynamics, one sweep per temperature (T = 0: deterministic descent).

    Parameters
    ----------
    W : ndarray (N, N)
        Symmetric weights.
    states : ndarray (R, N)
        R independent starting states, updated together.
    temperatures : sequence of float
        One sweep over all units (random order) per entry; the schedule of simulated annealing.

    Returns
    -------
    ndarray (R, N)
        Final states.
    """
    rng = np.random.default_rng(seed)
    s = np.atleast_2d(np.array(states, dtype=float))
    R, N = s.shape
    if W.shape != (N, N):
        raise ValueError(f"W must be ({N}, {N}) for states of length {N}; got {W.shape}")
    temps = np.asarray(temperatures, dtype=float)
    if np.any(temps < 0) or not np.all(np.isfinite(temps)):
        raise ValueError("temperatures must be finite and >= 0")
    for T in temps:
        for i in rng.permutation(N):
            h = s @ W[i]
            if T == 0:
                s[:, i] = np.where(h >= 0, 1.0, -1.0)
            else:
                up = rng.random(R) < 0.5 * (1 + np.tanh(h / T))   # P(s_i = +1) = 1 / (1 + exp(-2h/T))
                s[:, i] = np.where(up, 1.0, -1.0)
    return s


def overlaps(patterns, states):
    """Overlap ``|m| = |xi . s| / N`` of each state with each pattern, shape ``(R, P)``."""
    X = np.asarray(patterns, dtype=float)
    return np.abs(np.atleast_2d(states) @ X.T) / X.shape[1]


def recalled(patterns, states, threshold=0.95):
    """Whether each state is (up to sign) one of the stored patterns."""
    return overlaps(patterns, states).max(axis=1) >= threshold


def schedule(T0, sweeps, tail=5):
    """A linear cooling schedule from ``T0`` to 0 over ``sweeps`` sweeps, then ``tail`` sweeps at T = 0."""
    if T0 < 0 or sweeps < 0:
        raise ValueError("T0 and sweeps must be >= 0")
    return np.concatenate([np.linspace(T0, 0.0, int(sweeps)), np.zeros(int(tail))])
