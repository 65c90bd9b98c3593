"""The fast path: n iterations of mini-batch gradient descent without traces.

It computes exactly what `trace_iteration` computes (same operations, same
order, so the same float64 results) but keeps no intermediate arrays.

Batches: with batch size B < m samples, each epoch of ⌈m / B⌉ iterations
visits the samples in an order drawn from (seed, epoch); iteration t uses
the slice t mod ⌈m / B⌉ of epoch t // ⌈m / B⌉. So the batch of iteration t is a
pure function of t and a stepper and the fast path see the same batches. With
B ≥ m every iteration uses the whole data set in its given order.
"""

# ruff: noqa: E741  (l is the layer index of the math, as in DESIGN.md)

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from engine.activations import ACTIVATIONS, Array
from engine.costs import COSTS
from engine.network import Network, check_batch, check_cost, check_targets
from engine.trace import output_error


def batch_indices(
    n_samples: int, batch_size: int, seed: int, iteration: int
) -> NDArray[np.intp] | None:
    """The sample indices of iteration `iteration`'s batch; None means all, in order."""
    if batch_size >= n_samples:
        return None
    per_epoch = -(-n_samples // batch_size)
    epoch, k = divmod(iteration, per_epoch)
    order = np.random.default_rng([seed, epoch]).permutation(n_samples)
    return order[k * batch_size : (k + 1) * batch_size]


def select_batch(x: Array, y: Array, indices: NDArray[np.intp] | None) -> tuple[Array, Array]:
    """x (n₀, m) and y (n_L, m) restricted to the batch's columns."""
    if indices is None:
        return x, y
    return x[:, indices], y[:, indices]


@dataclass(frozen=True, eq=False)
class TrainResult:
    network: Network  # after the last iteration
    costs: tuple[float, ...]  # the cost of each iteration's batch, before its update
    # The networks each of the last `keep_last` iterations started from, oldest first.
    starts: tuple[Network, ...]
    # The index (0-based, within this call) of the first iteration whose values
    # were not all finite; training stops there.
    diverged_at: int | None


def train(
    network: Network,
    cost: str,
    x: Array,
    y: Array,
    learning_rate: float,
    iterations: int,
    batch_size: int,
    seed: int = 0,
    first_iteration: int = 0,
    keep_last: int = 0,
) -> TrainResult:
    """Run `iterations` iterations starting at iteration number `first_iteration`."""
    check_cost(cost, network.activations[-1])
    check_batch(network, x, y)
    check_targets(cost, y)
    L = network.L
    sigmas = [ACTIVATIONS[name].sigma for name in network.activations]
    sigma_primes = [ACTIVATIONS[name].sigma_prime for name in network.activations]
    cost_value = COSTS[cost].value
    output_activation = network.activations[-1]
    weights, biases = list(network.weights), list(network.biases)
    starts: deque[Network] = deque(maxlen=keep_last) if keep_last > 0 else deque(maxlen=0)
    costs: list[float] = []
    zs: list[Array] = [x] * L
    activations: list[Array] = [x] * (L + 1)  # activations[l] = aˡ; activations[0] = x
    diverged_at: int | None = None
    n_samples = x.shape[1]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for i in range(iterations):
            if keep_last:
                starts.append(network.with_parameters(weights, biases))
            xb, yb = select_batch(
                x, y, batch_indices(n_samples, batch_size, seed, first_iteration + i)
            )
            m = xb.shape[1]
            a = activations[0] = xb
            for l in range(L):  # 0-based: this is layer l + 1
                z = zs[l] = weights[l] @ a + biases[l][:, None]
                a = activations[l + 1] = sigmas[l](z)
            C = cost_value(a, yb)
            delta = output_error(cost, output_activation, zs[-1], a, yb).delta
            new_w, new_b = list(weights), list(biases)
            for l in range(L - 1, -1, -1):  # 0-based: this is layer l + 1, L … 1
                dW = (delta @ activations[l].T) / m
                db = delta.sum(axis=1) / m
                if l > 0:
                    sigma_prime = sigma_primes[l - 1]
                    assert sigma_prime is not None  # softmax is output-only
                    delta = (weights[l].T @ delta) * sigma_prime(zs[l - 1])
                new_w[l] = weights[l] - learning_rate * dW
                new_b[l] = biases[l] - learning_rate * db
            costs.append(C)
            if not (np.isfinite(C) and all(np.isfinite(W).all() for W in new_w)):
                diverged_at = i
                break
            weights, biases = new_w, new_b
    final = network.with_parameters(weights, biases)
    return TrainResult(final, tuple(costs), tuple(starts), diverged_at)


def predict(network: Network, x: Array) -> Array:
    """aᴸ for inputs x (n₀, m): the forward pass alone."""
    a = x
    with np.errstate(over="ignore", invalid="ignore"):
        for W, b, name in zip(network.weights, network.biases, network.activations, strict=True):
            a = ACTIVATIONS[name].sigma(W @ a + b[:, None])
    return a
