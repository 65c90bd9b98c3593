"""Sessions: stepping through iterations one step, phase or iteration at a time."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Response

from app.convert import dumps, json_response
from app.deps import FieldCacheDep, SettingsDep, StoreDep
from app.field_cache import FieldCache
from app.openapi import responses
from app.presets import PRESETS
from app.schemas import (
    FieldResponse,
    PatchRequest,
    PresetRef,
    SeekRequest,
    SessionConfig,
    SessionCreate,
    SessionData,
    SessionState,
    SessionTrainRequest,
    StepRequest,
)
from app.sessions import new_session
from app.settings import Settings
from app.store import SessionStore
from engine import DefinitionError

__all__ = ["Hidden", "Resolution", "data_response", "field_response", "router"]

router = APIRouter(prefix="/api/v1/sessions", tags=["sessions"])

SessionId = Annotated[str, Path(description="the id that POST /api/v1/sessions returned")]

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
    responses=responses(SessionState, 400, 413, 422, status=201, description="Created"),
)
def create_session(
    body: Annotated[SessionCreate, Body(openapi_examples=_EXAMPLES)],
    settings: SettingsDep,
    store: StoreDep,
) -> Response:
    """A new session from a preset name or a full configuration (an export resumes its state)."""
    config: SessionConfig = PRESETS[body.preset].config if isinstance(body, PresetRef) else body
    session = new_session(config, settings)
    session_id = store.add(session)
    with store.open(session_id) as opened:
        return json_response(opened.state_json(session_id), status_code=201)


@router.get("/{session_id}", response_model=None, responses=responses(SessionState, 404, 422))
def get_session(session_id: SessionId, store: StoreDep) -> Response:
    with store.open(session_id) as session:
        return json_response(session.state_json(session_id))


@router.post(
    "/{session_id}/step",
    response_model=None,
    responses=responses(SessionState, 400, 404, 409, 413, 422),
)
def step(session_id: SessionId, body: StepRequest, store: StoreDep) -> Response:
    """Move the cursor by a step, a phase or an iteration, forward or back."""
    with store.open(session_id) as session:
        session.step(body.direction, body.unit)
        return json_response(session.state_json(session_id))


@router.post(
    "/{session_id}/seek",
    response_model=None,
    responses=responses(SessionState, 400, 404, 413, 422),
)
def seek(session_id: SessionId, body: SeekRequest, store: StoreDep) -> Response:
    """Jump to step `index` of the current iteration."""
    with store.open(session_id) as session:
        session.seek(body.index)
        return json_response(session.state_json(session_id))


@router.post(
    "/{session_id}/train",
    response_model=None,
    responses=responses(SessionState, 400, 404, 413, 422),
)
def train_session(
    session_id: SessionId, body: SessionTrainRequest, settings: SettingsDep, store: StoreDep
) -> Response:
    """Run n iterations on the fast path; the cursor lands at the start of the next one."""
    with store.open(session_id) as session:
        session.train(body.iterations, settings)
        return json_response(session.state_json(session_id))


@router.patch(
    "/{session_id}",
    response_model=None,
    responses=responses(SessionState, 400, 404, 413, 422),
)
def patch_session(
    session_id: SessionId, body: PatchRequest, settings: SettingsDep, store: StoreDep
) -> Response:
    """Change the learning rate or batch size from the current iteration on."""
    with store.open(session_id) as session:
        session.patch(body.learning_rate, body.batch_size, settings)
        return json_response(session.state_json(session_id))


@router.post(
    "/{session_id}/reset", response_model=None, responses=responses(SessionState, 404, 422)
)
def reset(session_id: SessionId, store: StoreDep) -> Response:
    """Back to iteration 0 with the initial weights."""
    with store.open(session_id) as session:
        session.reset()
        return json_response(session.state_json(session_id))


@router.delete(
    "/{session_id}",
    status_code=204,
    response_model=None,
    responses={204: {"description": "Deleted"}, **responses(None, 404, 422)},
)
def delete_session(session_id: SessionId, store: StoreDep) -> Response:
    store.delete(session_id)
    return Response(status_code=204)


Resolution = Annotated[int, Query(ge=2, le=4096)]
Hidden = Annotated[bool, Query(description="also every hidden neuron's output")]


def field_response(
    store: SessionStore,
    settings: Settings,
    cache: FieldCache,
    session_id: str,
    resolution: int,
    hidden: bool,
) -> Response:
    """The field route's answer for a session (shared with the class's read-only route)."""
    if resolution > settings.max_grid_resolution:
        raise DefinitionError(
            "resolution",
            f"{resolution} is more than the limit of {settings.max_grid_resolution}",
        )
    with store.open(session_id) as session:
        layers = session.initial.layers
        neurons = sum(layers[1:]) if hidden else layers[-1]
        what = f"{neurons} neurons" if hidden else f"{neurons} outputs"
        outputs = resolution * resolution * neurons
        if outputs > settings.max_trace_values:
            raise DefinitionError(
                "resolution",
                f"a {resolution}×{resolution} grid of {what} is "
                f"{outputs} values, more than the limit of {settings.max_trace_values}; use a "
                "lower resolution",
            )
        body = cache.get(
            session.start, resolution, hidden, lambda: dumps(session.field_json(resolution, hidden))
        )
    return Response(body, media_type="application/json")


def data_response(store: SessionStore, session_id: str) -> Response:
    """The data route's answer for a session (shared with the class's read-only route)."""
    with store.open(session_id) as session:
        return json_response(session.data_json())


@router.get(
    "/{session_id}/field",
    response_model=None,
    responses=responses(FieldResponse, 404, 409, 422),
)
def field(
    session_id: SessionId,
    store: StoreDep,
    settings: SettingsDep,
    cache: FieldCacheDep,
    resolution: Resolution = 50,
    hidden: Hidden = False,
) -> Response:
    """The network's outputs over an N × N grid of the input plane (or N points for 1-D);
    with `hidden=true`, every hidden neuron's output over it too."""
    return field_response(store, settings, cache, session_id, resolution, hidden)


@router.get("/{session_id}/data", response_model=None, responses=responses(SessionData, 404, 422))
def data(session_id: SessionId, store: StoreDep) -> Response:
    """The session's samples as rows: the training set and the held-out test set (or null)."""
    return data_response(store, session_id)


@router.get(
    "/{session_id}/export", response_model=None, responses=responses(SessionConfig, 404, 422)
)
def export(session_id: SessionId, store: StoreDep) -> Response:
    """The session as a configuration that POST /api/v1/sessions takes back, at the same cursor."""
    with store.open(session_id) as session:
        return json_response(session.export_json())
