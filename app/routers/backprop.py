"""POST /api/v1/backprop: one traced iteration, DESIGN.md's request and response."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Body, Response
from starlette.concurrency import run_in_threadpool

from app.http.deps import SettingsDep
from app.http.openapi import BODY, responses
from app.http.respond import json_response
from app.settings import Settings
from app.spec.compute import run_backprop
from app.spec.presets import WORKED_EXAMPLE_REQUEST
from app.spec.requests import BackpropRequest, SampleDataIn
from app.wire.convert import dumps, trace_json
from app.wire.responses import BackpropResponse

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["stateless"])

# A small trace (batch × (n₁ + … + n_L) up to this) takes well under a millisecond:
# computing it on the event loop saves the hand-off to a worker thread, which costs
# more than the work. Larger ones run in the thread pool so they never hold the loop.
INLINE_TRACE_VALUES = 4096


def _worked_example_response() -> object:
    request = BackpropRequest.model_validate(WORKED_EXAMPLE_REQUEST)
    return orjson.loads(dumps(trace_json(run_backprop(request, Settings()))))


def _given_samples(body: BackpropRequest) -> int | None:
    """How many samples the request holds; None for a named data set (drawn later)."""
    if body.inputs is not None:
        return len(body.inputs)
    return len(body.data.inputs) if isinstance(body.data, SampleDataIn) else None


@router.post(
    "/backprop",
    response_model=None,
    responses=responses(BackpropResponse, *BODY, example=_worked_example_response()),
)
async def backprop(
    body: Annotated[
        BackpropRequest,
        Body(
            openapi_examples={
                "worked_example": {
                    "summary": "Mazur's worked example (2-2-2, one sample)",
                    "value": WORKED_EXAMPLE_REQUEST,
                }
            }
        ),
    ],
    settings: SettingsDep,
) -> Response:
    """One iteration of gradient descent with every phase kept: forward pass, output error,
    backward recursion, gradients and update, for explicit weights or a seeded init.
    The samples come as `inputs` and `targets`, or as `data` (then the whole set is the batch)."""
    m = _given_samples(body)
    if m is not None and m * sum(body.network.layers[1:]) <= INLINE_TRACE_VALUES:
        return _respond(body, settings)
    return await run_in_threadpool(_respond, body, settings)


def _respond(body: BackpropRequest, settings: Settings) -> Response:
    return json_response(trace_json(run_backprop(body, settings)))
