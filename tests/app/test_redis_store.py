"""The Redis session store and the session codec, against a real redis-server."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import orjson
import pytest
import redis
from fastapi.testclient import TestClient

from app.errors import SessionNotFoundError, StoreFullError
from app.main import create_app
from app.sessions.codec import (
    FORMAT,
    CodecError,
    decode_base,
    decode_fields,
    decode_session,
    encode_fields,
    encode_session,
)
from app.sessions.create import new_session
from app.sessions.session import Session
from app.sessions.store import SessionStore
from app.sessions.store_redis import RedisSessionStore
from app.settings import Settings
from app.spec.requests import PatchRequest, SessionConfig
from app.wire.convert import dumps
from app.wire.state import state_json
from tests.app.helpers import alive, config

# Every field a Session holds that is part of its state (the rest is derived and cached).
STATE_FIELDS = {"config", "x", "y", "initial", "iteration", "index", "starts", "cost_history",
                "history_iterations", "x_test", "y_test", "evaluations", "replayable"}  # fmt: skip


def a_session(**changes: object) -> Session:
    return new_session(SessionConfig.model_validate(config(**changes)), Settings())


def make_store(client: redis.Redis, prefix: str, **limits: float) -> RedisSessionStore:
    return RedisSessionStore(
        client,
        ttl_seconds=limits.get("ttl", 60.0),
        max_sessions=int(limits.get("max_sessions", 100)),
        max_bytes=int(limits.get("max_bytes", 10**9)),
        prefix=prefix,
    )


def test_the_codec_knows_every_field_of_a_session() -> None:
    fields = {f.name for f in dataclasses.fields(Session) if not f.name.startswith("_")}
    assert fields <= STATE_FIELDS, f"teach app/session_codec.py about {fields - STATE_FIELDS}"


def test_the_codec_round_trips_a_stepped_and_trained_session() -> None:
    session = a_session()
    settings = Settings()
    session.train(7, settings)
    for _ in range(5):
        session.step("forward", "step")
    session.patch(PatchRequest(learning_rate=0.25), settings)
    state = dumps(state_json(session, "x"))  # (a state records its iteration's evaluation)
    blob = encode_session(session)
    assert not blob.startswith(b"\x80")  # not a pickle
    copy = decode_session(blob)
    assert dumps(state_json(copy, "x")) == state
    assert encode_session(copy) == blob
    assert copy.iteration == session.iteration
    assert copy.index == session.index
    assert list(copy.starts) == list(session.starts)
    for t, start in session.starts.items():
        for W, W2 in zip(start.network.weights, copy.starts[t].network.weights, strict=True):
            np.testing.assert_array_equal(W, W2)
        assert copy.starts[t].learning_rate == start.learning_rate
    assert list(copy.cost_history) == list(session.cost_history)
    assert copy.cost_history.maxlen == session.cost_history.maxlen
    assert copy.config == session.config
    assert copy.replayable is False  # (patched after iteration 0)


def test_a_damaged_blob_is_refused() -> None:
    blob = encode_session(a_session())
    with pytest.raises(ValueError, match="truncated"):
        decode_session(blob[:-8])
    with pytest.raises(ValueError, match="trailing"):
        decode_session(blob + b"\0" * 8)


def test_the_redis_store_keeps_changes(redis_client: redis.Redis, redis_prefix: str) -> None:
    store = make_store(redis_client, redis_prefix)
    assert isinstance(store, SessionStore)
    sid = store.add(a_session())
    assert len(sid) == 43
    with store.open(sid) as session:
        session.step("forward", "iteration")
        session.step("forward", "step")
    other = make_store(redis_client, redis_prefix)  # another process: no shared cache
    with other.open(sid) as session:
        assert (session.iteration, session.index) == (1, 1)
    assert len(store) == 1
    store.delete(sid)
    with pytest.raises(SessionNotFoundError), other.open(sid):
        pass
    with pytest.raises(SessionNotFoundError):
        other.delete(sid)
    assert len(store) == 0


def test_ttl_cap_and_byte_budget_hold(redis_client: redis.Redis, redis_prefix: str) -> None:
    store = make_store(redis_client, redis_prefix, ttl=0.3)
    sid = store.add(a_session())
    time.sleep(0.2)
    with store.open(sid):
        pass  # used: the clock restarts
    time.sleep(0.2)
    with store.open(sid):
        pass
    time.sleep(0.45)
    with pytest.raises(SessionNotFoundError), store.open(sid):
        pass

    capped = make_store(redis_client, redis_prefix + "cap:", max_sessions=2)
    ids = [capped.add(a_session()) for _ in range(2)]
    with capped.open(ids[0]):
        pass  # ids[1] is now the least recently used
    ids.append(capped.add(a_session()))
    assert len(capped) == 2
    with pytest.raises(SessionNotFoundError), capped.open(ids[1]):
        pass

    size = len(encode_session(a_session()))
    budget = make_store(redis_client, redis_prefix + "bytes:", max_bytes=int(size * 2.5))
    ids = [budget.add(a_session()) for _ in range(4)]
    assert len(budget) == 2
    used = int(redis_client.get(redis_prefix + "bytes:bytes") or 0)
    assert 0 < used <= size * 2.5
    with budget.open(ids[-1]) as session:
        session.train(200, Settings())  # more kept history: the blob grows
    with budget.open(ids[-1]) as session:
        assert session.iteration == 200


def test_two_processes_stepping_one_session_lose_no_update(
    redis_url: str, redis_prefix: str
) -> None:
    clients = [redis.Redis.from_url(redis_url) for _ in range(2)]
    stores = [make_store(c, redis_prefix) for c in clients]  # as if in two processes
    sid = stores[0].add(a_session())

    def work(store: RedisSessionStore) -> None:
        for _ in range(30):
            with store.open(sid) as session:
                session.step("forward", "step")

    threads = [threading.Thread(target=work, args=(stores[i % 2],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with stores[1].open(sid) as session:
        assert session.iteration * 8 + session.index == 120  # 2-3-1: 8 steps an iteration
    for c in clients:
        c.close()


def test_the_app_with_redis_gives_the_same_numbers(redis_url: str, redis_prefix: str) -> None:
    shared = Settings(redis_url=redis_url, redis_prefix=redis_prefix)
    with (
        TestClient(create_app(shared)) as a,
        TestClient(create_app(shared)) as b,
        TestClient(create_app(Settings())) as reference,
    ):
        sid = a.post("/api/v1/sessions", json={"preset": "xor"}).json()["id"]
        ref = reference.post("/api/v1/sessions", json={"preset": "xor"}).json()["id"]
        for client, session_id in ((b, sid), (reference, ref)):
            client.post(f"/api/v1/sessions/{session_id}/train", json={"iterations": 5})
        for _ in range(3):
            got = b.post(f"/api/v1/sessions/{sid}/step", json={"direction": "forward"}).json()
            want = reference.post(
                f"/api/v1/sessions/{ref}/step", json={"direction": "forward"}
            ).json()
            got.pop("id"), want.pop("id")
            assert got == want
        got = a.get(f"/api/v1/sessions/{sid}").json()
        assert got["cursor"] == want["cursor"]
        assert got["trace"] == want["trace"]


def _state(session: Session) -> bytes:
    return dumps(state_json(session, "x"))


def test_a_step_within_an_iteration_writes_only_the_cursor() -> None:
    session = a_session()
    session.train(3, Settings())
    fields = encode_fields(session)
    session.step("forward", "step")  # 2-3-1: 8 steps an iteration, so still iteration 3
    after = encode_fields(session, fields)
    assert (set(after.write), after.removed) == ({b"h"}, [])
    assert after.size == fields.size
    for _ in range(7):  # into iteration 4: its start, the tail of the costs and evaluations
        session.step("forward", "step")
    last = encode_fields(session, after)
    assert (set(last.write), last.removed) == ({b"h", b"t4", b"c0", b"e0"}, [])
    assert len(last.write[b"h"]) < 100
    assert last.size == sum(len(k) + len(v) for k, v in last.values.items())


def test_a_session_stepped_through_two_processes_keeps_exact_numbers(
    redis_url: str, redis_prefix: str
) -> None:
    """Far past the kept history, the cost chunks and the cost limit, alternating processes."""
    settings = Settings(max_cost_history=100)  # costs drop off the front past 100
    reference = new_session(SessionConfig.model_validate(config()), settings)
    clients = [redis.Redis.from_url(redis_url) for _ in range(2)]
    stores = [make_store(c, redis_prefix) for c in clients]  # as if in two processes
    sid = stores[0].add(new_session(SessionConfig.model_validate(config()), settings))
    moves: list[tuple[str, ...]] = [("train", "60"), ("step", "forward", "iteration")] * 2
    moves += [("step", "forward", "step")] * 9 + [("step", "back", "step")] * 10
    moves += [("train", "70"), ("patch",), ("step", "forward", "phase")] + [("state",)] * 2
    moves += [("step", "back", "iteration")] * 3 + [("reset",), ("train", "5")]
    for k, move in enumerate(moves):
        for session in (reference, None):
            with stores[k % 2].open(sid) if session is None else _same(session) as target:
                if move[0] == "train":
                    target.train(int(move[1]), settings)
                elif move[0] == "step":
                    target.step(move[1], move[2])  # type: ignore[arg-type]
                elif move[0] == "patch":
                    target.patch(PatchRequest(learning_rate=0.25, batch_size=2), settings)
                elif move[0] == "reset":
                    target.reset()
                state = _state(target)
        with stores[(k + 1) % 2].open(sid) as copy:
            assert _state(copy) == state, f"after move {k}: {move}"
            assert list(copy.cost_history) == list(reference.cost_history)
            assert list(copy.starts) == list(reference.starts)
            assert list(copy.evaluations.rows) == list(reference.evaluations.rows)
    for c in clients:
        c.close()


@contextmanager
def _same(session: Session) -> Iterator[Session]:
    yield session


def test_expiry_eviction_and_delete_remove_the_base_and_the_fields(
    redis_client: redis.Redis, redis_prefix: str
) -> None:
    def keys(sid: str) -> int:
        return int(redis_client.exists(f"{redis_prefix}s:{sid}", f"{redis_prefix}m:{sid}"))

    store = make_store(redis_client, redis_prefix, ttl=0.3, max_sessions=2)
    sid = store.add(a_session())
    assert keys(sid) == 2
    with store.open(sid) as session:
        session.step("forward", "iteration")
    assert 0 < redis_client.pttl(f"{redis_prefix}m:{sid}") <= 300
    assert 0 < redis_client.pttl(f"{redis_prefix}s:{sid}") <= 300
    time.sleep(0.45)
    assert keys(sid) == 0  # Redis's own expiry
    with pytest.raises(SessionNotFoundError), store.open(sid):
        pass  # (this process still had it cached)

    ids = [store.add(a_session()) for _ in range(3)]  # the cap evicts the first
    assert [keys(i) for i in ids] == [0, 2, 2]
    store.delete(ids[1])
    assert keys(ids[1]) == 0
    assert int(redis_client.get(redis_prefix + "bytes") or 0) == int(
        redis_client.hget(redis_prefix + "sizes", ids[2]) or 0
    )


def test_steps_survive_a_flushed_script_cache_and_dropped_connections(
    redis_client: redis.Redis, redis_prefix: str
) -> None:
    store = make_store(redis_client, redis_prefix)
    sid = store.add(a_session())
    with store.open(sid) as session:
        session.step("forward", "step")
    redis_client.script_flush()  # as after a Redis restart: NOSCRIPT, then the full script
    with store.open(sid) as session:
        session.step("forward", "step")
    redis_client.client_kill_filter(_type="normal", skipme=True)  # every other connection
    with store.open(sid) as session:
        session.step("forward", "step")
    with make_store(redis_client, redis_prefix).open(sid) as session:
        assert (session.iteration, session.index) == (0, 3)


# What format 2 wrote before records said what they hold: a header without "record".
_OLD_HEADER = b'{"format":2,"layers":[2,3,1],"m":8}'
_OLD_BASE = len(_OLD_HEADER).to_bytes(4, "big") + _OLD_HEADER + b"\0" * 64
_OLD_HEAD = b'{"iteration":0,"index":0,"cost_first":0,"costs":0}'


@pytest.mark.parametrize(
    ("damage", "write"),
    [
        ("an older format's base", lambda r, p, sid: r.set(f"{p}s:{sid}", _OLD_BASE)),
        ("an older format's head", lambda r, p, sid: r.hset(f"{p}m:{sid}", "h", _OLD_HEAD)),
        ("a cut start", lambda r, p, sid: r.hset(f"{p}m:{sid}", "t0", b"\x00\x00\x01")),
        ("a garbled configuration", lambda r, p, sid: r.hset(f"{p}m:{sid}", "cfg", b"{}")),
        ("a missing cursor", lambda r, p, sid: r.hdel(f"{p}m:{sid}", "h")),
    ],
)
def test_a_session_whose_records_do_not_decode_has_ended(
    redis_url: str, redis_prefix: str, redis_client: redis.Redis, damage: str, write: Any
) -> None:
    """After an upgrade (or damage), a stored session answers 404 once and is gone: no 500."""
    shared = Settings(redis_url=redis_url, redis_prefix=redis_prefix)
    with TestClient(create_app(shared)) as a:
        sid = a.post("/api/v1/sessions", json={"preset": "xor"}).json()["id"]
    write(redis_client, redis_prefix, sid)
    with TestClient(create_app(shared)) as b:  # a process that has not cached the session
        for _ in range(2):
            response = b.post(f"/api/v1/sessions/{sid}/step", json={})
            assert response.status_code == 404, damage
            assert response.json()["error"]["message"].startswith(f"no session {sid!r}")
    assert not redis_client.exists(f"{redis_prefix}s:{sid}", f"{redis_prefix}m:{sid}")
    assert not redis_client.exists(f"{redis_prefix}lock:{sid}")
    assert redis_client.zscore(f"{redis_prefix}lru", sid) is None


def test_the_codec_names_what_a_record_is() -> None:
    blob = encode_session(a_session())
    base = blob[8 : 8 + int.from_bytes(blob[4:8], "big")]
    header = orjson.loads(base[4 : 4 + int.from_bytes(base[:4], "big")])
    assert (header["record"], header["format"]) == ("base", FORMAT)
    assert [name for name, _ in header["arrays"]] == ["x", "y", "W1", "b1", "W2", "b2"]
    with pytest.raises(CodecError, match="expected a base record, got an older or unknown"):
        decode_base(_OLD_BASE)
    fields = encode_fields(a_session()).values
    with pytest.raises(CodecError, match="expected a start record, got a 'base' record"):
        decode_fields(decode_base(base), {**fields, b"t0": base})


def test_a_start_keeps_what_the_optimizer_carries() -> None:
    session = a_session()
    session.step("forward", "iteration")  # plain descent carries nothing: empty per parameter
    assert session.start.optimizer_state == ((),) * 4
    start = session.start
    carried = tuple((np.full_like(p, k + 0.5), np.full_like(p, -k)) for k, p in enumerate(
        a for W, b in zip(start.network.weights, start.network.biases, strict=True) for a in (W, b)
    ))  # fmt: skip
    session.starts[session.iteration] = dataclasses.replace(start, optimizer_state=carried)
    copy = decode_session(encode_session(session))
    assert copy.starts[0].optimizer_state is None  # iteration 0: nothing carried yet
    got = copy.start.optimizer_state
    assert got is not None
    assert len(got) == 4
    for mine, theirs in zip(carried, got, strict=True):
        assert all(np.array_equal(a, b) for a, b in zip(mine, theirs, strict=True))


def pinned_store(
    client: redis.Redis, prefix: str, pin: float, **limits: float
) -> RedisSessionStore:
    return RedisSessionStore(
        client,
        ttl_seconds=limits.get("ttl", 600.0),
        max_sessions=int(limits.get("max_sessions", 100)),
        max_bytes=int(limits.get("max_bytes", 10**9)),
        prefix=prefix,
        pin_seconds=pin,
    )


def test_redis_evicts_idle_sessions_of_the_owner_holding_the_most_first(
    redis_client: redis.Redis, redis_prefix: str
) -> None:
    store = pinned_store(redis_client, redis_prefix, pin=0.0, max_sessions=4)
    mine = store.add(a_session(), owner="10.0.0.1")
    flood = [store.add(a_session(), owner="10.0.0.2") for _ in range(3)]
    newcomer = store.add(a_session(), owner="10.0.0.3")
    # The oldest is mine, but the flooder holds three: its least recently used goes.
    assert [alive(store, sid) for sid in (mine, *flood, newcomer)] == [
        True, False, True, True, True,
    ]  # fmt: skip
    held = redis_client.hgetall(redis_prefix + "held")
    assert held == {b"10.0.0.1": b"1", b"10.0.0.2": b"2", b"10.0.0.3": b"1"}
    store.delete(flood[1])
    assert redis_client.hget(redis_prefix + "held", "10.0.0.2") == b"1"
    assert redis_client.hget(redis_prefix + "owners", flood[2]) == b"10.0.0.2"


def test_redis_never_evicts_a_session_with_a_live_class_nor_one_in_use(
    redis_client: redis.Redis, redis_prefix: str
) -> None:
    idle = pinned_store(redis_client, redis_prefix, pin=0.0, max_sessions=2)
    teaching = idle.add(a_session(), owner="teacher")
    redis_client.set(redis_prefix + "sc:" + teaching, "ABCDEF")  # its live class
    other = idle.add(a_session(), owner="student")
    third = idle.add(a_session(), owner="crowd")  # evicts `other`, not the older `teaching`
    assert [alive(idle, sid) for sid in (teaching, other, third)] == [True, False, True]
    # With every session used within the pin time, a new one is refused, not made room for.
    busy = pinned_store(redis_client, redis_prefix, pin=300.0, max_sessions=2)
    with pytest.raises(StoreFullError) as refused:
        busy.add(a_session(), owner="crowd")
    assert 299.0 < refused.value.retry_after <= 300.0  # when the least recently used idles
    assert len(busy) == 2
    assert [alive(busy, sid) for sid in (teaching, third)] == [True, True]
