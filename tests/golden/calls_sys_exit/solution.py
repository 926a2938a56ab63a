import sys


def linear_backward(grad_out, x, W):
    sys.exit(1)
