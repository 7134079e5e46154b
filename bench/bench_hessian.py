"""Exact Hessian spectra (P ~ 2,000) and Lanczos spectral density (P ~ 10^5) of MLP losses."""
import time
import tracemalloc

import numpy as np

from run import best_of
from landscape import hvp, lanczos, nets


def _problem(sizes, n, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, sizes[0]))
    y = rng.integers(0, sizes[-1], size=n)
    net = nets.MLP(sizes, activation="tanh", loss="cross_entropy")
    return net.bind(X, y), net.init(seed=seed)


def benchmarks():
    # exact spectrum: P unit-vector HVPs, then eigvalsh
    obj, theta = _problem((2, 30, 30, 30, 2), 256)          # P = 2,012
    t_grad = best_of(lambda: obj.grad(theta), repeat=5, number=20)
    t_hess = best_of(lambda: obj.hessian(theta), repeat=2)
    t_spec = best_of(lambda: np.linalg.eigvalsh(obj.hessian(theta)), repeat=2)
    yield f"full Hessian by P exact HVPs, P={obj.n:,}", t_hess, f"{obj.n:,} gradient evaluations", obj.n * t_grad, "<= 4x"
    yield f"exact spectrum (Hessian + eigvalsh), P={obj.n:,}", t_spec, "goal 5 s", 5.0, "<= 1x"
    A = np.random.default_rng(0).normal(size=(obj.n, obj.n))
    A = A + A.T
    t_eig = best_of(lambda: np.linalg.eigvalsh(A), repeat=2)
    yield f"exact spectrum (Hessian + eigvalsh), P={obj.n:,}", t_spec, "eigvalsh alone (same size)", t_eig, "<= 3x"

    # Lanczos density at P ~ 10^5, memory O(kP)
    obj, theta = _problem((24, 300, 300, 10), 256)           # P = 100,810
    k, probes = 80, 3
    t_grad = best_of(lambda: obj.grad(theta), repeat=3, number=5)
    op = hvp.operator(obj, theta)
    tracemalloc.start()
    t0 = time.perf_counter()
    lanczos.slq(op, obj.n, k=k, n_probes=probes, seed=0)
    t_slq = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    name = f"SLQ density P={obj.n:,} k={k} x{probes} (peak {peak / 2**20:.0f} MB = {peak / (8 * k * obj.n):.1f} kP floats)"
    yield name, t_slq, "goal 60 s", 60.0, "<= 1x"
    yield f"SLQ density P={obj.n:,}", t_slq, f"{k * probes} gradient evaluations", k * probes * t_grad, "<= 10x"
