"""GET /api/v1/options: what the engine accepts (activations, costs, init, phases), the limits."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.convert import JSON, json_response, options_json
from app.deps import SettingsDep
from app.openapi import responses
from app.schemas import LimitsOut, OptionsResponse
from app.settings import Settings

__all__ = ["limits_json", "router"]

router = APIRouter(prefix="/api/v1", tags=["catalogue"])


def limits_json(settings: Settings) -> JSON:
    return settings.model_dump(include=set(LimitsOut.model_fields))


@router.get("/options", response_model=None, responses=responses(OptionsResponse))
def options(settings: SettingsDep) -> Response:
    return json_response(options_json(limits_json(settings)))
