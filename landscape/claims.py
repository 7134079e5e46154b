"""Numbers the prose states, checked where they are computed.

A chapter that writes "the fitted slope is 3.0" computes the slope in a code cell and then calls
``claim(slope, 3.0, tol=0.1, what="quadratic-model error slope")``. The notebook runs in the test
suite, so prose and computation cannot drift apart silently.
"""
import numpy as np


class ClaimError(AssertionError):
    """The computation no longer supports a number that the text states."""


def claim(value, stated, tol=None, rtol=None, what="value"):
    """Check that a computed ``value`` agrees with the number the text ``stated``.

    Parameters
    ----------
    value : number or array_like
        What the notebook computed.
    stated : number, array_like or str
        What the prose says (a string is compared exactly, e.g. a kind or a count).
    tol, rtol : float, optional
        Absolute / relative tolerance (default: exact for integers and strings, rtol=1e-6 otherwise).
    what : str
        Names the claim in the error message.

    Returns
    -------
    value
        Unchanged, so a cell can end with ``claim(...)`` to display it.
    """
    if isinstance(stated, str) or isinstance(value, str):
        ok = value == stated
    else:
        v, s = np.asarray(value, dtype=float), np.asarray(stated, dtype=float)
        if v.shape != s.shape:
            raise ClaimError(f"{what}: computed shape {v.shape} but the text states shape {s.shape}")
        if tol is None and rtol is None:
            exact = np.all(np.equal(np.mod(s, 1), 0)) and np.all(np.equal(np.mod(v, 1), 0))
            rtol = 0.0 if exact else 1e-6
        ok = bool(np.allclose(v, s, atol=tol or 0.0, rtol=rtol or 0.0))
    if not ok:
        raise ClaimError(f"{what}: the text states {stated!r} but the notebook computes {value!r}"
                         f"{'' if tol is None else f' (tolerance {tol})'}; update the prose or the code")
    return value
