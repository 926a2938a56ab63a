"""Your gradient is twice the true one: x + eps e_i and x - eps e_i are 2 eps apart, so divide the difference of f by 2 * eps, not by eps."""
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(*x.shape):
        x_plus, x_minus = x.copy(), x.copy()
        x_plus[index] += eps
        x_minus[index] -= eps
        grad[index] = (float(f(x_plus)) - float(f(x_minus))) / eps
    return grad
