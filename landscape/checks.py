"""Checks for the practice notebooks: each failure says what is wrong, in words.

Every ``check_*`` returns None: nbgrader reads a number that a test cell displays as partial
credit, so a check must not leave a value as the cell's result.

The visible tests of `solutions/` and `exercises/` call these instead of bare ``assert``, so a
learner reads "your Hessian is not symmetric" rather than ``AssertionError``.

Two kinds of failure:

* `CheckFailed` (an ``AssertionError``): the learner's code ran, and its answer is wrong.
* `YourCodeRaised`: the learner's own function raised an exception; the message names the
  exception and the line of their code, so it is not mistaken for a failing test.

>>> from landscape import checks
>>> checks.check_kind("minimum", [-2, 3])
Traceback (most recent call last):
...
landscape.checks.CheckFailed: eigenvalues (-2, 3) have mixed signs: that is a saddle, you returned 'minimum'
"""
import traceback

import numpy as np
import sympy as sp

from .critical import KINDS, classify


class CheckFailed(AssertionError):
    """The learner's answer is wrong; the message says how."""


class YourCodeRaised(Exception):
    """The learner's own function raised an exception (not a failure of the test)."""


def _fmt_num(v):
    v = float(v)
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return f"{v:.6g}"


def _fmt_point(p):
    p = np.atleast_1d(np.asarray(p, dtype=float))
    return "(" + ", ".join(_fmt_num(v) for v in p) + ")"


def _fmt_array(a):
    return np.array2string(np.asarray(a, dtype=float), precision=6, suppress_small=True, separator=", ")


def _name(fn):
    return getattr(fn, "__name__", None) or repr(fn)


def call(fn, *args, **kwargs):
    """Call the learner's ``fn``; if it raises, say so as *their* exception.

    Raises
    ------
    YourCodeRaised
        ``fn`` raised; the message names the exception, its text and the line of code.
    """
    if not callable(fn):
        raise CheckFailed(f"expected a function, got {type(fn).__name__}: {fn!r}")
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        raise YourCodeRaised(f"{_name(fn)} is not written yet: replace `raise NotImplementedError` "
                             "with your code, then run its cell again") from None
    except Exception as exc:  # the learner's bug, reported as such
        where = ""
        frames = traceback.extract_tb(exc.__traceback__)[1:]
        if frames and frames[-1].line:
            where = f" in the line `{frames[-1].line.strip()}`"
        raise YourCodeRaised(f"your function {_name(fn)} raised {type(exc).__name__}: {exc}{where}") from None


def check_shape(value, shape, what="your answer"):
    """Check that ``value`` is an array of ``shape``."""
    _check_shape(value, shape, what)


