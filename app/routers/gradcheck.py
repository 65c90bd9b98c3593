"""POST /api/v1/gradcheck: backprop's gradients against central finite differences."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.http.deps import SettingsDep
from app.http.openapi import BODY, LIMITED, responses
from app.http.respond import json_response
from app.spec.compute import run_gradcheck
from app.spec.requests import GradcheckRequest
from app.wire.convert import gradcheck_json
from app.wire.responses import GradcheckResponse
from engine.gradcheck import DEFAULT_STEP

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["stateless"])


@router.post(
    "/gradcheck", response_model=None, responses=responses(GradcheckResponse, *BODY, *LIMITED)
)
def check_gradients(body: GradcheckRequest, settings: SettingsDep) -> Response:
    """Per layer: ∂C/∂Wˡ, ∂C/∂bˡ by backprop and by (C(θ+h) − C(θ−h)) / 2h, and their
    relative error. Give `inputs` and `targets`, or `data` (a /backprop body checks as is)."""
    return json_response(gradcheck_json(run_gradcheck(body, settings), DEFAULT_STEP))
