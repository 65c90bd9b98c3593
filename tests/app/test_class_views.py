"""The followers' training views over HTTP: the class's field and data, by join code, read-only."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.app.helpers import assert_error
from tests.servers import AppProcess

STEP = {"direction": "forward", "unit": "step"}


def start(client: TestClient, preset: str = "circle") -> tuple[str, str]:
    sid = client.post("/api/v1/sessions", json={"preset": preset}).json()["id"]
    response = client.post(f"/api/v1/sessions/{sid}/class")
    assert response.status_code == 201
    return sid, response.json()["code"]


def no_class(code: str) -> str:
    return (
        f"no live class {code!r}: check the code, or the instructor has ended the class "
        "(classes also end after a time without activity)"
    )


@pytest.mark.parametrize(
    "query", ["", "?resolution=7", "?resolution=5&hidden=true", "?hidden=false"]
)
def test_the_class_field_is_the_session_field(client: TestClient, query: str) -> None:
    sid, code = start(client)
    client.post(f"/api/v1/sessions/{sid}/train", json={"iterations": 25})
    session = client.get(f"/api/v1/sessions/{sid}/field{query}")
    klass = client.get(f"/api/v1/classes/{code.lower()}/field{query}")
    assert session.status_code == klass.status_code == 200
    assert klass.json() == session.json()
    assert klass.content == session.content
    assert sid not in klass.text


def test_the_class_field_follows_training(client: TestClient) -> None:
    sid, code = start(client)
    before: dict[str, Any] = client.get(f"/api/v1/classes/{code}/field?resolution=4").json()
    client.post(f"/api/v1/sessions/{sid}/train", json={"iterations": 10})
    after = client.get(f"/api/v1/classes/{code}/field?resolution=4").json()
    assert after != before
    assert after == client.get(f"/api/v1/sessions/{sid}/field?resolution=4").json()


def test_the_class_data_is_the_session_data(client: TestClient) -> None:
    sid, code = start(client, "spiral")
    klass = client.get(f"/api/v1/classes/{code}/data")
    assert klass.status_code == 200
    assert klass.json() == client.get(f"/api/v1/sessions/{sid}/data").json()
    assert set(klass.json()) == {"train", "test"}


def test_the_class_predictions_are_the_session_predictions(client: TestClient) -> None:
    sid, code = start(client, "spiral")
    assert client.post(f"/api/v1/sessions/{sid}/train", json={"iterations": 20}).status_code == 200
    klass = client.get(f"/api/v1/classes/{code}/predictions")
    assert klass.status_code == 200
    mine = client.get(f"/api/v1/sessions/{sid}/predictions").json()
    assert klass.json() == mine
    assert mine["iteration"] == 20
    assert len(mine["train"]["confusion"]) == 2  # one sigmoid output: classes 0 and 1


@pytest.mark.parametrize(
    "query",
    [
        "?quantity=z&row=1&column=3",
        "?quantity=delta&row=0&column=0&phase=backward&layer=2",
        "?quantity=biases&row=2&phase=update&layer=1",
        "?quantity=delta&row=9&column=0",  # no such entry: the same 422
    ],
)
def test_the_class_terms_are_the_session_terms(client: TestClient, query: str) -> None:
    sid, code = start(client)
    client.post(f"/api/v1/sessions/{sid}/seek", json={"index": 1})
    session = client.get(f"/api/v1/sessions/{sid}/terms{query}")
    klass = client.get(f"/api/v1/classes/{code}/terms{query}")
    assert session.status_code == klass.status_code
    assert session.status_code in (200, 422)
    assert klass.content == session.content
    assert sid not in klass.text


def test_the_class_views_follow_the_class_to_a_new_session(client: TestClient) -> None:
    old, code = start(client, "circle")
    new = client.post("/api/v1/sessions", json={"preset": "xor"}).json()["id"]
    client.post(f"/api/v1/sessions/{new}/class", json={"code": code, "from_session": old})
    client.delete(f"/api/v1/sessions/{old}")
    assert client.get(f"/api/v1/classes/{code}/data").json() == (
        client.get(f"/api/v1/sessions/{new}/data").json()
    )
    assert client.get(f"/api/v1/classes/{code}/field?resolution=3").json() == (
        client.get(f"/api/v1/sessions/{new}/field?resolution=3").json()
    )


def test_the_class_field_checks_its_query_as_the_session_route_does(
    client: TestClient,
) -> None:
    sid, code = start(client)
    for query in ("?resolution=1", "?resolution=100000", "?hidden=maybe", "?resolution=200"):
        session = client.get(f"/api/v1/sessions/{sid}/field{query}")
        klass = client.get(f"/api/v1/classes/{code}/field{query}")
        assert klass.status_code == session.status_code
        assert klass.status_code in (409, 422)
        assert klass.json() == session.json()


def test_unknown_and_ended_classes_are_404(client: TestClient) -> None:
    sid, code = start(client)
    bad = "ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY"
    for route in ("field", "data", "predictions"):
        assert_error(client.get(f"/api/v1/classes/{bad}/{route}"), 404, "not_found", no_class(bad))
        unreadable = client.get(f"/api/v1/classes/O0I1L!/{route}")
        assert_error(unreadable, 404, "not_found", no_class("O0I1L!"))
    assert client.delete(f"/api/v1/sessions/{sid}/class").status_code == 204
    for route in ("field", "data", "predictions"):
        assert_error(
            client.get(f"/api/v1/classes/{code}/{route}"), 404, "not_found", no_class(code)
        )


def test_a_class_whose_session_has_ended_does_not_name_the_session(client: TestClient) -> None:
    sid, code = start(client)
    # gone without ending its class, as a session whose Redis keys expired is
    client.app.state.store.inner.delete(sid)  # type: ignore[attr-defined]
    for route in ("", "/field", "/data", "/terms?quantity=z&row=0&column=0"):
        response = client.get(f"/api/v1/classes/{code}{route}")
        assert_error(
            response,
            404,
            "not_found",
            f"live class {code!r} has no session to show: the instructor's session has ended "
            "(the class shows its last state until the instructor starts another)",
        )
        assert sid not in response.text
    # the class lives on: the instructor's next session takes it over
    new = client.post("/api/v1/sessions", json={"preset": "xor"}).json()["id"]
    moved = client.post(f"/api/v1/sessions/{new}/class", json={"code": code, "from_session": sid})
    assert moved.status_code == 200
    assert (
        client.get(f"/api/v1/classes/{code}").json()["state"]["config"]["data"]["dataset"] == "xor"
    )


def test_the_class_views_change_nothing(client: TestClient) -> None:
    sid, code = start(client)
    before = client.get(f"/api/v1/sessions/{sid}").json()
    client.get(f"/api/v1/classes/{code}/field?hidden=true")
    client.get(f"/api/v1/classes/{code}/data")
    assert client.get(f"/api/v1/classes/{code}").json()["seq"] == 1  # no event
    attempts = [
        client.post(f"/api/v1/classes/{code}/field"),
        client.put(f"/api/v1/classes/{code}/field"),
        client.delete(f"/api/v1/classes/{code}/field"),
        client.patch(f"/api/v1/classes/{code}/data", json={"learning_rate": 1.0}),
        client.post(f"/api/v1/classes/{code}/data", json={"inputs": [[0, 0]]}),
        client.post(f"/api/v1/classes/{code}/train", json={"iterations": 5}),
        client.post(f"/api/v1/classes/{code}/reset"),
        client.post(f"/api/v1/classes/{code}/step", json=STEP),
        client.post(f"/api/v1/sessions/{code}/step", json=STEP),
        client.patch(f"/api/v1/sessions/{code}", json={"learning_rate": 1.0}),
        client.post(f"/api/v1/sessions/{code}/reset"),
        client.delete(f"/api/v1/sessions/{code}"),
        client.get(f"/api/v1/sessions/{code}/field"),
        client.get(f"/api/v1/sessions/{code}/data"),
    ]
    assert [r.status_code for r in attempts] == [405] * 5 + [404] * 9
    for response in attempts:
        assert set(response.json()["error"]) == {"code", "message", "field"}
    assert client.get(f"/api/v1/sessions/{sid}").json() == before


def test_with_redis_a_follower_on_b_reads_the_class_made_on_a(
    app_processes: list[AppProcess],
) -> None:
    a, b = (httpx.Client(base_url=p.url + "/api/v1", timeout=10) for p in app_processes)
    with a, b:
        sid = a.post("/sessions", json={"preset": "circle"}).json()["id"]
        code = a.post(f"/sessions/{sid}/class").json()["code"]
        a.post(f"/sessions/{sid}/train", json={"iterations": 20})
        query = "?resolution=6&hidden=true"
        assert b.get(f"/classes/{code}/field{query}").json() == (
            a.get(f"/sessions/{sid}/field{query}").json()
        )
        assert b.get(f"/classes/{code}/data").json() == a.get(f"/sessions/{sid}/data").json()
        assert b.get(f"/classes/{code}").json()["seq"] == 2  # reading made no event
        a.delete(f"/sessions/{sid}/class")
        for route in ("field", "data"):
            assert_error(b.get(f"/classes/{code}/{route}"), 404, "not_found", no_class(code))
