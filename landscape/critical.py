"""Critical points: classification by Hessian eigenvalues."""
from dataclasses import dataclass, field

import numpy as np

from ._checks import as_square

KINDS = ("minimum", "maximum", "saddle", "degenerate")


def classify(H_or_eigenvalues, tol=1e-8):
    """Classify a critical point from its Hessian or the Hessian's eigenvalues.

    Parameters
    ----------
    H_or_eigenvalues : array_like
        A symmetric ``(n, n)`` Hessian, or its ``n`` eigenvalues.
    tol : float
        Eigenvalues with ``|lam| <= tol * max(1, max|lam|)`` count as zero.

    Returns
    -------
    str
        ``'minimum'`` (all positive), ``'maximum'`` (all negative), ``'saddle'``
        (both signs), or ``'degenerate'`` (a zero eigenvalue and no sign change:
        the second-order test decides nothing).
    """
    lam = eigenvalues_of(H_or_eigenvalues)
    if not (np.isscalar(tol) and tol >= 0):
        raise ValueError(f"tol must be a non-negative number, got {tol!r}")
    zero = tol * max(1.0, float(np.max(np.abs(lam))))
    pos, neg = np.any(lam > zero), np.any(lam < -zero)
    if pos and neg:
        return "saddle"
    if np.any(np.abs(lam) <= zero):
        return "degenerate"
    return "minimum" if pos else "maximum"


def eigenvalues_of(H_or_eigenvalues):
    """Sorted eigenvalues of a symmetric matrix, or the given eigenvalues sorted."""
    arr = np.asarray(H_or_eigenvalues, dtype=float) if not isinstance(H_or_eigenvalues, str) else None
    if arr is None:
        raise TypeError("classify takes a Hessian matrix or a list of eigenvalues, not a string")
    if arr.ndim == 2:
        return np.linalg.eigvalsh(as_square(arr, "Hessian"))
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            f"expected an (n, n) Hessian or n eigenvalues; got an array of shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"eigenvalues contain NaN or infinity: {arr}")
    return np.sort(arr)


def index(H_or_eigenvalues, tol=1e-8):
    """Number of negative eigenvalues (the Morse index)."""
    lam = eigenvalues_of(H_or_eigenvalues)
    return int(np.sum(lam < -tol * max(1.0, float(np.max(np.abs(lam))))))


@dataclass
class CriticalPoint:
    """A point where the gradient vanishes.

    Attributes
    ----------
    x : ndarray
        Location.
    value : float
        Loss there.
    eigenvalues : ndarray
        Hessian eigenvalues, ascending.
    kind : str
        One of ``'minimum' 'maximum' 'saddle' 'degenerate'``.
    exact : bool
        Found by sympy's exact solve (else by Newton's method on the gradient).
    """

    x: np.ndarray
    value: float
    eigenvalues: np.ndarray
    kind: str
    exact: bool = False
    eigenvectors: np.ndarray = field(default=None, repr=False)

    @property
    def index(self):
        """Number of negative eigenvalues (descending directions)."""
        return index(self.eigenvalues)

    def __repr__(self):
        xs = ", ".join(f"{v:.4g}" for v in self.x)
        ev = ", ".join(f"{v:.4g}" for v in self.eigenvalues)
        return f"CriticalPoint({self.kind} at ({xs}), value={self.value:.6g}, eigenvalues=({ev}))"
