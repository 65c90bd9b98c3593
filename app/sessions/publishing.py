"""Every change to a session with a live class, published to the class's followers.

PublishingStore wraps any SessionStore: when a request changed a session that
has a class, it publishes the new state (as `render` writes it) while still
holding the session's lock, so events leave in the order the changes were
made. The Redis store publishes by itself, in the script that saves the
session (app.sessions.store_redis).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from app.classroom.store import ClassStore
from app.sessions.session import Session, same_mark
from app.sessions.store import SessionStore

__all__ = ["PublishingStore", "Render"]

Render = Callable[[Session], bytes]  # what followers receive of a session's state


class PublishingStore(SessionStore):
    """A SessionStore that tells a session's class about every change made to the session."""

    def __init__(self, inner: SessionStore, classes: ClassStore, render: Render) -> None:
        self.inner = inner
        self.classes = classes
        self.render = render

    def __len__(self) -> int:
        return len(self.inner)

    def add(self, session: Session) -> str:
        return self.inner.add(session)

    def delete(self, session_id: str) -> None:
        self.inner.delete(session_id)

    @contextmanager
    def open(self, session_id: str) -> Iterator[Session]:
        with self.inner.open(session_id) as session:
            before = session.mark()
            try:
                yield session
            finally:
                if not same_mark(before, session.mark()):
                    code = self.classes.code_for(session_id)
                    if code is not None:
                        self.classes.publish(code, "state", self.render(session))
