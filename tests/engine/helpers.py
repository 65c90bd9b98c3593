"""Factories and shared settings for the engine tests."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

import numpy as np
from hypothesis import HealthCheck, settings

from engine import ACTIVATIONS, COSTS, DefinitionError, Network, check_cost, make_network
from engine.activations import Array

# Fixed, bounded hypothesis runs: the same examples every time, no database,
# so a failure reproduces and the suite stays fast.
BOUNDED = settings(
    max_examples=8,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)

HIDDEN_ACTIVATIONS = tuple(name for name, act in ACTIVATIONS.items() if not act.output_only)
KINKED = ("relu", "leaky_relu")  # σ′ jumps at z = 0


def accepted_combinations() -> Iterator[tuple[str, str]]:
    """(output activation, cost) pairs the engine accepts, as check_cost decides."""
    for activation in ACTIVATIONS:
        for cost in COSTS:
            try:
                check_cost(cost, activation)
            except DefinitionError:
                continue
            yield activation, cost


def random_network(
    layers: Sequence[int], activations: Sequence[str], rng: np.random.Generator, scale: float = 1.0
) -> Network:
    """Weights and biases drawn from U(−scale, scale)."""
    weights = [rng.uniform(-scale, scale, (n, k)) for k, n in itertools.pairwise(layers)]
    biases = [rng.uniform(-scale, scale, n) for n in layers[1:]]
    return make_network(layers, activations, weights, biases)


def random_targets(cost: str, n: int, m: int, rng: np.random.Generator) -> Array:
    """Targets (n, m) that suit the cost: one-hot for softmax_cross_entropy, in [0, 1] otherwise."""
    if cost == "softmax_cross_entropy":
        y: Array = np.eye(n)[:, rng.integers(0, n, m)]
        return y
    return rng.uniform(0.0, 1.0, (n, m))


def mazur_network() -> Network:
    """Matt Mazur's 2-2-2 sigmoid network ("A Step by Step Backpropagation Example")."""
    return make_network(
        [2, 2, 2],
        ["sigmoid", "sigmoid"],
        [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
        [[0.35, 0.35], [0.60, 0.60]],
    )


def column(*values: float) -> Array:
    """A single sample as an (n, 1) column."""
    return np.array(values, dtype=np.float64)[:, None]
