"""POST /api/v1/train: n iterations on the fast path; the final network and the costs."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.http.deps import SettingsDep
from app.http.openapi import BODY, LIMITED, responses
from app.http.respond import json_response
from app.spec.compute import run_train
from app.spec.requests import TrainRequest
from app.wire.convert import train_json
from app.wire.responses import TrainResponse

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["stateless"])


@router.post("/train", response_model=None, responses=responses(TrainResponse, *BODY, *LIMITED))
def train_network(body: TrainRequest, settings: SettingsDep) -> Response:
    """Train from a network and data (`data`, or `inputs` and `targets`); the work
    (iterations × batch × parameters) is bounded."""
    trained = run_train(body, settings)
    return json_response(train_json(trained.result, trained.divergence))
