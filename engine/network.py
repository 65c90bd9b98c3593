"""A fully connected network: layer sizes n₀ … n_L, one activation per weight layer.

Wˡ has shape (nₗ, nₗ₋₁): Wˡ[j][k] connects neuron k of layer l−1 to neuron j
of layer l; bˡ has shape (nₗ,). Python lists are 0-based, so Wˡ is
``weights[l - 1]`` (and likewise biases and activations).
"""

# ruff: noqa: E741  (l is the layer index of the math, as in DESIGN.md)

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from engine.activations import ACTIVATIONS, Array
from engine.costs import COSTS
from engine.errors import DefinitionError

INIT_METHODS = ("xavier", "he", "normal", "uniform")


@dataclass(frozen=True, eq=False)
class Network:
    layers: tuple[int, ...]
    activations: tuple[str, ...]
    weights: tuple[Array, ...]  # Wˡ = weights[l - 1], (nₗ, nₗ₋₁)
    biases: tuple[Array, ...]  # bˡ = biases[l - 1], (nₗ,)

    @property
    def L(self) -> int:  # noqa: N802  (L is the notation)
        """The number of weight layers, which is also the output layer's index."""
        return len(self.layers) - 1

    @property
    def parameter_count(self) -> int:
        return sum(W.size + b.size for W, b in zip(self.weights, self.biases, strict=True))

    def with_parameters(self, weights: Sequence[Array], biases: Sequence[Array]) -> Network:
        """The same architecture with new parameters (no re-validation: shapes are kept)."""
        return Network(self.layers, self.activations, tuple(weights), tuple(biases))


def check_architecture(layers: Sequence[int], activations: Sequence[str]) -> None:
    """Raise DefinitionError unless the layer sizes and activations make a network."""
    if len(layers) < 2:
        raise DefinitionError(
            "network.layers", "needs at least two sizes (input and output), got " + str(len(layers))
        )
    for i, n in enumerate(layers):
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
            raise DefinitionError(
                f"network.layers[{i}]", f"must be a positive whole number of neurons, got {n!r}"
            )
    L = len(layers) - 1
    if len(activations) != L:
        raise DefinitionError(
            "network.activations",
            f"needs one activation per weight layer: {L} for {len(layers)} layer sizes, "
            f"got {len(activations)}",
        )
    for l, name in enumerate(activations, start=1):
        if name not in ACTIVATIONS:
            raise DefinitionError(
                f"network.activations[{l - 1}]",
                f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}",
            )
        if ACTIVATIONS[name].output_only and l != L:
            raise DefinitionError(
                f"network.activations[{l - 1}]",
                f"{name} is allowed on the output layer only (layer {L}), not on layer {l}",
            )


def check_cost(cost: str, output_activation: str) -> None:
    """Raise DefinitionError unless the cost can be used with the output activation."""
    if cost not in COSTS:
        raise DefinitionError("cost", f"unknown cost {cost!r}; choose one of {', '.join(COSTS)}")
    spec = COSTS[cost]
    if spec.requires_output is not None and output_activation != spec.requires_output:
        raise DefinitionError(
            "cost",
            f"{cost} needs a {spec.requires_output} output layer, "
            f"but the output activation is {output_activation}",
        )
    low, high = ACTIVATIONS[output_activation].output_range
    if spec.requires_unit_range and not (low >= 0.0 and high <= 1.0):
        raise DefinitionError(
            "cost",
            f"{cost} takes ln(a) and ln(1 − a), so outputs must lie in (0, 1); "
            f"{output_activation} outputs lie in ({low:g}, {high:g}). Use sigmoid or softmax",
        )


def _as_matrix(values: object, field: str) -> Array:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DefinitionError(field, "must be numbers in a rectangular array") from exc
    if not np.all(np.isfinite(array)):
        raise DefinitionError(field, "must be finite numbers (no NaN or infinity)")
    return array


