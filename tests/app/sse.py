"""A small server-sent-events reader for the tests (httpx streaming, bounded by timeouts)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class Sse:
    id: int | None
    event: str
    data: Any


class EventStream:
    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.lines = response.iter_lines()

    def next(self) -> Sse:
        """The next event (comments and `retry` skipped); httpx's read timeout bounds the wait."""
        fields: dict[str, str] = {}
        for line in self.lines:
            if line == "":
                if "data" in fields:
                    ident = fields.get("id")
                    return Sse(
                        int(ident) if ident else None,
                        fields.get("event", "message"),
                        json.loads(fields["data"]),
                    )
                fields = {}
                continue
            if line.startswith(":"):
                continue
            name, _, value = line.partition(":")
            fields[name] = value[1:] if value.startswith(" ") else value
        raise EOFError("the stream ended")

    def take(self, n: int) -> list[Sse]:
        return [self.next() for _ in range(n)]


@contextmanager
def follow(
    base_url: str, code: str, last_event_id: int | None = None, timeout: float = 10.0
) -> Iterator[EventStream]:
    headers = {"Accept": "text/event-stream"}
    if last_event_id is not None:
        headers["Last-Event-ID"] = str(last_event_id)
    with (
        httpx.Client(base_url=base_url, timeout=timeout) as client,
        client.stream("GET", f"/api/v1/classes/{code}/events", headers=headers) as response,
    ):
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        yield EventStream(response)
