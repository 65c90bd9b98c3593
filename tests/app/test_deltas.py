"""Session states as deltas: `since` a version, a session route answers what changed.

A client that applies each delta to the state it holds has, after every kind of
move, exactly the state the server would send whole; a step within an iteration
costs a few hundred bytes whatever the history; anything it cannot use gets it all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from app.wire.responses import SessionDelta
from tests.app.helpers import apply_delta as apply

JSON = dict[str, Any]
Move = Callable[[TestClient, str, str], Any]


def post(path: str, body: JSON | None = None) -> Move:
    return lambda c, sid, since: c.post(
        f"/api/v1/sessions/{sid}{path}", json=body or {}, params={"since": since}
    )


STEP = post("/step", {"direction": "forward", "unit": "step"})
BACK = post("/step", {"direction": "back", "unit": "step"})
MOVES: list[tuple[str, Move]] = [
    ("a step within the iteration", STEP),
    ("a phase", post("/step", {"direction": "forward", "unit": "phase"})),
    ("into the next iteration", post("/step", {"direction": "forward", "unit": "iteration"})),
    ("back into the previous iteration", post("/step", {"direction": "back", "unit": "iteration"})),
    ("training past the windows", post("/train", {"iterations": 150})),
    ("a step back across an iteration", BACK),
    ("a few more back", BACK),
    ("a seek", post("/seek", {"index": 5})),
    ("a change of learning rate", lambda c, sid, since: c.patch(
        f"/api/v1/sessions/{sid}", json={"learning_rate": 0.05}, params={"since": since})),
    ("more training", post("/train", {"iterations": 40})),
    ("a reset", post("/reset")),
    ("the first step after it", STEP),
    ("nothing at all", lambda c, sid, since: c.get(
        f"/api/v1/sessions/{sid}", params={"since": since})),
]  # fmt: skip


# What a delta carries after some moves: (trace sent, costs appended, or None: sent whole).
CARRIES = {
    "a step within the iteration": (False, 0),
    "into the next iteration": (True, 1),
    "training past the windows": (True, 150),
    "a step back across an iteration": (True, 63),  # resent from before the window
    "a seek": (False, 0),
    "more training": (True, 40),
    "a reset": (True, None),
}


def test_applying_every_delta_gives_the_whole_state(client: TestClient) -> None:
    held = client.post("/api/v1/sessions", json={"preset": "spiral"}).json()
    sid = held["id"]
    for what, move in MOVES:
        for _ in range(3 if what == "a few more back" else 1):
            delta = move(client, sid, held["version"]).json()
            assert delta["delta"] is True, what
            SessionDelta.model_validate(delta)
            held = apply(held, delta)
        whole = client.get(f"/api/v1/sessions/{sid}").json()
        assert held == whole, what
        if what in CARRIES:
            costs = delta["cost_history"]
            appended = None if isinstance(costs, list) else len(costs["append"])
            assert ("trace" in delta, appended) == CARRIES[what], what


def test_a_step_within_an_iteration_is_small_whatever_the_history() -> None:
    settings = Settings(max_iterations=10_000)
    with TestClient(create_app(settings)) as client:
        sid = client.post("/api/v1/sessions", json={"preset": "spiral"}).json()["id"]
        client.post(f"/api/v1/sessions/{sid}/train", json={"iterations": 10_000})
        whole = client.get(f"/api/v1/sessions/{sid}")
        assert len(whole.content) > 200_000  # 10,000 costs and 500 evaluations
        response = STEP(client, sid, whole.json()["version"])
        delta = response.json()
        assert "trace" not in delta
        assert "config" not in delta
        assert delta["cost_history"]["append"] == []
        assert len(response.content) <= 2048, len(response.content)
        into_next = post("/step", {"direction": "forward", "unit": "iteration"})
        response = into_next(client, sid, delta["version"])
        trace = response.json()["trace"]
        assert len(response.content) <= 1.2 * len(orjson.dumps(trace))


@pytest.mark.parametrize("since", ["", "garbage", "v1.t0-0.c0.h0-0-0-0-0-0", "v2." + "x" * 10])
def test_a_version_that_does_not_parse_gets_the_whole_state(client: TestClient, since: str) -> None:
    sid = client.post("/api/v1/sessions", json={"preset": "xor"}).json()["id"]
    state = client.get(f"/api/v1/sessions/{sid}", params={"since": since}).json()
    assert "delta" not in state
    assert state == client.get(f"/api/v1/sessions/{sid}").json()


def test_a_version_of_another_session_gets_its_parts_whole(client: TestClient) -> None:
    mine = client.post("/api/v1/sessions", json={"preset": "xor"}).json()
    other = client.post("/api/v1/sessions", json={"preset": "spiral"}).json()
    client.post(f"/api/v1/sessions/{other['id']}/train", json={"iterations": 30})
    delta = STEP(client, other["id"], mine["version"]).json()
    assert "trace" in delta
    assert "config" in delta
    whole = client.get(f"/api/v1/sessions/{other['id']}").json()
    assert apply(mine, delta) | {"id": other["id"], "steps": whole["steps"]} == whole
