"""db keeps the batch axis as a dimension of size 1: sum over axis 0 without keepdims, so that db has shape (out,)."""


def linear_backward(grad_out, x, W):
    return grad_out @ W.T, x.T @ grad_out, grad_out.sum(axis=0, keepdims=True)
