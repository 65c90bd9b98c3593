"""Request and response models of the live-class routes (app.routers.classes)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, create_model

from app.schemas import Out, Request, SessionConfig, SessionState

__all__ = ["ClassCreate", "ClassInfo", "ClassState", "FollowerState"]

CodeText = Annotated[str, Field(min_length=1, max_length=16)]
SessionIdText = Annotated[str, Field(min_length=1, max_length=128)]


class ClassCreate(Request):
    """Empty to start a class; with both fields, move class `code` over from `from_session`."""

    code: CodeText | None = None
    from_session: SessionIdText | None = None


class ClassInfo(Out):
    code: str = Field(description="6 characters from 23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    join_url: str
    qr_url: str = Field(description="the join URL as a QR code (SVG); needs the session id")
    seq: int = Field(description="the number of the class's latest event")
    followers: int = Field(description="event streams open on this app process")


# The session's state as followers see it: everything but the id (which allows changing it).
_fields: dict[str, Any] = {
    name: (info.annotation, info)
    for name, info in SessionState.model_fields.items()
    if name != "id"
}
FollowerState: type[BaseModel] = create_model("FollowerState", __base__=Out, **_fields)


class ClassState(Out):
    code: str
    seq: int = Field(description="the latest event's number: stream from here with Last-Event-ID")
    state: FollowerState
    export: SessionConfig | None = Field(
        description="the session as POST /api/v1/sessions takes it (take a copy); null if the "
        "instructor's session has ended"
    )
