"""One training iteration, every phase kept (the trace of DESIGN.md).

    forward        zˡ = Wˡ aˡ⁻¹ + bˡ,  aˡ = σₗ(zˡ)                  l = 1 … L
    output_error   δᴸ = ∇ₐCₓ ⊙ σ′(zᴸ)   (softmax: δᴸ = Jᵀ ∇ₐCₓ)
    backward       δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ)                       l = L−1 … 1
    gradients      ∂C/∂Wˡ = (1/m) δˡ (aˡ⁻¹)ᵀ,  ∂C/∂bˡ = (1/m) Σ_columns δˡ   l = L … 1
    update         Wˡ ← Wˡ − η ∂C/∂Wˡ,  bˡ ← bˡ − η ∂C/∂bˡ            l = L … 1

Every gradient is computed from the weights before the update. A batch of m
samples is m columns.
"""

# ruff: noqa: E741  (l is the layer index of the math, as in DESIGN.md)

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from engine.activations import ACTIVATIONS, Array, softmax_vjp
from engine.costs import COSTS
from engine.network import Network, check_batch, check_cost, check_targets

Form = Literal["hadamard", "softmax_jacobian"]


@dataclass(frozen=True, eq=False)
class ForwardStep:
    layer: int
    z: Array  # (nₗ, m)
    a: Array  # (nₗ, m)


@dataclass(frozen=True, eq=False)
class OutputError:
    layer: int
    grad_a: Array  # ∇ₐCₓ per column, (n_L, m)
    sigma_prime: Array | None  # σ′(zᴸ), (n_L, m); None for softmax
    delta: Array  # δᴸ, (n_L, m)
    form: Form


@dataclass(frozen=True, eq=False)
class BackwardStep:
    layer: int
    weighted_error: Array  # (Wˡ⁺¹)ᵀ δˡ⁺¹, (nₗ, m)
    sigma_prime: Array  # σ′(zˡ), (nₗ, m)
    delta: Array  # δˡ, (nₗ, m)


@dataclass(frozen=True, eq=False)
class GradientStep:
    layer: int
    weights: Array  # ∂C/∂Wˡ, (nₗ, nₗ₋₁)
    biases: Array  # ∂C/∂bˡ, (nₗ,)


@dataclass(frozen=True, eq=False)
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


@dataclass(frozen=True, eq=False)
class Trace:
    network: Network  # the parameters the iteration started from
    x: Array  # a⁰, (n₀, m)
    y: Array  # (n_L, m)
    learning_rate: float
    cost_name: str
    forward: tuple[ForwardStep, ...]  # layers 1 … L
    cost: float
    output_error: OutputError
    backward: tuple[BackwardStep, ...]  # layers L−1 … 1
    gradients: tuple[GradientStep, ...]  # layers L … 1
    update: tuple[UpdateStep, ...]  # layers L … 1
    divergence: Divergence | None

    @property
    def diverged(self) -> bool:
        return self.divergence is not None

    @property
    def updated_network(self) -> Network:
        """The network after this iteration's update (the next iteration's start)."""
        ordered = self.update[::-1]  # update runs L … 1; parameters are stored 1 … L
        return self.network.with_parameters(
            [u.weights for u in ordered], [u.biases for u in ordered]
        )


def output_error(cost: str, activation: str, z: Array, a: Array, y: Array) -> OutputError:
    """δᴸ for one batch, in the form the trace reports."""
    L_layer = -1  # filled in by the caller's layer number; kept generic here
    grad_a = COSTS[cost].grad_a(a, y)  # (n_L, m)
    spec = ACTIVATIONS[activation]
    simplified = COSTS[cost].simplifies_with == activation
    if spec.sigma_prime is None:  # softmax: the Jacobian is not diagonal
        delta = a - y if simplified else softmax_vjp(a, grad_a)
        return OutputError(L_layer, grad_a, None, delta, "softmax_jacobian")
    sigma_prime = spec.sigma_prime(z)
    # sigmoid with cross_entropy: ∇ₐC ⊙ σ′ = (a − y); computing it directly
    # stays exact where the sigmoid saturates and σ′ rounds to 0.
    delta = a - y if simplified else grad_a * sigma_prime
    return OutputError(L_layer, grad_a, sigma_prime, delta, "hadamard")


