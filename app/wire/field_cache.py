"""Encoded /field answers, kept per iteration start and shared by everyone who asks.

A field is a pure function of the session's data (its extent never changes) and
of the network at the current iteration's start: an immutable Start object that
any change replaces. Every follower of a live class asks for the same two fields
whenever the iteration moves, up to four times a second each while the instructor
trains, and one costs about a millisecond to compute (tanh over a 48 × 48 grid):
200 followers would keep a core busy. So an answer is kept by (start, resolution,
hidden, digits) in a least-recently-used cache bounded by bytes, and encoded once.

Entries hold the start weakly: an id that a dead start leaves behind and a new
object takes over cannot return the old answer.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable

__all__ = ["FieldCache"]

_Query = tuple[int, bool, int | None]  # resolution, hidden, digits
_Key = tuple[int, _Query]


class FieldCache:
    def __init__(self, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[_Key, tuple[weakref.ref[object], bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, start: object, query: _Query, make: Callable[[], bytes]) -> bytes:
        """The answer for `start` to this query, from `make()` the first time."""
        key = (id(start), query)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0]() is start:
                self._entries.move_to_end(key)
                self.hits += 1
                return entry[1]
        body = make()  # outside the lock: two first requests may both compute it
        with self._lock:
            self.misses += 1
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= len(old[1])
            if len(body) <= self.max_bytes:
                self._entries[key] = (weakref.ref(start), body)
                self.size += len(body)
            while self.size > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.size -= len(dropped)
        return body
