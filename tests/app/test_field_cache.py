"""The /field answers are computed once per iteration start and shared (app/field_cache.py)."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient

from app.wire.field_cache import FieldCache
from app.wire.state import field_json


class Start:  # any object a session replaces when its network changes
    pass


def counting(body: bytes, calls: list[bytes]) -> bytes:
    calls.append(body)
    return body


def test_one_answer_per_start_resolution_hidden_and_digits() -> None:
    cache, calls = FieldCache(), list[bytes]()
    a, b = Start(), Start()
    assert cache.get(a, (48, False, None), lambda: counting(b"a48", calls)) == b"a48"
    assert cache.get(a, (48, False, None), lambda: counting(b"again", calls)) == b"a48"
    assert cache.get(a, (16, True, None), lambda: counting(b"a16h", calls)) == b"a16h"
    assert cache.get(a, (48, False, 4), lambda: counting(b"a48d4", calls)) == b"a48d4"
    assert cache.get(b, (48, False, None), lambda: counting(b"b48", calls)) == b"b48"
    assert calls == [b"a48", b"a16h", b"a48d4", b"b48"]
    assert (cache.hits, cache.misses) == (1, 4)


def test_the_cache_is_bounded_by_bytes_least_recently_used_first() -> None:
    cache = FieldCache(max_bytes=10)
    a, b, c = Start(), Start(), Start()
    cache.get(a, (1, False, None), lambda: b"aaaa")
    cache.get(b, (1, False, None), lambda: b"bbbb")
    cache.get(a, (1, False, None), lambda: b"----")  # a is now the most recent
    cache.get(c, (1, False, None), lambda: b"cccc")  # 12 bytes: b goes
    assert cache.size == 8
    assert cache.get(a, (1, False, None), lambda: b"new!") == b"aaaa"
    assert cache.get(b, (1, False, None), lambda: b"new!") == b"new!"
    assert cache.get(Start(), (1, False, None), lambda: b"x" * 11) == b"x" * 11  # too big to keep
    assert cache.size <= 10


def test_a_new_start_at_a_dead_starts_address_is_not_served_its_answer() -> None:
    cache = FieldCache()
    old = Start()
    address = id(old)
    cache.get(old, (48, False, None), lambda: b"old")
    del old
    gc.collect()
    for _ in range(10_000):  # CPython soon hands the address to a new object
        new = Start()
        if id(new) == address:
            assert cache.get(new, (48, False, None), lambda: b"new") == b"new"
            return
    # (address not reused here: nothing to check)


def test_followers_and_the_instructor_share_one_computation(client: TestClient) -> None:
    sid = client.post("/api/v1/sessions", json={"preset": "spiral"}).json()["id"]
    code = client.post(f"/api/v1/sessions/{sid}/class").json()["code"]
    cache: FieldCache = client.app.state.field_cache  # type: ignore[attr-defined]
    mine = client.get(f"/api/v1/sessions/{sid}/field?resolution=24")
    theirs = client.get(f"/api/v1/classes/{code}/field?resolution=24")
    assert mine.status_code == theirs.status_code == 200
    assert theirs.content == mine.content
    assert (cache.hits, cache.misses) == (1, 1)
    # a step within the iteration keeps the network: the same answer
    client.post(f"/api/v1/sessions/{sid}/step", json={"direction": "forward", "unit": "step"})
    assert client.get(f"/api/v1/classes/{code}/field?resolution=24").content == mine.content
    assert cache.misses == 1
    # the next iteration has new weights: a new answer, computed from them
    client.post(f"/api/v1/sessions/{sid}/step", json={"direction": "forward", "unit": "iteration"})
    after = client.get(f"/api/v1/classes/{code}/field?resolution=24")
    assert after.content != mine.content
    assert cache.misses == 2
    fresh = client.app.state.store  # type: ignore[attr-defined]
    with fresh.open(sid) as session:
        assert after.json()["outputs"] == field_json(session, 24)["outputs"].tolist()
