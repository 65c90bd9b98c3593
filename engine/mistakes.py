"""A learner's answer to one step, checked entry by entry, and the mistakes that explain it.

The answer is the step's result in the trace's orientation (forward: aˡ, or zˡ;
output_error and backward: δˡ, nₗ × m; gradients: ∂C/∂Wˡ or ∂C/∂bˡ; update: the new
Wˡ or bˡ), NaN where the learner gave nothing. Each entry is `correct` when it is
within 1e-3 of the trace's, relatively (an answer rounded to the four digits the page
shows counts), with an absolute floor of 1e-3 × the step's largest entry (so a value a
thousand times smaller than the rest may be given as 0); else `wrong`, or `skipped`.

Each known mistake is computed by applying it to the same operands:

    forward        missing_bias         zˡ = Wˡaˡ⁻¹ (no + bˡ)
                   wrong_activation     another σ applied to zˡ
                   used_z_not_a         zˡ⁻¹ passed on instead of aˡ⁻¹
    output_error   missing_sigma_prime  δᴸ = ∇ₐC (no ⊙ σ′(zᴸ), or no Jᵀ for softmax)
                   sign_flipped         y − a instead of a − y
                   sigma_prime_of_a     σ′ applied to aᴸ instead of zᴸ
    backward       untransposed_weights Wˡ⁺¹ δˡ⁺¹ instead of (Wˡ⁺¹)ᵀ δˡ⁺¹
                   missing_sigma_prime  δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ (no ⊙ σ′(zˡ))
                   wrong_layer_weights  (Wˡ)ᵀ δˡ⁺¹ instead of (Wˡ⁺¹)ᵀ δˡ⁺¹
    gradients      sum_not_mean         Σₓ instead of (1/m) Σₓ
                   wrong_activation_layer  δˡ (aˡ)ᵀ instead of δˡ (aˡ⁻¹)ᵀ
                   sign_flipped         −∂C/∂W
    update         added_gradient       W + η ∂C/∂W
                   missing_learning_rate  W − ∂C/∂W
                   updated_weights_used ∂C/∂W from a backward pass that already used the
                                        updated weights of the layers above

A mistake whose shapes do not fit this network (an untransposed non-square Wˡ⁺¹),
or that gives the right numbers on this data (the sum and the mean with m = 1),
is never reported.
"""

# ruff: noqa: E741  (l is the layer index of the math, as in DESIGN.md)

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

import numpy as np

from engine.activations import ACTIVATIONS, Array, sigma_prime_from
from engine.errors import DefinitionError
from engine.formulas import mistake_formula, step_formula
from engine.steps import check_step
from engine.trace import Trace

__all__ = [
    "MISTAKES",
    "PARTS",
    "Diagnosis",
    "Mistake",
    "check_answer",
    "mistaken_results",
    "step_result",
]

RELATIVE = 1e-3

Verdict = Literal["correct", "wrong", "skipped"]

# What each phase's answer may be (the first is the default).
PARTS: dict[str, tuple[str, ...]] = {
    "forward": ("a", "z"),
    "output_error": ("delta",),
    "backward": ("delta",),
    "gradients": ("weights", "biases"),
    "update": ("weights", "biases"),
}


@dataclass(frozen=True)
class Mistake:
    name: str
    phase: str
    words: str  # the mistake in plain words, for the learner


@dataclass(frozen=True, eq=False)
class Diagnosis:
    verdicts: Array  # "correct" | "wrong" | "skipped" per entry, the result's shape
    expected: Array  # the step's result
    # the wrong entries' indices → the mistakes that give the learner's number there
    explained: dict[tuple[int, ...], tuple[str, ...]]
    # the mistakes that explain some wrong entries, the most entries first
    misconceptions: tuple[str, ...]
    correct: int
    total: int  # entries, answered or not
    formula: str  # the step's right formula (LaTeX), to show beside the mistaken ones
    formulas: dict[str, str]  # each misconception → the formula the learner used (LaTeX)


