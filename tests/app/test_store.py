"""The session store: TTL, LRU cap and byte budget (with an injected clock), over HTTP too."""

from __future__ import annotations

import threading
from collections.abc import Callable

import orjson
import pytest
from fastapi.testclient import TestClient

from app.errors import SessionNotFoundError, StoreFullError
from app.main import create_app
from app.sessions.create import new_session
from app.sessions.session import Session
from app.sessions.store import InMemorySessionStore, SessionStore
from app.settings import Settings
from app.spec.requests import SessionConfig
from tests.app.helpers import alive, config


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def session_of(settings: Settings) -> object:
    return new_session(SessionConfig.model_validate(config()), settings)


def make_store(
    clock: Clock, in_class: Callable[[str], bool] = lambda _: False, **limits: float
) -> InMemorySessionStore:
    return InMemorySessionStore(
        ttl_seconds=limits.get("ttl", 60.0),
        max_sessions=int(limits.get("max_sessions", 3)),
        max_bytes=int(limits.get("max_bytes", 10**9)),
        clock=clock,
        pin_seconds=limits.get("pin", 0.0),
        in_class=in_class,
    )


def a_session() -> Session:
    return new_session(SessionConfig.model_validate(config()), Settings())


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
    with TestClient(create_app(Settings(max_sessions=2, session_pin_seconds=0))) as client:
        ids = [client.post("/api/v1/sessions", json={"preset": "xor"}).json()["id"]]
        ids += [client.post("/api/v1/sessions", json={"preset": "sine"}).json()["id"]]
        ids += [client.post("/api/v1/sessions", json={"preset": "circle"}).json()["id"]]
        statuses = [client.get(f"/api/v1/sessions/{sid}").status_code for sid in ids]
        assert statuses == [404, 200, 200]


def test_idle_sessions_of_the_owner_holding_the_most_go_first() -> None:
    clock = Clock()
    store = make_store(clock, max_sessions=4)
    mine = store.add(a_session(), owner="10.0.0.1")
    flood = []
    for _ in range(3):
        clock.now += 1
        flood.append(store.add(a_session(), owner="10.0.0.2"))
    # The store is full; the oldest session is mine, but the flooder holds three.
    clock.now += 1
    newcomer = store.add(a_session(), owner="10.0.0.3")
    assert [alive(store, sid) for sid in (mine, *flood, newcomer)] == [
        True, False, True, True, True,
    ]  # fmt: skip
    assert store.held_by("10.0.0.2") == 2
    # Holding as many as another, the least recently used goes: now flood[1] (mine was read).
    clock.now += 1
    store.add(a_session(), owner="10.0.0.3")
    assert [alive(store, sid) for sid in (mine, *flood)] == [True, False, False, True]


def test_a_session_in_use_is_never_evicted_and_a_full_store_refuses_a_new_one() -> None:
    clock = Clock()
    classes: set[str] = set()
    store = make_store(clock, lambda sid: sid in classes, max_sessions=2, pin=300.0, ttl=3600)
    teaching = store.add(a_session(), owner="teacher")
    classes.add(teaching)  # a live class: pinned however long it idles
    clock.now += 299
    working = store.add(a_session(), owner="student")
    clock.now += 200  # teaching: idle 499 s, but with its class; working: used 200 s ago
    with pytest.raises(StoreFullError) as refused:
        store.add(a_session(), owner="crowd")
    assert refused.value.retry_after == 100.0  # working turns idle in 100 s
    assert "every session it can keep is in use" in refused.value.message
    assert alive(store, teaching)
    assert alive(store, working)  # (used again: pinned for another 300 s)
    clock.now += 301
    newcomer = store.add(a_session(), owner="crowd")  # working is idle now: it goes
    assert [alive(store, sid) for sid in (teaching, working, newcomer)] == [True, False, True]


def test_a_session_with_a_class_that_expires_ends_its_class() -> None:
    clock = Clock()
    ended: list[tuple[str, int]] = []
    store = InMemorySessionStore(
        ttl_seconds=60.0, max_sessions=10, max_bytes=10**9, clock=clock,
        on_end=lambda sid, session: ended.append((sid, session.iteration)),
    )  # fmt: skip
    sid = store.add(a_session())
    clock.now += 61
    assert len(store) == 0
    assert ended == [(sid, 0)]


def test_over_http_a_full_store_answers_503_with_retry_after_and_why() -> None:
    settings = Settings(max_sessions=2, session_pin_seconds=120)
    with TestClient(create_app(settings)) as client:
        for _ in range(2):
            assert client.post("/api/v1/sessions", json={"preset": "xor"}).status_code == 201
        full = client.post("/api/v1/sessions", json={"preset": "xor"})
    assert full.status_code == 503
    assert 1 <= int(full.headers["retry-after"]) <= 120
    seconds = full.headers["retry-after"]
    assert full.json() == {
        "error": {
            "code": "store_full",
            "message": "the server is full: every session it can keep is in use (a live class, "
            "or used within the last 2 minutes), and none is ended to make room; try again in "
            f"{seconds} s",
            "field": None,
        }
    }


def test_when_a_session_with_a_live_class_expires_its_followers_are_told_why() -> None:
    clock = Clock()
    app = create_app(Settings(session_ttl_seconds=60, max_sessions=10))
    app.state.store.inner.clock = clock  # the in-memory store behind PublishingStore
    published: list[tuple[str, str, dict[str, object]]] = []
    publish = app.state.classes.publish

    def recording(code: str, kind: str, data: bytes) -> object:
        published.append((code, kind, orjson.loads(data)))
        return publish(code, kind, data)

    app.state.classes.publish = recording
    with TestClient(app) as client:
        sid = client.post("/api/v1/sessions", json={"preset": "xor"}).json()["id"]
        code = client.post(f"/api/v1/sessions/{sid}/class").json()["code"]
        client.post(f"/api/v1/sessions/{sid}/step", json={})
        clock.now += 61  # the session expires; the next request to the store notices
        assert client.get(f"/api/v1/sessions/{sid}").status_code == 404
        gone = client.get(f"/api/v1/classes/{code}")
    (end_code, kind, data) = published[-1]
    assert (end_code, kind) == (code, "end")
    assert data["reason"] == "the instructor's session ended after a time without use"
    export = data["export"]
    assert isinstance(export, dict)
    assert export["state"]["layer"] == 2  # the step it ended at, to take a copy of
    assert gone.status_code == 404
    assert "the instructor has ended the class" in gone.json()["error"]["message"]
