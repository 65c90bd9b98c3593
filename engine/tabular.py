"""The user's own table of numbers: what output layer and cost its targets suit, and
inputs standardised to a common scale.

- suited_output(y): one-hot columns (every yⱼ 0 or 1, Σⱼ yⱼ = 1, n_L ≥ 2) are classes
  for a softmax output with softmax_cross_entropy; 0/1 targets (one or several outputs,
  each on or off) suit sigmoid outputs with cross_entropy; anything else is regression,
  a linear output with the quadratic cost.
- standardise(x): x̂ᵢ = (xᵢ − μᵢ) / sᵢ per input i over the m samples, with μᵢ the mean
  and sᵢ the standard deviation (1 where an input is constant, so it stays finite).
- wants_standardising(x): an input reaching beyond ±LARGE_INPUT saturates tanh and
  sigmoid neurons at the start (σ′ ≈ 0), so standardising is worth offering.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from engine.activations import Array

__all__ = ["LARGE_INPUT", "OutputChoice", "standardise", "suited_output", "wants_standardising"]

LARGE_INPUT = 3.0


@dataclass(frozen=True)
class OutputChoice:
    task: Literal["classification", "regression"]
    output_activation: str
    cost: str


def suited_output(y: Array) -> OutputChoice:
    """The output activation and cost that suit targets y (n_L, m)."""
    zero_one = bool(np.all((y == 0.0) | (y == 1.0)))
    if zero_one and y.shape[0] >= 2 and bool(np.all(y.sum(axis=0) == 1.0)):
        return OutputChoice("classification", "softmax", "softmax_cross_entropy")
    if zero_one:
        return OutputChoice("classification", "sigmoid", "cross_entropy")
    return OutputChoice("regression", "linear", "quadratic")


def standardise(x: Array) -> tuple[Array, Array, Array]:
    """(x̂, μ, s) for inputs x (n₀, m): x̂ = (x − μ) / s row by row."""
    mu = x.mean(axis=1)  # (n₀,)
    s = x.std(axis=1)  # (n₀,)
    s = np.where(s > 0.0, s, 1.0)  # a constant input becomes 0, not NaN
    return (x - mu[:, None]) / s[:, None], mu, s  # (n₀, m), (n₀,), (n₀,)


def wants_standardising(x: Array) -> bool:
    """True when some input of x (n₀, m) reaches beyond ±LARGE_INPUT."""
    return bool(np.abs(x).max(initial=0.0) > LARGE_INPUT)
