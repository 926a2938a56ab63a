import numpy as np


def solve(x):
    # TODO(author): write the reference solution
    return 2 * np.asarray(x)
