"""Live classes' views for followers: the field, the data and an entry's terms, by join code.

The follower page draws the same cost curve, decision boundary and hidden
neurons as the step page. Those need the session's field and data, which the
step page reads by session id; followers have only the join code. These two
GET routes (and the terms of an entry the follower opens) resolve the class's
current session on the server and answer
exactly what the session routes answer (app.http.reads). They read only:
nothing here changes a session or a class, and the session id never leaves
the server.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Response

from app.classroom.codes import join_code
from app.classroom.store import ClassStore
from app.errors import ClassNotFoundError, ClassSessionEndedError, SessionNotFoundError
from app.http.deps import ClassStoreDep, FieldCacheDep, SettingsDep, StoreDep
from app.http.openapi import FOLLOWER, responses
from app.http.reads import (
    Code,
    Column,
    Digits,
    Hidden,
    Quantity,
    Resolution,
    Row,
    TermsLayer,
    TermsPhase,
    data_response,
    field_response,
    predictions_response,
    terms_response,
)
from app.wire.responses import FieldResponse, Predictions, SessionData, TermsResponse

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/classes", tags=["classes"])


def _read(classes: ClassStore, text: str, answer: Callable[[str], Response]) -> Response:
    """`answer(session_id)` for the class's current session; 404 if there is none to read."""
    code = join_code(text)
    session_id = classes.session_for(code)
    if classes.latest(code).kind == "end":
        raise ClassNotFoundError(code)
    try:
        return answer(session_id)
    except SessionNotFoundError:  # (its message would name the session id)
        raise ClassSessionEndedError(code) from None


@router.get(
    "/{code}/field",
    response_model=None,
    # 409: a network with more than 2 inputs has no field, or the session is busy
    responses=responses(FieldResponse, *FOLLOWER, 409),
)
def class_field(
    code: Code,
    classes: ClassStoreDep,
    store: StoreDep,
    settings: SettingsDep,
    cache: FieldCacheDep,
    resolution: Resolution = 50,
    hidden: Hidden = False,
    digits: Digits = None,
) -> Response:
    """As GET /api/v1/sessions/{id}/field, for the class's current session (read-only)."""
    return _read(
        classes,
        code,
        lambda sid: field_response(store, settings, cache, sid, resolution, hidden, digits),
    )


@router.get(
    "/{code}/data",
    response_model=None,
    responses=responses(SessionData, *FOLLOWER, 409),  # 409: the session is busy
)
def class_data(code: Code, classes: ClassStoreDep, store: StoreDep) -> Response:
    """As GET /api/v1/sessions/{id}/data, for the class's current session (read-only)."""
    return _read(classes, code, lambda sid: data_response(store, sid))


@router.get(
    "/{code}/predictions",
    response_model=None,
    responses=responses(Predictions, *FOLLOWER, 409),  # 409: the session is busy
)
def class_predictions(code: Code, classes: ClassStoreDep, store: StoreDep) -> Response:
    """As GET /api/v1/sessions/{id}/predictions, for the class's current session (read-only):
    a follower's page shows the same classes and pictures as the instructor's."""
    return _read(classes, code, lambda sid: predictions_response(store, sid))


@router.get(
    "/{code}/terms",
    response_model=None,
    # 409: the instructor's session is busy
    responses=responses(TermsResponse, *FOLLOWER, 409),
)
def class_terms(
    code: Code,
    classes: ClassStoreDep,
    store: StoreDep,
    quantity: Quantity,
    row: Row,
    column: Column = None,
    phase: TermsPhase = None,
    layer: TermsLayer = None,
) -> Response:
    """As GET /api/v1/sessions/{id}/terms, for the class's current session (read-only)."""
    return _read(
        classes,
        code,
        lambda sid: terms_response(store, sid, quantity, row, column, phase, layer),
    )
