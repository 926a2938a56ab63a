"""Hidden tests. TODO(author): test what the statement asks, under names learners will see."""

import numpy as np

from runner.checks import call, expect_close, hidden_test


@hidden_test("Doubles every entry")
def test_doubles(solve):
    x = np.random.default_rng(0).standard_normal(5)
    expect_close("y", call(solve, x), 2 * x)
