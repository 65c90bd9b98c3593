"""Engine objects → JSON-ready values, in one place, and the bytes we send.

The engine's dataclasses already carry DESIGN.md's names (`z`, `a`,
`grad_a`, `weighted_error`, `delta`, …), so they convert generically: field
by field, tuples as lists, arrays left as numpy arrays that orjson serialises
directly (OPT_SERIALIZE_NUMPY, an order of magnitude faster than nested
lists). A new field of a trace step is a new key of its JSON with no edit
here; HIDDEN lists the fields that stay inside the server.

orjson writes a non-finite float as null (finite_or_null says so for plain
numbers), so every response that can hold one also says `"diverged": true`
and where (`divergence`).
"""

from __future__ import annotations

import dataclasses
import functools
import math
from typing import Any

import numpy as np
import orjson
from numpy.typing import NDArray

from app.spec.csvdata import CsvData
from engine import (
    ACTIVATIONS,
    COSTS,
    DATASETS,
    INIT_METHODS,
    MISTAKES,
    OPTIMIZERS,
    PHASES,
    Diagnosis,
    Divergence,
    Exercise,
    LayerCheck,
    Network,
    Payload,
    Step,
    Trace,
    TrainResult,
)

__all__ = [
    "HIDDEN",
    "JSON",
    "catalogue_datasets",
    "csv_json",
    "diagnosis_json",
    "dumps",
    "exercise_json",
    "finite_or_null",
    "gradcheck_json",
    "network_json",
    "options_json",
    "payload_json",
    "significant",
    "to_json",
    "trace_json",
    "train_json",
]

JSON = dict[str, Any]
_OPTIONS = orjson.OPT_SERIALIZE_NUMPY

# Fields of engine dataclasses that are not part of their JSON: a trace's batch goes
# out as `batch` (sessions only), its cost's name is the request's own, and what the
# optimizer carries on is shown per layer (update's optimizer_weights/_biases) and
# exported with the session (state.optimizer_state), not repeated here.
HIDDEN: dict[type, frozenset[str]] = {Trace: frozenset({"x", "y", "cost_name", "optimizer_state"})}


def _default(value: object) -> object:
    # orjson serialises C-contiguous float/int arrays itself; views (a transpose,
    # a column slice) fall through to here.
    if isinstance(value, np.ndarray):
        return np.ascontiguousarray(value)
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def dumps(content: object) -> bytes:
    """JSON bytes; numpy arrays as nested lists; NaN and ±∞ as null."""
    return orjson.dumps(content, default=_default, option=_OPTIONS)


def significant(values: NDArray[np.float64], digits: int) -> NDArray[np.float32]:
    """`values` rounded to `digits` (≤ 6) significant digits, as float32: orjson writes a
    float32 as the shortest decimal that reads back to it, which for a value rounded to
    at most 6 digits is those digits (0.5123, not 0.51230000000000001)."""
    with np.errstate(invalid="ignore", over="ignore"):  # a diverged field's ±∞ stay null
        magnitude = np.floor(np.log10(np.abs(np.where(values == 0, 1.0, values))))
        scale = 10.0 ** (digits - 1 - magnitude)
        return (np.round(values * scale) / scale).astype(np.float32)


def finite_or_null(value: float | None) -> float | None:
    """JSON has no NaN or infinity: those are null."""
    return value if value is not None and math.isfinite(value) else None


@functools.cache
def _public_fields(kind: type) -> tuple[str, ...]:
    hidden = HIDDEN.get(kind, frozenset())
    return tuple(f.name for f in dataclasses.fields(kind) if f.name not in hidden)


