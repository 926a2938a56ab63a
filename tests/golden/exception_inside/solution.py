import numpy as np


def linear_backward(grad_out, x, W):
    dx = grad_out @ W
    return dx, x.T @ grad_out, grad_out.sum(axis=0)
