"""A session as the API shows it: its state, its export, its data and its output field.

The state is what every session route answers and what a live class's
followers receive (without the id, which is the key to change the session).
Two of its parts are costly to build and change rarely — the configuration
(it may hold thousands of explicit samples) and the 500 latest evaluations —
so their JSON is kept per object (per version, for the evaluations) until the
object changes or dies.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

import numpy as np
from numpy.typing import NDArray

from app import work
from app.errors import ConflictError
from app.sessions.session import EvaluationLog, EvaluationRow, Session
from app.spec.requests import SessionConfig
from app.wire.convert import (
    JSON,
    dumps,
    finite_or_null,
    network_json,
    payload_json,
    significant,
    to_json,
    trace_json,
)
from app.wire.versions import version_of
from engine import (
    Evaluation,
    OptimizerState,
    Step,
    entry_terms,
    output_field_in_slices,
    step_payload,
)
from engine.activations import Array

__all__ = [
    "class_end",
    "config_json",
    "data_json",
    "evaluation_columns",
    "export_json",
    "field_json",
    "follower_state",
    "state_json",
    "state_summary",
    "terms_json",
]

K = TypeVar("K")


class _PerObject(Generic[K]):
    """JSON built from an object, kept while the object lives and its version stands."""

    def __init__(self, build: Callable[[K], JSON]) -> None:
        self._build = build
        self._entries: dict[int, tuple[weakref.ref[K], int, JSON]] = {}
        self._lock = threading.Lock()

    def get(self, source: K, version: int = 0) -> JSON:
        key = id(source)
        entry = self._entries.get(key)
        if entry is not None and entry[0]() is source and entry[1] == version:
            return entry[2]
        value = self._build(source)
        with self._lock:
            # The entry goes when its source dies (before its id can be reused).
            ref = weakref.ref(source, functools.partial(self._drop, key))
            self._entries[key] = (ref, version, value)
        return value

    def _drop(self, key: int, _: object) -> None:
        with self._lock:
            self._entries.pop(key, None)


def config_json(config: SessionConfig) -> JSON:
    """The configuration as the API writes it (a session's config never changes in place)."""
    return _configs.get(config)


def _config_dump(config: SessionConfig) -> JSON:
    return config.model_dump(mode="json", exclude_none=True)


_configs: _PerObject[SessionConfig] = _PerObject(_config_dump)


def _steps_json(steps: tuple[Step, ...]) -> list[JSON]:
    return [{"phase": s.phase, "layer": s.layer} for s in steps]


def state_summary(session: Session) -> JSON:
    """The small parts of a state, which a delta always carries."""
    step = session.step_now
    trace, _ = session.trace()
    train, test = session.evaluate()
    return {
        "cursor": {
            "iteration": session.iteration,
            "phase": step.phase,
            "layer": step.layer,
            "index": session.index,
        },
        "history": {
            "oldest_iteration": session.oldest_iteration,
            "can_step_back": session.can_step_back,
            "replayable": session.replayable,
        },
        "diverged": trace.diverged,
        "divergence": to_json(trace.divergence),
        "evaluation": {
            "iteration": session.iteration,
            "train": _one(train),
            "test": None if test is None else _one(test),
        },
    }


def state_json(session: Session, session_id: str) -> JSON:
    """The whole state (docs/API.md), with the version a later request can ask changes since."""
    trace, indices = session.trace()
    steps = session.steps
    step = steps[session.index]
    summary = state_summary(session)
    return {
        "id": session_id,
        "version": version_of(session).token(),
        "config": config_json(session.config),
        "network": network_json(session.start.network),
        "cursor": summary["cursor"],
        "steps": _steps_json(steps),
        "step": payload_json(step, step_payload(trace, step)),
        "trace": trace_json(trace, indices, batch=True),
        "cost_history": list(session.cost_history),
        "history": summary["history"],
        "diverged": summary["diverged"],
        "divergence": summary["divergence"],
        "evaluation": summary["evaluation"],
        "evaluations": evaluation_columns(session.evaluations),
    }


def follower_state(session: Session) -> bytes:
    """What a live class's followers see: the session's state without its id."""
    state = state_json(session, "")
    del state["id"]
    return dumps(state)


def class_end(session: Session, reason: str = "the instructor ended the class") -> bytes:
    """A live class's `end` event: why, and the session as it ended (to take a copy of)."""
    return dumps({"reason": reason, "export": export_json(session)})


def _columns(rows: Iterable[EvaluationRow]) -> JSON:
    rows = list(rows)
    return {
        "iteration": [r[0] for r in rows],
        "train_cost": [finite_or_null(r[1]) for r in rows],
        "test_cost": [finite_or_null(r[2]) for r in rows],
        "train_accuracy": [r[3] for r in rows],
        "test_accuracy": [r[4] for r in rows],
    }


_log_columns: _PerObject[EvaluationLog] = _PerObject(lambda log: _columns(log.rows))


def evaluation_columns(rows: EvaluationLog | Sequence[EvaluationRow]) -> JSON:
    """Evaluation rows as the API's columns; a session's whole log is built once per version."""
    if isinstance(rows, EvaluationLog):
        return _log_columns.get(rows, rows.version)
    return _columns(rows)


def _one(e: Evaluation) -> JSON:
    return {"cost": finite_or_null(e.cost), "accuracy": e.accuracy}


def data_json(session: Session) -> JSON:
    """The training samples and the test samples, as rows (m × n₀, m × n_L)."""

    def rows(x: Array, y: Array) -> JSON:
        return {"inputs": np.ascontiguousarray(x.T), "targets": np.ascontiguousarray(y.T)}

    test = None
    if session.x_test is not None and session.y_test is not None and session.x_test.shape[1]:
        test = rows(session.x_test, session.y_test)
    return {"train": rows(session.x, session.y), "test": test}


def export_json(session: Session) -> JSON:
    """The session as POST /api/v1/sessions takes it back: explicit weights, at its cursor."""
    step = session.step_now
    config = dict(config_json(session.config))
    network = session.start.network
    config["network"] = {
        "layers": list(network.layers),
        "activations": list(network.activations),
        "weights": [W.tolist() for W in network.weights],
        "biases": [b.tolist() for b in network.biases],
    }
    config["state"] = {
        "iteration": session.iteration,
        "phase": step.phase,
        "layer": step.layer,
        "cost_history": list(session.cost_history),
    }
    carried, rule = session.start.optimizer_state, session.start.optimizer.optimizer
    if carried is not None and rule.state_names:
        config["state"]["optimizer_state"] = optimizer_state_json(
            carried, rule.state_names, rule.counters
        )
    return config


def _rounded(values: Array, digits: int | None) -> NDArray[np.floating[Any]]:
    return values if digits is None else significant(values, digits)


def optimizer_state_json(
    state: OptimizerState, names: tuple[str, ...], counters: tuple[str, ...]
) -> JSON:
    """What the optimizer carries, as ResumeState.optimizer_state takes it back:
    per name, the weights' and the biases' arrays (a count once)."""
    out: JSON = {}
    for k, name in enumerate(names):
        if name in counters:
            out[name] = int(state[0][k])
        else:
            out[name] = {
                "weights": [state[i][k].tolist() for i in range(0, len(state), 2)],
                "biases": [state[i][k].tolist() for i in range(1, len(state), 2)],
            }
    return out


def field_json(
    session: Session, resolution: int, hidden: bool = False, digits: int | None = None
) -> JSON:
    """The network's outputs over a grid of the input space (engine.field), as JSON;
    rounded to `digits` significant digits when asked (pictures need no more)."""
    n0 = session.initial.layers[0]
    if n0 not in (1, 2):
        raise ConflictError(
            f"the output field is drawn over 1 or 2 inputs; this network has n0 = {n0}"
        )
    network = session.start.network
    points = resolution ** min(2, network.layers[0])  # N for 1 input, N² for 2
    per_point = work.field_work(network.parameter_count)
    sliced = output_field_in_slices(network, session.all_inputs(), resolution, hidden)
    field = work.run(sliced, points * per_point, per_point)
    extent = {"x": [float(field.low[0]), float(field.high[0])]}
    if n0 == 2:
        extent["y"] = [float(field.low[1]), float(field.high[1])]
    out: JSON = {"resolution": resolution, "extent": extent}
    if field.inputs is not None:
        out["inputs"] = field.inputs
    out["outputs"] = _rounded(field.outputs, digits)
    if field.hidden is not None:
        out["hidden"] = [_rounded(a, digits) for a in field.hidden]
    return out


def terms_json(
    session: Session, phase: str | None, layer: int | None, quantity: str, index: list[int]
) -> JSON:
    """How one entry of the current iteration is made (engine.terms); the step defaults
    to the cursor's."""
    step = session.step_now
    trace, _ = session.trace()
    phase = step.phase if phase is None else phase
    layer = step.layer if layer is None else layer
    out: JSON = to_json(entry_terms(trace, phase, layer, quantity, index))
    return out