def trace_iteration(network: Network, cost: str, x: Array, y: Array, learning_rate: float) -> Trace:
    """Run one iteration of gradient descent on the batch (x, y) and keep every phase."""
    check_cost(cost, network.activations[-1])
    check_batch(network, x, y)
    check_targets(cost, y)
    L, m = network.L, x.shape[1]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        forward: list[ForwardStep] = []
        a = x
        for l in range(1, L + 1):
            W, b = network.weights[l - 1], network.biases[l - 1]
            z = W @ a + b[:, None]  # (nₗ, m)
            a = ACTIVATIONS[network.activations[l - 1]].sigma(z)  # (nₗ, m)
            forward.append(ForwardStep(l, z, a))

        C = COSTS[cost].value(a, y)
        out = output_error(cost, network.activations[-1], forward[-1].z, a, y)
        out = OutputError(L, out.grad_a, out.sigma_prime, out.delta, out.form)

        backward: list[BackwardStep] = []
        delta = out.delta
        for l in range(L - 1, 0, -1):
            weighted_error = network.weights[l].T @ delta  # (Wˡ⁺¹)ᵀ δˡ⁺¹, (nₗ, m)
            sigma_prime_fn = ACTIVATIONS[network.activations[l - 1]].sigma_prime
            assert sigma_prime_fn is not None  # softmax is output-only (checked)
            sigma_prime = sigma_prime_fn(forward[l - 1].z)
            delta = weighted_error * sigma_prime
            backward.append(BackwardStep(l, weighted_error, sigma_prime, delta))

        deltas = {L: out.delta} | {step.layer: step.delta for step in backward}
        gradients: list[GradientStep] = []
        update: list[UpdateStep] = []
        for l in range(L, 0, -1):
            a_prev = x if l == 1 else forward[l - 2].a  # aˡ⁻¹, (nₗ₋₁, m)
            dW = (deltas[l] @ a_prev.T) / m  # (nₗ, nₗ₋₁)
            db = deltas[l].sum(axis=1) / m  # (nₗ,)
            gradients.append(GradientStep(l, dW, db))
            eta_dW, eta_db = learning_rate * dW, learning_rate * db
            W, b = network.weights[l - 1], network.biases[l - 1]
            update.append(UpdateStep(l, W - eta_dW, b - eta_db, eta_dW, eta_db))

    trace = Trace(
        network, x, y, learning_rate, cost,
        tuple(forward), C, out, tuple(backward), tuple(gradients), tuple(update), None,
    )  # fmt: skip
    divergence = find_divergence(trace)
    if divergence is None:
        return trace
    return Trace(**{**trace.__dict__, "divergence": divergence})


def _quantities(trace: Trace) -> list[tuple[str, int, str, Array]]:
    """Every array of the trace in step order, as (phase, layer, name, array)."""
    items: list[tuple[str, int, str, Array]] = []
    for f in trace.forward:
        items += [("forward", f.layer, "z", f.z), ("forward", f.layer, "a", f.a)]
    o = trace.output_error
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


def find_divergence(trace: Trace) -> Divergence | None:
    """The first non-finite value in step order, or None when every value is finite."""
    # Fast path: every quantity feeds the updated parameters or the cost, except z
    # through a saturating σ, so checking those few arrays settles the common case.
    finals = [u.weights for u in trace.update] + [u.biases for u in trace.update]
    finals += [f.z for f in trace.forward] + [trace.output_error.grad_a]
    if np.isfinite(trace.cost) and all(np.isfinite(arr).all() for arr in finals):
        return None
    for phase, layer, name, arr in _quantities(trace):
        if not np.isfinite(arr).all():
            return Divergence(phase, layer, name)
    if not np.isfinite(trace.cost):
        return Divergence("output_error", trace.network.L, "cost")
    return None
