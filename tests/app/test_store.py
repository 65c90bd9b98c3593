"""The session store: TTL, LRU cap and byte budget (with an injected clock), over HTTP too."""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient

from app.errors import SessionNotFoundError
from app.main import create_app
from app.sessions.create import new_session
from app.sessions.store import InMemorySessionStore, SessionStore
from app.settings import Settings
from app.spec.requests import SessionConfig
from tests.app.helpers import config


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def session_of(settings: Settings) -> object:
    return new_session(SessionConfig.model_validate(config()), settings)


def make_store(clock: Clock, **limits: float) -> InMemorySessionStore:
    return InMemorySessionStore(
        ttl_seconds=limits.get("ttl", 60.0),
        max_sessions=int(limits.get("max_sessions", 3)),
        max_bytes=int(limits.get("max_bytes", 10**9)),
        clock=clock,
    )


def test_the_store_is_a_session_store() -> None:
    assert isinstance(make_store(Clock()), SessionStore)


def test_ttl_counts_from_last_use() -> None:
    clock, settings = Clock(), Settings()
    store = make_store(clock, ttl=60.0)
    sid = store.add(new_session(SessionConfig.model_validate(config()), settings))
    clock.now += 59
    with store.open(sid):
        pass  # used: the clock restarts
    clock.now += 59
    with store.open(sid):
        pass
    clock.now += 60.5
    with pytest.raises(SessionNotFoundError), store.open(sid):
        pass
    assert len(store) == 0
    assert store.bytes_used == 0


def test_least_recently_used_goes_first() -> None:
    clock, settings = Clock(), Settings()
    store = make_store(clock, max_sessions=3)
    ids = [store.add(new_session(SessionConfig.model_validate(config()), settings))]
    for _ in range(2):
        clock.now += 1
        ids.append(store.add(new_session(SessionConfig.model_validate(config()), settings)))
    with store.open(ids[0]):
        pass  # now ids[1] is the least recently used
    ids.append(store.add(new_session(SessionConfig.model_validate(config()), settings)))
    assert len(store) == 3
    with pytest.raises(SessionNotFoundError), store.open(ids[1]):
        pass
    for sid in (ids[0], ids[2], ids[3]):
        with store.open(sid):
            pass


def test_memory_budget_evicts_and_is_accounted() -> None:
    clock, settings = Clock(), Settings()
    first = new_session(SessionConfig.model_validate(config()), settings)
    size = first.nbytes()
    store = make_store(clock, max_sessions=100, max_bytes=int(size * 2.5))
    ids = [store.add(first)]
    for _ in range(3):
        ids.append(store.add(new_session(SessionConfig.model_validate(config()), settings)))
    assert len(store) == 2
    assert store.bytes_used <= size * 2.5
    with store.open(ids[-1]) as session:
        session.train(200, settings)  # more kept history: the session grows
    assert store.bytes_used <= size * 2.5 or len(store) == 1
    with store.open(ids[-1]) as session:
        assert session.iteration == 200


def test_concurrent_use_is_safe() -> None:
    settings = Settings()
    store = make_store(Clock(), max_sessions=100)
    sid = store.add(new_session(SessionConfig.model_validate(config()), settings))

    def work() -> None:
        for _ in range(40):
            with store.open(sid) as session:
                session.step("forward", "step")

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with store.open(sid) as session:
        assert session.iteration * 8 + session.index == 160


def test_ttl_over_http_with_an_injected_clock() -> None:
    clock = Clock()
    settings = Settings(session_ttl_seconds=30.0)
    store = make_store(clock, ttl=30.0)
    with TestClient(create_app(settings, store=store)) as client:
        sid = client.post("/api/v1/sessions", json={"preset": "xor"}).json()["id"]
        clock.now += 29
        assert client.get(f"/api/v1/sessions/{sid}").status_code == 200
        clock.now += 31
        assert client.get(f"/api/v1/sessions/{sid}").status_code == 404


def test_max_sessions_over_http() -> None:
    with TestClient(create_app(Settings(max_sessions=2))) as client:
        ids = [client.post("/api/v1/sessions", json={"preset": "xor"}).json()["id"]]
        ids += [client.post("/api/v1/sessions", json={"preset": "sine"}).json()["id"]]
        ids += [client.post("/api/v1/sessions", json={"preset": "circle"}).json()["id"]]
        statuses = [client.get(f"/api/v1/sessions/{sid}").status_code for sid in ids]
        assert statuses == [404, 200, 200]
