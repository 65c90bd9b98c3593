"""Every change to a session with a live class, published to the class's followers.

PublishingStore wraps any SessionStore: when a request changed a session that
has a class, it publishes the change while still holding the session's lock, so
events leave in the order the changes were made. What an event holds is the
ChangeEvents' to say (app.wire.delta.FollowerEvents: what changed since the state
before the request). The Redis store publishes by itself, in the script that
saves the session (app.sessions.store_redis).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from app.classroom.events import EventKind
from app.classroom.store import ClassStore
from app.sessions.session import Session, same_mark
from app.sessions.store import SessionStore

__all__ = ["ChangeEvents", "PublishingStore"]


class ChangeEvents(Protocol):
    """What followers receive of a session's changes."""

    def before(self, session: Session) -> object:
        """What a session holds before a request (to say later what the request changed)."""

    def event(self, session: Session, before: object) -> tuple[EventKind, bytes]:
        """The event for a change: its kind and its data (JSON)."""


class PublishingStore(SessionStore):
    """A SessionStore that tells a session's class about every change made to the session."""

    def __init__(self, inner: SessionStore, classes: ClassStore, events: ChangeEvents) -> None:
        self.inner = inner
        self.classes = classes
        self.events = events

    def __len__(self) -> int:
        return len(self.inner)

    def add(self, session: Session, owner: str = "") -> str:
        return self.inner.add(session, owner)

    def delete(self, session_id: str) -> None:
        self.inner.delete(session_id)

    @contextmanager
    def open(self, session_id: str) -> Iterator[Session]:
        with self.inner.open(session_id) as session:
            code = self.classes.code_for(session_id)
            before = None if code is None else self.events.before(session)
            mark = session.mark()
            try:
                yield session
            finally:
                if code is not None and not same_mark(mark, session.mark()):
                    self.classes.publish(code, *self.events.event(session, before))
