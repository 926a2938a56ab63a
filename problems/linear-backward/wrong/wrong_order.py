"""The gradients come back in the wrong order: return them as (dx, dW, db)."""


def linear_backward(grad_out, x, W):
    return x.T @ grad_out, grad_out @ W.T, grad_out.sum(axis=0)