MISTAKES: dict[str, Mistake] = {
    m.name + ":" + m.phase: m
    for m in (
        Mistake("missing_bias", "forward", "the bias bˡ was left out of zˡ = Wˡaˡ⁻¹ + bˡ"),
        Mistake("wrong_activation", "forward", "another activation function was applied to zˡ"),
        Mistake("used_z_not_a", "forward", "zˡ⁻¹ was passed on instead of aˡ⁻¹ = σ(zˡ⁻¹)"),
        Mistake("missing_sigma_prime", "output_error", "σ′(zᴸ) (or the Jacobian) was left out"),
        Mistake("sign_flipped", "output_error", "y − a was used instead of a − y"),
        Mistake("sigma_prime_of_a", "output_error", "σ′ was applied to aᴸ instead of zᴸ"),
        Mistake("untransposed_weights", "backward", "Wˡ⁺¹δˡ⁺¹ was used instead of (Wˡ⁺¹)ᵀδˡ⁺¹"),
        Mistake("missing_sigma_prime", "backward", "the ⊙ σ′(zˡ) was left out"),
        Mistake("wrong_layer_weights", "backward", "Wˡ was used instead of Wˡ⁺¹"),
        Mistake("sum_not_mean", "gradients", "the samples were summed, not averaged (1/m)"),
        Mistake("wrong_activation_layer", "gradients", "aˡ was used instead of aˡ⁻¹"),
        Mistake("sign_flipped", "gradients", "the gradient's sign is flipped"),
        Mistake("added_gradient", "update", "η∂C/∂W was added instead of subtracted"),
        Mistake("missing_learning_rate", "update", "the learning rate η was left out"),
        Mistake(
            "updated_weights_used",
            "update",
            "the gradient came from weights already updated (the layers above)",
        ),
    )
}


# ------------------------------------------------------------------ the right answer


def _delta(trace: Trace, l: int) -> Array:
    L = trace.network.L
    return trace.output_error.delta if l == L else trace.backward[L - 1 - l].delta


def _a(trace: Trace, l: int) -> Array:
    return trace.x if l == 0 else trace.forward[l - 1].a


def step_result(trace: Trace, phase: str, layer: int, part: str | None = None) -> Array:
    """The result an answer to step (phase, layer) is compared with."""
    part = _part(phase, part)
    L = trace.network.L
    check_step(phase, layer, L)
    if phase == "forward":
        f = trace.forward[layer - 1]
        return f.a if part == "a" else f.z
    if phase in ("output_error", "backward"):
        return _delta(trace, layer)
    entry = trace.gradients[L - layer] if phase == "gradients" else trace.update[L - layer]
    return entry.weights if part == "weights" else entry.biases


def _part(phase: str, part: str | None) -> str:
    if phase not in PARTS:
        raise DefinitionError("phase", f"unknown phase {phase!r}; choose one of {', '.join(PARTS)}")
    if part is None:
        return PARTS[phase][0]
    if part not in PARTS[phase]:
        raise DefinitionError(
            "part", f"{phase} answers are {' or '.join(PARTS[phase])}, not {part!r}"
        )
    return part


# ------------------------------------------------------------------ the mistakes


Candidate = tuple[str, Array]  # a mistake's name and the numbers it gives (the result's shape)


def _forward(trace: Trace, l: int, part: str) -> Iterator[Candidate]:
    net = trace.network
    W, b, name = net.weights[l - 1], net.biases[l - 1], net.activations[l - 1]
    sigma = ACTIVATIONS[name].sigma
    a_prev = _a(trace, l - 1)
    z_no_bias = W @ a_prev  # (nₗ, m)
    yield "missing_bias", z_no_bias if part == "z" else sigma(z_no_bias)
    if part == "a":
        z = trace.forward[l - 1].z
        for other, act in ACTIVATIONS.items():
            if other != name and (not act.output_only or l == net.L):
                yield "wrong_activation", act.sigma(z)
    if l > 1:
        z_used = W @ trace.forward[l - 2].z + b[:, None]
        yield "used_z_not_a", z_used if part == "z" else sigma(z_used)


def _output_error(trace: Trace, l: int, part: str) -> Iterator[Candidate]:
    oe, a = trace.output_error, trace.forward[-1].a
    name = trace.network.activations[-1]
    yield "missing_sigma_prime", oe.grad_a
    # y − a for a − y, in ∇ₐC (or in δᴸ = aᴸ − y itself): the whole δᴸ changes sign
    yield "sign_flipped", -oe.delta
    prime = ACTIVATIONS[name].sigma_prime
    if prime is not None:
        yield "sigma_prime_of_a", oe.grad_a * prime(a)


def _backward(trace: Trace, l: int, part: str) -> Iterator[Candidate]:
    net = trace.network
    step = trace.backward[net.L - 1 - l]
    delta_next = _delta(trace, l + 1)  # (nₗ₊₁, m)
    W_next, W = net.weights[l], net.weights[l - 1]  # Wˡ⁺¹ (nₗ₊₁, nₗ), Wˡ (nₗ, nₗ₋₁)
    if W_next.shape[0] == W_next.shape[1]:  # Wˡ⁺¹δˡ⁺¹ has δˡ's shape only when square
        yield "untransposed_weights", (W_next @ delta_next) * step.sigma_prime
    yield "missing_sigma_prime", step.weighted_error
    if W.shape == (delta_next.shape[0], step.delta.shape[0]):  # (Wˡ)ᵀδˡ⁺¹ fits
        yield "wrong_layer_weights", (W.T @ delta_next) * step.sigma_prime


