"""The cursor: one iteration as 4L steps, in DESIGN.md's order.

    forward       layer 1 … L
    output_error  layer L
    backward      layer L−1 … 1
    gradients     layer L … 1
    update        layer L … 1

A step is (phase, layer); its payload is the matching part of a Trace.
"""

# ruff: noqa: E741  (l is the layer index of the math, as in DESIGN.md)

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from engine.errors import DefinitionError
from engine.trace import BackwardStep, ForwardStep, GradientStep, OutputError, Trace, UpdateStep

Phase = Literal["forward", "output_error", "backward", "gradients", "update"]
PHASES: tuple[Phase, ...] = ("forward", "output_error", "backward", "gradients", "update")

Payload = ForwardStep | OutputError | BackwardStep | GradientStep | UpdateStep


@dataclass(frozen=True)
class Step:
    phase: Phase
    layer: int


def iteration_steps(L: int) -> tuple[Step, ...]:
    """The 4L steps of one iteration of a network with L weight layers, in order."""
    if L < 1:
        raise ValueError(f"L must be at least 1, got {L}")
    down = range(L, 0, -1)
    return (
        *(Step("forward", l) for l in range(1, L + 1)),
        Step("output_error", L),
        *(Step("backward", l) for l in range(L - 1, 0, -1)),
        *(Step("gradients", l) for l in down),
        *(Step("update", l) for l in down),
    )


def phase_layers(phase: str, L: int) -> range:
    """The layers a phase has steps for in a network with L weight layers."""
    if phase not in PHASES:
        raise DefinitionError(
            "phase", f"unknown phase {phase!r}; choose one of {', '.join(PHASES)}"
        )
    if phase == "output_error":
        return range(L, L + 1)
    return range(1, L) if phase == "backward" else range(1, L + 1)


def check_step(phase: str, layer: int, L: int) -> None:
    """Raise DefinitionError unless (phase, layer) is a step of a network with L layers."""
    layers = phase_layers(phase, L)
    if layer not in layers:
        shown = ", ".join(map(str, layers)) or "none"
        raise DefinitionError("layer", f"{phase} has layers {shown} here, got {layer}")


def step_payload(trace: Trace, step: Step) -> Payload:
    """The part of the trace that `step` computes."""
    L = trace.network.L
    if not 1 <= step.layer <= L:
        raise ValueError(f"layer must be 1…{L}, got {step.layer}")
    if step.phase == "forward":
        return trace.forward[step.layer - 1]
    if step.phase == "output_error":
        if step.layer != L:
            raise ValueError(f"output_error is computed for layer {L} only, got {step.layer}")
        return trace.output_error
    if step.phase == "backward":
        if step.layer == L:
            raise ValueError(f"backward runs over layers {L - 1}…1, not the output layer {L}")
        return trace.backward[L - 1 - step.layer]
    if step.phase == "gradients":
        return trace.gradients[L - step.layer]
    if step.phase == "update":
        return trace.update[L - step.layer]
    raise ValueError(f"unknown phase {step.phase!r}; choose one of {', '.join(PHASES)}")
