"""POST /api/v1/backprop: one traced iteration, DESIGN.md's request and response."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response
from starlette.concurrency import run_in_threadpool

from app import build
from app.convert import dumps, json_response, trace_json
from app.deps import SettingsDep
from app.openapi import responses
from app.presets import WORKED_EXAMPLE_REQUEST
from app.schemas import BackpropRequest, BackpropResponse
from app.settings import Settings
from engine import Trace, trace_iteration

__all__ = ["router", "run_backprop"]

router = APIRouter(prefix="/api/v1", tags=["stateless"])

# A small trace (batch × (n₁ + … + n_L) up to this) takes well under a millisecond:
# computing it on the event loop saves the hand-off to a worker thread, which costs
# more than the work. Larger ones run in the thread pool so they never hold the loop.
INLINE_TRACE_VALUES = 4096


def run_backprop(request: BackpropRequest, settings: Settings) -> Trace:
    network = build.build_network(request.network, settings)
    x, y = build.explicit_data(request.inputs, request.targets, settings)
    build.fit_data(network, x, y)
    build.check_batch_size(x.shape[1], settings, "inputs")
    build.check_trace_size(network, x.shape[1], settings, "inputs")
    return trace_iteration(network, request.cost, x, y, request.learning_rate)


def _worked_example_response() -> object:
    import orjson

    request = BackpropRequest.model_validate(WORKED_EXAMPLE_REQUEST)
    return orjson.loads(dumps(trace_json(run_backprop(request, Settings()))))


@router.post(
    "/backprop",
    response_model=None,
    responses=responses(BackpropResponse, 400, 413, 422, example=_worked_example_response()),
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
    backward recursion, gradients and update, for explicit weights or a seeded init."""
    if len(body.inputs) * sum(body.network.layers[1:]) <= INLINE_TRACE_VALUES:
        return _respond(body, settings)
    return await run_in_threadpool(_respond, body, settings)


def _respond(body: BackpropRequest, settings: Settings) -> Response:
    return json_response(trace_json(run_backprop(body, settings)))
