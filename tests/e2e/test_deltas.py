"""The page asks for what changed, not the whole state: after every kind of move its
session is exactly the state the API gives whole, and a step costs a few hundred bytes."""

from __future__ import annotations

from typing import Any

import httpx

from tests.e2e.helpers import Lens

SPIRAL = "/?layers=2-8-8-1&act=tanh.tanh.sigmoid&cost=cross_entropy&data=spiral&batch=20"


def whole(api: httpx.Client, session_id: str) -> dict[str, Any]:
    state: dict[str, Any] = api.get(f"/sessions/{session_id}").json()
    return state


def test_the_page_holds_the_whole_state_after_every_move(lens: Lens, api: httpx.Client) -> None:
    lens.open(SPIRAL)
    answers: list[tuple[str, int]] = []

    def record(response: Any) -> None:
        if "/api/v1/sessions/" in response.url and response.request.method != "DELETE":
            answers.append((response.url, len(response.body())))

    lens.page.on("response", record)
    moves = [
        ("a step", "ArrowRight"),
        ("a phase", "Shift+ArrowRight"),
        ("the next iteration", "Enter"),
        ("back a step, across the iteration", "ArrowLeft"),
        ("back again", "ArrowLeft"),
        ("reset", "r"),
    ]
    for what, key in moves:
        lens.press(key)
        state = lens.state()
        assert state == whole(api, state["id"]), what
    stepped = [size for url, size in answers if "/step" in url]
    assert all("since=" in url for url, _ in answers if "/step" in url or "/reset" in url)
    assert min(stepped) < 2048  # a step within an iteration: the cursor and small parts
    lens.page.locator("[data-control='train-count']").select_option("100")
    lens.page.locator("[data-action='train']").click()
    lens.wait_trained()
    state = lens.state()
    assert state["cursor"]["iteration"] == 100
    assert state == whole(api, state["id"])
    assert lens.console == []
