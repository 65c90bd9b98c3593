"""One training iteration, every phase kept (the trace of DESIGN.md).

    forward        zˡ = Wˡ aˡ⁻¹ + bˡ,  aˡ = σₗ(zˡ)                  l = 1 … L
    output_error   δᴸ = ∇ₐCₓ ⊙ σ′(zᴸ)   (softmax: δᴸ = Jᵀ ∇ₐCₓ)
    backward       δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ)                       l = L−1 … 1
    gradients      ∂C/∂Wˡ = (1/m) δˡ (aˡ⁻¹)ᵀ,  ∂C/∂bˡ = (1/m) Σ_columns δˡ   l = L … 1
    update         Wˡ ← Wˡ − η ∂C/∂Wˡ,  bˡ ← bˡ − η ∂C/∂bˡ (engine.optimizers)   l = L … 1

Every gradient is computed from the weights before the update. A batch of m
samples is m columns.
"""

# ruff: noqa: E741  (l is the layer index of the math, as in DESIGN.md)

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from engine.activations import (
    ACTIVATIONS,
    Array,
    sigma_prime_from,
    softmax_jacobian,
    softmax_vjp,
)
from engine.costs import COSTS, value_and_grad
from engine.errors import DefinitionError
from engine.network import (
    Network,
    all_finite,
    check_batch_shapes,
    check_cost,
    check_targets,
    finite_total,
)
from engine.optimizers import SGD, OptimizerState, Updater

Form = Literal["hadamard", "softmax_jacobian"]


@dataclass(eq=False, slots=True)
class ForwardStep:
    layer: int
    z: Array  # (nₗ, m)
    a: Array  # (nₗ, m)


@dataclass(eq=False, slots=True)
class OutputError:
    layer: int
    grad_a: Array  # ∇ₐCₓ per column, (n_L, m)
    sigma_prime: Array | None  # σ′(zᴸ), (n_L, m); None for softmax
    delta: Array  # δᴸ, (n_L, m)
    form: Form
    # softmax: its Jacobian per sample, J[x, i, j] = ∂aᵢ/∂zⱼ = aᵢ(δᵢⱼ − aⱼ), (m, n_L, n_L)
    jacobian: Array | None = None


@dataclass(eq=False, slots=True)
class BackwardStep:
    layer: int
    weighted_error: Array  # (Wˡ⁺¹)ᵀ δˡ⁺¹, (nₗ, m)
    sigma_prime: Array  # σ′(zˡ), (nₗ, m)
    delta: Array  # δˡ, (nₗ, m)


@dataclass(eq=False, slots=True)
class GradientStep:
    layer: int
    weights: Array  # ∂C/∂Wˡ, (nₗ, nₗ₋₁)
    biases: Array  # ∂C/∂bˡ, (nₗ,)


@dataclass(eq=False, slots=True)
class UpdateStep:
    layer: int
    weights: Array  # Wˡ after the update, (nₗ, nₗ₋₁)
    biases: Array  # bˡ after the update, (nₗ,)
    eta_grad_weights: Array  # η ∂C/∂Wˡ, the amount subtracted
    eta_grad_biases: Array  # η ∂C/∂bˡ


@dataclass(frozen=True)
class Divergence:
    """Where a non-finite value first appeared, in step order."""

    phase: str
    layer: int
    quantity: str


@dataclass(eq=False, slots=True)
class Trace:
    # In DESIGN.md's order (the JSON contract follows the fields).
    network: Network  # the parameters the iteration started from
    forward: tuple[ForwardStep, ...]  # layers 1 … L
    cost: float
    output_error: OutputError
    backward: tuple[BackwardStep, ...]  # layers L−1 … 1
    gradients: tuple[GradientStep, ...]  # layers L … 1
    update: tuple[UpdateStep, ...]  # layers L … 1
    learning_rate: float
    diverged: bool = field(init=False)  # some value is not finite (see divergence)
    divergence: Divergence | None
    x: Array  # a⁰, (n₀, m)
    y: Array  # (n_L, m)
    cost_name: str
    # What the optimizer carries into the next iteration (engine.optimizers; none for sgd).
    optimizer_state: OptimizerState

    def __post_init__(self) -> None:
        self.diverged = self.divergence is not None

    @property
    def updated_network(self) -> Network:
        """The network after this iteration's update (the next iteration's start)."""
        ordered = self.update[::-1]  # update runs L … 1; parameters are stored 1 … L
        return self.network.with_parameters(
            [u.weights for u in ordered], [u.biases for u in ordered]
        )


