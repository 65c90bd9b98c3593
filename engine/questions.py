"""A class question about the coming result of a step, and its right answer, from a trace.

Five kinds of question, each about step (phase, layer) of one iteration:

    number          the value of one entry of the step's result (rowⱼ, columnₖ)
    sign            that entry's sign: negative, zero or positive
    largest         which entry of the step's result (at most 64 entries) is largest
    cost_direction  whether C goes down, stays or goes up after this iteration's update:
                    C(aᴸ of the updated network, y) against C of this iteration, same batch
    choice          which formula gives the step's result: the right one, and as the
                    wrong options practice's known mistakes (engine.mistakes), each with
                    the number it gives at the entry

A number answer is right within engine.mistakes' tolerance (1e-3 relatively, with a floor
of 1e-3 × the result's largest entry); a wrong one is named after the known mistake whose
number it matches there, if any. Every other kind is answered with one option's key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from engine.activations import Array
from engine.costs import COSTS
from engine.errors import DefinitionError
from engine.evaluate import layer_outputs
from engine.mistakes import PARTS, RELATIVE, mistaken_results, step_result
from engine.trace import Trace

__all__ = [
    "KINDS",
    "MAX_LARGEST_ENTRIES",
    "Option",
    "Posed",
    "QuestionKind",
    "classify_number",
    "pose",
    "right_tolerance",
]

QuestionKind = Literal["number", "sign", "largest", "cost_direction", "choice"]
KINDS: tuple[QuestionKind, ...] = ("number", "sign", "largest", "cost_direction", "choice")
MAX_LARGEST_ENTRIES = 64  # a matrix whose entries a class can compare at a glance

RIGHT = "right"  # what a right number is classified as

# The formula each step computes, and what each known mistake computes instead
# (generic in the layer: the question names its layer).
_FORMULAS: dict[tuple[str, str], str] = {
    ("forward", "z"): "zˡ = Wˡaˡ⁻¹ + bˡ",
    ("forward", "a"): "aˡ = σ(Wˡaˡ⁻¹ + bˡ)",
    ("output_error", "delta"): "δᴸ = ∇ₐC ⊙ σ′(zᴸ)",
    ("backward", "delta"): "δˡ = ((Wˡ⁺¹)ᵀδˡ⁺¹) ⊙ σ′(zˡ)",
    ("gradients", "weights"): "∂C/∂Wˡ = (1/m) δˡ(aˡ⁻¹)ᵀ",
    ("gradients", "biases"): "∂C/∂bˡ = (1/m) Σₓ δˡₓ",
    ("update", "weights"): "Wˡ ← Wˡ − η ∂C/∂Wˡ",
    ("update", "biases"): "bˡ ← bˡ − η ∂C/∂bˡ",
}
_MISTAKEN: dict[tuple[str, str, str], str] = {
    ("missing_bias", "forward", "z"): "zˡ = Wˡaˡ⁻¹",
    ("missing_bias", "forward", "a"): "aˡ = σ(Wˡaˡ⁻¹)",
    ("wrong_activation", "forward", "a"): "aˡ = another activation of zˡ",
    ("used_z_not_a", "forward", "z"): "zˡ = Wˡzˡ⁻¹ + bˡ",
    ("used_z_not_a", "forward", "a"): "aˡ = σ(Wˡzˡ⁻¹ + bˡ)",
    ("missing_sigma_prime", "output_error", "delta"): "δᴸ = ∇ₐC",
    ("sign_flipped", "output_error", "delta"): "δᴸ = −∇ₐC ⊙ σ′(zᴸ)  (y − a for a − y)",
    ("sigma_prime_of_a", "output_error", "delta"): "δᴸ = ∇ₐC ⊙ σ′(aᴸ)",
    ("untransposed_weights", "backward", "delta"): "δˡ = (Wˡ⁺¹δˡ⁺¹) ⊙ σ′(zˡ)",
    ("missing_sigma_prime", "backward", "delta"): "δˡ = (Wˡ⁺¹)ᵀδˡ⁺¹",
    ("wrong_layer_weights", "backward", "delta"): "δˡ = ((Wˡ)ᵀδˡ⁺¹) ⊙ σ′(zˡ)",
    ("sum_not_mean", "gradients", "weights"): "∂C/∂Wˡ = δˡ(aˡ⁻¹)ᵀ",
    ("sum_not_mean", "gradients", "biases"): "∂C/∂bˡ = Σₓ δˡₓ",
    ("wrong_activation_layer", "gradients", "weights"): "∂C/∂Wˡ = (1/m) δˡ(aˡ)ᵀ",
    ("sign_flipped", "gradients", "weights"): "∂C/∂Wˡ = −(1/m) δˡ(aˡ⁻¹)ᵀ",
    ("sign_flipped", "gradients", "biases"): "∂C/∂bˡ = −(1/m) Σₓ δˡₓ",
    ("added_gradient", "update", "weights"): "Wˡ ← Wˡ + η ∂C/∂Wˡ",
    ("added_gradient", "update", "biases"): "bˡ ← bˡ + η ∂C/∂bˡ",
    ("missing_learning_rate", "update", "weights"): "Wˡ ← Wˡ − ∂C/∂Wˡ",
    ("missing_learning_rate", "update", "biases"): "bˡ ← bˡ − ∂C/∂bˡ",
    ("updated_weights_used", "update", "weights"): "Wˡ ← Wˡ − η ∂C/∂Wˡ (δ from the new Wˡ⁺¹)",
    ("updated_weights_used", "update", "biases"): "bˡ ← bˡ − η ∂C/∂bˡ (δ from the new Wˡ⁺¹)",
}
SIGNS = (("negative", "negative (< 0)"), ("zero", "zero"), ("positive", "positive (> 0)"))
DIRECTIONS = (("down", "C goes down"), ("same", "C stays the same"), ("up", "C goes up"))


@dataclass(frozen=True)
class Option:
    key: str  # what a follower answers
    label: str  # what the option says
    value: float | None = None  # choice: the number the formula gives at the entry
    mistake: str | None = None  # choice: the known mistake this option is (None: right)


@dataclass(frozen=True)
class Posed:
    """A question with its right answer, and everything needed to judge answers later."""

    kind: QuestionKind
    phase: str
    layer: int
    part: str
    entry: tuple[int, ...] | None
    answer: float | str  # number: the entry's value; otherwise the right option's key
    options: tuple[Option, ...]  # empty for number
    # number: each known mistake and the number it gives at the entry
    mistakes: tuple[tuple[str, float], ...]
    floor: float  # number: the absolute tolerance (1e-3 × the result's largest entry)
    cost_before: float | None = None  # cost_direction: C of this iteration
    cost_after: float | None = None  # and C after its update, on the same batch


def pose(
    trace: Trace,
    kind: QuestionKind,
    phase: str,
    layer: int,
    part: str | None = None,
    entry: tuple[int, ...] | None = None,
    choices: tuple[str, ...] | None = None,
) -> Posed:
    """The question `kind` about step (phase, layer) of `trace`, with its right answer.

    `entry` indexes the step's result (number, sign; choice shows each formula's number
    there, default the first entry); `choices` limits a choice's wrong options to these
    known mistakes (default: every one that gives other numbers on this data)."""
    if kind not in KINDS:
        raise DefinitionError("kind", f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
    if kind == "cost_direction":
        return _cost_direction(trace)
    result = step_result(trace, phase, layer, part)
    part = part or PARTS[phase][0]
    floor = RELATIVE * float(np.max(np.abs(result), initial=0.0))
    if kind == "largest":
        return _largest(result, phase, layer, part, floor)
    if entry is None and kind != "choice":
        raise DefinitionError("entry", f"a {kind} question needs the entry it is about")
    index = _entry(result, entry or (0,) * result.ndim)
    value = float(result[index])
    if not np.isfinite(value):
        raise DefinitionError(
            "entry", f"{list(index)} is not finite in this iteration (it diverged)"
        )
    mistakes = tuple(
        (name, float(numbers[index]))
        for name, numbers in mistaken_results(trace, phase, layer, part)
        if np.isfinite(numbers[index])  # (a mistake may overflow where the right one does not)
    )
    if kind == "number":
        return Posed(kind, phase, layer, part, index, value, (), mistakes, floor)
    if kind == "sign":
        key = "zero" if value == 0 else ("positive" if value > 0 else "negative")
        options = tuple(Option(k, label) for k, label in SIGNS)
        return Posed(kind, phase, layer, part, index, key, options, (), floor)
    options = _choice_options(phase, part, value, mistakes, choices)
    right = next(o.key for o in options if o.mistake is None)
    return Posed("choice", phase, layer, part, index, right, options, (), floor)


def _entry(result: Array, entry: tuple[int, ...]) -> tuple[int, ...]:
    if result.ndim == 1 and len(entry) == 2 and entry[1] == 0:
        entry = entry[:1]  # a bias vector's entry may be given as [row, 0]
    shape = "×".join(map(str, result.shape))
    if len(entry) != result.ndim or not all(
        0 <= i < n for i, n in zip(entry, result.shape, strict=True)
    ):
        raise DefinitionError("entry", f"must index the step's {shape} result, got {list(entry)}")
    return tuple(int(i) for i in entry)


def _largest(result: Array, phase: str, layer: int, part: str, floor: float) -> Posed:
    if result.size > MAX_LARGEST_ENTRIES:
        raise DefinitionError(
            "kind",
            f"largest asks about a result of at most {MAX_LARGEST_ENTRIES} entries; this "
            f"step's has {result.size}: ask a number or sign question about one entry instead",
        )
    if not np.all(np.isfinite(result)):
        raise DefinitionError("kind", "this step's result is not finite (it diverged)")
    grid = result.reshape(result.shape[0], -1)  # a bias vector as one column, (nₗ, 1)
    row, col = np.unravel_index(int(np.argmax(grid)), grid.shape)
    options = tuple(
        Option(f"{r},{c}", f"[{r}][{c}]")
        for r in range(grid.shape[0])
        for c in range(grid.shape[1])
    )
    return Posed("largest", phase, layer, part, None, f"{row},{col}", options, (), floor)


def _cost_direction(trace: Trace) -> Posed:
    before = float(trace.cost)
    a = layer_outputs(trace.updated_network, trace.x)[-1]  # aᴸ after the update, (n_L, m)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        after = float(COSTS[trace.cost_name].value(a, trace.y))
    if not (np.isfinite(before) and np.isfinite(after)):
        raise DefinitionError("kind", "the cost is not finite in this iteration (it diverged)")
    change = after - before
    key = (
        "same" if abs(change) <= 1e-12 * max(abs(before), 1.0) else ("up" if change > 0 else "down")
    )
    options = tuple(Option(k, label) for k, label in DIRECTIONS)
    # about the whole update: its result is known once the last update step (layer 1) is
    return Posed(
        "cost_direction", "update", 1, "weights", None, key, options, (), 0.0, before, after
    )


def _choice_options(
    phase: str,
    part: str,
    value: float,
    mistakes: tuple[tuple[str, float], ...],
    choices: tuple[str, ...] | None,
) -> tuple[Option, ...]:
    first: dict[str, float] = {}
    for name, number in mistakes:
        first.setdefault(name, number)  # wrong_activation: the first other activation
    if choices is not None:
        unknown = [c for c in choices if c not in first]
        if unknown:
            known = ", ".join(first) or "none on this data"
            raise DefinitionError(
                "choices", f"{', '.join(unknown)}: not a known mistake of this step ({known})"
            )
        first = {name: first[name] for name in choices}
    if not first:
        raise DefinitionError(
            "kind", "no known mistake gives other numbers at this step: ask another kind"
        )
    options = [Option(RIGHT, _FORMULAS[phase, part], value)]
    options += [Option(n, _MISTAKEN[n, phase, part], v, n) for n, v in first.items()]
    # In the order of their numbers, keyed A, B, C …: neither place nor key tells.
    ordered = sorted(options, key=lambda o: (o.value, o.key))
    return tuple(
        Option(chr(ord("A") + i), o.label, o.value, o.mistake) for i, o in enumerate(ordered)
    )


def classify_number(posed: Posed, value: float) -> str:
    """ "right", the known mistake whose number `value` matches at the entry, or "other"."""
    expected = float(posed.answer)
    if _near(value, expected, posed.floor):
        return RIGHT
    for name, number in posed.mistakes:
        if _near(value, number, posed.floor):
            return name
    return "other"


def right_tolerance(posed: Posed) -> float:
    """How far a number answer may be from the right one and still be right."""
    return max(RELATIVE * abs(float(posed.answer)), posed.floor)


def _near(x: float, expected: float, floor: float) -> bool:
    return abs(x - expected) <= max(RELATIVE * abs(expected), floor)
