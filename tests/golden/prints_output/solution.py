import numpy as np

print("module loaded")


def linear_backward(grad_out, x, W):
    print("shapes:", grad_out.shape, x.shape, W.shape)
    return grad_out @ W.T, x.T @ grad_out, grad_out.sum(axis=0)
