"""Engine dataclasses → JSON-ready dicts, in one place, and the bytes we send.

Arrays stay numpy arrays: orjson serialises them directly
(OPT_SERIALIZE_NUMPY), which is an order of magnitude faster than nested
lists. orjson writes a non-finite float as null, so every response that can
hold one also says `"diverged": true` and where (`divergence`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import orjson
from fastapi.responses import Response
from numpy.typing import NDArray

from engine import (
    ACTIVATIONS,
    COSTS,
    DATASETS,
    INIT_METHODS,
    PHASES,
    Divergence,
    LayerCheck,
    Network,
    Payload,
    Step,
    Trace,
    UpdateStep,
)
from engine.trace import BackwardStep, ForwardStep, GradientStep, OutputError

__all__ = [
    "JSON",
    "catalogue_datasets",
    "divergence_json",
    "dumps",
    "gradcheck_json",
    "json_response",
    "network_json",
    "options_json",
    "payload_json",
    "trace_json",
]

JSON = dict[str, Any]
_OPTIONS = orjson.OPT_SERIALIZE_NUMPY


def _default(value: object) -> object:
    # orjson serialises C-contiguous float/int arrays itself; views (a transpose,
    # a column slice) fall through to here.
    if isinstance(value, np.ndarray):
        return np.ascontiguousarray(value)
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def dumps(content: object) -> bytes:
    return orjson.dumps(content, default=_default, option=_OPTIONS)


def json_response(content: object, status_code: int = 200) -> Response:
    return Response(dumps(content), status_code=status_code, media_type="application/json")


def network_json(network: Network) -> JSON:
    return {
        "layers": list(network.layers),
        "activations": list(network.activations),
        "weights": list(network.weights),
        "biases": list(network.biases),
    }


def divergence_json(divergence: Divergence | None) -> JSON | None:
    if divergence is None:
        return None
    return {"phase": divergence.phase, "layer": divergence.layer, "quantity": divergence.quantity}


def _forward(f: ForwardStep) -> JSON:
    return {"layer": f.layer, "z": f.z, "a": f.a}


def _output_error(o: OutputError) -> JSON:
    return {
        "layer": o.layer,
        "grad_a": o.grad_a,
        "sigma_prime": o.sigma_prime,
        "delta": o.delta,
        "form": o.form,
    }


def _backward(b: BackwardStep) -> JSON:
    return {
        "layer": b.layer,
        "weighted_error": b.weighted_error,
        "sigma_prime": b.sigma_prime,
        "delta": b.delta,
    }


def _gradient(g: GradientStep) -> JSON:
    return {"layer": g.layer, "weights": g.weights, "biases": g.biases}


def _update(u: UpdateStep) -> JSON:
    return {
        "layer": u.layer,
        "weights": u.weights,
        "biases": u.biases,
        "eta_grad_weights": u.eta_grad_weights,
        "eta_grad_biases": u.eta_grad_biases,
    }


def _cost(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def trace_json(trace: Trace, indices: NDArray[np.intp] | None = None, batch: bool = False) -> JSON:
    """DESIGN.md's /backprop response (+ eta_grad_*, learning_rate, diverged, divergence);
    with `batch`, also the batch the iteration used (a session's trace)."""
    out: JSON = {
        "network": network_json(trace.network),
        "forward": [_forward(f) for f in trace.forward],
        "cost": _cost(trace.cost),
        "output_error": _output_error(trace.output_error),
        "backward": [_backward(b) for b in trace.backward],
        "gradients": [_gradient(g) for g in trace.gradients],
        "update": [_update(u) for u in trace.update],
        "learning_rate": trace.learning_rate,
        "diverged": trace.diverged,
        "divergence": divergence_json(trace.divergence),
    }
    if batch:
        out["batch"] = {
            "a0": trace.x,
            "y": trace.y,
            "indices": None if indices is None else indices.tolist(),
        }
    return out


def payload_json(step: Step, payload: Payload) -> JSON:
    """The current step's part of the trace, with its phase."""
    if isinstance(payload, ForwardStep):
        body = _forward(payload)
    elif isinstance(payload, OutputError):
        body = _output_error(payload)
    elif isinstance(payload, BackwardStep):
        body = _backward(payload)
    elif isinstance(payload, GradientStep):
        body = _gradient(payload)
    else:
        body = _update(payload)
    return {"phase": step.phase, **body}


def gradcheck_json(checks: tuple[LayerCheck, ...], h: float) -> JSON:
    errors = [c.relative_error for c in checks]
    return {
        "layers": [
            {
                "layer": c.layer,
                "analytic": {"weights": c.analytic_weights, "biases": c.analytic_biases},
                "numerical": {"weights": c.numerical_weights, "biases": c.numerical_biases},
                "relative_error": _cost(c.relative_error),
            }
            for c in checks
        ],
        "max_relative_error": _cost(max(errors)) if errors else 0.0,
        "step": h,
    }


def _bound(value: float) -> float | None:
    return value if np.isfinite(value) else None


def options_json(limits: JSON) -> JSON:
    return {
        "activations": [
            {
                "name": a.name,
                "output_only": a.output_only,
                "output_range": [_bound(a.output_range[0]), _bound(a.output_range[1])],
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
                "size": {"default": d.default_size, "min": 1, "max": max_samples},
                "noise": {"default": d.default_noise, "min": 0.0, "max": max_noise},
                "seed": {"default": 0},
            },
        }
        for d in DATASETS.values()
    ]
