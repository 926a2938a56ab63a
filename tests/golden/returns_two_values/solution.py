def linear_backward(grad_out, x, W):
    return grad_out @ W.T, x.T @ grad_out
