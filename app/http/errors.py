"""Every 4xx in one shape: {"error": {"code", "message", "field"}}, mapped in one place.

- engine.DefinitionError, app.errors.InvalidRequestError → 422 with the field at fault
- app.errors.NotFoundError (no such session or class) → 404
- app.errors.ConflictError (not possible now, or busy) → 409
- app.errors.StoreFullError (every kept session in use) → 503 with Retry-After
- pydantic request validation → 422 (malformed JSON → 400), field as a dotted path
- unknown route → 404, wrong method → 405 (with Allow), other HTTP errors by status
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from app.errors import (
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    StoreFullError,
    TooManyRequestsError,
)
from app.spec.questions import PATTERN_WORDS
from app.spec.requests import OPTIMIZER_MODELS
from app.wire.responses import ErrorCode
from engine import DefinitionError

__all__ = ["error_body", "error_response", "field_path", "install", "validation_message"]

_CODES: dict[int, ErrorCode] = {
    400: "malformed_json",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "body_too_large",
    422: "invalid_request",
    429: "too_many_requests",
    503: "store_full",
}

# Tags of the tagged unions in app.spec.requests: pydantic puts them in error locations.
UNION_TAGS = frozenset(
    {
        "dataset_data",
        "sample_data",
        "session_config",
        "preset_ref",
        "answer_matrix",
        "answer_vector",
        "number_answer",
        "option_answer",
    }
)


def error_body(code: ErrorCode, message: str, field: str | None = None) -> bytes:
    return orjson.dumps({"error": {"code": code, "message": message, "field": field}})


def error_response(
    status: int,
    code: ErrorCode,
    message: str,
    field: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return Response(
        error_body(code, message, field),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


def field_path(loc: Sequence[int | str]) -> str | None:
    """("body", "network", "layers", 1) → "network.layers[1]"; None for the whole body."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in UNION_TAGS or str(part).endswith("_optimizer"):
            continue
        else:
            path += f".{part}" if path else str(part)
    return path or None


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _message(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    msg = str(error["msg"])
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        tags = [p for p in error["loc"] if str(p).endswith("_optimizer")]
        if tags:  # a setting another optimizer has: say which this one takes
            name = str(tags[-1]).removesuffix("_optimizer")
            known = [f for f in OPTIMIZER_MODELS[name].model_fields if f != "name"]
            return f"is not a setting of {name} (its settings: {', '.join(known) or 'none'})"
        return "is not a known field (unknown fields are rejected; check the spelling)"
    if kind == "string_pattern_mismatch":
        pattern = str(error.get("ctx", {}).get("pattern", ""))
        text = PATTERN_WORDS.get(pattern, msg[0].lower() + msg[1:])
        return f"{text}, got {_shown(error.get('input'))}"
    text = msg[0].lower() + msg[1:]
    if "input" in error and kind not in ("model_type", "model_attributes_type"):
        text += f", got {_shown(error['input'])}"
    return text


def validation_message(errors: Sequence[Mapping[str, Any]]) -> tuple[str, str | None]:
    first = errors[0]
    field = field_path(first["loc"])
    text = f"{field or 'request body'}: {_message(first)}"
    if len(errors) > 1:
        text += f" (and {len(errors) - 1} more error{'s' if len(errors) > 2 else ''})"
    return text, field


async def _on_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    for error in errors:
        if error["type"] == "json_invalid":
            detail = error.get("ctx", {}).get("error", "invalid JSON")
            at = error["loc"][-1] if error["loc"] else "?"
            message = f"request body is not valid JSON: {detail} at character {at}"
            return error_response(400, "malformed_json", message)
    if not errors:
        return error_response(422, "invalid_request", "the request is not valid")
    message, field = validation_message(errors)
    return error_response(422, "invalid_request", message, field)


async def _on_definition(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DefinitionError)
    return error_response(422, "invalid_request", f"{exc.field}: {exc.message}", exc.field)


async def _on_invalid(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, InvalidRequestError)
    return error_response(422, "invalid_request", exc.message, exc.field)


async def _on_not_found(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NotFoundError)
    return error_response(404, "not_found", exc.message)


async def _on_store_full(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StoreFullError)
    seconds = max(1, math.ceil(exc.retry_after))
    return error_response(503, "store_full", exc.message, None, {"Retry-After": str(seconds)})


async def _on_too_many(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TooManyRequestsError)
    return error_response(429, "too_many_requests", exc.message)


async def _on_conflict(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ConflictError)
    return error_response(409, "conflict", exc.message)


_METHODS = ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")


def _allowed_methods(request: Request) -> str:
    """The methods some route answers on this path (asking each route, as routing does)."""
    allowed = []
    for method in _METHODS:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return ", ".join(allowed)


async def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    headers = dict(exc.headers) if exc.headers else None
    if status == 404:
        message = f"no such resource: {request.method} {request.url.path}"
    elif status == 405:
        # Starlette names the methods of the first route whose path matched; several
        # routes can share a path (GET, PATCH, DELETE /sessions/{id}): name them all.
        allowed = _allowed_methods(request)
        headers = {**(headers or {}), "Allow": allowed}
        message = f"{request.method} is not allowed on {request.url.path}; allowed: {allowed}"
    elif status == 400:
        message = f"the request body could not be read: {exc.detail}"
    else:
        message = str(exc.detail)
    code = _CODES.get(status, "invalid_request")
    return error_response(status, code, message, None, headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(DefinitionError, _on_definition)
    app.add_exception_handler(InvalidRequestError, _on_invalid)
    app.add_exception_handler(NotFoundError, _on_not_found)
    app.add_exception_handler(ConflictError, _on_conflict)
    app.add_exception_handler(StoreFullError, _on_store_full)
    app.add_exception_handler(TooManyRequestsError, _on_too_many)
    app.add_exception_handler(StarletteHTTPException, _on_http)
