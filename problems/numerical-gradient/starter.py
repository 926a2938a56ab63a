import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    """Estimate the gradient of f at x with central differences.

    Args:
        f: a function that takes an array shaped like x and returns a scalar.
        x: np.ndarray of any shape (1-D, 2-D, 3-D, ...): the point to differentiate at.
        eps: the step size.

    Returns:
        A float array of x's shape whose entry i is
        (f(x + eps * e_i) - f(x - eps * e_i)) / (2 * eps). x itself must be unchanged.
    """
    grad = None  # TODO: one central difference per entry of x
    return grad
