"""The 8×8 handwritten digits, read from the file shipped beside the engine.

engine/data/digits.csv.gz holds 1,797 rows of 65 integers: 64 pixels of an 8×8
image, row by row, each the count (0 … 16) of ink pixels in a 4×4 block of a
32×32 bitmap, then the digit 0 … 9 (see engine/data/SOURCE.md). The engine reads
it once, from its own package: no network, no other I/O.

- x = pixels / 16, so every input lies in [0, 1]          # (64, m)
- y = one-hot digit, yⱼ = 1 where j is the digit            # (10, m)
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources

import numpy as np

from engine.activations import Array

__all__ = ["DIGITS_SAMPLES", "DIGITS_SHA256", "digits"]

DIGITS_SAMPLES = 1797
DIGITS_SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"
PIXEL_MAX = 16.0


@cache
def _table() -> Array:
    raw = resources.files("engine").joinpath("data/digits.csv.gz").read_bytes()
    text = gzip.decompress(raw).decode("ascii")
    table = np.loadtxt(text.splitlines(), delimiter=",", dtype=np.float64)  # (1797, 65)
    table.setflags(write=False)
    return table


def digits() -> tuple[Array, Array]:
    """All 1,797 samples, in the file's order: x (64, m) in [0, 1], y (10, m) one-hot."""
    table = _table()
    x = table[:, :64].T / PIXEL_MAX  # (64, m)
    labels = table[:, 64].astype(np.int64)  # (m,)
    y = np.eye(10)[:, labels]  # (10, m)
    return x, y
