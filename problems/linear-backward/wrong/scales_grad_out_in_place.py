"""Your function rescales grad_out in place, which also changes the caller's array: grad_out already is dL/dy, so use it as given and never write into an input."""


def linear_backward(grad_out, x, W):
    grad_out /= grad_out.shape[0]
    return grad_out @ W.T, x.T @ grad_out, grad_out.sum(axis=0)
