"""You subtract each row's max but then divide by sums taken down the columns (axis 0): normalise over the same axis, the last one, so that each row sums to 1."""

import numpy as np


def softmax(logits):
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)