def make_network(
    layers: Sequence[int],
    activations: Sequence[str],
    weights: Sequence[object],
    biases: Sequence[object],
) -> Network:
    """Build a Network from explicit parameters, checking every shape."""
    check_architecture(layers, activations)
    L = len(layers) - 1
    if len(weights) != L:
        raise DefinitionError("network.weights", f"needs {L} matrices (one per layer 1…{L})")
    if len(biases) != L:
        raise DefinitionError("network.biases", f"needs {L} vectors (one per layer 1…{L})")
    W_list: list[Array] = []
    b_list: list[Array] = []
    for l in range(1, L + 1):
        W = _as_matrix(weights[l - 1], f"network.weights[{l - 1}]")
        b = _as_matrix(biases[l - 1], f"network.biases[{l - 1}]")
        expected = (layers[l], layers[l - 1])
        if W.shape != expected:
            raise DefinitionError(
                f"network.weights[{l - 1}]",
                f"W{l} must have shape {expected[0]}×{expected[1]} (n{l} rows, n{l - 1} "
                f"columns), got {'×'.join(map(str, W.shape)) or 'a scalar'}",
            )
        if b.shape != (layers[l],):
            raise DefinitionError(
                f"network.biases[{l - 1}]",
                f"b{l} must be a list of {layers[l]} numbers, got shape {b.shape}",
            )
        W_list.append(W)
        b_list.append(b)
    return Network(tuple(int(n) for n in layers), tuple(activations), tuple(W_list), tuple(b_list))


def init_network(
    layers: Sequence[int], activations: Sequence[str], method: str = "xavier", seed: int = 0
) -> Network:
    """Draw initial parameters; the same seed gives the same numbers on every machine.

    - xavier (Glorot uniform): W ~ U(−r, r), r = √(6 / (nₗ₋₁ + nₗ)), b = 0
    - he: W ~ N(0, 2 / nₗ₋₁), b = 0
    - normal: W, b ~ N(0, 1)  (as in Nielsen's network.py)
    - uniform: W, b ~ U(−1, 1)
    """
    check_architecture(layers, activations)
    if method not in INIT_METHODS:
        raise DefinitionError(
            "network.init.method",
            f"unknown initialisation {method!r}; choose one of {', '.join(INIT_METHODS)}",
        )
    # PCG64 with a fixed seed is specified bit for bit, so results are portable.
    rng = np.random.default_rng(seed)
    weights: list[Array] = []
    biases: list[Array] = []
    for l in range(1, len(layers)):
        n_in, n_out = layers[l - 1], layers[l]
        if method == "xavier":
            r = np.sqrt(6.0 / (n_in + n_out))
            W, b = rng.uniform(-r, r, (n_out, n_in)), np.zeros(n_out)
        elif method == "he":
            W, b = rng.normal(0.0, np.sqrt(2.0 / n_in), (n_out, n_in)), np.zeros(n_out)
        elif method == "normal":
            W, b = rng.normal(0.0, 1.0, (n_out, n_in)), rng.normal(0.0, 1.0, n_out)
        else:
            W, b = rng.uniform(-1.0, 1.0, (n_out, n_in)), rng.uniform(-1.0, 1.0, n_out)
        weights.append(W)
        biases.append(b)
    return Network(tuple(int(n) for n in layers), tuple(activations), tuple(weights), tuple(biases))


def check_batch(network: Network, x: Array, y: Array) -> None:
    """Raise DefinitionError unless x (n₀, m) and y (n_L, m) fit the network."""
    check_batch_shapes(network, x, y)
    if not all_finite(x):
        raise DefinitionError("inputs", "must be finite numbers (no NaN or infinity)")
    if not all_finite(y):
        raise DefinitionError("targets", "must be finite numbers (no NaN or infinity)")


def check_batch_shapes(network: Network, x: Array, y: Array) -> None:
    """check_batch without the finiteness of the values."""
    n0, nL = network.layers[0], network.layers[-1]
    if x.ndim != 2 or x.shape[0] != n0:
        raise DefinitionError(
            "inputs", f"each sample needs {n0} input values (n0 = {n0}), got shape {x.shape}"
        )
    if x.shape[1] < 1:
        raise DefinitionError("inputs", "needs at least one sample")
    if y.ndim != 2 or y.shape[0] != nL:
        raise DefinitionError(
            "targets",
            f"each sample needs {nL} target values (the output layer has {nL} neurons), "
            f"got shape {y.shape}",
        )
    if y.shape[1] != x.shape[1]:
        raise DefinitionError(
            "targets", f"needs one row per input sample: {x.shape[1]} inputs, {y.shape[1]} targets"
        )


# Up to this many entries, summing a Python list beats a numpy call's overhead.
SMALL = 48


