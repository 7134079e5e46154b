"""Input validation shared by the package: clear messages instead of numpy tracebacks."""
import numpy as np


def as_point(x, n, name="x", batch=False):
    """Return ``x`` as a float array whose last axis has length ``n``.

    Parameters
    ----------
    x : array_like
        A point ``(n,)`` or, with ``batch=True``, points ``(..., n)``.
    n : int
        Dimension of the landscape.
    name : str
        How the argument is called in error messages.
    batch : bool
        Allow leading batch axes.
    """
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of numbers, got {type(x).__name__}: {x!r}") from exc
    if arr.ndim == 0 and n == 1:
        arr = arr.reshape(1)
    if arr.ndim == 0 or arr.shape[-1] != n or (not batch and arr.ndim != 1):
        want = f"shape (..., {n})" if batch else f"a length-{n} vector, shape ({n},)"
        raise ValueError(f"{name} must be {want}; got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinity: {arr}")
    return arr


def as_square(H, name="H", symmetric=True, rtol=1e-8):
    """Return ``H`` as a finite, square (by default symmetric) float matrix."""
    try:
        arr = np.asarray(H, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a matrix of numbers, got {type(H).__name__}") from exc
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise ValueError(f"{name} must be a square matrix; got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinity")
    if symmetric:
        scale = max(1.0, float(np.max(np.abs(arr)))) if arr.size else 1.0
        asym = float(np.max(np.abs(arr - arr.T))) if arr.size else 0.0
        if asym > rtol * scale:
            raise ValueError(
                f"{name} is not symmetric (largest |H - H^T| entry is {asym:.3g}); "
                "a Hessian of a smooth function is symmetric"
            )
    return arr
