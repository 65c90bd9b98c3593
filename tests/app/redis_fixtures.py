"""A real redis-server for the tests, and app processes (uvicorn) that share it.

`redis_url` starts one redis-server per test session on a free port of
127.0.0.1 (no persistence). Without redis-server the tests that need it skip
with a reason, except in CI (the CI variable is set), where that is a failure.
Each test gets its own key prefix, so tests never see each other's keys.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]
REDIS_CANDIDATES = ("/usr/bin/redis-server", "/usr/local/bin/redis-server")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def redis_server_path() -> str | None:
    for candidate in REDIS_CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("redis-server")


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    executable = redis_server_path()
    if executable is None:
        reason = "redis-server is not installed (apt-get install redis-server); Redis tests need it"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}, and CI must not skip them")
        pytest.skip(reason)
    port = free_port()
    process = subprocess.Popen(
        [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("redis-server did not start")
                time.sleep(0.05)
        client.close()
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def redis_prefix() -> str:
    return f"t{uuid.uuid4().hex[:12]}:"


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


class AppProcess:
    """One uvicorn process serving app.main:app with the given environment."""

    def __init__(self, env: dict[str, str], port: int | None = None) -> None:
        self.env = env
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> AppProcess:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning",
             "--timeout-graceful-shutdown", "1"],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), **self.env},
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to save anything."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


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
