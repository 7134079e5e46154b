"""The `Landscape`: a loss given as a sympy expression, with exact compiled derivatives."""
import itertools

import numpy as np
import sympy as sp

from ._checks import as_point
from .critical import CriticalPoint, classify


def _compile(symbols, expr):
    """Lambdify a scalar or nested-list sympy expression to numpy (common subexpressions shared)."""
    return sp.lambdify(symbols, expr, modules="numpy", cse=True)


class Landscape:
    """A loss surface ``L(x)`` on R^n with exact gradient and Hessian.

    Parameters
    ----------
    expr : sympy expression or str
        The loss.
    symbols : sequence of sympy symbols, optional
        The coordinates, in order. Default: the free symbols sorted by name.
    name : str, optional
        A label for plots and messages.
    residuals : sequence of sympy expressions, optional
        If the loss is ``0.5 * sum(r_i**2)``, the residuals ``r_i`` (Gauss-Newton uses them).

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> L = Landscape(x**2 - y**2, (x, y))
    >>> L.grad([1.0, 2.0])
    array([ 2., -4.])
    """

    def __init__(self, expr, symbols=None, name=None, residuals=None):
        expr = sp.sympify(expr)
        if symbols is None:
            symbols = sorted(expr.free_symbols, key=lambda s: s.name)
        symbols = tuple(symbols)
        if not symbols or not all(isinstance(s, sp.Symbol) for s in symbols):
            raise TypeError("symbols must be a non-empty sequence of sympy Symbols")
        extra = expr.free_symbols - set(symbols)
        if extra:
            raise ValueError(f"the expression has symbols {sorted(map(str, extra))} that are not coordinates; "
                             "substitute numbers for parameters first")
        self.expr = expr
        self.symbols = symbols
        self.n = len(symbols)
        self.name = name or str(expr)
        self.grad_expr = [sp.diff(expr, s) for s in symbols]
        self.hess_expr = sp.hessian(expr, symbols)
        self._f = _compile(symbols, expr)
        self._g = _compile(symbols, self.grad_expr)
        self._h = _compile(symbols, self.hess_expr.tolist())
        self.residuals = None
        if residuals is not None:
            self.residuals = [sp.sympify(r) for r in residuals]
            if sp.expand(sp.Rational(1, 2) * sum(r**2 for r in self.residuals) - expr) != 0:
                raise ValueError("residuals r must satisfy expr == sum(r**2)/2")
            self.jac_expr = sp.Matrix(self.residuals).jacobian(symbols)
            self._r = _compile(symbols, self.residuals)
            self._j = _compile(symbols, self.jac_expr.tolist())

    def __repr__(self):
        return f"Landscape({self.name}, n={self.n})"

    # --- evaluation -------------------------------------------------------
    def _args(self, x, batch):
        x = as_point(x, self.n, batch=batch)
        return x, [x[..., i] for i in range(self.n)]

    def f(self, x):
        """Loss at ``x``; ``x`` of shape ``(n,)`` or a batch ``(..., n)`` (returns ``(...)``)."""
        x, args = self._args(x, batch=True)
        with np.errstate(all="ignore"):
            out = np.broadcast_to(np.asarray(self._f(*args), dtype=float), x.shape[:-1])
        return float(out) if out.ndim == 0 else np.array(out)

    def grad(self, x):
        """Gradient at ``x``: shape ``(n,)``, or ``(..., n)`` for a batch."""
        x, args = self._args(x, batch=True)
        with np.errstate(all="ignore"):
            parts = self._g(*args)
        return np.stack([np.broadcast_to(np.asarray(p, dtype=float), x.shape[:-1]) for p in parts], axis=-1)

    def hess(self, x):
        """Hessian at ``x``: shape ``(n, n)``, or ``(..., n, n)`` for a batch."""
        x, args = self._args(x, batch=True)
        with np.errstate(all="ignore"):
            rows = self._h(*args)
        shape = x.shape[:-1]
        return np.stack(
            [np.stack([np.broadcast_to(np.asarray(v, dtype=float), shape) for v in row], axis=-1) for row in rows],
            axis=-2,
        )

    def residual(self, x):
        """Residual vector ``r(x)`` (only for landscapes built with ``residuals``)."""
        self._need_residuals()
        _, args = self._args(x, batch=False)
        return np.array(self._r(*args), dtype=float)

    def jacobian(self, x):
        """Jacobian of the residuals, shape ``(m, n)``."""
        self._need_residuals()
        _, args = self._args(x, batch=False)
        return np.array(self._j(*args), dtype=float)

    def _need_residuals(self):
        if self.residuals is None:
            raise TypeError(f"{self.name} was not given as residuals; Gauss-Newton needs Landscape(..., residuals=[...])")

    # --- local models -----------------------------------------------------
    def taylor(self, x0, order=2):
        """Taylor model of the loss around ``x0``.

        Parameters
        ----------
        x0 : array_like, shape (n,)
            Expansion point.
        order : int
            0, 1, 2 (the quadratic model ``L + g.p + p.H.p/2``) or higher (exact, via sympy).

        Returns
        -------
        TaylorModel
            Callable on points ``(n,)`` or ``(..., n)``; ``.expr`` is the sympy polynomial.
        """
        x0 = as_point(x0, self.n, name="x0")
        if not isinstance(order, (int, np.integer)) or order < 0:
            raise ValueError(f"order must be a non-negative integer, got {order!r}")
        p = [s - float(c) for s, c in zip(self.symbols, x0)]
        if order <= 2:
            f0, g, H = self.f(x0), self.grad(x0), self.hess(x0)
            expr = sp.Float(f0)
            if order >= 1:
                expr += sum(sp.Float(gi) * pi for gi, pi in zip(g, p))
            if order >= 2:
                expr += sp.Rational(1, 2) * sum(
                    sp.Float(H[i, j]) * p[i] * p[j] for i in range(self.n) for j in range(self.n)
                )
        else:  # sum over multi-indices a with |a| <= order of D^a L(x0) / a! * p^a
            expr = sp.Float(self.f(x0))
            at = dict(zip(self.symbols, (float(c) for c in x0)))
            for d in range(1, order + 1):
                for combo in itertools.combinations_with_replacement(range(self.n), d):
                    deriv = float(sp.diff(self.expr, *[self.symbols[i] for i in combo]).evalf(subs=at))
                    counts = [combo.count(i) for i in range(self.n)]
                    expr += sp.Float(deriv) / sp.prod([sp.factorial(c) for c in counts]) * sp.prod(
                        [p[i] ** c for i, c in enumerate(counts)])
        return TaylorModel(sp.expand(expr), self.symbols, x0, order)

    # --- critical points --------------------------------------------------
    def critical_points(self, bounds, grid=25, tol=1e-8, exact="auto"):
        """Every critical point in a box, each classified.

        Parameters
        ----------
        bounds : sequence of (low, high)
            One interval per coordinate.
        grid : int
            Newton starts per axis (used when the exact solve is not available).
        tol : float
            Gradient norm below which a point counts as critical.
        exact : {'auto', True, False}
            Try sympy's exact solve for polynomial gradients ('auto': when the solve is small).

        Returns
        -------
        list of CriticalPoint
            Sorted by loss value.
        """
        lo, hi = self._bounds(bounds)
        points = None
        if exact and self._is_polynomial() and (exact is True or self._small_polynomial()):
            points = self._exact_critical_points(lo, hi)
        found_exact = points is not None
        if points is None:
            points = self._newton_critical_points(lo, hi, grid, tol)
        out = []
        for x in points:
            H = self.hess(x)
            lam, vec = np.linalg.eigh(H)
            out.append(CriticalPoint(x=x, value=self.f(x), eigenvalues=lam, kind=classify(lam),
                                     exact=found_exact, eigenvectors=vec))
        return sorted(out, key=lambda c: (c.value, tuple(c.x)))

    def _bounds(self, bounds):
        try:
            b = np.asarray(bounds, dtype=float)
        except (TypeError, ValueError) as exc:
            raise TypeError("bounds must be a sequence of (low, high) pairs") from exc
        if b.shape != (self.n, 2):
            raise ValueError(f"bounds must have one (low, high) pair per coordinate, shape ({self.n}, 2); got {b.shape}")
        if not np.all(b[:, 0] < b[:, 1]):
            raise ValueError(f"each bound needs low < high; got {b.tolist()}")
        return b[:, 0], b[:, 1]

    def _is_polynomial(self):
        return self.expr.is_polynomial(*self.symbols)

    def _small_polynomial(self, max_bezout=9):
        """Few enough solutions (Bezout's bound) for sympy to solve quickly."""
        polys = [sp.Poly(g, *self.symbols) for g in self.grad_expr if g != 0]
        bezout = int(np.prod([max(p.total_degree(), 1) for p in polys]))
        return self.n <= 3 and bezout <= max_bezout and all(len(p.terms()) <= 4 for p in polys)

    def _exact_critical_points(self, lo, hi):
        try:
            sols = sp.solve(self.grad_expr, self.symbols, dict=True)
        except (NotImplementedError, ValueError):
            return None
        pts = []
        for sol in sols:
            if any(s not in sol for s in self.symbols):
                return None  # a continuum of critical points: left to the numerical search
            vals = [complex(sp.N(sol[s])) for s in self.symbols]
            if any(abs(v.imag) > 1e-12 for v in vals):
                continue
            x = np.array([v.real for v in vals])
            if np.all(x >= lo - 1e-12) and np.all(x <= hi + 1e-12):
                pts.append(x)
        return _dedupe(pts, scale=float(np.max(hi - lo)))

    def _newton_critical_points(self, lo, hi, grid, tol):
        axes = [np.linspace(a, b, grid) for a, b in zip(lo, hi)]
        x = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, self.n)
        for _ in range(100):
            g, H = self.grad(x), self.hess(x)
            ok = np.all(np.isfinite(g), axis=1) & np.all(np.isfinite(H), axis=(1, 2))
            lam, vec = np.linalg.eigh(np.where(ok[:, None, None], H, np.eye(self.n)))
            # Newton step via the pseudo-inverse: finite even where H is singular
            big = np.abs(lam) > 1e-12
            inv = np.divide(1.0, lam, out=np.zeros_like(lam), where=big)
            step = np.einsum("pij,pj,pkj,pk->pi", vec, inv, vec, np.where(ok[:, None], g, 0.0))
            # keep steps modest so that starts do not leap across the box
            size = np.linalg.norm(step, axis=1, keepdims=True)
            cap = 0.25 * float(np.max(hi - lo))
            step *= np.minimum(1.0, cap / np.maximum(size, 1e-300))
            x = x - step
            x[~ok] = np.nan
            if np.nanmax(np.linalg.norm(step, axis=1)) < 1e-13:
                break
        g = self.grad(np.nan_to_num(x, nan=0.0))
        gnorm = np.linalg.norm(g, axis=1)
        scale = max(1.0, float(np.nanmax(np.abs(self.grad(np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, self.n))))))
        keep = np.all(np.isfinite(x), axis=1) & (gnorm <= tol * scale) & np.all(x >= lo - 1e-9, axis=1) & np.all(x <= hi + 1e-9, axis=1)
        return _dedupe(list(x[keep]), scale=float(np.max(hi - lo)))


