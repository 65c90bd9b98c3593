"""The cursor: 4L steps in DESIGN.md's order, each with its part of the trace."""

from __future__ import annotations

# ruff: noqa: E741, N802  (l and L are the notation of DESIGN.md)
import numpy as np
import pytest

from engine import PHASES, Step, Trace, iteration_steps, step_payload, trace_iteration
from tests.engine.helpers import random_network, random_targets


def expected_order(L: int) -> list[tuple[str, int]]:
    """DESIGN.md, spelled out: forward 1…L, output_error L, backward L−1…1, gradients L…1,
    update L…1."""
    order = [("forward", l) for l in range(1, L + 1)]
    order.append(("output_error", L))
    order += [("backward", l) for l in range(L - 1, 0, -1)]
    order += [("gradients", l) for l in range(L, 0, -1)]
    order += [("update", l) for l in range(L, 0, -1)]
    return order


def make_trace(L: int) -> Trace:
    rng = np.random.default_rng(L)
    layers = [3] + [4] * (L - 1) + [2]
    network = random_network(layers, ["tanh"] * (L - 1) + ["sigmoid"], rng)
    x = rng.uniform(-1, 1, (3, 5))
    return trace_iteration(
        network, "cross_entropy", x, random_targets("cross_entropy", 2, 5, rng), 0.3
    )


def test_phases_are_designs_order() -> None:
    assert PHASES == ("forward", "output_error", "backward", "gradients", "update")


@pytest.mark.parametrize("L", [1, 2, 3, 5])
def test_an_iteration_is_4L_steps_in_designs_order(L: int) -> None:
    steps = iteration_steps(L)
    assert len(steps) == 4 * L
    assert [(s.phase, s.layer) for s in steps] == expected_order(L)
    assert len(set(steps)) == 4 * L


def test_the_one_layer_network() -> None:
    assert iteration_steps(1) == (
        Step("forward", 1),
        Step("output_error", 1),
        Step("gradients", 1),
        Step("update", 1),
    )


@pytest.mark.parametrize("L", [1, 2, 3, 4])
def test_each_payload_is_the_matching_part_of_the_trace(L: int) -> None:
    trace = make_trace(L)
    for step in iteration_steps(L):
        payload = step_payload(trace, step)
        assert payload.layer == step.layer, step
        if step.phase == "forward":
            assert payload is trace.forward[step.layer - 1]
        elif step.phase == "output_error":
            assert payload is trace.output_error
        elif step.phase == "backward":
            (match,) = [b for b in trace.backward if b.layer == step.layer]
            assert payload is match
        elif step.phase == "gradients":
            (match_g,) = [g for g in trace.gradients if g.layer == step.layer]
            assert payload is match_g
        else:
            (match_u,) = [u for u in trace.update if u.layer == step.layer]
            assert payload is match_u


def test_walking_back_gives_the_same_payloads() -> None:
    trace = make_trace(3)
    steps = iteration_steps(3)
    forward = [step_payload(trace, s) for s in steps]
    backward = [step_payload(trace, s) for s in reversed(steps)]
    assert forward == backward[::-1]


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (Step("forward", 0), "layer must be 1…3, got 0"),
        (Step("forward", 4), "layer must be 1…3, got 4"),
        (Step("update", -1), "layer must be 1…3, got -1"),
        (Step("output_error", 2), "output_error is computed for layer 3 only, got 2"),
        (Step("backward", 3), "backward runs over layers 2…1, not the output layer 3"),
        (Step("sideways", 1), "unknown phase 'sideways'; choose one of forward, output_error"),  # type: ignore[arg-type]
    ],
)
def test_invalid_steps_raise(step: Step, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(")):
        step_payload(make_trace(3), step)


@pytest.mark.parametrize("L", [0, -1])
def test_a_network_has_at_least_one_weight_layer(L: int) -> None:
    with pytest.raises(ValueError, match=f"^L must be at least 1, got {L}$"):
        iteration_steps(L)
