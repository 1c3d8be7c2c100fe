"""The data set of the concept page: 64 noisy points around the line y = 3x - 1."""

import numpy as np

TRUE_W, TRUE_B, N = 3.0, -1.0, 64


def noisy_line(seed):
    """x uniform in [-1, 3], y = 3x - 1 plus Gaussian noise (sd 0.5); float32 columns."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 3.0, size=(N, 1)).astype("float32")
    y = (TRUE_W * x + TRUE_B + rng.normal(0.0, 0.5, size=(N, 1))).astype("float32")
    return x, y