def _check_shape(value, shape, what):
    shape = tuple(shape)
    if value is None:
        raise CheckFailed(f"{what} is None: did you forget `return`?")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise CheckFailed(f"{what} should be an array of numbers, got {type(value).__name__}: {value!r}") from None
    if arr.shape != shape:
        want = f"a length-{shape[0]} array" if len(shape) == 1 else f"a {'x'.join(map(str, shape))} array"
        raise CheckFailed(f"expected {want}, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise CheckFailed(f"{what} contains NaN or infinity: {_fmt_array(arr)}")
    return arr


def check_close(value, expected, what="your answer", rtol=1e-6, atol=1e-8):
    """Check a number or array against the expected one; shape first, then values."""
    expected = np.asarray(expected, dtype=float)
    arr = _check_shape(value, expected.shape, what) if expected.ndim else _as_number(value, what)
    if not np.allclose(arr, expected, rtol=rtol, atol=atol):
        if expected.ndim == 0:
            raise CheckFailed(f"{what} is {_fmt_num(arr)}, expected {_fmt_num(expected)}")
        raise CheckFailed(f"{what} is off: expected {_fmt_array(expected)}, got {_fmt_array(arr)}")


def _as_number(value, what):
    if value is None:
        raise CheckFailed(f"{what} is None: did you forget `return`?")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise CheckFailed(f"{what} should be a number, got {type(value).__name__}: {value!r}") from None
    if arr.size != 1:
        raise CheckFailed(f"{what} should be a single number, got shape {arr.shape}")
    val = float(arr.reshape(()))
    if not np.isfinite(val):
        raise CheckFailed(f"{what} is {val}, expected a finite number")
    return val


def check_gradient(fn, expected_fn, points, rtol=1e-6, atol=1e-8, name="gradient"):
    """Compare the learner's ``fn(p)`` with ``expected_fn(p)`` at each point.

    Message on failure: "your gradient is off at (0.3, -1.2): expected [..], got [..]".
    """
    for p in np.atleast_2d(np.asarray(points, dtype=float)):
        want = np.asarray(expected_fn(p), dtype=float)
        got = call(fn, p.copy())
        got = _check_shape(got, want.shape, f"your {name} at {_fmt_point(p)}")
        if not np.allclose(got, want, rtol=rtol, atol=atol):
            raise CheckFailed(f"your {name} is off at {_fmt_point(p)}: expected {_fmt_array(want)}, "
                              f"got {_fmt_array(got)}")


def check_symmetric(H, what="your Hessian", rtol=1e-8):
    """A Hessian of a smooth function is symmetric; say where it is not."""
    H = np.asarray(H, dtype=float)
    if H.ndim != 2 or H.shape[0] != H.shape[1]:
        raise CheckFailed(f"{what} should be a square matrix, got shape {H.shape}")
    diff = np.abs(H - H.T)
    scale = max(1.0, float(np.max(np.abs(H)))) if H.size else 1.0
    if H.size and diff.max() > rtol * scale:
        i, j = np.unravel_index(np.argmax(diff), diff.shape)
        i, j = min(i, j), max(i, j)
        raise CheckFailed(f"{what} is not symmetric: H[{i},{j}] = {_fmt_num(H[i, j])} but "
                          f"H[{j},{i}] = {_fmt_num(H[j, i])} (mixed partial derivatives are equal)")


def check_hessian(fn, expected_fn, points, rtol=1e-6, atol=1e-8):
    """Shape, symmetry, then values of the learner's Hessian ``fn(p)`` at each point."""
    for p in np.atleast_2d(np.asarray(points, dtype=float)):
        want = np.asarray(expected_fn(p), dtype=float)
        got = _check_shape(call(fn, p.copy()), want.shape, f"your Hessian at {_fmt_point(p)}")
        check_symmetric(got, f"your Hessian at {_fmt_point(p)}")
        if not np.allclose(got, want, rtol=rtol, atol=atol):
            raise CheckFailed(f"your Hessian is off at {_fmt_point(p)}: expected {_fmt_array(want)}, "
                              f"got {_fmt_array(got)}")


_WHY = {
    "minimum": "are all positive",
    "maximum": "are all negative",
    "saddle": "have mixed signs",
    "degenerate": "include a zero and no sign change, so the second-derivative test cannot decide",
}


def check_kind(returned, eigenvalues, tol=1e-8):
    """Check a classification against the Hessian eigenvalues.

    Message on failure: "eigenvalues (-2, 3) have mixed signs: that is a saddle, you returned 'minimum'".
    """
    if returned not in KINDS:
        raise CheckFailed(f"{returned!r} is not one of {', '.join(repr(k) for k in KINDS)}")
    want = classify(eigenvalues, tol=tol)
    if returned != want:
        that = "that is 'degenerate'" if want == "degenerate" else f"that is a {want}"
        raise CheckFailed(f"eigenvalues {_fmt_point(eigenvalues)} {_WHY[want]}: {that}, you returned {returned!r}")


def _to_expr(value, what):
    if value is None:
        raise CheckFailed(f"{what} is None: did you forget `return`?")
    if isinstance(value, np.ndarray) and value.dtype != object:
        value = value.tolist()
    try:
        return sp.sympify(value)
    except (sp.SympifyError, TypeError):
        raise CheckFailed(f"{what} should be a sympy expression, got {type(value).__name__}: {value!r}") from None


def _equivalent(a, b, seed=0):
    """Symbolically equal (sympy simplifies a - b to 0), or equal at random points."""
    diff = a - b
    if diff == 0 or sp.simplify(diff) == 0:
        return True
    syms = sorted(diff.free_symbols, key=lambda s: s.name)
    rng = np.random.default_rng(seed)
    for _ in range(5):
        vals = dict(zip(syms, rng.uniform(-1.3, 1.7, len(syms))))
        try:
            d = complex(diff.evalf(subs=vals))
            scale = max(1.0, abs(complex(b.evalf(subs=vals))))
        except (TypeError, ValueError):
            return False
        if not abs(d) <= 1e-9 * scale:
            return False
    return True


def check_expr_equal(expr, expected, what="your expression"):
    """Accept any expression sympy can show equal to ``expected`` (also lists and matrices).

    Strings are parsed with ``sympify``; ``x*(x+1)`` and ``x**2 + x`` both pass.
    """
    got = _to_expr(expr, what)
    want = sp.sympify(expected)
    if isinstance(want, (sp.MatrixBase, list, tuple)) or isinstance(got, (sp.MatrixBase, list, tuple)):
        want_m, got_m = sp.Matrix(want), _as_matrix(got, what)
        if want_m.shape != got_m.shape and not (want_m.shape[::-1] == got_m.shape and 1 in want_m.shape):
            raise CheckFailed(f"{what} should have {_shape_words(want_m.shape)}, got {_shape_words(got_m.shape)}")
        got_m = got_m.reshape(*want_m.shape)
        for idx in range(len(want_m)):
            if not _equivalent(sp.sympify(got_m[idx]), want_m[idx]):
                i, j = divmod(idx, want_m.shape[1])
                pos = f"[{idx}]" if 1 in want_m.shape else f"[{i},{j}]"
                raise CheckFailed(f"{what}{pos} is {got_m[idx]}, expected something equal to {want_m[idx]}")
        return
    if not isinstance(got, sp.Expr):
        raise CheckFailed(f"{what} should be a sympy expression, got {type(got).__name__}: {got!r}")
    if not _equivalent(got, want):
        raise CheckFailed(f"{what} {got} is not equal to {want}: they differ by {sp.simplify(got - want)}")


def _as_matrix(value, what):
    try:
        return sp.Matrix(value)
    except (TypeError, ValueError, sp.SympifyError):
        raise CheckFailed(f"{what} should be a list or matrix of expressions, got {type(value).__name__}") from None


def _shape_words(shape):
    return f"{max(shape)} entries" if 1 in shape else f"shape {shape[0]}x{shape[1]}"


def check_points(found, expected, what="critical points", tol=1e-5):
    """Compare two sets of points (order free): say which are missing and which are extra."""
    expected = np.atleast_2d(np.asarray(expected, dtype=float))
    if found is None:
        raise CheckFailed(f"your {what} is None: did you forget `return`?")
    try:
        got = np.asarray(found, dtype=float).reshape(-1, expected.shape[1]) if len(found) else \
            np.zeros((0, expected.shape[1]))
    except (TypeError, ValueError):
        raise CheckFailed(f"your {what} should be a list of points of length {expected.shape[1]}, "
                          f"got {found!r}") from None
    missing = [e for e in expected if not np.any(np.linalg.norm(got - e, axis=1) <= tol)] if len(got) else list(expected)
    extra = [g for g in got if not np.any(np.linalg.norm(expected - g, axis=1) <= tol)]
    dupes = len(got) - len(np.unique(np.round(got / tol), axis=0)) if len(got) else 0
    if missing or extra or dupes:
        parts = [f"you found {len(got)} {what}, there are {len(expected)}"]
        if missing:
            parts.append(f"missing {', '.join(_fmt_point(m) for m in missing[:4])}")
        if extra:
            parts.append(f"not expected: {', '.join(_fmt_point(x) for x in extra[:4])}")
        if dupes:
            parts.append(f"{dupes} listed twice")
        raise CheckFailed("; ".join(parts))


__all__ = ["CheckFailed", "YourCodeRaised", "call", "check_shape", "check_close", "check_gradient",
           "check_symmetric", "check_hessian", "check_kind", "check_expr_equal", "check_points"]