def _dedupe(points, scale, rel=1e-5):
    """Merge points closer than ``rel * scale`` (first bucketed, then compared pairwise)."""
    cell = rel * scale
    buckets = {}
    for p in points:
        buckets.setdefault(tuple(np.round(np.asarray(p) / cell).astype(np.int64)), np.asarray(p, float))
    cands = list(buckets.values())
    if len(cands) > 2000:
        return cands
    out = []
    for p in cands:
        if all(np.linalg.norm(p - q) > cell for q in out):
            out.append(p)
    return out


class TaylorModel:
    """A Taylor polynomial of a landscape around ``x0``; call it on points ``(n,)`` or ``(..., n)``."""

    def __init__(self, expr, symbols, x0, order):
        self.expr, self.symbols, self.x0, self.order = expr, symbols, x0, order
        self._fn = _compile(symbols, expr)

    def __call__(self, x):
        x = as_point(x, len(self.symbols), batch=True)
        out = np.broadcast_to(np.asarray(self._fn(*[x[..., i] for i in range(x.shape[-1])]), float), x.shape[:-1])
        return float(out) if out.ndim == 0 else np.array(out)

    def __repr__(self):
        return f"TaylorModel(order={self.order}, x0={self.x0.tolist()}): {self.expr}"


def grid(bounds, n=200):
    """A regular grid over a 2-D box: ``(X, Y, P)`` with ``P[..., :] = (X, Y)``, ready for ``L.f(P)``."""
    (a, b), (c, d) = bounds
    X, Y = np.meshgrid(np.linspace(a, b, n), np.linspace(c, d, n))
    return X, Y, np.stack([X, Y], axis=-1)


__all__ = ["Landscape", "TaylorModel", "grid"]
