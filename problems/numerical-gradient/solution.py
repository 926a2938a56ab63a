import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    """Central-difference gradient of the scalar function f at x, entry by entry."""
    x = np.array(x, dtype=float)  # a float copy: the caller's x is never touched
    grad = np.zeros_like(x)
    for index in np.ndindex(*x.shape):
        saved = x[index]
        x[index] = saved + eps
        f_plus = float(f(x))
        x[index] = saved - eps
        f_minus = float(f(x))
        x[index] = saved  # restore the exact value, not saved + eps - 2 * eps + eps
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad
