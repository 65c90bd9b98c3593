"""The stateless routes' work: one traced iteration, n iterations, a gradient check.

Each takes its request (a Problem: network, cost and data) and the settings,
checks them against the limits and returns what the engine computed; the
routes and the CLI turn that into JSON. Long work runs on app.work's
low-priority threads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from app import work
from app.settings import Settings
from app.spec.build import (
    build_network,
    build_updater,
    check_batch_size,
    check_iterations,
    check_trace_size,
    problem_data,
)
from app.spec.requests import (
    BackpropRequest,
    CheckRequest,
    ExerciseRequest,
    GradcheckRequest,
    TrainRequest,
)
from engine import (
    PARTS,
    DefinitionError,
    Diagnosis,
    Divergence,
    Exercise,
    LayerCheck,
    Trace,
    TrainResult,
    batch_indices,
    check_answer,
    gradcheck_in_slices,
    make_exercise,
    select_batch,
    trace_iteration,
    train_in_slices,
)

__all__ = [
    "Trained",
    "check",
    "run_backprop",
    "run_check",
    "run_exercise",
    "run_gradcheck",
    "run_train",
]


def run_backprop(request: BackpropRequest, settings: Settings) -> Trace:
    network = build_network(request.network, settings)
    data = problem_data(request, network, settings)
    m = data.x.shape[1]
    check_batch_size(m, settings, data.size_field)
    check_trace_size(network, m, settings, data.size_field)
    rule = build_updater(request.optimizer)
    return trace_iteration(
        network, request.cost, data.x, data.y, request.learning_rate, rule,
        weight_decay=request.weight_decay,
    )  # fmt: skip


@dataclass(frozen=True, eq=False)
class Trained:
    result: TrainResult
    divergence: Divergence | None  # where the iteration that diverged went non-finite


def run_train(request: TrainRequest, settings: Settings) -> Trained:
    """Train on the fast path; the work (iterations × batch × parameters) is bounded."""
    network = build_network(request.network, settings)
    data = problem_data(request, network, settings)
    check_batch_size(request.batch_size, settings)
    m = data.x.shape[1]
    batch = min(request.batch_size, m)
    check_iterations(request.iterations, batch, network.parameter_count, settings)
    per_iteration = work.train_work(batch, network.parameter_count, network.L)
    rule, weight_decay = build_updater(request.optimizer), request.weight_decay
    sliced = train_in_slices(
        network, request.cost, data.x, data.y, request.learning_rate, request.iterations,
        request.batch_size, request.seed, optimizer=rule, weight_decay=weight_decay,
        slice_iterations=work.slice_count(per_iteration),
    )  # fmt: skip
    result = work.run(sliced, request.iterations * per_iteration, per_iteration)
    divergence = None
    if result.diverged_at is not None:
        # Trace the iteration that diverged (from its start, the returned network) to say where.
        indices = batch_indices(m, request.batch_size, request.seed, result.diverged_at)
        xb, yb = select_batch(data.x, data.y, indices)
        trace = trace_iteration(
            result.network, request.cost, xb, yb, request.learning_rate, rule, result.state,
            weight_decay,
        )  # fmt: skip
        divergence = trace.divergence
    return Trained(result, divergence)


def run_gradcheck(request: GradcheckRequest, settings: Settings) -> tuple[LayerCheck, ...]:
    """Backprop's gradients against central differences, bounded by parameters² × samples."""
    network = build_network(request.network, settings)
    parameters = network.parameter_count
    if parameters > settings.max_gradcheck_parameters:
        raise DefinitionError(
            "network.layers",
            f"{parameters} parameters is more than gradcheck's limit of "
            f"{settings.max_gradcheck_parameters} (it runs two forward passes per parameter)",
        )
    data = problem_data(request, network, settings)
    m = data.x.shape[1]
    check_batch_size(m, settings, data.size_field)
    work_needed = parameters**2 * m
    if work_needed > settings.max_gradcheck_work:
        most = max(1, settings.max_gradcheck_work // parameters**2)
        raise DefinitionError(
            data.size_field,
            f"{m} samples × {parameters}² parameters is more work than one gradcheck may do "
            f"({settings.max_gradcheck_work}); at most {most} samples with this network",
        )
    per_parameter = work.gradcheck_work(m, parameters, network.L)
    sliced = gradcheck_in_slices(
        network, request.cost, data.x, data.y, weight_decay=request.weight_decay,
        per_slice=work.slice_count(per_parameter),
    )  # fmt: skip
    return work.run(sliced, parameters * per_parameter, per_parameter)


def run_exercise(request: ExerciseRequest) -> Exercise:
    """A problem to do by hand, from its seed."""
    return make_exercise(
        request.seed, request.layers, request.activations, request.cost, request.samples
    )


def run_check(request: CheckRequest, settings: Settings) -> tuple[Diagnosis, str]:
    """The learner's answer to one step of the request's iteration, checked; and its part."""
    trace = run_backprop(request, settings)
    return check(trace, request.phase, request.layer, request.part, request.answer)


def check(
    trace: Trace, phase: str, layer: int, part: str | None, given: Sequence[Any]
) -> tuple[Diagnosis, str]:
    """An answer (nested lists, None where not answered) to step (phase, layer) of a trace."""
    try:
        answer = np.array(given, dtype=np.float64)  # None → NaN: not answered
    except ValueError:
        raise DefinitionError("answer", "every row needs the same number of entries") from None
    part = part or PARTS[phase][0]
    return check_answer(trace, phase, layer, answer, part), part
