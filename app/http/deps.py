"""Dependencies, as Annotated aliases: the settings, the stores, the field cache, the client.

They live on `app.state` (set by app.main.create_app); tests override them by
building an app with their own, or with `app.dependency_overrides`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Request

from app.classroom.questions import QuestionStore
from app.classroom.store import ClassStore
from app.http.client import client_address
from app.sessions.store import SessionStore
from app.settings import Settings
from app.wire.field_cache import FieldCache

__all__ = [
    "ClassStoreDep",
    "ClientDep",
    "FieldCacheDep",
    "QuestionStoreDep",
    "SettingsDep",
    "StoreDep",
    "get_class_store",
    "get_client",
    "get_field_cache",
    "get_questions",
    "get_settings",
    "get_store",
]


def _from_app_state(name: str) -> Callable[[Request], Awaitable[Any]]:
    # async: FastAPI runs a plain `def` dependency in the thread pool, a hand-off that
    # costs far more than reading an attribute.
    async def get(request: Request) -> Any:
        return getattr(request.app.state, name)

    get.__name__ = f"get_{name}"
    return get


get_settings = _from_app_state("settings")
get_store = _from_app_state("store")
get_class_store = _from_app_state("classes")
get_field_cache = _from_app_state("field_cache")
get_questions = _from_app_state("questions")

SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[SessionStore, Depends(get_store)]
ClassStoreDep = Annotated[ClassStore, Depends(get_class_store)]
FieldCacheDep = Annotated[FieldCache, Depends(get_field_cache)]


async def get_client(request: Request) -> str:
    """The client's address, as the per-client limits count it (app.http.client)."""
    return client_address(request.scope, request.app.state.settings.trusted_proxies)


ClientDep = Annotated[str, Depends(get_client)]
QuestionStoreDep = Annotated[QuestionStore, Depends(get_questions)]
