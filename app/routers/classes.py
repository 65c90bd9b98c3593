"""Live classes: the instructor's routes (by session id) and the followers' (by join code).

The session id is the key to a session: only its holder can start, move or
end the session's class. The join code opens two read-only routes and nothing
else: the class's current state (and an export to take a copy from) and its
event stream (server-sent events, numbered; Last-Event-ID resumes exactly).
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from functools import lru_cache
from typing import Annotated

import anyio.to_thread
import orjson
import segno
from fastapi import APIRouter, Body, Header, Query, Request, Response
from fastapi.responses import StreamingResponse

from app.classroom.codes import join_code
from app.classroom.events import POKE, Event
from app.classroom.store import ClassStore
from app.errors import (
    ClassNotFoundError,
    ClassSessionEndedError,
    InvalidRequestError,
    NotFoundError,
    SessionNotFoundError,
)
from app.http.deps import ClassStoreDep, QuestionStoreDep, SettingsDep, StoreDep
from app.http.openapi import BODY, FOLLOWER, SESSION, link, responses
from app.http.reads import Code, SessionId
from app.http.respond import json_response
from app.sessions.store import SessionStore
from app.settings import Settings
from app.spec.requests import ClassCreate
from app.wire.convert import JSON
from app.wire.responses import ClassInfo, ClassState
from app.wire.state import class_end, export_json, follower_state

__all__ = ["router"]

router = APIRouter(tags=["classes"])
KEEP_ALIVE_SECONDS = 15.0
_SSE_HEADERS = {
    "Cache-Control": "no-cache, no-transform",
    "X-Accel-Buffering": "no",  # nginx: pass each event on at once
}


# What a live class opens (OpenAPI links): the instructor's routes by the session id,
# the followers' by the join code.
_SESSION_ID = "$request.path.session_id"
_CODE = "$response.body#/code"
_LINKS = {
    "get_class": link("GET", "/api/v1/sessions/{session_id}/class", session_id=_SESSION_ID),
    "class_qr": link("GET", "/api/v1/sessions/{session_id}/class/qr.svg", session_id=_SESSION_ID),
    "end_class": link("DELETE", "/api/v1/sessions/{session_id}/class", session_id=_SESSION_ID),
    "class_state": link("GET", "/api/v1/classes/{code}", code=_CODE),
    "class_events": link("GET", "/api/v1/classes/{code}/events", code=_CODE),
    "class_field": link("GET", "/api/v1/classes/{code}/field", code=_CODE),
    "class_data": link("GET", "/api/v1/classes/{code}/data", code=_CODE),
    "class_predictions": link("GET", "/api/v1/classes/{code}/predictions", code=_CODE),
    "class_terms": link("GET", "/api/v1/classes/{code}/terms", code=_CODE),
    "ask_question": link(
        "POST", "/api/v1/sessions/{session_id}/class/questions", session_id=_SESSION_ID
    ),
    "class_question": link("GET", "/api/v1/classes/{code}/question", code=_CODE),
    "answer_question": link("POST", "/api/v1/classes/{code}/answers", code=_CODE),
}


def _base_url(request: Request, settings: Settings) -> str:
    base = settings.public_url or str(request.base_url)
    return base if base.endswith("/") else base + "/"


def _info(
    request: Request, settings: Settings, classes: ClassStore, code: str, session_id: str
) -> ClassInfo:
    try:
        seq = classes.latest(code).seq
    except ClassNotFoundError:
        seq = 0
    return ClassInfo(
        code=code,
        join_url=f"{_base_url(request, settings)}class/{code}",
        qr_url=f"/api/v1/sessions/{session_id}/class/qr.svg",
        seq=seq,
        followers=classes.followers(code),
    )


@router.post(
    "/api/v1/sessions/{session_id}/class",
    response_model=None,
    responses={
        **responses(
            ClassInfo,
            status=200,
            description="The session's class (already live, or moved)",
            links=_LINKS,
        ),
        **responses(ClassInfo, *BODY, *SESSION, status=201, description="Started", links=_LINKS),
    },
)
def start_class(
    session_id: SessionId,
    request: Request,
    settings: SettingsDep,
    store: StoreDep,
    classes: ClassStoreDep,
    body: Annotated[ClassCreate | None, Body()] = None,
) -> Response:
    """Make the session a live class (or move class `code` over from `from_session`)."""
    if body is not None and (body.code is None) != (body.from_session is None):
        raise InvalidRequestError(
            "code, from_session: give both (to move a class to this session) or neither",
            "code" if body.code is None else "from_session",
        )
    with store.open(session_id) as session:
        if body is not None and body.code is not None and body.from_session is not None:
            code = join_code(body.code)
            try:
                classes.move(code, body.from_session, session_id)
            except ClassNotFoundError:
                raise ClassNotFoundError(body.code) from None
            if body.from_session != session_id:
                classes.publish(code, "state", follower_state(session))
            status = 200
        else:
            code, created = classes.create(session_id)
            if created:
                classes.publish(code, "state", follower_state(session))
            status = 201 if created else 200
        info = _info(request, settings, classes, code, session_id)
    return json_response(info.model_dump(), status_code=status)


def _code_of(classes: ClassStore, store: SessionStore, session_id: str, hint: str = "") -> str:
    """The join code of the session's live class; 404 if the session has none."""
    with store.open(session_id):
        code = classes.code_for(session_id)
    if code is None:
        raise NotFoundError(f"this session has no live class{hint}")
    return code


