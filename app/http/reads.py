"""Path and query parameters of the session and class routes, and the answers they share.

A live class's followers read the same field, data and terms as the session's own
routes, through the class's join code (app.routers.class_views): both kinds
of route answer with these functions, so the answers are the same bytes.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Path, Query, Response

from app.http.respond import json_response
from app.sessions.store import SessionStore
from app.settings import Settings
from app.spec.requests import MAX_LAYERS, MAX_SAMPLES, MAX_WIDTH, PhaseName, bound
from app.wire.convert import dumps
from app.wire.field_cache import FieldCache
from app.wire.predictions import Samples, predictions_json
from app.wire.state import data_json, field_json, terms_json
from engine import DefinitionError

__all__ = [
    "Code",
    "Column",
    "Digits",
    "Hidden",
    "Quantity",
    "Resolution",
    "Row",
    "SessionId",
    "Since",
    "TermsLayer",
    "TermsPhase",
    "data_response",
    "field_response",
    "predictions_response",
    "terms_response",
]

# An id is 43 characters; the bound keeps a lookup small (a longer one is a 422).
SessionId = Annotated[
    str, Path(description="the id that POST /api/v1/sessions returned", max_length=128)
]
Code = Annotated[str, Path(description="the class's join code (6 characters)", max_length=32)]
Resolution = Annotated[
    int, Query(ge=2, le=4096, json_schema_extra=bound(maximum="max_grid_resolution"))
]
Hidden = Annotated[bool, Query(description="also every hidden neuron's output")]
Digits = Annotated[
    int | None,
    Query(
        ge=1,
        le=6,
        description="round each value to this many significant digits, for pictures (a "
        "colour needs 3 or 4; a 48 × 48 field is then a third of the bytes); default: "
        "every digit",
    ),
]
Since = Annotated[
    str | None,
    Query(
        max_length=256,
        description="the `version` of a state the client holds: answer with what changed "
        "since it (a delta); without it, or with one that does not parse, the whole state",
    ),
]
_Quantities = Literal[
    "z", "a", "grad_a", "sigma_prime", "delta", "weighted_error",
    "weights", "biases", "eta_grad_weights", "eta_grad_biases",
]  # fmt: skip
Row = Annotated[
    int,
    Query(
        ge=0,
        lt=MAX_WIDTH,
        description="the entry's row (neuron j)",
        json_schema_extra=bound(exclusiveMaximum="max_width"),
    ),
]
Column = Annotated[
    int | None,
    Query(
        ge=0,
        lt=max(MAX_WIDTH, MAX_SAMPLES),
        description="its column: the sample of an nₗ × m array, k of a weight matrix; "
        "none for a bias",
        json_schema_extra=bound(exclusiveMaximum="max_columns"),
    ),
]
Quantity = Annotated[_Quantities, Query(description="as the step's payload names it")]
TermsPhase = Annotated[PhaseName | None, Query(description="default: the cursor's")]
TermsLayer = Annotated[
    int | None, Query(ge=1, le=MAX_LAYERS, json_schema_extra=bound(maximum="max_layers"))
]


def _check_resolution(resolution: int, settings: Settings) -> None:
    if resolution > settings.max_grid_resolution:
        raise DefinitionError(
            "resolution",
            f"{resolution} is more than the limit of {settings.max_grid_resolution}",
        )


def _check_grid(layers: tuple[int, ...], resolution: int, hidden: bool, settings: Settings) -> None:
    neurons = sum(layers[1:]) if hidden else layers[-1]
    what = f"{neurons} neurons" if hidden else f"{neurons} outputs"
    # 1-D inputs: N points on a line, not an N × N grid
    one_d = layers[0] == 1
    points = resolution if one_d else resolution * resolution
    grid = f"{resolution} points" if one_d else f"a {resolution}×{resolution} grid"
    outputs = points * neurons
    if outputs > settings.max_trace_values:
        raise DefinitionError(
            "resolution",
            f"{grid} of {what} is {outputs} values, more than the "
            f"limit of {settings.max_trace_values}; use a lower resolution",
        )


def field_response(
    store: SessionStore,
    settings: Settings,
    cache: FieldCache,
    session_id: str,
    resolution: int,
    hidden: bool,
    digits: int | None = None,
) -> Response:
    """A session's output field (computed once per iteration start, shared by all who ask)."""
    _check_resolution(resolution, settings)
    with store.open(session_id) as session:
        _check_grid(session.initial.layers, resolution, hidden, settings)
        body = cache.get(
            session.start,
            (resolution, hidden, digits),
            lambda: dumps(field_json(session, resolution, hidden, digits)),
        )
    return Response(body, media_type="application/json")


def data_response(store: SessionStore, session_id: str) -> Response:
    """A session's samples as rows: the training set and the held-out test set."""
    with store.open(session_id) as session:
        return json_response(data_json(session))


def predictions_response(store: SessionStore, session_id: str) -> Response:
    """How the network at the current iteration's start does on every sample."""
    with store.open(session_id) as session:
        samples = Samples.of(session)
    return json_response(predictions_json(samples))  # the session is free again meanwhile


def terms_response(
    store: SessionStore,
    session_id: str,
    quantity: str,
    row: int,
    column: int | None,
    phase: str | None,
    layer: int | None,
) -> Response:
    """How one entry of the session's current iteration is made (engine.terms)."""
    index = [row] if column is None else [row, column]
    with store.open(session_id) as session:
        return json_response(terms_json(session, phase, layer, quantity, index))
