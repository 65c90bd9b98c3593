"""OpenAPI: the documented answers of a route (errors and links included), and the
schema as this server publishes it, with its configured bounds.

Every route documents every status it can answer. Besides a route's own (a
session that cannot step back: 409), some come with what a route takes, and
these groups name them (tests/app/test_openapi.py checks every route has them):

- BODY: a JSON body can be malformed (400), larger than max_body_bytes (413,
  app.http.middleware answers it before the route runs) or invalid (422);
- SESSION: a session id can be unknown (404) or longer than any id (422), and
  the session busy with another request for longer than the Redis store waits (409);
- FOLLOWER: a join code can be unknown (404), malformed (422), and the address
  can have tried too many unknown codes (429, app.http.guard);
- LIMITED: the address can have made too many requests of the route's kind
  (429, app.http.limits: new sessions, or heavy work).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

from app.settings import Settings
from app.spec.bounds import published_bounds
from app.spec.requests import BOUND_KEY
from app.wire.responses import ErrorResponse

__all__ = [
    "BODY",
    "ERROR_DESCRIPTIONS",
    "FOLLOWER",
    "LIMITED",
    "SESSION",
    "install",
    "link",
    "publish_bounds",
    "responses",
]

ERROR_DESCRIPTIONS = {
    400: "Malformed JSON (code `malformed_json`)",
    404: "Unknown session or class (code `not_found`)",
    409: "Not possible in the session's state, or the session is busy (code `conflict`)",
    413: "Request body too large (code `body_too_large`)",
    422: "Invalid request: schema, engine definition or limit (code `invalid_request`)",
    429: (
        "Too many requests from this address: unknown join codes, new sessions, or training, "
        "gradient checks and fields (code `too_many_requests`, with Retry-After)"
    ),
    503: (
        "No room for a new session: every session kept is in use (code `store_full`, "
        "with Retry-After)"
    ),
}

BODY = (400, 413, 422)
SESSION = (404, 409, 422)
FOLLOWER = (404, 422, 429)
LIMITED = (429,)


def responses(
    model: type[BaseModel] | Any | None,
    *errors: int,
    status: int = 200,
    description: str = "Success",
    example: Any = None,
    links: Mapping[str, Any] | None = None,
) -> dict[int | str, dict[str, Any]]:
    """`responses=` of a route: its success (`model` at `status`) and its `errors`, in the
    one error shape; `links` say which operations the success's values open."""
    documented: dict[int | str, dict[str, Any]] = {}
    if model is not None:
        ok: dict[str, Any] = {"model": model, "description": description}
        if example is not None:
            ok["content"] = {"application/json": {"example": example}}
        if links:
            ok["links"] = dict(links)
        documented[status] = ok
    for code in sorted(set(errors)):
        documented[code] = {"model": ErrorResponse, "description": ERROR_DESCRIPTIONS[code]}
    return documented


def link(method: str, path: str, **parameters: str) -> dict[str, Any]:
    """An OpenAPI link to the operation `method path`, its parameters given by runtime
    expressions (`$response.body#/id`, `$request.path.session_id`)."""
    pointer = path.replace("~", "~0").replace("/", "~1")  # JSON Pointer escapes
    return {"operationRef": f"#/paths/{pointer}/{method.lower()}", "parameters": parameters}


def publish_bounds(node: Any, bounds: Mapping[str, int]) -> None:
    """Write the configured bound at every field marked with app.spec.requests.bound
    (where the hard ceiling is lower, it stays), and remove the marks."""
    if isinstance(node, dict):
        for keyword, name in node.pop(BOUND_KEY, {}).items():
            node[keyword] = min(node.get(keyword, bounds[name]), bounds[name])
        children: Any = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return
    for child in children:
        publish_bounds(child, bounds)


def install(app: FastAPI, settings: Settings) -> None:
    """Serve the schema with this server's bounds (FastAPI's, with the bounds written in)."""
    generate = app.openapi  # FastAPI's: keeps the document until the routes change
    bounds = published_bounds(settings)

    def openapi() -> dict[str, Any]:
        document = generate()
        publish_bounds(document, bounds)  # once: a document without marks is left as it is
        return document

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way