@router.get(
    "/api/v1/sessions/{session_id}/class",
    response_model=None,
    responses=responses(ClassInfo, *SESSION),
)
def get_class(
    session_id: SessionId,
    request: Request,
    settings: SettingsDep,
    store: StoreDep,
    classes: ClassStoreDep,
) -> Response:
    """The session's live class, if it has one (404 otherwise)."""
    code = _code_of(classes, store, session_id, "; POST to start one")
    return json_response(_info(request, settings, classes, code, session_id).model_dump())


@router.delete(
    "/api/v1/sessions/{session_id}/class",
    status_code=204,
    response_model=None,
    responses={204: {"description": "Ended"}, **responses(None, *SESSION)},
)
def end_class(
    session_id: SessionId, store: StoreDep, classes: ClassStoreDep, questions: QuestionStoreDep
) -> Response:
    """End the session's live class: followers get an `end` event (with the session's export,
    to take a copy of where the class ended), the code stops working, and its questions
    and answers are forgotten."""
    with store.open(session_id) as session:
        code = classes.code_for(session_id)
        if code is None:
            raise NotFoundError("this session has no live class")
        classes.end(code, class_end(session))
    questions.forget(code)
    return Response(status_code=204)


@lru_cache(maxsize=256)
def _qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=8, border=2, xmldecl=False, title=url, dark="#000", light="#fff"
    )
    return buffer.getvalue()


@router.get(
    "/api/v1/sessions/{session_id}/class/qr.svg",
    response_model=None,
    responses={
        200: {"content": {"image/svg+xml": {}}, "description": "The join URL as a QR code"},
        **responses(None, *SESSION),
    },
)
def class_qr(
    session_id: SessionId,
    request: Request,
    settings: SettingsDep,
    store: StoreDep,
    classes: ClassStoreDep,
) -> Response:
    """The class's join URL as a QR code, in SVG (scales to any size; project it)."""
    code = _code_of(classes, store, session_id)
    svg = _qr_svg(f"{_base_url(request, settings)}class/{code}")
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-store"})


def _snapshot(classes: ClassStore, store: SessionStore, code: str) -> tuple[Event, JSON]:
    """The class's whole state now, numbered as its latest event, and the session's export.

    Read under the session's lock, which every change holds while it publishes: the
    state is exactly the one the latest event leaves."""
    session_id = classes.session_for(code)
    try:
        with store.open(session_id) as session:
            latest = classes.latest(code)
            if latest.kind == "end":
                raise ClassNotFoundError(code)
            return Event(latest.seq, "state", follower_state(session)), export_json(session)
    except SessionNotFoundError:  # (its message would name the session id)
        raise ClassSessionEndedError(code) from None


@router.get(
    "/api/v1/classes/{code}",
    response_model=None,
    responses=responses(ClassState, *FOLLOWER, 409),  # 409: the session is busy
)
def class_state(code: Code, store: StoreDep, classes: ClassStoreDep) -> Response:
    """The class's current state and an export to take a copy from."""
    code = join_code(code)
    event, export = _snapshot(classes, store, code)
    body = {"code": code, "seq": event.seq, "state": orjson.Fragment(event.data), "export": export}
    return json_response(body)


def _last_id(header: str | None, query: int | None) -> int | None:
    if query is not None:
        return query
    if header is None or not header.strip().isdigit():
        return None
    return int(header.strip())


@router.get(
    "/api/v1/classes/{code}/events",
    response_model=None,
    responses={
        200: {
            "content": {"text/event-stream": {}},
            "description": "Server-sent events: `state` (data: the session's whole state "
            "without its id), `delta` (data: what changed since the previous event's state, "
            "which `base` names: see docs/API.md) and `end`; `id` is the event's number",
        },
        **responses(None, *FOLLOWER),
    },
)
async def class_events(
    code: Code,
    classes: ClassStoreDep,
    store: StoreDep,
    last_event_id: Annotated[str | None, Header(max_length=32)] = None,
    after: Annotated[int | None, Query(ge=0, le=2**62, description="as Last-Event-ID")] = None,
) -> Response:
    """Follow the class live. Without an id: the current state first (`state`), then
    every change (`delta`: what changed since the previous event's state).

    With Last-Event-ID (or `after`): exactly the events after it, or, if they are no
    longer kept, the current state.
    """
    code = join_code(code)
    await anyio.to_thread.run_sync(classes.start_listening)
    listener = classes.listen(code)  # before reading: nothing falls in between

    def catch_up(seq: int | None) -> list[Event]:
        if seq is not None:
            missed = classes.since(code, seq)
            if missed is not None:
                return missed
        return [_snapshot(classes, store, code)[0]]

    try:
        backlog = await anyio.to_thread.run_sync(catch_up, _last_id(last_event_id, after))
    except NotFoundError:
        classes.unlisten(listener)
        raise

    async def stream() -> AsyncIterator[bytes]:
        last = 0
        try:
            yield b"retry: 1000\n\n"
            pending = backlog
            while True:
                for event in pending:
                    if event.seq <= last:
                        continue
                    yield event.frame
                    last = event.seq
                    if event.kind == "end":
                        return
                try:
                    async with asyncio.timeout(KEEP_ALIVE_SECONDS):  # (no task per wait)
                        event = await listener.queue.get()
                except TimeoutError:
                    yield b": keep-alive\n\n"
                    pending = []
                    continue
                if event is POKE or listener.overflowed or event.seq > last + 1:
                    listener.overflowed = False
                    try:
                        pending = await anyio.to_thread.run_sync(catch_up, last)
                    except NotFoundError:
                        yield b'event: end\ndata: {"reason":"the class has ended"}\n\n'
                        return
                else:
                    pending = [event]
        finally:
            classes.unlisten(listener)

    return StreamingResponse(stream(), media_type="text/event-stream", headers=_SSE_HEADERS)
