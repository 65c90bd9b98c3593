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
- class_targets(labels): class labels (words, or whole numbers naming classes) as the
  targets suited_output reads as classes. The k distinct labels are sorted (numerically
  when every label is a number, else alphabetically, ignoring case), so the order does not
  depend on the order of the samples. k ≥ 3: one-hot yⱼ = [label = names[j]] (n_L = k, a
  softmax output); k = 2: one 0/1 output y = [label = names[1]] (n_L = 1, a sigmoid
  output), as a 0/1 target column is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from engine.activations import Array

__all__ = [
    "LARGE_INPUT",
    "ClassTargets",
    "OutputChoice",
    "class_order",
    "class_targets",
    "standardise",
    "suited_output",
    "wants_standardising",
]

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


@dataclass(frozen=True)
class ClassTargets:
    names: list[str]  # the k classes, in the order of the class numbers 0 … k − 1
    y: Array  # (k, m) one-hot, or (1, m) 0/1 when k = 2


def _as_number(label: str) -> float | None:
    try:
        x = float(label)
    except ValueError:
        return None
    return x if np.isfinite(x) else None  # "nan" sorts nowhere: a word, then


def class_order(labels: Sequence[str]) -> list[str]:
    """The distinct labels, sorted: numerically if every one is a number, else by text."""
    distinct = set(labels)
    numbers = {label: _as_number(label) for label in distinct}
    if all(v is not None for v in numbers.values()):
        return sorted(distinct, key=lambda label: (numbers[label], label))
    return sorted(distinct, key=lambda label: (label.casefold(), label))


def class_targets(labels: Sequence[str]) -> ClassTargets:
    """Targets y for the m samples' class labels (at least two distinct ones)."""
    names = class_order(labels)
    number = {name: i for i, name in enumerate(names)}
    c = np.array([number[label] for label in labels], dtype=np.int64)  # (m,)
    if len(names) == 2:
        return ClassTargets(names, c[None, :].astype(np.float64))  # (1, m)
    return ClassTargets(names, np.eye(len(names))[:, c])  # (k, m)
