"""OpenAPI helpers: the documented responses of a route, errors included."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from app.wire.responses import ErrorResponse

__all__ = ["ERROR_DESCRIPTIONS", "responses"]

ERROR_DESCRIPTIONS = {
    400: "Malformed JSON (code `malformed_json`)",
    404: "Unknown session (code `not_found`)",
    409: "Not possible in the session's state (code `conflict`)",
    413: "Request body too large (code `body_too_large`)",
    422: "Invalid request: schema, engine definition or limit (code `invalid_request`)",
    429: "Too many unknown join codes from this address (code `too_many_requests`)",
}


def responses(
    model: type[BaseModel] | Any | None,
    *errors: int,
    status: int = 200,
    description: str = "Success",
    example: Any = None,
) -> dict[int | str, dict[str, Any]]:
    documented: dict[int | str, dict[str, Any]] = {}
    if model is not None:
        ok: dict[str, Any] = {"model": model, "description": description}
        if example is not None:
            ok["content"] = {"application/json": {"example": example}}
        documented[status] = ok
    for code in errors:
        documented[code] = {"model": ErrorResponse, "description": ERROR_DESCRIPTIONS[code]}
    return documented
