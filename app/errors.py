"""The app's domain errors: what a request asked for that the app cannot do, in words.

No web framework here: sessions, classes and stores raise these, and
app.http.errors alone turns them into statuses and the one error shape.

- engine.DefinitionError (a network, data or limit that cannot be): 422
- InvalidRequestError (a request whose parts do not fit together): 422
- NotFoundError (no such session or class, or it ended): 404
- ConflictError (not possible in the current state, or busy): 409
- StoreFullError (every kept session is in use: no room for another now): 503
- TooManyRequestsError (one client asked too often): 429
"""

from __future__ import annotations

__all__ = [
    "AppError",
    "ClassNotFoundError",
    "ClassSessionEndedError",
    "ConflictError",
    "InvalidRequestError",
    "NotFoundError",
    "SessionNotFoundError",
    "StoreFullError",
    "TooManyRequestsError",
]


class AppError(Exception):
    """A request the app cannot serve, with a message a person can act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidRequestError(AppError):
    """Parts of a request that do not fit together; `field` names one of them."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(AppError, LookupError):
    pass


class SessionNotFoundError(NotFoundError):
    def __init__(self, session_id: str) -> None:
        super().__init__(
            f"no session {session_id!r}: it never existed, was deleted, or ended "
            "(sessions end after a time without use, or when the server needs the room)"
        )
        self.session_id = session_id


class ClassNotFoundError(NotFoundError):
    def __init__(self, code: str) -> None:
        super().__init__(
            f"no live class {code!r}: check the code, or the instructor has ended the class "
            "(classes also end after a time without activity)"
        )
        self.code = code


class ClassSessionEndedError(NotFoundError):
    """A live class whose instructor's session has ended (the class itself has not)."""

    def __init__(self, code: str) -> None:
        super().__init__(
            f"live class {code!r} has no session to show: the instructor's session has ended "
            "(the class shows its last state until the instructor starts another)"
        )
        self.code = code


class ConflictError(AppError):
    """Not possible in the session's current state (or it is busy): try something else."""


class StoreFullError(AppError):
    """No room for a new session: every session kept is in use (a live class, or used within
    the last `pin_seconds`), and none is evicted for a newcomer."""

    def __init__(self, retry_after: float, pin_seconds: float) -> None:
        minutes = pin_seconds / 60
        super().__init__(
            "the server is full: every session it can keep is in use (a live class, or used "
            f"within the last {minutes:g} minutes), and none is ended to make room; try again "
            f"in {max(1, round(retry_after))} s"
        )
        self.retry_after = retry_after


class TooManyRequestsError(AppError):
    """One client (a class's follower) asked more often than it may: wait, or stop."""
