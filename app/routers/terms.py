"""GET /api/v1/sessions/{id}/terms: how one entry of the current iteration is made.

Any entry of any step's result — zˡⱼ as Σₖ Wˡⱼₖ aˡ⁻¹ₖ + bˡⱼ, δˡⱼ as the weighted sum
times σ′, ∂C/∂Wˡⱼₖ as the mean over the batch — written out with every number,
from the engine (engine.terms). The page opens it when a learner picks a cell;
REST clients can ask for it too.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.http.deps import StoreDep
from app.http.openapi import SESSION, responses
from app.http.reads import (
    Column,
    Quantity,
    Row,
    SessionId,
    TermsLayer,
    TermsPhase,
    terms_response,
)
from app.wire.responses import TermsResponse

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/sessions", tags=["sessions"])


@router.get(
    "/{session_id}/terms", response_model=None, responses=responses(TermsResponse, *SESSION)
)
def terms(
    session_id: SessionId,
    store: StoreDep,
    quantity: Quantity,
    row: Row,
    column: Column = None,
    phase: TermsPhase = None,
    layer: TermsLayer = None,
) -> Response:
    """The entry written out: its formula as a tree of operations whose leaves name the
    entries they are (W, a, δ …), with every value; `value` is the entry itself."""
    return terms_response(store, session_id, quantity, row, column, phase, layer)
