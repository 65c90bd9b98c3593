"""Where sessions live: an interface, and the in-process implementation.

A session is plain data (app.sessions.session.Session: configuration,
networks, iteration, cursor index, costs), so a store can keep it elsewhere
(app.sessions.store_redis) by serialising it; traces are recomputed on demand.

InMemorySessionStore bounds its memory three ways: a time-to-live since last
use, a cap on the number of sessions and a byte budget; when over a bound it
evicts the least recently used sessions first. It is thread-safe: FastAPI runs
sync routes in a thread pool. One lock guards the table (held briefly); each
session has its own lock, held while a request reads or changes it, so a long
request on one session never blocks another session.
"""

from __future__ import annotations

import secrets
import threading
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from app.errors import SessionNotFoundError
from app.sessions.session import Session

__all__ = ["InMemorySessionStore", "SessionStore", "new_session_id"]


def new_session_id() -> str:
    return secrets.token_urlsafe(32)  # 256 random bits, 43 url-safe characters


class SessionStore(ABC):
    """Keeps sessions by id. `open` gives exclusive access to one session."""

    @abstractmethod
    def add(self, session: Session) -> str:
        """Keep a new session; return its id (unguessable)."""

    @abstractmethod
    @contextmanager
    def open(self, session_id: str) -> Iterator[Session]:
        """Lend the session for reading or changing it; raise SessionNotFoundError if unknown.

        Changes made inside the `with` block are kept when it ends.
        """

    @abstractmethod
    def delete(self, session_id: str) -> None:
        """Forget a session; raise SessionNotFoundError if unknown."""

    @abstractmethod
    def __len__(self) -> int: ...


@dataclass(eq=False)
class _Slot:
    session: Session
    last_used: float
    size: int
    lock: threading.Lock = field(default_factory=threading.Lock)


class InMemorySessionStore(SessionStore):
    def __init__(
        self,
        ttl_seconds: float,
        max_sessions: int,
        max_bytes: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl_seconds
        self.max_sessions = max_sessions
        self.max_bytes = max_bytes
        self.clock = clock
        self._slots: OrderedDict[str, _Slot] = OrderedDict()  # least recently used first
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            self._expire(self.clock())
            return len(self._slots)

    @property
    def bytes_used(self) -> int:
        return self._bytes

    def _remove(self, session_id: str) -> None:
        slot = self._slots.pop(session_id)
        self._bytes -= slot.size

    def _expire(self, now: float) -> None:
        while self._slots:
            session_id, slot = next(iter(self._slots.items()))
            if now - slot.last_used <= self.ttl:
                break
            self._remove(session_id)

    def _fit(self, keep: str) -> None:
        """Evict least recently used sessions (never `keep`) until within the bounds."""
        for session_id in list(self._slots):
            over = len(self._slots) > self.max_sessions or self._bytes > self.max_bytes
            if not over:
                break
            if session_id != keep:
                self._remove(session_id)

    def add(self, session: Session) -> str:
        session_id = new_session_id()
        size = session.nbytes()
        with self._lock:
            now = self.clock()
            self._expire(now)
            self._slots[session_id] = _Slot(session, now, size)
            self._bytes += size
            self._fit(keep=session_id)
        return session_id

    @contextmanager
    def open(self, session_id: str) -> Iterator[Session]:
        with self._lock:
            now = self.clock()
            self._expire(now)
            slot = self._slots.get(session_id)
            if slot is None:
                raise SessionNotFoundError(session_id)
            slot.last_used = now
            self._slots.move_to_end(session_id)
        with slot.lock:
            if self._slots.get(session_id) is not slot:  # deleted or evicted meanwhile
                raise SessionNotFoundError(session_id)
            try:
                yield slot.session
            finally:
                size = slot.session.nbytes()
                with self._lock:
                    if self._slots.get(session_id) is slot:
                        self._bytes += size - slot.size
                        slot.size = size
                        slot.last_used = self.clock()
                        self._fit(keep=session_id)

    def delete(self, session_id: str) -> None:
        with self._lock:
            self._expire(self.clock())
            if session_id not in self._slots:
                raise SessionNotFoundError(session_id)
            self._remove(session_id)