def _gradients(trace: Trace, l: int, part: str) -> Iterator[Candidate]:
    g = trace.gradients[trace.network.L - l]
    m = trace.x.shape[1]
    right = g.weights if part == "weights" else g.biases
    yield "sum_not_mean", right * m
    if part == "weights" and g.weights.shape[1] == g.weights.shape[0]:
        yield "wrong_activation_layer", (_delta(trace, l) @ _a(trace, l).T) / m
    yield "sign_flipped", -right


def _update(trace: Trace, l: int, part: str) -> Iterator[Candidate]:
    net, eta, L = trace.network, trace.learning_rate, trace.network.L
    before = net.weights[l - 1] if part == "weights" else net.biases[l - 1]
    g = trace.gradients[L - l]
    grad = g.weights if part == "weights" else g.biases
    yield "added_gradient", before + eta * grad
    yield "missing_learning_rate", before - grad
    if l < L:
        stale = _gradient_after_updating_above(trace, l)
        yield "updated_weights_used", before - eta * (stale[0] if part == "weights" else stale[1])


def _gradient_after_updating_above(trace: Trace, l: int) -> tuple[Array, Array]:
    """∂C/∂Wˡ, ∂C/∂bˡ from a backward pass that used the updated weights of layers l+1 … L."""
    net, L, m = trace.network, trace.network.L, trace.x.shape[1]
    updated = {u.layer: u.weights for u in trace.update}
    delta = trace.output_error.delta
    for k in range(L - 1, l - 1, -1):  # δᵏ with Wᵏ⁺¹ already updated
        prime = sigma_prime_from(net.activations[k - 1])
        assert prime is not None  # hidden layers are elementwise
        f = trace.forward[k - 1]
        delta = (updated[k + 1].T @ delta) * prime(f.z, f.a)
    return (delta @ _a(trace, l - 1).T) / m, delta.sum(axis=1) / m


_CANDIDATES: dict[str, Callable[[Trace, int, str], Iterator[Candidate]]] = {
    "forward": _forward,
    "output_error": _output_error,
    "backward": _backward,
    "gradients": _gradients,
    "update": _update,
}


def mistaken_results(
    trace: Trace, phase: str, layer: int, part: str | None = None
) -> list[Candidate]:
    """Each known mistake of step (phase, layer) and the numbers it gives (the result's
    shape), leaving out those that give the right numbers on this data."""
    part = _part(phase, part)
    expected = step_result(trace, phase, layer, part)
    floor = RELATIVE * float(np.max(np.abs(expected), initial=0.0))
    return [
        (name, numbers)
        for name, numbers in _CANDIDATES[phase](trace, layer, part)
        if not np.all(_close(numbers, expected, floor))
    ]


# ------------------------------------------------------------------ checking


def _close(x: Array, expected: Array, floor: float) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.abs(x - expected) <= np.maximum(RELATIVE * np.abs(expected), floor)


def check_answer(
    trace: Trace, phase: str, layer: int, answer: Array, part: str | None = None
) -> Diagnosis:
    """Each entry of `answer` (NaN: not given) against the step's result, and the known
    mistakes that give the learner's wrong numbers."""
    part = _part(phase, part)
    expected = step_result(trace, phase, layer, part)
    if answer.shape != expected.shape:
        shape = "×".join(map(str, expected.shape))
        raise DefinitionError("answer", f"must have the shape of the step's result, {shape}")
    floor = RELATIVE * float(np.max(np.abs(expected), initial=0.0))
    given = ~np.isnan(answer)
    right = given & _close(answer, expected, floor)
    wrong = given & ~right
    explained: dict[tuple[int, ...], list[str]] = {}
    counts: dict[str, int] = {}
    for name, numbers in _CANDIDATES[phase](trace, layer, part):
        if np.all(_close(numbers, expected, floor)):
            continue  # indistinguishable from the right answer on this data
        hits = wrong & _close(answer, numbers, floor)
        for index in zip(*np.nonzero(hits), strict=True):
            names = explained.setdefault(tuple(int(i) for i in index), [])
            if name not in names:
                names.append(name)
                counts[name] = counts.get(name, 0) + 1
    verdicts = np.where(right, "correct", np.where(wrong, "wrong", "skipped"))
    misconceptions = tuple(sorted(counts, key=lambda n: -counts[n]))
    softmax = trace.output_error.form == "softmax_jacobian"
    return Diagnosis(
        verdicts=verdicts,
        expected=expected,
        explained={index: tuple(names) for index, names in explained.items()},
        misconceptions=misconceptions,
        correct=int(right.sum()),
        total=int(answer.size),
        formula=step_formula(phase, layer, part, softmax),
        formulas={name: mistake_formula(name, phase, layer, part) for name in misconceptions},
    )
