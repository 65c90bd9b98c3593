"""Long computations cut into slices, so a scheduler can interleave them.

A sliced computation is a generator: each resumption does a bounded part of
the work and yields how much it did (in the computation's own unit:
iterations, parameters, grid points); its return value is the result, the
same bits as computing it in one go. `finish` runs one to its end.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TypeVar

__all__ = ["Sliced", "finish"]

R = TypeVar("R")

# Yields the work each slice did; returns the result.
Sliced = Generator[int, None, R]


def finish(sliced: Sliced[R]) -> R:
    """Run every slice of `sliced` at once; its result."""
    while True:
        try:
            next(sliced)
        except StopIteration as stop:
            result: R = stop.value
            return result
