"""What changed: a session's state as a delta from a version the client already holds.

Every session state carries a `version` (app.wire.versions). A client that sends
it back (`since`) gets only what changed: within an iteration, the cursor and a
few small fields; at a new iteration, its trace once; costs and evaluations
appended, not resent. The server keeps nothing per client: the token says what
to compare, so any process can answer. A token that does not parse, or a history
the session no longer has, gets those parts in full.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from app.classroom.events import EventKind
from app.sessions.session import Session
from app.wire.convert import JSON, dumps, trace_json
from app.wire.state import config_json, evaluation_columns, state_json, state_summary
from app.wire.versions import (
    COST_WINDOW,
    ROW_WINDOW,
    Appended,
    Tail,
    Version,
    appended,
    cost_items,
    encode_costs,
    encode_rows,
    row_items,
    version_of,
)

__all__ = ["FollowerEvents", "delta_json", "state_or_delta"]


def _history(change: Appended | None, everything: Any, encode: Callable[[list[Any]], Any]) -> Any:
    """A history as the client's plus what to append, or whole when it cannot be."""
    if change is None:
        return everything
    return {"from": change.first, "upto": change.upto, "append": encode(change.items)}


def _costs_delta(session: Session, held: Tail) -> Any:
    # Only the costs from the client's windows on matter (they are consecutive).
    recent = cost_items(session, held.mark - COST_WINDOW if held.count else None)
    new = appended(recent, held, COST_WINDOW, encode_costs)
    if new is not None:
        new = replace(new, first=session.iteration - len(session.cost_history))
    return _history(new, list(session.cost_history), list)


def _evaluations_delta(session: Session, held: Tail) -> Any:
    new = appended(row_items(session), held, ROW_WINDOW, encode_rows)
    return _history(new, evaluation_columns(session.evaluations), evaluation_columns)


def delta_json(session: Session, session_id: str, since: Version) -> JSON:
    """The state as what changed since `since`: small parts always, the configuration and
    the iteration's trace when they changed, the histories' new items (or all of them)."""
    now = version_of(session)
    out: JSON = {"id": session_id, "version": now.token(), "delta": True}
    out.update(state_summary(session))
    if now.config != since.config:
        out["config"] = config_json(session.config)
    if (now.iteration, now.start) != (since.iteration, since.start):
        trace, indices = session.trace()
        out["trace"] = trace_json(trace, indices, batch=True)
    out["cost_history"] = _costs_delta(session, since.costs)
    out["evaluations"] = _evaluations_delta(session, since.evaluations)
    return out


def state_or_delta(session: Session, session_id: str, since: str | None) -> JSON:
    """The changes since the version `since` names, or the whole state without one."""
    held = None if since is None else Version.parse(since)
    return (
        state_json(session, session_id) if held is None else delta_json(session, session_id, held)
    )


class FollowerEvents:
    """A live class's events (app.sessions.publishing.ChangeEvents): each change of the
    session as a delta from the state before it, which is the previous event's state
    (`base` names it, so a follower that holds another can ask for the whole state)."""

    def before(self, session: Session) -> object:
        return version_of(session)

    def event(self, session: Session, before: object) -> tuple[EventKind, bytes]:
        assert isinstance(before, Version)
        delta = delta_json(session, "", before)
        del delta["id"]  # the id is the key to change the session: followers never see it
        delta["base"] = before.token()
        return "delta", dumps(delta)
