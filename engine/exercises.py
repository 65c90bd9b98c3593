"""Problems to do by hand: small networks whose every number has one or two decimals.

make_exercise(seed) draws, the same for the same seed on every machine, a small
network (by default one of 2-2-1, 2-2-2, 2-3-1, 2-3-2, 3-2-1, 3-2-2), sigmoid
activations and the quadratic cost, with weights and biases of one decimal in
[−1, 1] (never 0), inputs of one decimal in [0, 1], targets of two decimals in
[0.01, 0.99], and a learning rate of 0.5 — so that a learner can do every step on
paper, as in the worked example.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from engine.activations import Array
from engine.errors import DefinitionError
from engine.network import Network, check_architecture, check_cost

__all__ = ["SHAPES", "Exercise", "make_exercise"]

SHAPES: tuple[tuple[int, ...], ...] = (
    (2, 2, 1),
    (2, 2, 2),
    (2, 3, 1),
    (2, 3, 2),
    (3, 2, 1),
    (3, 2, 2),
)
MAX_HAND_WIDTH = 4  # neurons per layer a page of paper holds
MAX_HAND_SAMPLES = 4


@dataclass(frozen=True, eq=False)
class Exercise:
    network: Network
    cost: str
    x: Array  # (n₀, m)
    y: Array  # (n_L, m)
    learning_rate: float


def _tenths(rng: np.random.Generator, shape: tuple[int, ...]) -> Array:
    """Numbers of one decimal in [−1, 1] without 0: ±0.1 … ±1.0."""
    magnitude = rng.integers(1, 11, size=shape) / 10.0
    sign = rng.choice(np.array([-1.0, 1.0]), size=shape)
    values: Array = magnitude * sign
    return values


def make_exercise(
    seed: int,
    layers: Sequence[int] | None = None,
    activations: Sequence[str] | None = None,
    cost: str = "quadratic",
    samples: int = 1,
) -> Exercise:
    """A problem to do by hand, the same for the same arguments on every machine."""
    rng = np.random.default_rng([seed, 20261129])
    if layers is None:
        layers = SHAPES[int(rng.integers(len(SHAPES)))]
    if activations is None:
        activations = ["sigmoid"] * (len(layers) - 1)
    check_architecture(layers, activations)
    check_cost(cost, activations[-1])
    if max(layers) > MAX_HAND_WIDTH or len(layers) > 4:
        raise DefinitionError(
            "layers", f"a problem by hand has at most 3 weight layers of {MAX_HAND_WIDTH} neurons"
        )
    if not 1 <= samples <= MAX_HAND_SAMPLES:
        raise DefinitionError("samples", f"must be 1 … {MAX_HAND_SAMPLES} for a problem by hand")
    pairs = list(itertools.pairwise(layers))
    weights = tuple(_tenths(rng, (n, n_prev)) for n_prev, n in pairs)  # Wˡ (nₗ, nₗ₋₁)
    biases = tuple(_tenths(rng, (n,)) for _, n in pairs)  # bˡ (nₗ,)
    x = rng.integers(0, 11, size=(layers[0], samples)) / 10.0  # (n₀, m)
    y = _targets(rng, cost, layers[-1], samples)
    network = Network(tuple(int(n) for n in layers), tuple(activations), weights, biases)
    return Exercise(network, cost, x, y, 0.5)


def _targets(rng: np.random.Generator, cost: str, n: int, m: int) -> Array:
    if cost == "softmax_cross_entropy":  # one-hot: a probability distribution per sample
        one_hot: Array = np.eye(n)[:, rng.integers(n, size=m)]
        return one_hot
    targets: Array = rng.integers(1, 100, size=(n, m)) / 100.0  # 0.01 … 0.99
    return targets
