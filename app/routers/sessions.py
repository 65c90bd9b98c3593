"""Sessions: stepping through iterations one step, phase or iteration at a time."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response

from app.http.deps import (
    ClassStoreDep,
    ClientDep,
    FieldCacheDep,
    QuestionStoreDep,
    SettingsDep,
    StoreDep,
)
from app.http.openapi import BODY, LIMITED, SESSION, link, responses
from app.http.reads import (
    Digits,
    Hidden,
    Resolution,
    SessionId,
    Since,
    data_response,
    field_response,
    predictions_response,
)
from app.http.respond import json_response
from app.sessions.create import new_session
from app.spec.compute import check
from app.spec.presets import PRESETS
from app.spec.requests import (
    AnswerRequest,
    PatchRequest,
    PresetRef,
    SeekRequest,
    SessionConfig,
    SessionCreate,
    SessionTrainRequest,
    StepRequest,
)
from app.wire.convert import diagnosis_json
from app.wire.delta import state_or_delta
from app.wire.responses import (
    CheckResponse,
    FieldResponse,
    Predictions,
    SessionData,
    SessionDelta,
    SessionState,
)
from app.wire.state import class_end, export_json, state_json

__all__ = ["router"]

PREFIX = "/api/v1/sessions"
router = APIRouter(prefix=PREFIX, tags=["sessions"])

# What a new session's id opens (OpenAPI links): every operation on the session but
# those of its live class, which exists once POST …/class has started one (that
# answer links to them). Starting one is linked from the session's state (GET): from
# POST /sessions, schemathesis would count the 404 of moving a class that has ended
# (…/class with `code` and `from_session`) as "the session just created is not there".
_OPENS = {
    "get_session": ("GET", ""),
    "step": ("POST", "/step"),
    "seek": ("POST", "/seek"),
    "train_session": ("POST", "/train"),
    "patch_session": ("PATCH", ""),
    "reset": ("POST", "/reset"),
    "delete_session": ("DELETE", ""),
    "field": ("GET", "/field"),
    "data": ("GET", "/data"),
    "predictions": ("GET", "/predictions"),
    "export": ("GET", "/export"),
    "terms": ("GET", "/terms"),
    "check": ("POST", "/check"),
}
_LINKS = {
    name: link(method, f"{PREFIX}/{{session_id}}{tail}", session_id="$response.body#/id")
    for name, (method, tail) in _OPENS.items()
}

_EXAMPLES = {
    "preset": {"summary": "A preset", "value": {"preset": "worked_example"}},
    "config": {
        "summary": "A configuration",
        "value": {
            "network": {
                "layers": [2, 4, 1],
                "activations": ["tanh", "sigmoid"],
                "init": {"method": "xavier", "seed": 0},
            },
            "cost": "cross_entropy",
            "learning_rate": 0.5,
            "data": {"dataset": "xor", "size": 4, "noise": 0.0, "seed": 0},
            "batch_size": 4,
            "seed": 0,
        },
    },
}


@router.post(
    "",
    status_code=201,
    response_model=None,
    responses=responses(
        SessionState, *BODY, *LIMITED, 503, status=201, description="Created", links=_LINKS
    ),
)
def create_session(
    body: Annotated[SessionCreate, Body(openapi_examples=_EXAMPLES)],
    settings: SettingsDep,
    store: StoreDep,
    client: ClientDep,
) -> Response:
    """A new session from a preset name or a full configuration (an export resumes its state).
    The data come as `data`, or as `inputs` and `targets` at the top level (as /backprop)."""
    config: SessionConfig = PRESETS[body.preset].config if isinstance(body, PresetRef) else body
    session = new_session(config, settings)
    session_id = store.add(session, owner=client)
    with store.open(session_id) as opened:
        return json_response(state_json(opened, session_id), status_code=201)


_START_CLASS = {
    "start_class": link(
        "POST", f"{PREFIX}/{{session_id}}/class", session_id="$request.path.session_id"
    )
}


@router.get(
    "/{session_id}",
    response_model=None,
    responses=responses(SessionState | SessionDelta, *SESSION, links=_START_CLASS),
)
def get_session(session_id: SessionId, store: StoreDep, since: Since = None) -> Response:
    """The session's state (with `since`: what changed since that version)."""
    with store.open(session_id) as session:
        return json_response(state_or_delta(session, session_id, since))


@router.post(
    "/{session_id}/step",
    response_model=None,
    responses=responses(
        SessionState | SessionDelta, *BODY, *SESSION
    ),  # 409: diverged, or no step back
)
def step(
    session_id: SessionId, body: StepRequest, store: StoreDep, since: Since = None
) -> Response:
    """Move the cursor by a step, a phase or an iteration, forward or back."""
    with store.open(session_id) as session:
        session.step(body.direction, body.unit)
        return json_response(state_or_delta(session, session_id, since))


