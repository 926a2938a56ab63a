"""You move x[i] in place and undo it with arithmetic (x[i] += eps; x[i] -= 2*eps; x[i] += eps), but floating-point rounding does not bring x[i] back exactly, so x drifts: save the old value and put it back (old = x[i]; ...; x[i] = old), or perturb a copy of x."""
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    x = np.asarray(x, dtype=float)  # no copy when x is already float: the caller's array
    grad = np.zeros(x.shape)
    for index in np.ndindex(*x.shape):
        x[index] += eps
        f_plus = float(f(x))
        x[index] -= 2 * eps
        f_minus = float(f(x))
        x[index] += eps
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad
