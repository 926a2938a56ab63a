def linear_backward(grad_out, x, W):
    grad_out @ W.T