def output_error(cost: str, activation: str, z: Array, a: Array, y: Array) -> OutputError:
    """δᴸ for one batch, in the form the trace reports (layer -1: the caller's to set)."""
    return _output_error(-1, cost, activation, z, a, y, COSTS[cost].grad_a(a, y))


def _output_error(
    layer: int, cost: str, activation: str, z: Array, a: Array, y: Array, grad_a: Array
) -> OutputError:
    sigma_prime_fn = sigma_prime_from(activation)
    simplified = COSTS[cost].simplifies_with == activation
    if sigma_prime_fn is None:  # softmax: the Jacobian is not diagonal
        delta = a - y if simplified else softmax_vjp(a, grad_a)
        return OutputError(layer, grad_a, None, delta, "softmax_jacobian", softmax_jacobian(a))
    sigma_prime = sigma_prime_fn(z, a)  # σ′(zᴸ), (n_L, m)
    # sigmoid with cross_entropy: ∇ₐC ⊙ σ′ = (a − y); computing it directly
    # stays exact where the sigmoid saturates and σ′ rounds to 0.
    delta = a - y if simplified else grad_a * sigma_prime
    return OutputError(layer, grad_a, sigma_prime, delta, "hadamard")


def output_delta(cost: str, activation: str) -> Callable[[Array, Array, Array], Array]:
    """δᴸ as a function of (zᴸ, aᴸ, y): the numbers output_error gives, with
    nothing computed that δᴸ does not need (the fast path's version)."""
    if COSTS[cost].simplifies_with == activation:
        return lambda z, a, y: a - y
    grad_a = COSTS[cost].grad_a
    sigma_prime_fn = sigma_prime_from(activation)
    if sigma_prime_fn is None:
        return lambda z, a, y: softmax_vjp(a, grad_a(a, y))
    prime = sigma_prime_fn
    return lambda z, a, y: grad_a(a, y) * prime(z, a)


def trace_iteration(
    network: Network,
    cost: str,
    x: Array,
    y: Array,
    learning_rate: float,
    optimizer: Updater = SGD,
    state: OptimizerState | None = None,
) -> Trace:
    """Run one iteration of gradient descent on the batch (x, y) and keep every phase.

    `state` is what the optimizer carried into this iteration (None: nothing yet)."""
    check_cost(cost, network.activations[-1])
    check_batch_shapes(network, x, y)
    L, m = network.L, x.shape[1]
    activations = network.activations
    state = optimizer.initial_state(network) if state is None else state
    state_after: list[tuple[Array, ...]] = list(state)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        # The finiteness of x and y is checked after the fact, by the divergence
        # check below: a non-finite input reaches z¹ and a non-finite target C.
        check_targets(cost, y)

        forward: list[ForwardStep] = []
        a = x
        for l in range(1, L + 1):
            W, b = network.weights[l - 1], network.biases[l - 1]
            z = W @ a + b[:, None]  # (nₗ, m)
            a = ACTIVATIONS[activations[l - 1]].sigma(z)  # (nₗ, m)
            forward.append(ForwardStep(l, z, a))

        C, grad_a = value_and_grad(cost)(a, y)  # C and ∇ₐCₓ, (n_L, m)
        out = _output_error(L, cost, activations[-1], forward[-1].z, a, y, grad_a)

        # deltas[l] = δˡ (index 0 unused), filled L, L−1, … 1
        deltas: list[Array] = [out.delta] * (L + 1)
        backward: list[BackwardStep] = []
        delta = out.delta
        for l in range(L - 1, 0, -1):
            weighted_error = network.weights[l].T @ delta  # (Wˡ⁺¹)ᵀ δˡ⁺¹, (nₗ, m)
            prime = sigma_prime_from(activations[l - 1])
            assert prime is not None  # softmax is output-only (checked)
            f = forward[l - 1]
            sigma_prime = prime(f.z, f.a)  # σ′(zˡ), (nₗ, m)
            delta = deltas[l] = weighted_error * sigma_prime  # δˡ, (nₗ, m)
            backward.append(BackwardStep(l, weighted_error, sigma_prime, delta))

        gradients: list[GradientStep] = []
        update: list[UpdateStep] = []
        for l in range(L, 0, -1):
            a_prev = x if l == 1 else forward[l - 2].a  # aˡ⁻¹, (nₗ₋₁, m)
            dW = (deltas[l] @ a_prev.T) / m  # (nₗ, nₗ₋₁)
            db = deltas[l].sum(axis=1) / m  # (nₗ,)
            gradients.append(GradientStep(l, dW, db))
            W, b = network.weights[l - 1], network.biases[l - 1]
            i = 2 * (l - 1)  # Wˡ's place in the optimizer's state; bˡ's is i + 1
            W_new, eta_dW, state_after[i] = optimizer.apply(W, dW, learning_rate, state[i])
            b_new, eta_db, state_after[i + 1] = optimizer.apply(b, db, learning_rate, state[i + 1])
            update.append(UpdateStep(l, W_new, b_new, eta_dW, eta_db))

        trace = Trace(
            network=network, forward=tuple(forward), cost=C, output_error=out,
            backward=tuple(backward), gradients=tuple(gradients), update=tuple(update),
            learning_rate=learning_rate, divergence=None, x=x, y=y, cost_name=cost,
            optimizer_state=tuple(state_after),
        )  # fmt: skip
        if _all_finite_quick(trace):
            return trace
        # Invalid inputs are reported as such, not as a divergence.
        if not all_finite(x):
            raise DefinitionError("inputs", "must be finite numbers (no NaN or infinity)")
        if not all_finite(y):
            raise DefinitionError("targets", "must be finite numbers (no NaN or infinity)")
        divergence = find_divergence(trace)
    if divergence is None:
        return trace
    return dataclasses.replace(trace, divergence=divergence)


