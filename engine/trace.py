"""One training iteration, every phase kept (the trace of DESIGN.md).

    forward        zˡ = Wˡ aˡ⁻¹ + bˡ,  aˡ = σₗ(zˡ)                  l = 1 … L
    output_error   δᴸ = ∇ₐCₓ ⊙ σ′(zᴸ)   (softmax: δᴸ = Jᵀ ∇ₐCₓ)
    backward       δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ)                       l = L−1 … 1
    gradients      ∂C/∂Wˡ = (1/m) δˡ (aˡ⁻¹)ᵀ + λWˡ,  ∂C/∂bˡ = (1/m) Σ_columns δˡ   l = L … 1
    update         Wˡ ← Wˡ − η ∂C/∂Wˡ,  bˡ ← bˡ − η ∂C/∂bˡ (or the optimizer's rule,
                   engine.optimizers)   l = L … 1

With weight decay λ > 0 the cost gains (λ/2) Σₗ ‖Wˡ‖² (engine.regularization).

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
from engine.regularization import check_weight_decay, l2_cost

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
    weights: Array  # ∂C/∂Wˡ, (nₗ, nₗ₋₁), the L2 term included
    biases: Array  # ∂C/∂bˡ, (nₗ,)
    l2: Array | None = None  # λWˡ, the L2 term of ∂C/∂Wˡ (None: no weight decay)


@dataclass(eq=False, slots=True)
class UpdateStep:
    layer: int
    weights: Array  # Wˡ after the update, (nₗ, nₗ₋₁)
    biases: Array  # bˡ after the update, (nₗ,)
    eta_grad_weights: Array  # the amount subtracted: η ∂C/∂Wˡ, or the optimizer's step
    eta_grad_biases: Array  # η ∂C/∂bˡ, or the optimizer's step
    # The optimizer's quantities after this update, by their names in its formulas
    # (momentum: v; rmsprop: s; adam: m, v, m_hat, v_hat); empty for sgd.
    optimizer_weights: dict[str, Array] = field(default_factory=dict)
    optimizer_biases: dict[str, Array] = field(default_factory=dict)


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
    cost: float  # C₀ + (λ/2) Σ ‖Wˡ‖²
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
    # The optimizer and its settings ({"name", …}; adam: and "t", its updates so far).
    optimizer: dict[str, float | str] = field(default_factory=lambda: {"name": "sgd"})
    weight_decay: float = 0.0  # λ
    l2_cost: float = 0.0  # (λ/2) Σ ‖Wˡ‖², part of `cost`

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
    weight_decay: float = 0.0,
) -> Trace:
    """Run one iteration of gradient descent on the batch (x, y) and keep every phase.

    `state` is what the optimizer carried into this iteration (None: nothing yet);
    `weight_decay` is λ of the L2 penalty on the weights."""
    check_cost(cost, network.activations[-1])
    check_weight_decay(weight_decay)
    check_batch_shapes(network, x, y)
    L, m = network.L, x.shape[1]
    activations = network.activations
    state = optimizer.initial_state(network) if state is None else state
    carries = bool(optimizer.optimizer.state_names)
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
        penalty = 0.0
        if weight_decay:
            penalty = l2_cost(network.weights, weight_decay)
            C = C + penalty
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
            W, b = network.weights[l - 1], network.biases[l - 1]
            dW = (deltas[l] @ a_prev.T) / m  # (nₗ, nₗ₋₁)
            l2 = None
            if weight_decay:
                l2 = weight_decay * W  # λWˡ
                dW = dW + l2
            db = deltas[l].sum(axis=1) / m  # (nₗ,)
            gradients.append(GradientStep(l, dW, db, l2))
            i = 2 * (l - 1)  # Wˡ's place in the optimizer's state; bˡ's is i + 1
            W_new, eta_dW, state_after[i] = optimizer.apply(W, dW, learning_rate, state[i])
            b_new, eta_db, state_after[i + 1] = optimizer.apply(b, db, learning_rate, state[i + 1])
            if carries:  # (plain descent shows nothing more: skip the calls, every iteration)
                shown_W, shown_b = (
                    optimizer.shown(state_after[i]),
                    optimizer.shown(state_after[i + 1]),
                )
                update.append(UpdateStep(l, W_new, b_new, eta_dW, eta_db, shown_W, shown_b))
            else:
                update.append(UpdateStep(l, W_new, b_new, eta_dW, eta_db))

        trace = Trace(
            network=network, forward=tuple(forward), cost=C, output_error=out,
            backward=tuple(backward), gradients=tuple(gradients), update=tuple(update),
            learning_rate=learning_rate, divergence=None, x=x, y=y, cost_name=cost,
            optimizer_state=tuple(state_after), optimizer=_settings(optimizer, state_after),
            weight_decay=weight_decay, l2_cost=penalty,
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


def _settings(optimizer: Updater, state: list[tuple[Array, ...]]) -> dict[str, float | str]:
    """The optimizer's settings, and for a counting rule (adam) its count after this update."""
    out = optimizer.settings()
    names = optimizer.optimizer.state_names
    for name in optimizer.optimizer.counters:
        out[name] = int(state[0][names.index(name)]) if state else 0
    return out


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
