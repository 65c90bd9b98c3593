"""GET /healthz: the process answers (no work, no session, no engine call)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.http.openapi import responses
from app.wire.responses import Health

__all__ = ["router"]

router = APIRouter(tags=["health"])

_OK = b'{"status":"ok"}'


@router.get("/healthz", response_model=None, responses=responses(Health))
async def healthz() -> Response:
    return Response(_OK, media_type="application/json")
