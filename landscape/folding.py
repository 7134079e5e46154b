"""Protein folding as a funnel: Levinthal's count and the Zwanzig-Szabo-Bagchi (1992) model."""
import numpy as np


def levinthal_years(residues=100, states=3, rate=1e13):
    """Years a random search needs to visit every conformation once (``states**residues`` at ``rate`` per s)."""
    return states**residues / rate / (365.25 * 24 * 3600)


def folding_time(N=100, nu=3, bias=2.0, k1=1.0):
    """Mean first-passage time to the native state from the fully unfolded one.

    Each of ``N`` bonds is correct (1 state) or incorrect (``nu - 1`` states). Incorrect bonds become
    correct at rate ``k1``; correct ones break at ``k0 = k1 (nu - 1) exp(-bias)``, where ``bias`` is the
    energy gained per correct bond in units of kT. ``bias = 0`` is Levinthal's random search; any
    ``bias > log(nu - 1)`` makes a funnel.

    Returns
    -------
    float
        Time in units of ``1 / k1`` (may be astronomically large; computed in log space).
    """
    if N < 1 or nu < 2:
        raise ValueError("need N >= 1 bonds and nu >= 2 states per bond")
    k0 = k1 * (nu - 1) * np.exp(-bias)
    n = np.arange(N + 1)                    # number of incorrect bonds
    down = n * k1                           # n -> n - 1 (a bond becomes correct)
    up = (N - n) * k0                       # n -> n + 1 (a bond breaks)
    # stationary measure of the reflected chain, in logs: pi_m / pi_{m-1} = up_{m-1} / down_m
    logpi = np.zeros(N + 1)
    logpi[1:] = np.cumsum(np.log(up[:-1]) - np.log(down[1:]))
    # expected time to go from k to k - 1: sum_{m >= k} pi_m / (pi_k down_k)
    tau = [np.exp(np.logaddexp.reduce(logpi[k:]) - logpi[k]) / down[k] for k in range(1, N + 1)]
    return float(np.sum(tau))
