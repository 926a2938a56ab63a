import numpy as np


def linear_backward(grad_out, x, W):
    return grad_out @ W.T, grad_out.T @ x, grad_out.sum(axis=0)
