"""Real server processes for the tests and the benches, each on a free port of 127.0.0.1.

`AppProcess` is one uvicorn serving app.main:app with the environment given,
ready once /healthz answers; `redis_server` is a redis-server without
persistence, ready once it answers PING. Both stop when their block ends.
Tests, benches and fixtures all start servers this one way, so a change to
how the app starts (an option, a longer wait on a loaded machine) is made once.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

import httpx
import redis

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[1]
START_SECONDS = 60.0  # a loaded machine (CI, several suites at once) imports slowly
REDIS_CANDIDATES = ("/usr/bin/redis-server", "/usr/local/bin/redis-server")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


class AppProcess:
    """One uvicorn process serving app.main:app with the given environment.

    `env` adds to (or overrides) this process's environment; `log`, when given,
    receives uvicorn's output (otherwise it goes to this process's).
    """

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        port: int | None = None,
        log: Path | None = None,
    ) -> None:
        self.env = dict(env or {})
        self.port = port or free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> AppProcess:
        command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", HOST,
                   "--port", str(self.port), "--log-level", "warning", "--no-access-log",
                   "--timeout-graceful-shutdown", "1"]  # fmt: skip
        out = self.log.open("ab") if self.log is not None else None
        try:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT), **self.env},
                stdout=out,
                stderr=subprocess.STDOUT if out is not None else None,
            )
        finally:
            if out is not None:
                out.close()  # the child keeps its own copy
        self._wait_until_healthy()
        return self

    def _wait_until_healthy(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                where = f"; see {self.log}" if self.log is not None else ""
                raise RuntimeError(f"uvicorn did not start{where}")
            time.sleep(0.05)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

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

    def __enter__(self) -> AppProcess:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


def redis_server_path() -> str | None:
    for candidate in REDIS_CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("redis-server")


@contextmanager
def redis_server(executable: str | None = None) -> Iterator[str]:
    """A redis-server without persistence; its URL (database 0)."""
    executable = executable or redis_server_path()
    if executable is None:
        raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [executable, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no",
         "--daemonize", "no", "--loglevel", "warning"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://{HOST}:{port}/0"
    try:
        client = redis.Redis.from_url(url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        client.close()
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