@router.post(
    "/{session_id}/seek",
    response_model=None,
    responses=responses(SessionState | SessionDelta, *BODY, *SESSION),
)
def seek(
    session_id: SessionId, body: SeekRequest, store: StoreDep, since: Since = None
) -> Response:
    """Jump to step `index` of the current iteration."""
    with store.open(session_id) as session:
        session.seek(body.index)
        return json_response(state_or_delta(session, session_id, since))


@router.post(
    "/{session_id}/train",
    response_model=None,
    responses=responses(SessionState | SessionDelta, *BODY, *SESSION, *LIMITED),
)
def train_session(
    session_id: SessionId,
    body: SessionTrainRequest,
    settings: SettingsDep,
    store: StoreDep,
    since: Since = None,
) -> Response:
    """Run n iterations on the fast path; the cursor lands at the start of the next one."""
    with store.open(session_id) as session:
        session.train(body.iterations, settings)
        return json_response(state_or_delta(session, session_id, since))


@router.patch(
    "/{session_id}",
    response_model=None,
    responses=responses(SessionState | SessionDelta, *BODY, *SESSION),
)
def patch_session(
    session_id: SessionId,
    body: PatchRequest,
    settings: SettingsDep,
    store: StoreDep,
    since: Since = None,
) -> Response:
    """Change the learning rate, batch size, optimizer or weight decay from the current
    iteration on (earlier iterations keep what they ran with)."""
    with store.open(session_id) as session:
        session.patch(body, settings)
        return json_response(state_or_delta(session, session_id, since))


@router.post(
    "/{session_id}/reset",
    response_model=None,
    responses=responses(SessionState | SessionDelta, *SESSION),
)
def reset(session_id: SessionId, store: StoreDep, since: Since = None) -> Response:
    """Back to iteration 0 with the initial weights."""
    with store.open(session_id) as session:
        session.reset()
        return json_response(state_or_delta(session, session_id, since))


@router.delete(
    "/{session_id}",
    status_code=204,
    response_model=None,
    responses={204: {"description": "Deleted"}, **responses(None, *SESSION)},
)
def delete_session(
    session_id: SessionId, store: StoreDep, classes: ClassStoreDep, questions: QuestionStoreDep
) -> Response:
    """Forget the session. Its live class, if it has one, ends with it: followers get an
    `end` event with the session as it was, to take a copy of. (The page moves its class
    to a new session before it deletes the old one.)"""
    code = classes.code_for(session_id)
    ended = None
    if code is not None:
        with store.open(session_id) as session:
            ended = class_end(session, "the instructor's session was deleted")
    store.delete(session_id)
    if code is not None and ended is not None:
        classes.end(code, ended)
        questions.forget(code)
    return Response(status_code=204)


@router.get(
    "/{session_id}/field",
    response_model=None,
    # 409 too: a network with more than 2 inputs has no field
    responses=responses(FieldResponse, *SESSION, *LIMITED),
)
def field(
    session_id: SessionId,
    store: StoreDep,
    settings: SettingsDep,
    cache: FieldCacheDep,
    resolution: Resolution = 50,
    hidden: Hidden = False,
    digits: Digits = None,
) -> Response:
    """The network's outputs over an N × N grid of the input plane (or N points for 1-D);
    with `hidden=true`, every hidden neuron's output over it too."""
    return field_response(store, settings, cache, session_id, resolution, hidden, digits)


@router.get("/{session_id}/data", response_model=None, responses=responses(SessionData, *SESSION))
def data(session_id: SessionId, store: StoreDep) -> Response:
    """The session's samples as rows: the training set and the held-out test set (or null)."""
    return data_response(store, session_id)


@router.get(
    "/{session_id}/predictions", response_model=None, responses=responses(Predictions, *SESSION)
)
def predictions(session_id: SessionId, store: StoreDep) -> Response:
    """Each sample's predicted class (or value) by the network at the current iteration's
    start, the confusion matrix and per-class accuracy, the misclassified samples, and the
    samples in the training inputs' principal plane (for networks with many inputs)."""
    return predictions_response(store, session_id)


@router.get(
    "/{session_id}/export", response_model=None, responses=responses(SessionConfig, *SESSION)
)
def export(session_id: SessionId, store: StoreDep) -> Response:
    """The session as a configuration that POST /api/v1/sessions takes back, at the same cursor."""
    with store.open(session_id) as session:
        return json_response(export_json(session))


@router.post(
    "/{session_id}/check",
    response_model=None,
    responses=responses(CheckResponse, *BODY, *SESSION),
)
def check_answer(session_id: SessionId, body: AnswerRequest, store: StoreDep) -> Response:
    """A learner's answer to one step of the current iteration (default: the cursor's step),
    checked entry by entry, with the known mistakes that give its wrong numbers. Nothing
    moves: practice asks before it shows the step."""
    with store.open(session_id) as session:
        step = session.step_now
        phase = step.phase if body.phase is None else body.phase
        layer = step.layer if body.layer is None else body.layer
        trace, _ = session.trace()
        diagnosis, part = check(trace, phase, layer, body.part, body.answer)
    return json_response(diagnosis_json(diagnosis, phase, layer, part))
