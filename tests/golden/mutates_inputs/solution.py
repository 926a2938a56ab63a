import numpy as np


def linear_backward(grad_out, x, W):
    x[:] = 0.0
    return grad_out @ W.T, x.T @ grad_out, grad_out.sum(axis=0)
