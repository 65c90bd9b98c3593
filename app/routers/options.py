"""GET /api/v1/options: what the engine accepts (activations, costs, init, phases), the limits."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.http.deps import SettingsDep
from app.http.openapi import responses
from app.http.respond import json_response
from app.settings import Settings
from app.wire.convert import JSON, options_json
from app.wire.responses import LimitsOut, OptionsResponse

__all__ = ["limits_json", "router"]

router = APIRouter(prefix="/api/v1", tags=["catalogue"])


def limits_json(settings: Settings) -> JSON:
    return settings.model_dump(include=set(LimitsOut.model_fields))


@router.get("/options", response_model=None, responses=responses(OptionsResponse))
def options(settings: SettingsDep) -> Response:
    return json_response(options_json(limits_json(settings)))
