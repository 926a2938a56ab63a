"""TODO(author): one sentence a learner who made this mistake should read."""

import numpy as np


def solve(x):
    return np.asarray(x)
