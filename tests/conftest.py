import os
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def notebooks(*dirs):
    out = []
    for d in dirs:
        out += sorted(p for p in (ROOT / d).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    return out


def fd_grad(fn, theta, eps=1e-6):
    """Central-difference gradient of ``fn`` at ``theta`` (the reference that backprop must match)."""
    import numpy as np
    g = np.zeros_like(theta)
    for i in range(len(theta)):
        e = np.zeros_like(theta)
        e[i] = eps
        g[i] = (fn(theta + e) - fn(theta - e)) / (2 * eps)
    return g


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt
    plt.close("all")


@pytest.fixture
def no_warnings():
    """Turn every warning inside the test into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


os.environ.setdefault("MPLBACKEND", "Agg")
