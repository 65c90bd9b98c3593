"""Held-out data and how well a network does on a whole data set.

- split_data: a train/test split drawn from (test_fraction, seed); each part
  keeps the data set's order. k = round(f · m) samples go to the test part,
  and at least one sample stays in each part when f > 0 and m ≥ 2.
- evaluate: C over all m samples (DESIGN.md's cost, averaged over m) and, for
  class targets, the accuracy: the share of samples whose predicted class is
  the target's. One output unit: class 1 when aᴸ ≥ 0.5 (targets 0 or 1);
  several: argmaxⱼ aⱼ against the one-hot target's argmax. Other targets
  (regression) have no accuracy.
- layer_outputs: a¹ … aᴸ of the forward pass (what each neuron computes).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.activations import ACTIVATIONS, Array
from engine.costs import COSTS
from engine.errors import DefinitionError
from engine.network import Network

__all__ = ["Evaluation", "accuracy", "evaluate", "is_classes", "layer_outputs", "split_data"]


@dataclass(frozen=True)
class Evaluation:
    cost: float  # C over the whole set
    accuracy: float | None  # None: the targets are not classes


def split_data(
    x: Array, y: Array, test_fraction: float, seed: int
) -> tuple[Array, Array, Array, Array]:
    """(x_train, y_train, x_test, y_test): columns of x (n₀, m), y (n_L, m) split in two."""
    if not (0.0 <= test_fraction < 1.0):
        raise DefinitionError("test_fraction", f"must be in [0, 1), got {test_fraction!r}")
    m = x.shape[1]
    k = round(test_fraction * m)
    k = min(max(k, 1), m - 1) if test_fraction > 0 and m >= 2 else min(k, m - 1)
    order = np.random.default_rng([seed, 7919]).permutation(m)  # (m,)
    test = np.sort(order[:k])
    train = np.sort(order[k:])
    return x[:, train], y[:, train], x[:, test], y[:, test]


def layer_outputs(network: Network, x: Array) -> tuple[Array, ...]:
    """(a¹, …, aᴸ) for inputs x (n₀, N): aˡ is (nₗ, N)."""
    outputs: list[Array] = []
    a = x
    with np.errstate(over="ignore", invalid="ignore"):
        for W, b, name in zip(network.weights, network.biases, network.activations, strict=True):
            a = ACTIVATIONS[name].sigma(W @ a + b[:, None])  # (nₗ, N)
            outputs.append(a)
    return tuple(outputs)


def is_classes(y: Array) -> bool:
    """True when y (n_L, m) holds classes: 0/1 with one output, one-hot with several."""
    if not bool(np.all((y == 0.0) | (y == 1.0))):
        return False
    return y.shape[0] == 1 or bool(np.all(y.sum(axis=0) == 1.0))


def accuracy(a: Array, y: Array) -> float | None:
    """The share of columns whose predicted class matches y's; None if y is not classes."""
    if y.shape[1] == 0 or not is_classes(y):
        return None
    if y.shape[0] == 1:
        predicted = a[0] >= 0.5  # (m,)
        return float(np.mean(predicted == (y[0] == 1.0)))
    return float(np.mean(np.argmax(a, axis=0) == np.argmax(y, axis=0)))


def evaluate(network: Network, cost: str, x: Array, y: Array) -> Evaluation:
    """C and the accuracy of the network over all columns of x (n₀, m), y (n_L, m)."""
    if x.shape[1] == 0:
        raise DefinitionError("x", "needs at least one sample to evaluate")
    a = layer_outputs(network, x)[-1]  # (n_L, m)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        c = COSTS[cost].value(a, y)
    return Evaluation(float(c), accuracy(a, y))
