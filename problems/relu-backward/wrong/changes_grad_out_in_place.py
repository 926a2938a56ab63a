"""Writing grad_out[x <= 0] = 0 and returning grad_out changes the caller's array, which the layer below (or a second call) still needs: build a new array instead, e.g. grad_out * (x > 0) or np.where(x > 0, grad_out, 0.0)."""


def relu_backward(grad_out, x):
    grad_out[x <= 0] = 0
    return grad_out
