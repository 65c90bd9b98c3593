"""A JSON answer: bytes from app.wire.convert.dumps (numpy arrays, NaN as null)."""

from __future__ import annotations

from fastapi import Response

from app.wire.convert import dumps

__all__ = ["json_response"]


def json_response(content: object, status_code: int = 200) -> Response:
    return Response(dumps(content), status_code=status_code, media_type="application/json")
