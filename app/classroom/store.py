"""Live classes: a session that followers watch through a join code, and its events.

A class belongs to one session at a time (the instructor's); the join code is
its only public name and gives read access only (app.routers.classes). Every
change to that session becomes an Event (`state`, with the session's state
minus its id) numbered 1, 2, 3 … per class; a class keeps its latest
`history` events so a follower that reconnects gets exactly what it missed,
and one that fell further behind gets the latest state. Classes live as long
as sessions (the TTL, refreshed by each event), and a configuration change (a
new session) keeps the class: the instructor moves it over.

ClassStore has two implementations: InMemoryClassStore (here, one process)
and RedisClassStore (app.classroom.store_redis, any number of processes).
Who publishes a session's changes: app.sessions.publishing.
"""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from app.classroom.codes import new_code
from app.classroom.events import Event, EventKind, Hub, Listener
from app.errors import ClassNotFoundError

__all__ = ["ClassStore", "InMemoryClassStore"]


class ClassStore(ABC):
    """Classes by join code, their session, and their numbered events."""

    hub: Hub

    @abstractmethod
    def create(self, session_id: str) -> tuple[str, bool]:
        """The session's class code, made now (True) or already there (False)."""

    @abstractmethod
    def code_for(self, session_id: str) -> str | None: ...

    @abstractmethod
    def session_for(self, code: str) -> str:
        """The id of the class's session; ClassNotFoundError if there is no such class."""

    @abstractmethod
    def move(self, code: str, from_session: str, to_session: str) -> None:
        """Attach the class to another session; only the holder of its current one may."""

    @abstractmethod
    def publish(self, code: str, kind: EventKind, data: bytes) -> Event | None:
        """Number and keep the event, and send it to every follower (None: no such class)."""

    def end(self, code: str, data: bytes = b'{"reason":"the instructor ended the class"}') -> None:
        """Send `end` (with `data`) to the followers and forget the class."""
        self.publish(code, "end", data)
        self._forget(code)

    def listen(self, code: str) -> Listener:
        """A follower's stream opens: its listener, counted among the class's followers."""
        return self.hub.listen(code)

    def unlisten(self, listener: Listener) -> None:
        """A follower's stream closes."""
        self.hub.close(listener)

    def followers(self, code: str) -> int:
        """How many event streams follow the class (on every process)."""
        return self.hub.count(code)

    @abstractmethod
    def _forget(self, code: str) -> None: ...

    @abstractmethod
    def latest(self, code: str) -> Event:
        """The class's last event; ClassNotFoundError if there is no such class."""

    @abstractmethod
    def since(self, code: str, seq: int) -> list[Event] | None:
        """The events after `seq`, in order; None if some are no longer kept (too far behind).

        ClassNotFoundError if there is no such class.
        """

    def start_listening(self) -> None:  # noqa: B027  (most stores need nothing)
        """Make sure this process receives the class events (Redis: subscribe once)."""

    def close(self) -> None:  # noqa: B027
        """Release connections and threads."""


@dataclass(eq=False)
class _Class:
    code: str
    session_id: str
    events: deque[Event]
    last_used: float
    seq: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class InMemoryClassStore(ClassStore):
    def __init__(
        self,
        ttl_seconds: float,
        max_classes: int,
        history: int,
        hub: Hub | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl_seconds
        self.max_classes = max_classes
        self.history = history
        # A follower never needs more queued than the class keeps: beyond that it
        # catches up from the kept events (or the latest state), so memory stays bounded.
        self.hub = hub or Hub(limit=history)
        self.clock = clock
        self._classes: dict[str, _Class] = {}  # insertion order = least recently used first
        self._by_session: dict[str, str] = {}
        self._lock = threading.Lock()

    def _expire(self) -> None:
        now = self.clock()
        for code, klass in list(self._classes.items()):
            if now - klass.last_used > self.ttl:
                self._drop(code)
        while len(self._classes) > self.max_classes:
            self._drop(next(iter(self._classes)))

    def _drop(self, code: str) -> None:
        klass = self._classes.pop(code)
        if self._by_session.get(klass.session_id) == code:
            del self._by_session[klass.session_id]

    def _get(self, code: str) -> _Class:
        self._expire()
        klass = self._classes.get(code)
        if klass is None:
            raise ClassNotFoundError(code)
        return klass

    def create(self, session_id: str) -> tuple[str, bool]:
        with self._lock:
            self._expire()
            existing = self._by_session.get(session_id)
            if existing is not None:
                return existing, False
            code = new_code()
            while code in self._classes:
                code = new_code()
            self._classes[code] = _Class(code, session_id, deque(maxlen=self.history), self.clock())
            self._by_session[session_id] = code
            self._expire()
            return code, True

    def code_for(self, session_id: str) -> str | None:
        with self._lock:
            self._expire()
            return self._by_session.get(session_id)

    def session_for(self, code: str) -> str:
        with self._lock:
            return self._get(code).session_id

    def move(self, code: str, from_session: str, to_session: str) -> None:
        with self._lock:
            klass = self._get(code)
            if klass.session_id != from_session:
                raise ClassNotFoundError(code)
            if self._by_session.get(from_session) == code:
                del self._by_session[from_session]
            other = self._by_session.get(to_session)
            if other is not None and other != code:
                self._drop(other)
            klass.session_id = to_session
            self._by_session[to_session] = code

    def publish(self, code: str, kind: EventKind, data: bytes) -> Event | None:
        with self._lock:
            klass = self._classes.get(code)
            if klass is None:
                return None
            klass.seq += 1
            event = Event(klass.seq, kind, data)
            klass.events.append(event)
            klass.last_used = self.clock()
            self._classes[code] = self._classes.pop(code)  # most recently used last
            # Inside the lock: events reach the hub in the order of their numbers.
            self.hub.deliver(code, event)
            return event

    def _forget(self, code: str) -> None:
        with self._lock:
            if code in self._classes:
                self._drop(code)

    def latest(self, code: str) -> Event:
        with self._lock:
            klass = self._get(code)
            if not klass.events:
                raise ClassNotFoundError(code)
            return klass.events[-1]

    def since(self, code: str, seq: int) -> list[Event] | None:
        with self._lock:
            klass = self._get(code)
            events = list(klass.events)
        if seq >= klass.seq:
            return []
        if not events or events[0].seq > seq + 1:
            return None
        return [e for e in events if e.seq > seq]
