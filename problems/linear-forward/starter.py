import numpy as np


def linear_forward(x, W, b):
    """Forward pass of a linear layer: y = x @ W + b.

    Args:
        x: (B, in) batch of inputs.
        W: (in, out) weight matrix.
        b: (out,) bias.

    Returns:
        y with shape (B, out).
    """
    y = None  # TODO: the layer's output
    return y
