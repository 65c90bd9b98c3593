"""Class events and their fan-out to the followers connected to this process.

An Event is one numbered change of a live class: `state` (the session's whole
state, as JSON), `delta` (what changed since the previous event's state),
`end`, or a class question's `question`, `close` and `reveal`. Numbers (`seq`)
start at 1 and grow by one per event of a class, so a follower knows exactly
what it missed.

The Hub keeps the listeners (one per open event stream) of this process.
Whoever learns of an event — the in-process class store, or the thread that
reads Redis pub/sub — calls `deliver` from any thread; each listener's queue is
filled on its own event loop. A listener that falls more than `limit` events
behind is marked `overflowed` and catches up from the class's history instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

__all__ = ["KINDS", "POKE", "Event", "EventKind", "Hub", "Listener"]

# state: the session's whole state; delta: what changed since the previous event's state;
# end: the class has ended; question, close, reveal: a class question is asked (or a
# round opens), its round closes, its answer is revealed (app.routers.questions).
EventKind = Literal["state", "delta", "end", "question", "close", "reveal"]
KINDS: dict[bytes, EventKind] = {
    b"state": "state",
    b"delta": "delta",
    b"end": "end",
    b"question": "question",
    b"close": "close",
    b"reveal": "reveal",
}


@dataclass(frozen=True, eq=False)
class Event:
    seq: int
    kind: EventKind
    data: bytes  # JSON, one line (orjson writes no newline)

    @cached_property
    def frame(self) -> bytes:
        """The event as server-sent-events text, built once and sent to every follower."""
        return b"id: %d\nevent: %s\ndata: %s\n\n" % (self.seq, self.kind.encode(), self.data)


# Delivered when events may have been missed (Redis reconnected): check the history.
POKE = Event(0, "state", b"null")


@dataclass(eq=False)
class Listener:
    code: str
    loop: asyncio.AbstractEventLoop
    limit: int
    queue: asyncio.Queue[Event] = field(default_factory=asyncio.Queue)
    overflowed: bool = False

    def put(self, event: Event) -> None:  # on self.loop
        if self.queue.qsize() >= self.limit:
            self.overflowed = True
            while not self.queue.empty():
                self.queue.get_nowait()
        self.queue.put_nowait(event)


def _put_all(listeners: list[Listener], event: Event) -> None:
    for listener in listeners:
        listener.put(event)


class Hub:
    def __init__(self, limit: int = 100) -> None:
        self.limit = limit
        self._listeners: dict[str, set[Listener]] = defaultdict(set)
        self._lock = threading.Lock()

    def listen(self, code: str) -> Listener:
        """Register a listener on the running loop; `close` it when the stream ends."""
        listener = Listener(code, asyncio.get_running_loop(), self.limit)
        with self._lock:
            self._listeners[code].add(listener)
        return listener

    def close(self, listener: Listener) -> None:
        with self._lock:
            group = self._listeners.get(listener.code)
            if group is not None:
                group.discard(listener)
                if not group:
                    del self._listeners[listener.code]

    def codes(self) -> list[str]:
        """The classes with a listener here."""
        with self._lock:
            return list(self._listeners)

    def count(self, code: str | None = None) -> int:
        with self._lock:
            if code is not None:
                return len(self._listeners.get(code, ()))
            return sum(len(group) for group in self._listeners.values())

    def deliver(self, code: str, event: Event) -> None:
        """Hand `event` to every listener of `code` (callable from any thread)."""
        with self._lock:
            group = list(self._listeners.get(code, ()))
        self._schedule(group, event)

    def poke_all(self) -> None:
        with self._lock:
            everyone = [lst for group in self._listeners.values() for lst in group]
        self._schedule(everyone, POKE)

    @staticmethod
    def _schedule(listeners: list[Listener], event: Event) -> None:
        by_loop: dict[asyncio.AbstractEventLoop, list[Listener]] = defaultdict(list)
        for listener in listeners:
            by_loop[listener.loop].append(listener)
        for loop, group in by_loop.items():
            with contextlib.suppress(RuntimeError):  # a closed loop: its listeners are gone
                loop.call_soon_threadsafe(_put_all, group, event)
