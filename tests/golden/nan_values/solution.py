import numpy as np


def linear_backward(grad_out, x, W):
    dx = grad_out @ W.T
    dx[0, 1] = np.nan
    return dx, x.T @ grad_out, grad_out.sum(axis=0)
