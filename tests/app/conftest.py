"""Fixtures: an app with default or small settings, a client over ASGI, a live server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tests.app.redis_fixtures import (  # noqa: F401  (fixtures: a real redis-server, app processes)
    app_processes,
    redis_client,
    redis_prefix,
    redis_url,
)
from tests.servers import AppProcess


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """A real uvicorn serving app.main:app on a free port of 127.0.0.1."""
    with AppProcess() as process:
        yield process.url
