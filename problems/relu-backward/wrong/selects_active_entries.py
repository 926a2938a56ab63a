"""grad_out[x > 0] picks out only the active entries, as a flat 1-D array: dx must keep x's shape, with 0 where x <= 0, so multiply grad_out by the mask (or use np.where) instead of indexing with it."""


def relu_backward(grad_out, x):
    return grad_out[x > 0]
