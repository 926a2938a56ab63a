"""This is the forward difference (f(x + eps e_i) - f(x)) / eps, whose error is about eps/2 * f'' per entry: step both ways, (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), and the first-order errors cancel, leaving one of order eps**2."""
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    f_x = float(f(x))
    for index in np.ndindex(*x.shape):
        x_plus = x.copy()
        x_plus[index] += eps
        grad[index] = (float(f(x_plus)) - f_x) / eps
    return grad