def _quantities(trace: Trace) -> list[tuple[str, int, str, Array]]:
    """Every array of the trace in step order, as (phase, layer, name, array)."""
    items: list[tuple[str, int, str, Array]] = []
    for f in trace.forward:
        items += [("forward", f.layer, "z", f.z), ("forward", f.layer, "a", f.a)]
    o = trace.output_error
    # C is known from the output_error step on (DESIGN.md), before its arrays.
    items += [("output_error", o.layer, "cost", np.array(trace.cost, dtype=np.float64))]
    items += [
        ("output_error", o.layer, "grad_a", o.grad_a),
        ("output_error", o.layer, "delta", o.delta),
    ]
    for bstep in trace.backward:
        items += [("backward", bstep.layer, "weighted_error", bstep.weighted_error)]
        items += [("backward", bstep.layer, "delta", bstep.delta)]
    for g in trace.gradients:
        items += [
            ("gradients", g.layer, "weights", g.weights),
            ("gradients", g.layer, "biases", g.biases),
        ]
    for u in trace.update:
        items += [
            ("update", u.layer, "weights", u.weights),
            ("update", u.layer, "biases", u.biases),
        ]
    return items


def _all_finite_quick(trace: Trace) -> bool:
    """True only if every value of the trace is finite, from a few sums.

    Every quantity reaches the cost, a zˡ, ∇ₐC or the updated parameters by
    elementwise operations or column sums, which keep a NaN or ±∞ (σ′ of a
    finite z is finite); so do the inputs (a non-finite entry of x makes its
    column of z¹ non-finite: even reference BLAS skips only zero entries of
    the right-hand factor) and the targets (every cost is non-finite when a
    target is). zˡ is checked itself because a saturating σ hides an
    infinite z, and the updates because a product can overflow. A finite sum
    of those proves them finite; a non-finite one (possibly a mere overflow of
    the sum) sends the caller to the entry-by-entry search.
    """
    total = trace.cost + finite_total(trace.output_error.grad_a)
    for f in trace.forward:
        total += finite_total(f.z)
    for u in trace.update:
        total += finite_total(u.weights) + finite_total(u.biases)
    return math.isfinite(total)


def find_divergence(trace: Trace) -> Divergence | None:
    """The first non-finite value in step order, or None when every value is finite."""
    with np.errstate(over="ignore", invalid="ignore"):
        if _all_finite_quick(trace):
            return None
    for phase, layer, name, arr in _quantities(trace):
        if not np.isfinite(arr).all():
            return Divergence(phase, layer, name)
    return None
