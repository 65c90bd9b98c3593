"""Where sessions live: an interface, and the in-process implementation.

A session is plain data (app.sessions.session.Session: configuration,
networks, iteration, cursor index, costs), so a store can keep it elsewhere
(app.sessions.store_redis) by serialising it; traces are recomputed on demand.

InMemorySessionStore bounds its memory three ways: a time-to-live since last
use, a cap on the number of sessions and a byte budget. To make room it evicts
only idle sessions: never one with a live class, nor one used within the last
`pin_seconds`. Among the idle, those of the owner (client address) that holds
the most go first, least recently used first, so one client's flood of new
sessions evicts its own. When every session is in use, a new one is refused
(StoreFullError: 503) rather than ending someone's work. It is thread-safe: FastAPI runs
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

from app.errors import SessionNotFoundError, StoreFullError
from app.sessions.session import Session

__all__ = ["InMemorySessionStore", "SessionStore", "new_session_id"]


def new_session_id() -> str:
    return secrets.token_urlsafe(32)  # 256 random bits, 43 url-safe characters


class SessionStore(ABC):
    """Keeps sessions by id. `open` gives exclusive access to one session."""

    @abstractmethod
    def add(self, session: Session, owner: str = "") -> str:
        """Keep a new session for `owner` (a client address); return its id (unguessable).

        Raise StoreFullError when there is no room: every session kept is in use."""

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
    owner: str
    lock: threading.Lock = field(default_factory=threading.Lock)


class InMemorySessionStore(SessionStore):
    def __init__(
        self,
        ttl_seconds: float,
        max_sessions: int,
        max_bytes: int,
        clock: Callable[[], float] = time.monotonic,
        pin_seconds: float = 0.0,
        in_class: Callable[[str], bool] = lambda session_id: False,
        on_end: Callable[[str, Session], None] | None = None,
    ) -> None:
        self.ttl = ttl_seconds
        self.max_sessions = max_sessions
        self.max_bytes = max_bytes
        self.clock = clock
        self.pin_seconds = pin_seconds
        self.in_class = in_class  # whether a session has a live class: never evicted then
        self.on_end = on_end  # told of every session that expired (outside the lock)
        self._slots: OrderedDict[str, _Slot] = OrderedDict()  # least recently used first
        self._owned: dict[str, OrderedDict[str, None]] = {}  # owner → its ids, as _slots
        self._bytes = 0
        self._lock = threading.Lock()
        self._ended: list[tuple[str, Session]] = []  # expired, to tell on_end of

    def __len__(self) -> int:
        with self._lock:
            self._expire(self.clock())
        self._tell_ended()
        return len(self._slots)

    @property
    def bytes_used(self) -> int:
        return self._bytes

    def held_by(self, owner: str) -> int:
        """How many sessions `owner` holds."""
        return len(self._owned.get(owner, ()))

    def _insert(self, session_id: str, slot: _Slot) -> None:
        self._slots[session_id] = slot
        self._owned.setdefault(slot.owner, OrderedDict())[session_id] = None
        self._bytes += slot.size

    def _touch(self, session_id: str, slot: _Slot, now: float) -> None:
        slot.last_used = now
        self._slots.move_to_end(session_id)
        self._owned[slot.owner].move_to_end(session_id)

    def _remove(self, session_id: str) -> _Slot:
        slot = self._slots.pop(session_id)
        owned = self._owned[slot.owner]
        del owned[session_id]
        if not owned:
            del self._owned[slot.owner]
        self._bytes -= slot.size
        return slot

    def _expire(self, now: float) -> None:
        while self._slots:
            session_id, slot = next(iter(self._slots.items()))
            if now - slot.last_used <= self.ttl:
                break
            self._remove(session_id)
            if self.on_end is not None:
                self._ended.append((session_id, slot.session))

    def _tell_ended(self) -> None:
        """Tell on_end of the sessions that expired (after the lock is released)."""
        if self.on_end is None or not self._ended:
            return
        with self._lock:
            ended, self._ended = self._ended, []
        for session_id, session in ended:
            self.on_end(session_id, session)

    def _victim(self, now: float, keep: str) -> str | None:
        """The session to evict: an idle one (no live class, unused for pin_seconds), of the
        owner holding the most sessions, its least recently used; None if none is idle."""
        for owner in sorted(self._owned, key=lambda o: len(self._owned[o]), reverse=True):
            for session_id in self._owned[owner]:  # least recently used first
                if now - self._slots[session_id].last_used < self.pin_seconds:
                    break  # this one and every later one is in use
                if session_id != keep and not self.in_class(session_id):
                    return session_id
        return None

    def _over(self, extra_count: int = 0, extra_bytes: int = 0) -> bool:
        return (
            len(self._slots) + extra_count > self.max_sessions
            or self._bytes + extra_bytes > self.max_bytes
        )

    def _fit(self, now: float, keep: str = "", extra_count: int = 0, extra_bytes: int = 0) -> bool:
        """Evict idle sessions (never `keep`) until within the bounds with `extra` more;
        False if the sessions in use alone are over them."""
        while self._over(extra_count, extra_bytes):
            victim = self._victim(now, keep)
            if victim is None:
                return False
            self._remove(victim)
        return True

    def _retry_after(self, now: float) -> float:
        """Seconds until the first session in use becomes idle (if it is not used again)."""
        pinned = [
            slot.last_used + self.pin_seconds - now
            for slot in self._slots.values()
            if now - slot.last_used < self.pin_seconds
        ]
        return max(1.0, min(pinned, default=self.pin_seconds or 60.0))

    def add(self, session: Session, owner: str = "") -> str:
        session_id = new_session_id()
        size = session.nbytes()
        full: float | None = None  # seconds to wait, when there is no room
        with self._lock:
            now = self.clock()
            self._expire(now)
            # A lone session larger than the budget is still kept when nothing else is.
            if self._fit(now, extra_count=1, extra_bytes=size) or not self._slots:
                self._insert(session_id, _Slot(session, now, size, owner))
            else:
                full = self._retry_after(now)
        self._tell_ended()
        if full is not None:
            raise StoreFullError(full, self.pin_seconds)
        return session_id

    @contextmanager
    def open(self, session_id: str) -> Iterator[Session]:
        with self._lock:
            now = self.clock()
            self._expire(now)
            slot = self._slots.get(session_id)
            if slot is not None:
                self._touch(session_id, slot, now)
        self._tell_ended()
        if slot is None:
            raise SessionNotFoundError(session_id)
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
                        now = self.clock()
                        self._touch(session_id, slot, now)
                        # Sessions in use may grow past the budget: none is evicted for it.
                        self._fit(now, keep=session_id)

    def delete(self, session_id: str) -> None:
        with self._lock:
            self._expire(self.clock())
            known = session_id in self._slots
            if known:
                self._remove(session_id)
        self._tell_ended()
        if not known:
            raise SessionNotFoundError(session_id)
