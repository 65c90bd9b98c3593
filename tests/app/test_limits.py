"""Per-client limits: token buckets (app.limits), the 429s they answer (app.http.limits),
the client's address (app.http.client), in memory and in a real redis-server."""

from __future__ import annotations

import redis
from fastapi.testclient import TestClient

from app.http.client import client_address
from app.limits import Bucket, InMemoryRateLimits, RedisRateLimits
from app.main import create_app
from app.settings import Settings
from tests.app.helpers import assert_error


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_gives_its_burst_then_its_rate_per_client() -> None:
    clock = Clock()
    limits = InMemoryRateLimits({"create": Bucket(burst=3, per_minute=30)}, clock=clock)
    assert [limits.take("create", "a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limits.take("create", "a") == 2.0  # one token every 2 s
    assert limits.take("create", "b") == 0.0  # another address has its own bucket
    clock.now += 1.5
    assert limits.take("create", "a") == 0.5  # refused takes nothing
    clock.now += 0.5
    assert limits.take("create", "a") == 0.0
    clock.now += 3600
    assert [limits.take("create", "a") for _ in range(4)] == [0.0, 0.0, 0.0, 2.0]  # full: 3


def test_the_clients_kept_in_memory_are_bounded() -> None:
    limits = InMemoryRateLimits({"heavy": Bucket(1, 1)}, max_clients=2, clock=Clock())
    for client in ("a", "b", "c"):
        assert limits.take("heavy", client) == 0.0
    assert limits.take("heavy", "a") == 0.0  # forgotten, as if full again
    assert limits.take("heavy", "c") > 0


def test_the_client_address_is_the_connection_unless_proxies_are_trusted() -> None:
    scope = {
        "client": ("10.0.0.9", 5000),
        "headers": [
            (b"x-forwarded-for", b"6.6.6.6, 203.0.113.7"),
            (b"x-forwarded-for", b"10.1.1.1"),
        ],
    }
    assert client_address(scope) == "10.0.0.9"
    assert client_address(scope, trusted_proxies=1) == "10.1.1.1"
    assert client_address(scope, trusted_proxies=2) == "203.0.113.7"
    assert client_address(scope, trusted_proxies=9) == "6.6.6.6"  # (no more hops than sent)
    assert client_address({"client": None, "headers": []}, trusted_proxies=1) == "unknown"


def test_new_sessions_past_the_burst_get_429_with_retry_after() -> None:
    settings = Settings(sessions_burst=2, sessions_per_minute=6, trusted_proxies=1)
    with TestClient(create_app(settings)) as client:
        here = {"x-forwarded-for": "198.51.100.1"}
        made = [client.post("/api/v1/sessions", json={"preset": "xor"}, headers=here) for _ in "ab"]
        refused = client.post("/api/v1/sessions", json={"preset": "xor"}, headers=here)
        elsewhere = client.post(
            "/api/v1/sessions", json={"preset": "xor"}, headers={"x-forwarded-for": "198.51.100.2"}
        )
        sid = made[0].json()["id"]
        stepping = client.post(f"/api/v1/sessions/{sid}/step", json={}, headers=here)
    assert [m.status_code for m in made] == [201, 201]
    assert refused.headers["retry-after"] == "10"
    assert_error(
        refused,
        429,
        "too_many_requests",
        "too many requests for new sessions from this address (2 at once, then 6 a minute): "
        "try again in 10 s",
    )
    assert elsewhere.status_code == 201
    assert stepping.status_code == 200  # stepping is never limited


def test_heavy_work_past_the_burst_gets_429_on_every_heavy_route() -> None:
    settings = Settings(heavy_burst=2, heavy_per_minute=1)
    body = {
        "network": {"layers": [2, 2, 1], "activations": ["tanh", "sigmoid"]},
        "cost": "cross_entropy",
        "data": {"dataset": "xor"},
    }
    with TestClient(create_app(settings)) as client:
        sid = client.post("/api/v1/sessions", json={"preset": "xor"}).json()["id"]
        ok = [
            client.post("/api/v1/train", json={**body, "iterations": 5}),
            client.post(f"/api/v1/sessions/{sid}/train", json={"iterations": 5}),
        ]
        refused = [
            client.post("/api/v1/gradcheck", json=body),
            client.get(f"/api/v1/sessions/{sid}/field"),
            client.post("/api/v1/train", json={**body, "iterations": 5}),
        ]
        light = client.get(f"/api/v1/sessions/{sid}/data")
    assert [r.status_code for r in ok] == [200, 200]
    for response in refused:
        assert response.headers["retry-after"] == "60"
        assert_error(
            response,
            429,
            "too_many_requests",
            "too many requests for training, gradient checks and fields from this address "
            "(2 at once, then 1 a minute): try again in 60 s",
        )
    assert light.status_code == 200


def test_a_classroom_of_200_behind_one_address_is_not_refused_by_default() -> None:
    with TestClient(create_app(Settings())) as client:
        statuses = {
            client.post("/api/v1/sessions", json={"preset": "xor"}).status_code for _ in range(200)
        }
    assert statuses == {201}


def test_one_flood_leaves_the_instructors_idle_session_and_class_answering() -> None:
    settings = Settings(
        max_sessions=60, sessions_burst=100, sessions_per_minute=0.001, trusted_proxies=1
    )
    with TestClient(create_app(settings)) as client:
        sid = client.post("/api/v1/sessions", json={"preset": "xor"}).json()["id"]
        code = client.post(f"/api/v1/sessions/{sid}/class").json()["code"]
        flood = {"x-forwarded-for": "203.0.113.66"}
        statuses: dict[int, int] = {}
        for _ in range(150):
            status = client.post("/api/v1/sessions", json={"preset": "xor"}, headers=flood)
            statuses[status.status_code] = statuses.get(status.status_code, 0) + 1
        session = client.get(f"/api/v1/sessions/{sid}")
        klass = client.get(f"/api/v1/classes/{code}")
    # 59 fit beside the instructor's; the rest of the burst finds the store full of
    # sessions just made (503); past the burst, 429.
    assert statuses == {201: 59, 503: 41, 429: 50}
    assert session.status_code == 200
    assert klass.status_code == 200


def test_with_redis_every_process_takes_from_the_same_bucket(
    redis_client: redis.Redis, redis_prefix: str
) -> None:
    buckets = {"create": Bucket(burst=3, per_minute=1)}
    one = RedisRateLimits(redis_client, buckets, prefix=redis_prefix)
    other = RedisRateLimits(redis_client, buckets, prefix=redis_prefix)  # another process
    taken = [one.take("create", "a"), other.take("create", "a"), one.take("create", "a")]
    assert taken == [0.0, 0.0, 0.0]
    wait = other.take("create", "a")
    assert 59.0 < wait <= 60.0  # a token a minute
    assert one.take("create", "b") == 0.0
    key = f"{redis_prefix}rl:create:a"
    assert 0 < redis_client.pttl(key) <= 181_000  # gone once it would be full again


def test_with_redis_the_app_answers_429_past_the_burst(redis_url: str, redis_prefix: str) -> None:
    settings = Settings(
        redis_url=redis_url, redis_prefix=redis_prefix, sessions_burst=1, sessions_per_minute=0.01
    )
    with TestClient(create_app(settings)) as client:
        first = client.post("/api/v1/sessions", json={"preset": "xor"})
        second = client.post("/api/v1/sessions", json={"preset": "xor"})
    assert first.status_code == 201
    assert second.status_code == 429
    assert second.headers["retry-after"] == "6000"  # a token every 100 minutes
