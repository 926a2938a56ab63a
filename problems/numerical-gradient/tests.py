"""Hidden tests for "Numerical gradient (central differences)".

Inputs are random from fixed seeds, with every axis a different length, so that a gradient
filled in the wrong order (transposed, flattened the other way) cannot pass by accident. The
functions f are the tests' own and watch every array they are given: they fail at once, with a
message naming the problem, if it is not a float array shaped like x or differs from x at more
than one entry (a flattened or integer copy, perturbing everything at once, or x drifting
because it was changed in place). `call` hands the learner a copy of x and fails if that copy
was changed, so x must be left exactly as it was, bit for bit.
"""

import numpy as np

from runner.checks import Failure, as_numeric_array, call, expect_close, expect_shape, hidden_test


def gradient(numerical_gradient, f, x, *eps):
    """Call the learner's function and return its result as an array shaped like x."""
    grad = as_numeric_array("grad", call(numerical_gradient, f, x, *eps))
    expect_shape("grad", grad, x.shape, "x.shape")
    return grad


def watched(f, x):
    """Wrap f so that it fails as soon as it is given anything but x with one entry moved."""
    original = np.array(x, dtype=float)

    def observed(z):
        z = np.asarray(z)
        if z.shape != original.shape:
            raise Failure(
                f"f was called with an array of shape {z.shape}, but x has shape "
                f"{original.shape}: f expects arrays shaped like x, so perturb a copy of x "
                "itself (not a flattened or reshaped one)."
            )
        if not np.issubdtype(z.dtype, np.floating):
            raise Failure(
                f"f was called with an array of dtype {z.dtype}, which cannot hold x[i] + eps: "
                "the step is rounded away. Perturb a float copy of x, np.array(x, dtype=float)."
            )
        moved = np.argwhere(z != original)
        if len(moved) > 1:
            shown = ", ".join(
                f"[{', '.join(str(int(i)) for i in index)}] by {float(z[tuple(index)] - original[tuple(index)]):.3g}"
                for index in moved[:3]
            )
            more = f" (and {len(moved) - 3} more)" if len(moved) > 3 else ""
            raise Failure(
                f"f was called with an array that differs from x at {len(moved)} entries: "
                f"{shown}{more}. Each call of f must move exactly one entry of x, by +eps or "
                "-eps, and leave every other entry exactly as it was in x."
            )
        return f(z)

    return observed


@hidden_test("1-D x: sum(x**2) gives 2x")
def test_quadratic(numerical_gradient):
    x = np.random.default_rng(1).standard_normal(7)
    grad = gradient(numerical_gradient, watched(lambda z: np.sum(z**2), x), x)
    expect_close("grad", grad, 2 * x, atol=1e-6, rtol=1e-6, reference="2 * x")


@hidden_test("2-D x: sum(sin(x) * A) gives cos(x) * A")
def test_matrix(numerical_gradient):
    rng = np.random.default_rng(2)
    x, A = rng.standard_normal((3, 5)), rng.standard_normal((3, 5))
    grad = gradient(numerical_gradient, watched(lambda z: np.sum(np.sin(z) * A), x), x)
    expect_close("grad", grad, np.cos(x) * A, atol=1e-6, rtol=1e-6, reference="cos(x) * A")


@hidden_test("3-D x: every entry gets its own difference")
def test_three_dimensional(numerical_gradient):
    rng = np.random.default_rng(3)
    x, C = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 3, 4))
    f = watched(lambda z: np.sum(C * np.tanh(z)), x)
    grad = gradient(numerical_gradient, f, x)
    expect_close("grad", grad, C * (1 - np.tanh(x) ** 2), atol=1e-6, rtol=1e-6,
                 reference="C * (1 - tanh(x)**2)")


@hidden_test("Each partial derivative lands at its own entry: f = x[0,1] * x[1,2]**2")
def test_positions(numerical_gradient):
    x = np.random.default_rng(4).uniform(0.5, 2.0, size=(3, 4))
    f = watched(lambda z: float(z[0, 1] * z[1, 2] ** 2), x)
    grad = gradient(numerical_gradient, f, x)
    expected = np.zeros_like(x)
    expected[0, 1] = x[1, 2] ** 2
    expected[1, 2] = 2 * x[0, 1] * x[1, 2]
    expect_close("grad", grad, expected, atol=1e-6, rtol=1e-6,
                 reference="x[1,2]**2 at [0, 1], 2*x[0,1]*x[1,2] at [1, 2] and 0 elsewhere")


@hidden_test("f gets x's shape with one entry moved, and x is left exactly as it was")
def test_one_entry_at_a_time(numerical_gradient):
    rng = np.random.default_rng(5)
    x = rng.uniform(-10.0, 10.0, size=(4, 3))  # values for which x + eps - 2*eps + eps != x
    A = rng.standard_normal((4, 3))
    f = watched(lambda z: np.sum(A * z**2), x)
    grad = gradient(numerical_gradient, f, x)
    expect_close("grad", grad, 2 * A * x, atol=1e-5, rtol=1e-6, reference="2 * A * x")


@hidden_test("Central, not forward, differences: sum(x**3) to within 1e-7")
def test_central(numerical_gradient):
    x = np.random.default_rng(6).uniform(0.5, 2.0, size=(2, 5))
    grad = gradient(numerical_gradient, watched(lambda z: np.sum(z**3), x), x)
    expect_close("grad", grad, 3 * x**2, atol=1e-7, rtol=1e-7,
                 reference="3 * x**2 (a forward difference is off by about 3 * eps * x)")


@hidden_test("Uses the given eps: sum(x**3) with eps=0.01 gives 3x**2 + eps**2")
def test_eps(numerical_gradient):
    eps = 0.01
    x = np.random.default_rng(7).uniform(0.5, 2.0, size=(5, 2))
    grad = gradient(numerical_gradient, watched(lambda z: np.sum(z**3), x), x, eps)
    expect_close("grad", grad, 3 * x**2 + eps**2, atol=1e-8, rtol=0.0,
                 reference="3 * x**2 + eps**2, the exact central difference with eps=0.01")


@hidden_test("Integer x: returns a float gradient")
def test_integer_x(numerical_gradient):
    x = np.arange(-5, 7).reshape(3, 4)
    grad = gradient(numerical_gradient, watched(lambda z: np.sum(z**2) / 4, x), x)
    if not np.issubdtype(grad.dtype, np.floating):
        raise Failure(
            f"grad has dtype {grad.dtype}, but a gradient is real-valued: return a float array "
            "(np.zeros(x.shape), not np.zeros_like(x)) even when x holds integers.",
            "grad",
        )
    expect_close("grad", grad, x / 2, atol=1e-6, rtol=1e-6, reference="x / 2")
