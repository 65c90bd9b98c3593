"""Join-code guessing: a bound on the unknown codes one client address may try.

A join code is one of 31⁶ ≈ 8.9 × 10⁸; only a few are live at a time, so
guessing one takes hundreds of millions of tries. This keeps it that way: after
`per_minute` different unknown codes from one address within a minute, the
followers' routes answer 429 to that address (known codes too, so a lucky guess
is not confirmed) until the oldest miss is a minute old. Different codes, because
a guesser must try new ones while a classroom behind one NAT address asks for
the same one again and again (every page, when its class ends) and mistypes it
a few dozen times at most.

Counted per app process, in memory: a few processes multiply the bound by
their number, which still leaves a guess years away.
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.classroom.codes import normalise_code
from app.http.client import client_address
from app.http.middleware import error_messages

__all__ = ["FOLLOWER_ROUTE", "CodeGuessLimiter", "JoinCodeGuardMiddleware"]

WINDOW_SECONDS = 60.0
# The followers' routes, which take a join code (the instructor's take a session id).
FOLLOWER_ROUTE = re.compile(
    r"^/api/v1/classes/[^/]+(?:/events|/field|/data|/predictions|/terms|/question|/answers)?/?$"
)


class CodeGuessLimiter:
    """Different unknown join codes per client address over a sliding minute, for a
    bounded set of addresses (the least recently seen are forgotten first)."""

    def __init__(
        self,
        per_minute: int,
        max_clients: int = 2_000,  # ≤ 2,000 × per_minute codes: a few MB at most
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_minute = per_minute
        self.max_clients = max_clients
        self.clock = clock
        # address → {code: time of its first miss in the window}, oldest first
        self._misses: OrderedDict[str, dict[str, float]] = OrderedDict()

    def wait_seconds(self, client: str) -> float:
        """0 if `client` may try a code now, else the seconds until it may."""
        misses = self._misses.get(client)
        if misses is None or len(misses) < self.per_minute:
            return 0.0
        return max(0.0, next(iter(misses.values())) + WINDOW_SECONDS - self.clock())

    def miss(self, client: str, code: str) -> None:
        now = self.clock()
        misses = self._misses.pop(client, {})
        for old in [c for c, t in misses.items() if t + WINDOW_SECONDS <= now]:
            del misses[old]
        misses.setdefault(code, now)
        self._misses[client] = misses  # now the most recently seen
        while len(self._misses) > self.max_clients:
            self._misses.popitem(last=False)


def _too_many(wait: float) -> tuple[Message, Message]:
    seconds = max(1, int(wait + 0.999))
    message = (
        "too many unknown class codes from this address: check the code and try again in "
        f"{seconds} s"
    )
    return error_messages(429, "too_many_requests", message, [(b"retry-after", b"%d" % seconds)])


class JoinCodeGuardMiddleware:
    """Counts the different codes of the followers' routes' 404s per client address;
    past the limit, 429."""

    def __init__(self, app: ASGIApp, limiter: CodeGuessLimiter, trusted_proxies: int = 0) -> None:
        self.app = app
        self.limiter = limiter
        self.trusted_proxies = trusted_proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not FOLLOWER_ROUTE.match(scope["path"]):
            await self.app(scope, receive, send)
            return
        client = client_address(scope, self.trusted_proxies)
        text = scope["path"].split("/")[4]  # /api/v1/classes/{code}…
        code = normalise_code(text) or text
        wait = self.limiter.wait_seconds(client)
        if wait > 0:
            for message in _too_many(wait):
                await send(message)
            return

        async def counting_send(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 404:
                self.limiter.miss(client, code)
            await send(message)

        await self.app(scope, receive, counting_send)
