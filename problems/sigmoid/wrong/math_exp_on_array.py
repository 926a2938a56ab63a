"""math.exp takes one Python number, not an array: use np.exp, which works entry by entry on a whole array of any shape."""

import math


def sigmoid(x):
    return 1 / (1 + math.exp(-x))
