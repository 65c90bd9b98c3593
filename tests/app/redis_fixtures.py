"""A real redis-server for the tests, and app processes (uvicorn) that share it.

`redis_url` starts one redis-server per test session on a free port of
127.0.0.1 (no persistence). Without redis-server the tests that need it skip
with a reason, except in CI (the CI variable is set), where that is a failure.
Each test gets its own key prefix, so tests never see each other's keys.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import redis

from tests.servers import AppProcess, redis_server, redis_server_path

__all__ = ["app_processes", "redis_client", "redis_prefix", "redis_url"]


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    executable = redis_server_path()
    if executable is None:
        reason = "redis-server is not installed (apt-get install redis-server); Redis tests need it"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}, and CI must not skip them")
        pytest.skip(reason)
    with redis_server(executable) as url:
        yield url


@pytest.fixture
def redis_prefix() -> str:
    return f"t{uuid.uuid4().hex[:12]}:"


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture(scope="module")
def app_processes(redis_url: str) -> Iterator[list[AppProcess]]:
    """Two app processes on different ports sharing one Redis, for a module's tests."""
    prefix = f"t{uuid.uuid4().hex[:12]}:"
    env = {"BACKPROP_LENS_REDIS_URL": redis_url, "BACKPROP_LENS_REDIS_PREFIX": prefix,
           "BACKPROP_LENS_CLASS_HISTORY_EVENTS": "20"}  # fmt: skip
    processes = [AppProcess(env), AppProcess(env)]
    try:
        for p in processes:
            p.start()
        yield processes
    finally:
        for p in processes:
            p.stop()
