"""GET /api/v1/presets: named ready-made session configurations."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.http.openapi import responses
from app.http.respond import json_response
from app.spec.presets import PRESETS
from app.wire.responses import PresetOut

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["catalogue"])


@router.get("/presets", response_model=None, responses=responses(list[PresetOut]))
def presets() -> Response:
    return json_response(
        [
            {
                "name": p.name,
                "title": p.title,
                "description": p.description,
                "config": p.config.model_dump(mode="json", exclude_none=True),
            }
            for p in PRESETS.values()
        ]
    )
