"""Dependencies, as Annotated aliases: the settings, the stores and the field cache.

They live on `app.state` (set by app.main.create_app); tests override them by
building an app with their own, or with `app.dependency_overrides`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.classroom.store import ClassStore
from app.sessions.store import SessionStore
from app.settings import Settings
from app.wire.field_cache import FieldCache

__all__ = [
    "ClassStoreDep",
    "FieldCacheDep",
    "SettingsDep",
    "StoreDep",
    "get_class_store",
    "get_field_cache",
    "get_settings",
    "get_store",
]


# async: FastAPI runs a plain `def` dependency in the thread pool, a hand-off that
# costs far more than reading an attribute.
async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_store(request: Request) -> SessionStore:
    store: SessionStore = request.app.state.store
    return store


async def get_class_store(request: Request) -> ClassStore:
    classes: ClassStore = request.app.state.classes
    return classes


async def get_field_cache(request: Request) -> FieldCache:
    cache: FieldCache = request.app.state.field_cache
    return cache


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[SessionStore, Depends(get_store)]
ClassStoreDep = Annotated[ClassStore, Depends(get_class_store)]
FieldCacheDep = Annotated[FieldCache, Depends(get_field_cache)]
