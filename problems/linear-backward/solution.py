import numpy as np


def linear_backward(grad_out, x, W):
    """Backward pass of the linear layer y = x @ W + b."""
    dx = grad_out @ W.T
    dW = x.T @ grad_out
    db = grad_out.sum(axis=0)
    return dx, dW, db