def finite_total(arr: Array) -> float:
    """A number that is finite if every entry of arr is (the sum of its entries).

    A NaN or infinite entry makes it non-finite, so a finite total proves that
    all entries are finite. The converse fails only when a sum of finite
    entries overflows, so callers confirm a non-finite total entry by entry.
    Call it under np.errstate(over="ignore", invalid="ignore") for large arrays.
    """
    if arr.size <= SMALL:
        return sum(arr.ravel().tolist())
    return float(arr.sum())


def all_finite(arr: Array) -> bool:
    """True when every entry of arr is finite (no NaN, no ±infinity)."""
    if arr.size <= SMALL and math.isfinite(finite_total(arr)):
        return True
    return bool(np.isfinite(arr).all())


# How far a softmax_cross_entropy target column may sum from 1 (rounding in the
# caller's probabilities); δᴸ = aᴸ − y is then off by at most this times aᴸ.
TARGET_SUM_TOLERANCE = 1e-9


@dataclass(frozen=True)
class TargetProblem:
    """The first sample whose targets a cost cannot use: which, the rule, what it has."""

    sample: int  # the column of y
    rule: str  # what the cost needs, e.g. "cross_entropy needs targets between 0 and 1 …"
    found: str  # what the sample has, as a verb phrase: "has 2 for output 0", "sums to 1.5"


_PROBABILITIES = "needs each sample's targets to be probabilities (≥ 0, summing to 1, e.g. one-hot)"
_UNIT = "needs targets between 0 and 1 (the probability that an output is on)"


def target_problem(cost: str, y: Array) -> TargetProblem | None:
    """Why the targets y (n_L, m) do not suit the cost, or None when they do.

    cross_entropy takes yⱼ as the probability that output j is on: outside [0, 1]
    its Cₓ has no minimum (a target of 2 drives C below zero without bound).
    softmax_cross_entropy's δᴸ = aᴸ − y holds only when each target column is a
    probability distribution (Jᵀ∇ₐCₓ = aᴸ Σⱼyⱼ − y), so other targets are refused.
    Non-finite targets are the caller's to refuse (check_batch).
    """
    if cost == "cross_entropy":
        if _within_unit_interval(y):
            return None
        outside = ~((y >= 0.0) & (y <= 1.0))  # (n_L, m), NaN counts as outside
        i = int(np.flatnonzero(outside.any(axis=0))[0])
        j = int(np.flatnonzero(outside[:, i])[0])
        return TargetProblem(i, f"{cost} {_UNIT}", f"has {float(y[j, i]):g} for output {j}")
    if cost != "softmax_cross_entropy":
        return None
    sums = y.sum(axis=0)  # (m,)
    # The common case in a few reductions; the search below finds the culprit.
    if sums.size <= SMALL:
        low, high = min(s := sums.tolist()), max(s)
    else:
        low, high = float(sums.min()), float(sums.max())
    tolerance = TARGET_SUM_TOLERANCE
    if y.min() >= 0.0 and low >= 1.0 - tolerance and high <= 1.0 + tolerance:
        return None
    negative = np.flatnonzero((y < 0.0).any(axis=0))
    if negative.size:
        return TargetProblem(int(negative[0]), f"{cost} {_PROBABILITIES}", "has a negative value")
    off = np.flatnonzero(~(np.abs(sums - 1.0) <= TARGET_SUM_TOLERANCE))
    i = int(off[0]) if off.size else 0
    return TargetProblem(i, f"{cost} {_PROBABILITIES}", f"sums to {float(sums[i]):g}")


def _within_unit_interval(y: Array) -> bool:
    if y.size <= SMALL:
        return all(0.0 <= v <= 1.0 for v in y.ravel().tolist())  # (a NaN fails)
    return bool(y.min() >= 0.0) and bool(y.max() <= 1.0)  # (a NaN makes both NaN: fails)


def check_targets(cost: str, y: Array) -> None:
    """Raise DefinitionError unless the targets y (n_L, m) suit the cost (target_problem)."""
    problem = target_problem(cost, y)
    if problem is None:
        return
    if not all_finite(y):
        raise DefinitionError("targets", "must be finite numbers (no NaN or infinity)")
    raise DefinitionError("targets", f"{problem.rule}; sample {problem.sample} {problem.found}")
