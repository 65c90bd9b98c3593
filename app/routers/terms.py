"""GET /api/v1/sessions/{id}/terms: how one entry of the current iteration is made.

Any entry of any step's result — zˡⱼ as Σₖ Wˡⱼₖ aˡ⁻¹ₖ + bˡⱼ, δˡⱼ as the weighted sum
times σ′, ∂C/∂Wˡⱼₖ as the mean over the batch — written out with every number,
from the engine (engine.terms). The page opens it when a learner picks a cell;
REST clients can ask for it too.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from app.http.deps import StoreDep
from app.http.openapi import SESSION, responses
from app.http.reads import SessionId
from app.http.respond import json_response
from app.spec.requests import MAX_LAYERS, MAX_SAMPLES, MAX_WIDTH, PhaseName, bound
from app.wire.responses import TermsResponse
from app.wire.state import terms_json

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/sessions", tags=["sessions"])

Quantity = Literal[
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


@router.get(
    "/{session_id}/terms", response_model=None, responses=responses(TermsResponse, *SESSION)
)
def terms(
    session_id: SessionId,
    store: StoreDep,
    quantity: Annotated[Quantity, Query(description="as the step's payload names it")],
    row: Row,
    column: Column = None,
    phase: Annotated[PhaseName | None, Query(description="default: the cursor's")] = None,
    layer: Annotated[
        int | None, Query(ge=1, le=MAX_LAYERS, json_schema_extra=bound(maximum="max_layers"))
    ] = None,
) -> Response:
    """The entry written out: its formula as a tree of operations whose leaves name the
    entries they are (W, a, δ …), with every value; `value` is the entry itself."""
    index = [row] if column is None else [row, column]
    with store.open(session_id) as session:
        return json_response(terms_json(session, phase, layer, quantity, index))
