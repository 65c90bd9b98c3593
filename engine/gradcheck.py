"""Gradient check: backprop's ∂C/∂Wˡ, ∂C/∂bˡ against central differences.

    ∂C/∂θ ≈ (C(θ + h) − C(θ − h)) / (2h)

(C with its L2 term (λ/2) Σ ‖Wˡ‖² when weight decay is on, so the check covers λWˡ too)

for every parameter θ, one at a time. A layer's relative error is

    max |analytic − numerical| / max(max |analytic|, max |numerical|)

over its weights and biases together: the largest disagreement measured
against the layer's gradient scale, so entries that are zero in both do not
divide by zero.
"""

# ruff: noqa: E741  (l is the layer index of the math, as in DESIGN.md)

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.activations import Array
from engine.costs import COSTS
from engine.network import Network
from engine.regularization import l2_cost
from engine.slices import Sliced, finish
from engine.trace import trace_iteration
from engine.train import predict

DEFAULT_STEP = 1e-6


@dataclass(frozen=True, eq=False)
class LayerCheck:
    layer: int
    analytic_weights: Array  # ∂C/∂Wˡ by backprop
    numerical_weights: Array  # by central differences
    analytic_biases: Array
    numerical_biases: Array
    relative_error: float


def relative_error(analytic: Array, numerical: Array) -> float:
    scale = max(float(np.max(np.abs(analytic))), float(np.max(np.abs(numerical))))
    if scale == 0.0:
        return 0.0
    return float(np.max(np.abs(analytic - numerical)) / scale)


def _numerical(
    network: Network,
    cost: str,
    x: Array,
    y: Array,
    param: Array,
    h: float,
    weight_decay: float,
    per_slice: int,
) -> Sliced[Array]:
    """Central differences of C (its L2 term included) with respect to every entry of
    `param` (changed in place), `per_slice` entries per slice."""
    grad = np.empty_like(param)
    data_cost = COSTS[cost].value

    def value(a: Array, y: Array) -> float:
        return data_cost(a, y) + l2_cost(network.weights, weight_decay)

    flat, out = param.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + h
        plus = value(predict(network, x), y)
        flat[i] = original - h
        minus = value(predict(network, x), y)
        flat[i] = original
        out[i] = (plus - minus) / (2.0 * h)
        if (i + 1) % per_slice == 0 or i + 1 == flat.size:
            yield (i % per_slice) + 1
    return grad


def gradcheck_in_slices(
    network: Network,
    cost: str,
    x: Array,
    y: Array,
    h: float = DEFAULT_STEP,
    weight_decay: float = 0.0,
    per_slice: int = 64,
) -> Sliced[tuple[LayerCheck, ...]]:
    """`gradcheck`, `per_slice` parameters (two forward passes each) per slice."""
    trace = trace_iteration(network, cost, x, y, learning_rate=0.0, weight_decay=weight_decay)
    # Perturb private copies so the caller's network is never touched.
    weights = [W.copy() for W in network.weights]
    biases = [b.copy() for b in network.biases]
    probe = network.with_parameters(weights, biases)
    checks = []
    for g in trace.gradients:
        l = g.layer
        num_W = yield from _numerical(probe, cost, x, y, weights[l - 1], h, weight_decay, per_slice)
        num_b = yield from _numerical(probe, cost, x, y, biases[l - 1], h, weight_decay, per_slice)
        error = relative_error(
            np.concatenate([g.weights.ravel(), g.biases]), np.concatenate([num_W.ravel(), num_b])
        )
        checks.append(LayerCheck(l, g.weights, num_W, g.biases, num_b, error))
    return tuple(checks)


def gradcheck(
    network: Network,
    cost: str,
    x: Array,
    y: Array,
    h: float = DEFAULT_STEP,
    weight_decay: float = 0.0,
) -> tuple[LayerCheck, ...]:
    """Per layer (L … 1, as backprop visits them): analytic vs numerical gradients,
    of the cost with its L2 term (λ = `weight_decay`) when there is one."""
    return finish(gradcheck_in_slices(network, cost, x, y, h, weight_decay))
