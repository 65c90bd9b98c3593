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

import math
from collections import deque
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from engine.activations import ACTIVATIONS, Array, sigma_prime_from
from engine.costs import COSTS
from engine.errors import DefinitionError
from engine.network import Network, check_batch, check_cost, check_targets, finite_total
from engine.optimizers import SGD, OptimizerState, ParameterState, Updater
from engine.regularization import check_weight_decay, l2_cost
from engine.slices import Sliced
from engine.trace import output_delta

# Iterations between two checks of the parameters' finiteness (see train).
CHECK_EVERY = 16


def batch_indices(
    n_samples: int, batch_size: int, seed: int, iteration: int
) -> NDArray[np.intp] | None:
    """The sample indices of iteration `iteration`'s batch; None means all, in order."""
    _check_batch_size(batch_size)
    if batch_size >= n_samples:
        return None
    per_epoch = -(-n_samples // batch_size)
    epoch, k = divmod(iteration, per_epoch)
    return _epoch_order(n_samples, seed, epoch)[k * batch_size : (k + 1) * batch_size]


def _epoch_order(n_samples: int, seed: int, epoch: int) -> NDArray[np.intp]:
    """The order in which epoch `epoch` visits the samples."""
    order: NDArray[np.intp] = np.random.default_rng([seed, epoch]).permutation(n_samples)
    return order


def _check_batch_size(batch_size: int) -> None:
    if (
        isinstance(batch_size, bool)
        or not isinstance(batch_size, int | np.integer)
        or batch_size < 1
    ):
        raise DefinitionError("batch_size", f"must be a positive whole number, got {batch_size!r}")


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
    state: OptimizerState = ()  # what the optimizer carries on from `network`
    start_states: tuple[OptimizerState, ...] = ()  # what it carried into each of `starts`


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
    optimizer: Updater = SGD,
    state: OptimizerState | None = None,
    weight_decay: float = 0.0,
) -> TrainResult:
    """Run `iterations` iterations starting at iteration number `first_iteration`,
    with what the optimizer carried into it (`state`; None: nothing yet) and L2
    weight decay λ = `weight_decay` (engine.regularization).

    Training stops at the first iteration whose trace would report divergence
    (its cost, a zˡ or an updated parameter not finite), without applying
    that iteration's update.
    """
    check_cost(cost, network.activations[-1])
    check_batch(network, x, y)
    check_targets(cost, y)
    _check_batch_size(batch_size)
    check_weight_decay(weight_decay)
    if (
        isinstance(iterations, bool)
        or not isinstance(iterations, int | np.integer)
        or iterations < 0
    ):
        raise DefinitionError("iterations", f"must be a whole number ≥ 0, got {iterations!r}")
    L = network.L
    sigmas = [ACTIVATIONS[name].sigma for name in network.activations]
    # σ′ of the hidden layers from (z, a); primes[l] serves layer l + 1 (0-based).
    primes = [sigma_prime_from(name) for name in network.activations[:-1]]
    delta_L = output_delta(cost, network.activations[-1])
    cost_value = COSTS[cost].value
    weights, biases = list(network.weights), list(network.biases)
    carried = list(optimizer.initial_state(network) if state is None else state)
    # The rule and its settings, bound once: it runs for every parameter of every iteration.
    rule, hyper = optimizer.optimizer.step, optimizer.hyper
    starts: deque[tuple[Network, OptimizerState]] = deque(maxlen=max(keep_last, 0))
    costs: list[float] = []
    zs: list[Array] = [x] * L  # zs[l] = zˡ⁺¹ (0-based)
    activations: list[Array] = [x] * (L + 1)  # activations[l] = aˡ; activations[0] = x
    diverged_at: int | None = None
    n_samples = x.shape[1]
    per_epoch = -(-n_samples // batch_size)
    order_epoch, order = -1, np.arange(0)  # the current epoch's order of the samples

    def step(
        weights: list[Array], biases: list[Array], carried: list[ParameterState], t: int
    ) -> tuple[list[Array], list[Array], list[ParameterState], float, float]:
        """Iteration t from these parameters and optimizer state:
        (new W, new b, new state, C, Σ of every zˡ's entries)."""
        if batch_size >= n_samples:
            xb, yb = x, y
        else:  # batch_indices, with each epoch's order drawn once
            nonlocal order_epoch, order
            epoch, k = divmod(t, per_epoch)
            if epoch != order_epoch:
                order_epoch, order = epoch, _epoch_order(n_samples, seed, epoch)
            xb, yb = select_batch(x, y, order[k * batch_size : (k + 1) * batch_size])
        m = xb.shape[1]
        a = activations[0] = xb
        z_total = 0.0  # finite only if every zˡ is (see finite_total)
        for l in range(L):  # 0-based: this is layer l + 1
            z = zs[l] = weights[l] @ a + biases[l][:, None]
            a = activations[l + 1] = sigmas[l](z)
            z_total += finite_total(z)
        C = cost_value(a, yb)
        if weight_decay:
            C = C + l2_cost(weights, weight_decay)
        delta = delta_L(zs[-1], a, yb)
        new_w, new_b, new_state = list(weights), list(biases), list(carried)
        for l in range(L - 1, -1, -1):  # 0-based: this is layer l + 1, L … 1
            dW = (delta @ activations[l].T) / m
            if weight_decay:
                dW = dW + weight_decay * weights[l]  # + λWˡ, as engine.trace adds it
            db = delta.sum(axis=1) / m
            if l > 0:
                prime = primes[l - 1]
                assert prime is not None  # softmax is output-only
                delta = (weights[l].T @ delta) * prime(zs[l - 1], activations[l])
            i = 2 * l  # Wˡ⁺¹'s place in the optimizer's state; bˡ⁺¹'s is i + 1
            new_w[l], _, new_state[i] = rule(weights[l], dW, learning_rate, carried[i], hyper)
            new_b[l], _, new_state[i + 1] = rule(
                biases[l], db, learning_rate, carried[i + 1], hyper
            )
        return new_w, new_b, new_state, C, z_total

    # Divergence is checked exactly but cheaply. C and the zˡ are checked every
    # iteration (an infinite z can hide behind a saturating σ). The parameters
    # are checked once per block of CHECK_EVERY iterations: W − η∂C/∂W keeps a
    # NaN or ±∞ entry non-finite for good, so a block whose last parameters are
    # finite had finite parameters throughout. When a check fails, the block is
    # run again from its start (same operations, same bits) checking every
    # iteration entry by entry, to find the first one that diverged.
    i = 0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        while i < iterations and diverged_at is None:
            end = min(i + CHECK_EVERY, iterations)
            block_start, n_costs = (weights, biases, carried), len(costs)
            block_starts: list[tuple[Network, OptimizerState]] = []
            clean = True
            for j in range(i, end):
                if keep_last > 0:
                    start = network.with_parameters(weights, biases)
                    block_starts.append((start, tuple(carried)))
                new_w, new_b, new_state, C, z_total = step(
                    weights, biases, carried, first_iteration + j
                )
                costs.append(C)
                if not math.isfinite(C + z_total):
                    clean = False
                    break
                weights, biases, carried = new_w, new_b, new_state
            if clean:
                total = sum(
                    finite_total(W) + finite_total(b) for W, b in zip(weights, biases, strict=True)
                )
                if math.isfinite(total) or not _any_non_finite([*weights, *biases]):
                    starts.extend(block_starts)
                    i = end
                    continue
            (weights, biases, carried), costs[n_costs:] = block_start, []
            for j in range(i, end):
                if keep_last > 0:
                    starts.append((network.with_parameters(weights, biases), tuple(carried)))
                new_w, new_b, new_state, C, _ = step(weights, biases, carried, first_iteration + j)
                costs.append(C)
                if not math.isfinite(C) or _any_non_finite([*zs, *new_w, *new_b]):
                    diverged_at = j
                    break
                weights, biases, carried = new_w, new_b, new_state
            i = end
    final = network.with_parameters(weights, biases)
    return TrainResult(
        final,
        tuple(costs),
        tuple(net for net, _ in starts),
        diverged_at,
        tuple(carried),
        tuple(s for _, s in starts),
    )


def train_in_slices(
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
    optimizer: Updater = SGD,
    state: OptimizerState | None = None,
    weight_decay: float = 0.0,
    slice_iterations: int = 1,
) -> Sliced[TrainResult]:
    """`train`, `slice_iterations` iterations per slice (yielding how many each ran).

    Iteration t depends only on the parameters, the optimizer's state and t, so
    training on from where a slice stopped, with the state it carried, gives the
    bits of one call; divergence stops it at the same iteration.
    """
    if slice_iterations < 1:
        raise DefinitionError("slice_iterations", f"must be ≥ 1, got {slice_iterations!r}")
    done = 0
    costs: list[float] = []
    starts: deque[tuple[Network, OptimizerState]] = deque(maxlen=max(keep_last, 0))
    while True:
        count = min(slice_iterations, iterations - done)
        part = train(
            network, cost, x, y, learning_rate, count, batch_size, seed,
            first_iteration + done, keep_last, optimizer, state, weight_decay,
        )  # fmt: skip
        costs.extend(part.costs)
        starts.extend(zip(part.starts, part.start_states, strict=True))
        network, state = part.network, part.state
        diverged_at = None if part.diverged_at is None else done + part.diverged_at
        done += count
        if diverged_at is not None or done >= iterations:
            return TrainResult(
                network,
                tuple(costs),
                tuple(net for net, _ in starts),
                diverged_at,
                state,
                tuple(s for _, s in starts),
            )
        yield count


def _any_non_finite(arrays: list[Array]) -> bool:
    """Entry by entry: does any of these arrays hold a NaN or ±∞?"""
    return not all(bool(np.isfinite(arr).all()) for arr in arrays)


def predict(network: Network, x: Array) -> Array:
    """aᴸ for inputs x (n₀, m): the forward pass alone."""
    a = x
    with np.errstate(over="ignore", invalid="ignore"):
        for W, b, name in zip(network.weights, network.biases, network.activations, strict=True):
            a = ACTIVATIONS[name].sigma(W @ a + b[:, None])
    return a
