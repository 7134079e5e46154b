"""landscape.checks: every failure message says what is wrong (the practice sets rely on them)."""
import numpy as np
import pytest
import sympy as sp

from landscape import checks, zoo
from landscape.checks import CheckFailed, YourCodeRaised


def fails(fn, *args, **kw):
    with pytest.raises(CheckFailed) as info:
        fn(*args, **kw)
    return str(info.value)


def test_check_failed_is_an_assertion_but_your_code_raised_is_not():
    assert issubclass(CheckFailed, AssertionError)
    assert not issubclass(YourCodeRaised, AssertionError)


def test_gradient_message_names_point_expected_and_got():
    L = zoo.himmelblau()
    wrong = lambda p: L.grad(p) + np.array([0.0, 1.0])  # noqa: E731
    msg = fails(checks.check_gradient, wrong, L.grad, [[0.3, -1.2]])
    assert msg.startswith("your gradient is off at (0.3, -1.2): expected [")
    exp = L.grad([0.3, -1.2])
    assert f"{exp[0]:.6g}"[:5] in msg and "got [" in msg
    checks.check_gradient(L.grad, L.grad, [[0.3, -1.2], [1, 2]])  # right answer passes


def test_shape_message():
    assert fails(checks.check_shape, np.zeros(3), (2,)) == "expected a length-2 array, got shape (3,)"
    assert fails(checks.check_shape, np.zeros(2), (2, 2)) == "expected a 2x2 array, got shape (2,)"
    assert "did you forget `return`" in fails(checks.check_shape, None, (2,))
    assert "NaN" in fails(checks.check_shape, [np.nan, 1.0], (2,))
    L = zoo.bowl()
    assert fails(checks.check_gradient, lambda p: np.zeros(3), L.grad, [[0.3, -1.2]]) == \
        "expected a length-2 array, got shape (3,)"


def test_symmetric_message():
    msg = fails(checks.check_symmetric, [[1.0, 2.0], [3.0, 4.0]])
    assert msg.startswith("your Hessian is not symmetric: H[0,1] = 2 but H[1,0] = 3")
    checks.check_symmetric(np.eye(2))
    assert "square" in fails(checks.check_symmetric, np.zeros(3))


def test_hessian_checks_shape_then_symmetry_then_values():
    L = zoo.himmelblau()
    assert "not symmetric" in fails(checks.check_hessian, lambda p: L.hess(p) + [[0, 1], [0, 0]], L.hess, [[1, 1]])
    assert "your Hessian is off at (1, 1)" in fails(checks.check_hessian, lambda p: 2 * L.hess(p), L.hess, [[1, 1]])
    assert "2x2" in fails(checks.check_hessian, lambda p: np.zeros(2), L.hess, [[1, 1]])
    checks.check_hessian(L.hess, L.hess, [[1, 1]])


@pytest.mark.parametrize("returned, eigs, message", [
    ("minimum", (-2, 3), "eigenvalues (-2, 3) have mixed signs: that is a saddle, you returned 'minimum'"),
    ("saddle", (1, 2), "eigenvalues (1, 2) are all positive: that is a minimum, you returned 'saddle'"),
    ("minimum", (-1, -2), "eigenvalues (-1, -2) are all negative: that is a maximum, you returned 'minimum'"),
    ("minimum", (0, 2), "eigenvalues (0, 2) include a zero and no sign change, so the second-derivative test "
                        "cannot decide: that is 'degenerate', you returned 'minimum'"),
])
def test_kind_messages(returned, eigs, message):
    assert fails(checks.check_kind, returned, eigs) == message


def test_kind_rejects_unknown_words_and_accepts_right_answers():
    assert fails(checks.check_kind, "min", (1, 2)).startswith("'min' is not one of 'minimum'")
    for kind, eigs in [("minimum", (1, 2)), ("maximum", (-1, -2)), ("saddle", (-1, 2)), ("degenerate", (0, -1))]:
        checks.check_kind(kind, eigs)


def test_expr_equal_accepts_any_equivalent_form():
    x, y = sp.symbols("x y")
    checks.check_expr_equal(x * (x + 1), x**2 + x)
    checks.check_expr_equal("sin(x)**2", 1 - sp.cos(x) ** 2)
    checks.check_expr_equal([2 * x * y, x**2], sp.Matrix([2 * x * y, x**2]))
    checks.check_expr_equal(sp.Matrix([[2, 0], [0, 2]]), [[2, 0], [0, 2]])
    msg = fails(checks.check_expr_equal, 2 * x, 2 * x + y)
    assert msg == "your expression 2*x is not equal to 2*x + y: they differ by -y"
    msg = fails(checks.check_expr_equal, [2 * x, x], [2 * x, y], what="your gradient")
    assert msg == "your gradient[1] is x, expected something equal to y"
    assert "3 entries" in fails(checks.check_expr_equal, [x, y], [x, y, x])
    assert "forget `return`" in fails(checks.check_expr_equal, None, x)


def test_close_messages():
    assert fails(checks.check_close, 1.5, 3.0, what="your slope") == "your slope is 1.5, expected 3"
    assert fails(checks.check_close, [1, 2], [1, 3], what="x").startswith("x is off: expected [1., 3.], got [1., 2.]")
    assert "single number" in fails(checks.check_close, [1, 2], 3.0)
    checks.check_close(3.0000001, 3.0)


def test_points_messages():
    exp = [(1, 0), (-1, 0)]
    assert fails(checks.check_points, [(1, 0)], exp) == "you found 1 critical points, there are 2; missing (-1, 0)"
    msg = fails(checks.check_points, [(1, 0), (-1, 0), (0, 0)], exp)
    assert "not expected: (0, 0)" in msg
    assert "listed twice" in fails(checks.check_points, [(1, 0), (1, 0), (-1, 0)], exp)
    assert "missing" in fails(checks.check_points, [], exp)
    checks.check_points([(-1, 0), (1, 1e-9)], exp)


def test_call_reports_the_learners_exception_as_theirs():
    def slope(x):
        return 1 / x

    with pytest.raises(YourCodeRaised) as info:
        checks.call(slope, 0)
    msg = str(info.value)
    assert msg.startswith("your function slope raised ZeroDivisionError: division by zero")
    assert "`return 1 / x`" in msg

    def todo(x):
        raise NotImplementedError

    with pytest.raises(YourCodeRaised, match="todo is not written yet: replace `raise NotImplementedError`"):
        checks.call(todo, 1)
    assert checks.call(lambda a, b=1: a + b, 1, b=2) == 3
    assert "expected a function" in fails(checks.call, 3)


def test_gradient_check_reports_a_crash_as_the_learners():
    with pytest.raises(YourCodeRaised, match="raised IndexError"):
        checks.check_gradient(lambda p: p[5], zoo.bowl().grad, [[0.3, -1.2]])
