"""Small pure-ASGI middlewares: a request body limit and a Content-Security-Policy.

The body limit answers 413 before reading a body whose Content-Length is too
large, and counts the bytes of a streamed (chunked) body as they arrive, so a
client that lies or omits the length cannot make the server buffer more than
the limit either.
"""

from __future__ import annotations

import contextlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http.errors import error_body
from app.wire.responses import ErrorCode

__all__ = ["CSP", "BodyLimitMiddleware", "SecurityHeadersMiddleware", "error_messages"]

# Only the app's own origin. Inline styles stay allowed: KaTeX and Swagger UI
# set style attributes on the elements they render.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)


class _TooLargeError(Exception):
    pass


def error_messages(
    status: int, code: ErrorCode, message: str, headers: list[tuple[bytes, bytes]]
) -> tuple[Message, Message]:
    """The ASGI messages of an error answered by a middleware, in the one error shape."""
    body = error_body(code, message)
    start: Message = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            *headers,
        ],
    }
    return start, {"type": "http.response.body", "body": body}


def _too_large_messages(limit: int) -> tuple[Message, Message]:
    message = f"the request body is larger than the limit of {limit} bytes"
    return error_messages(413, "body_too_large", message, [(b"connection", b"close")])


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.limit = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.limit:
                    for message in _too_large_messages(self.limit):
                        await send(message)
                    return
        received = 0
        overflow = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, overflow
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    overflow = True
                    raise _TooLargeError
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if overflow:  # the app answered the exception its read raised: replace that
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        with contextlib.suppress(_TooLargeError):
            await self.app(scope, counting_receive, guarded_send)
        if overflow and not started:
            for message in _too_large_messages(self.limit):
                await send(message)


class SecurityHeadersMiddleware:
    """Adds a Content-Security-Policy to HTML responses that do not set their own."""

    def __init__(self, app: ASGIApp, policy: str = CSP) -> None:
        self.app = app
        self.policy = policy.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
                if (
                    content_type.startswith(b"text/html")
                    and b"content-security-policy" not in names
                ):
                    headers.append((b"content-security-policy", self.policy))
                headers.append((b"x-content-type-options", b"nosniff"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
