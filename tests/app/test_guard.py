"""Join-code guessing is bounded per client address (app/guard.py)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.http.guard import CodeGuessLimiter
from app.main import create_app
from app.settings import Settings
from tests.app.helpers import assert_error


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_limiter_counts_different_codes_over_a_sliding_minute() -> None:
    clock = Clock()
    limiter = CodeGuessLimiter(3, clock=clock)
    for code in ("AAAAAA", "BBBBBB"):
        limiter.miss("a", code)
        clock.now += 10
    limiter.miss("a", "AAAAAA")  # the same code again is no new guess
    assert limiter.wait_seconds("a") == 0
    limiter.miss("a", "CCCCCC")  # three codes, first missed at 1000, 1010, 1020
    assert limiter.wait_seconds("a") == 40.0  # until the first is a minute old
    assert limiter.wait_seconds("b") == 0  # per address
    clock.now = 1060.0
    assert limiter.wait_seconds("a") == 0
    limiter.miss("a", "DDDDDD")  # AAAAAA has left the window: 1010, 1020, 1060
    assert limiter.wait_seconds("a") == 10.0


def test_the_limiter_forgets_the_least_recent_addresses_first() -> None:
    limiter = CodeGuessLimiter(1, max_clients=2)
    for client in ("a", "b", "c"):
        limiter.miss(client, "AAAAAA")
    assert limiter.wait_seconds("a") == 0  # forgotten
    assert limiter.wait_seconds("b") > 0
    assert limiter.wait_seconds("c") > 0


def test_too_many_unknown_codes_get_429_even_for_a_live_class() -> None:
    app = create_app(Settings(max_unknown_codes_per_minute=3))
    with TestClient(app) as guesser, TestClient(app, client=("10.0.0.2", 4000)) as student:
        sid = student.post("/api/v1/sessions", json={"preset": "xor"}).json()["id"]
        code = student.post(f"/api/v1/sessions/{sid}/class").json()["code"]
        assert guesser.get(f"/api/v1/classes/{code}").status_code == 200  # known: no miss
        for guess in ("ZZZZZZ", "YYYYYY/field", "XXXXXX/data"):
            assert guesser.get(f"/api/v1/classes/{guess}").status_code == 404
        blocked = guesser.get(f"/api/v1/classes/{code}")  # a lucky guess is not confirmed
        wait = blocked.headers["retry-after"]
        assert 55 <= int(wait) <= 60  # until the first miss is a minute old
        assert_error(
            blocked,
            429,
            "too_many_requests",
            f"too many unknown class codes from this address: check the code and try again "
            f"in {wait} s",
        )
        assert guesser.get(f"/api/v1/classes/{code}/events").status_code == 429
        # other addresses, and everything but the followers' routes, work as before
        assert student.get(f"/api/v1/classes/{code}").status_code == 200
        assert guesser.get(f"/api/v1/sessions/{sid}").status_code == 200
        assert guesser.get(f"/class/{code}").status_code == 200


def test_an_ended_class_is_no_guess() -> None:
    """Every student's page asks again when a class ends: those 404s are not guesses."""
    app = create_app(Settings(max_unknown_codes_per_minute=3))
    with TestClient(app) as classroom:  # a whole class behind one address
        sid = classroom.post("/api/v1/sessions", json={"preset": "xor"}).json()["id"]
        code = classroom.post(f"/api/v1/sessions/{sid}/class").json()["code"]
        assert classroom.delete(f"/api/v1/sessions/{sid}/class").status_code == 204
        for _ in range(10):
            assert classroom.get(f"/api/v1/classes/{code}").status_code == 404
            assert classroom.get(f"/api/v1/classes/{code}/field").status_code == 404
        # the instructor starts a new class: the students get in at once
        code = classroom.post(f"/api/v1/sessions/{sid}/class").json()["code"]
        assert classroom.get(f"/api/v1/classes/{code}").status_code == 200
