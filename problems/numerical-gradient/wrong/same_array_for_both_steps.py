"""Every entry of your gradient is 0: x_plus = x (or x_minus = x) does not copy, so both names are one array, f sees the same values twice and the difference is always 0; make two copies, x_plus = x.copy() and x_minus = x.copy(), or save and restore the entry between the two calls."""
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(*x.shape):
        x_plus = x
        x_plus[index] += eps
        x_minus = x
        x_minus[index] -= eps
        grad[index] = (float(f(x_plus)) - float(f(x_minus))) / (2 * eps)
    return grad
