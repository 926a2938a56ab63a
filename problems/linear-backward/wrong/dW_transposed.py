"""dW equals the transpose of the expected gradient: check which operand of the product is transposed (dW = x.T @ grad_out has W's shape, (in, out))."""


def linear_backward(grad_out, x, W):
    return grad_out @ W.T, grad_out.T @ x, grad_out.sum(axis=0)