def to_json(value: Any) -> Any:
    """An engine value as JSON-ready data: dataclasses field by field, tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: to_json(getattr(value, name)) for name in _public_fields(type(value))}
    if isinstance(value, tuple | list):
        return [to_json(v) for v in value]
    if isinstance(value, float):
        return finite_or_null(value)
    return value


def network_json(network: Network) -> JSON:
    out: JSON = to_json(network)
    return out


def trace_json(trace: Trace, indices: NDArray[np.intp] | None = None, batch: bool = False) -> JSON:
    """DESIGN.md's /backprop response (+ eta_grad_*, learning_rate, diverged, divergence);
    with `batch`, also the batch the iteration used (a session's trace)."""
    out: JSON = to_json(trace)
    if batch:
        out["batch"] = {
            "a0": trace.x,
            "y": trace.y,
            "indices": None if indices is None else indices.tolist(),
        }
    return out


def payload_json(step: Step, payload: Payload) -> JSON:
    """The current step's part of the trace, with its phase."""
    return {"phase": step.phase, **to_json(payload)}


def train_json(result: TrainResult, divergence: Divergence | None) -> JSON:
    """POST /train's answer: the final network, every iteration's cost, where it diverged."""
    return {
        "network": network_json(result.network),
        "cost_history": [finite_or_null(c) for c in result.costs],
        "diverged": result.diverged_at is not None,
        "divergence": to_json(divergence),
        "diverged_at": result.diverged_at,
    }


def gradcheck_json(checks: tuple[LayerCheck, ...], h: float) -> JSON:
    errors = [c.relative_error for c in checks]
    return {
        "layers": [
            {
                "layer": c.layer,
                "analytic": {"weights": c.analytic_weights, "biases": c.analytic_biases},
                "numerical": {"weights": c.numerical_weights, "biases": c.numerical_biases},
                "relative_error": finite_or_null(c.relative_error),
            }
            for c in checks
        ],
        "max_relative_error": finite_or_null(max(errors)) if errors else 0.0,
        "step": h,
    }


def options_json(limits: JSON) -> JSON:
    return {
        "activations": [
            {
                "name": a.name,
                "output_only": a.output_only,
                "output_range": [finite_or_null(bound) for bound in a.output_range],
            }
            for a in ACTIVATIONS.values()
        ],
        "costs": [
            {
                "name": c.name,
                "requires_output": c.requires_output,
                "requires_unit_range": c.requires_unit_range,
            }
            for c in COSTS.values()
        ],
        "init_methods": list(INIT_METHODS),
        "phases": list(PHASES),
        "limits": limits,
        "optimizers": [{"name": o.name, "defaults": dict(o.defaults)} for o in OPTIMIZERS.values()],
    }


def catalogue_datasets(max_samples: int, max_noise: float) -> list[JSON]:
    return [
        {
            "name": d.name,
            "description": d.description,
            "input_size": d.input_size,
            "output_size": d.output_size,
            "output_activation": d.output_activation,
            "cost": d.cost,
            "task": d.task,
            "parameters": {
                "size": {
                    "default": d.default_size,
                    "min": 1,
                    "max": min(max_samples, d.max_size or max_samples),
                },
                "noise": {"default": d.default_noise, "min": 0.0, "max": max_noise},
                "seed": {"default": 0},
            },
        }
        for d in DATASETS.values()
    ]


def csv_json(parsed: CsvData) -> JSON:
    """POST /datasets/csv's answer: the samples, the sizes and the proposed output layer."""
    proposal = parsed.proposal
    return {
        "inputs": parsed.inputs,
        "targets": parsed.targets,
        "rows": len(parsed.inputs),
        "header": parsed.header,
        "columns": parsed.columns,
        "target_columns": parsed.target_columns,
        "class_names": parsed.class_names,
        "input_size": len(parsed.inputs[0]),
        "output_size": len(parsed.targets[0]),
        "proposal": {
            "task": proposal.task,
            "output_activation": proposal.output_activation,
            "cost": proposal.cost,
        },
        "suggest_standardise": parsed.suggest_standardise,
        "standardised": (None if parsed.mean is None else {"mean": parsed.mean, "std": parsed.std}),
    }


def exercise_json(exercise: Exercise, seed: int) -> JSON:
    """A problem to do by hand, in the /backprop request's shape (samples as rows)."""
    return {
        "seed": seed,
        "network": network_json(exercise.network),
        "cost": exercise.cost,
        "inputs": exercise.x.T,
        "targets": exercise.y.T,
        "learning_rate": exercise.learning_rate,
    }


def diagnosis_json(diagnosis: Diagnosis, phase: str, layer: int, part: str) -> JSON:
    """A checked answer: per entry (in the answer's shape) its verdict, the right number
    and the mistakes that give the learner's; the misconceptions, most entries first."""
    verdicts, expected = diagnosis.verdicts, diagnosis.expected

    def entry(index: tuple[int, ...]) -> JSON:
        return {
            "verdict": str(verdicts[index]),
            "expected": finite_or_null(float(expected[index])),
            "mistakes": list(diagnosis.explained.get(index, ())),
        }

    if expected.ndim == 1:
        entries: list[Any] = [entry((j,)) for j in range(expected.shape[0])]
    else:
        rows, cols = expected.shape
        entries = [[entry((i, j)) for j in range(cols)] for i in range(rows)]
    return {
        "phase": phase,
        "layer": layer,
        "part": part,
        "entries": entries,
        "correct": diagnosis.correct,
        "total": diagnosis.total,
        "misconceptions": list(diagnosis.misconceptions),
        "explanations": {
            name: MISTAKES[f"{name}:{phase}"].words for name in diagnosis.misconceptions
        },
        "formula": diagnosis.formula,
        "formulas": diagnosis.formulas,
    }
