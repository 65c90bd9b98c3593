"""Per-client rate limits on the routes that make sessions or heavy work (429, Retry-After).

Which requests take from which bucket (app.limits):

- `create`: POST /api/v1/sessions (a new session, possibly fast-forwarded);
- `heavy`: POST /api/v1/train, /api/v1/gradcheck, /api/v1/sessions/{id}/train and
  GET /api/v1/sessions/{id}/field, the work app.work slices.

A follower's field (/api/v1/classes/{code}/field) is computed once per
iteration for the whole class and is not counted. The token is taken before the
body is read, so a refused request costs the server nothing but the answer.
"""

from __future__ import annotations

import math
import re

import anyio
from starlette.types import ASGIApp, Receive, Scope, Send

from app.http.client import client_address
from app.http.middleware import error_messages
from app.limits import RateLimits, RedisRateLimits

__all__ = ["RULES", "RateLimitMiddleware"]

# (method, path, bucket)
RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("POST", re.compile(r"^/api/v1/sessions/?$"), "create"),
    ("POST", re.compile(r"^/api/v1/(?:train|gradcheck)/?$"), "heavy"),
    ("POST", re.compile(r"^/api/v1/sessions/[^/]+/train/?$"), "heavy"),
    ("GET", re.compile(r"^/api/v1/sessions/[^/]+/field/?$"), "heavy"),
)

_WHAT = {"create": "new sessions", "heavy": "training, gradient checks and fields"}


def bucket_of(method: str, path: str) -> str | None:
    for rule_method, pattern, name in RULES:
        if method == rule_method and pattern.match(path):
            return name
    return None


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, limits: RateLimits, trusted_proxies: int = 0) -> None:
        self.app = app
        self.limits = limits
        self.trusted_proxies = trusted_proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        name = bucket_of(scope["method"], scope["path"]) if scope["type"] == "http" else None
        if name is None:
            await self.app(scope, receive, send)
            return
        client = client_address(scope, self.trusted_proxies)
        if isinstance(self.limits, RedisRateLimits):  # a round trip: off the event loop
            wait = await anyio.to_thread.run_sync(self.limits.take, name, client)
        else:
            wait = self.limits.take(name, client)
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        bucket = self.limits.buckets[name]
        seconds = max(1, math.ceil(wait))
        message = (
            f"too many requests for {_WHAT[name]} from this address ({bucket.burst} at once, "
            f"then {bucket.per_minute:g} a minute): try again in {seconds} s"
        )
        headers = [(b"retry-after", b"%d" % seconds)]
        for part in error_messages(429, "too_many_requests", message, headers):
            await send(part)
