"""Live classes over HTTP (in-process store): start, follow, move, end; the code is read-only."""

from __future__ import annotations

import re
import time
from collections import Counter
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.classroom.codes import ALPHABET, CODE_LENGTH, new_code, normalise_code
from app.sessions.store import new_session_id
from app.wire.responses import ClassInfo, ClassState
from tests.app.sse import follow

STEP = {"direction": "forward", "unit": "step"}


def start(client: TestClient, preset: str = "worked_example") -> tuple[str, dict[str, Any]]:
    sid = client.post("/api/v1/sessions", json={"preset": preset}).json()["id"]
    response = client.post(f"/api/v1/sessions/{sid}/class")
    assert response.status_code == 201
    return sid, response.json()


def test_starting_a_class_gives_a_code_a_join_url_and_a_qr(client: TestClient) -> None:
    sid, info = start(client)
    ClassInfo.model_validate(info)
    assert re.fullmatch(f"[{ALPHABET}]{{6}}", info["code"])
    assert info["join_url"] == f"http://testserver/class/{info['code']}"
    assert info["seq"] == 1
    assert info["followers"] == 0
    again = client.post(f"/api/v1/sessions/{sid}/class")
    assert again.status_code == 200
    assert again.json()["code"] == info["code"]
    assert client.get(f"/api/v1/sessions/{sid}/class").json()["code"] == info["code"]
    qr = client.get(info["qr_url"])
    assert qr.status_code == 200
    assert qr.headers["content-type"] == "image/svg+xml"
    assert qr.text.startswith("<svg")
    assert info["join_url"] in qr.text


def test_the_class_state_is_the_session_state_without_its_id(client: TestClient) -> None:
    sid, info = start(client)
    stepped = client.post(f"/api/v1/sessions/{sid}/step", json=STEP).json()
    body = client.get(f"/api/v1/classes/{info['code'].lower()}").json()
    ClassState.model_validate(body)
    assert body["seq"] == 2
    assert "id" not in body["state"]
    assert sid not in str(body)
    stepped.pop("id")
    assert body["state"] == stepped
    copy = client.post("/api/v1/sessions", json=body["export"]).json()  # take a copy
    assert copy["id"] != sid
    assert copy["cursor"] == stepped["cursor"]
    assert copy["trace"] == stepped["trace"]


def test_only_changes_make_events(client: TestClient) -> None:
    sid, info = start(client)
    client.get(f"/api/v1/sessions/{sid}")
    client.post(f"/api/v1/sessions/{sid}/seek", json={"index": 0})  # already there
    assert client.get(f"/api/v1/classes/{info['code']}").json()["seq"] == 1
    client.post(f"/api/v1/sessions/{sid}/seek", json={"index": 3})
    client.patch(f"/api/v1/sessions/{sid}", json={"learning_rate": 0.1})
    client.post(f"/api/v1/sessions/{sid}/train", json={"iterations": 3})
    client.post(f"/api/v1/sessions/{sid}/reset")
    assert client.get(f"/api/v1/classes/{info['code']}").json()["seq"] == 5


def test_the_join_code_cannot_change_anything(client: TestClient) -> None:
    sid, info = start(client)
    code = info["code"]
    attempts = [
        client.post(f"/api/v1/sessions/{code}/step", json=STEP),
        client.post(f"/api/v1/sessions/{code}/seek", json={"index": 1}),
        client.post(f"/api/v1/sessions/{code}/reset"),
        client.patch(f"/api/v1/sessions/{code}", json={"learning_rate": 1.0}),
        client.delete(f"/api/v1/sessions/{code}"),
        client.get(f"/api/v1/sessions/{code}/export"),
        client.delete(f"/api/v1/sessions/{code}/class"),
        client.post(f"/api/v1/sessions/{code}/class"),
        client.post(f"/api/v1/classes/{code}/step", json=STEP),
        client.post(f"/api/v1/classes/{code}", json=STEP),
        client.delete(f"/api/v1/classes/{code}"),
        client.patch(f"/api/v1/classes/{code}", json={"learning_rate": 1.0}),
    ]
    assert [r.status_code for r in attempts] == [404] * 8 + [404, 405, 405, 405]
    for response in attempts:
        assert set(response.json()["error"]) == {"code", "message", "field"}
    state = client.get(f"/api/v1/sessions/{sid}").json()
    assert state["cursor"]["index"] == 0
    assert state["config"]["learning_rate"] == 0.5
    assert client.get(f"/api/v1/classes/{code}").json()["seq"] == 1


def test_unknown_and_ended_classes_are_404_with_a_message(client: TestClient) -> None:
    sid, info = start(client)
    for bad in ("ZZZZZZ" if info["code"] != "ZZZZZZ" else "YYYYYY", "O0I1L!", "x" * 20):
        response = client.get(f"/api/v1/classes/{bad}")
        assert response.status_code == 404
        assert "no live class" in response.json()["error"]["message"]
    assert client.delete(f"/api/v1/sessions/{sid}/class").status_code == 204
    ended = client.get(f"/api/v1/classes/{info['code']}")
    assert ended.status_code == 404
    assert "ended" in ended.json()["error"]["message"]
    assert client.get(f"/api/v1/classes/{info['code']}/events").status_code == 404
    assert client.delete(f"/api/v1/sessions/{sid}/class").status_code == 404
    assert client.post(f"/api/v1/sessions/{sid}/class").json()["code"] != info["code"]


def test_deleting_the_session_ends_its_class(client: TestClient) -> None:
    sid, info = start(client)
    assert client.delete(f"/api/v1/sessions/{sid}").status_code == 204
    ended = client.get(f"/api/v1/classes/{info['code']}")
    assert ended.status_code == 404
    assert "ended" in ended.json()["error"]["message"]
    assert client.get(f"/api/v1/sessions/{sid}/class").status_code == 404


def test_a_class_moves_to_the_instructors_new_session(client: TestClient) -> None:
    old, info = start(client)
    new = client.post("/api/v1/sessions", json={"preset": "xor"}).json()["id"]
    wrong = client.post(
        f"/api/v1/sessions/{new}/class", json={"code": info["code"], "from_session": new}
    )
    assert wrong.status_code == 404
    moved = client.post(
        f"/api/v1/sessions/{new}/class", json={"code": info["code"], "from_session": old}
    )
    assert moved.status_code == 200
    assert moved.json()["code"] == info["code"]
    body = client.get(f"/api/v1/classes/{info['code']}").json()
    assert body["seq"] == 2
    assert body["state"]["config"]["data"]["dataset"] == "xor"
    client.delete(f"/api/v1/sessions/{old}")  # the page frees the old session: the class stays
    assert client.get(f"/api/v1/classes/{info['code']}").status_code == 200
    client.post(f"/api/v1/sessions/{old}/step", json=STEP)
    client.post(f"/api/v1/sessions/{new}/step", json=STEP)
    assert client.get(f"/api/v1/classes/{info['code']}").json()["seq"] == 3
    half = client.post(f"/api/v1/sessions/{new}/class", json={"code": info["code"]})
    assert half.status_code == 422


def test_codes_and_ids_are_not_guessable() -> None:
    codes = [new_code() for _ in range(3000)]
    assert all(len(c) == CODE_LENGTH and set(c) <= set(ALPHABET) for c in codes)
    assert len(set(codes)) > 2990  # 31⁶ ≈ 8.9e8 codes
    letters = Counter("".join(codes))
    assert set(letters) == set(ALPHABET)  # every symbol is used, about evenly
    assert max(letters.values()) < 2 * min(letters.values())
    assert not set("01ILO") & set(ALPHABET)
    ids = {new_session_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(len(i) == 43 for i in ids)
    assert normalise_code(" ab-c 234 ".replace("a", "k")) == "KBC234"
    assert normalise_code("ABC10O") is None
    with pytest.raises(AssertionError):
        assert normalise_code("ABCDEFG")


def test_followers_stream_every_change_from_the_in_process_store(live_server: str) -> None:
    with httpx.Client(base_url=live_server + "/api/v1", timeout=10) as api:
        sid = api.post("/sessions", json={"preset": "worked_example"}).json()["id"]
        code = api.post(f"/sessions/{sid}/class").json()["code"]
        with follow(live_server, code) as first, follow(live_server, code) as second:
            assert first.next().id == second.next().id == 1
            sent = [api.post(f"/sessions/{sid}/step", json=STEP).json() for _ in range(10)]
            for stream in (first, second):
                got = stream.take(10)
                assert [e.id for e in got] == list(range(2, 12))
                assert [e.data["cursor"] for e in got] == [s["cursor"] for s in sent]
        api.post(f"/sessions/{sid}/reset")
        with follow(live_server, code, last_event_id=11) as stream:
            event = stream.next()
            assert (event.id, event.data["cursor"]["iteration"]) == (12, 0)
        api.delete(f"/sessions/{sid}/class")


def test_several_workers_need_redis(capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    assert main(["serve", "--workers", "2"]) != 0
    assert "BACKPROP_LENS_REDIS_URL" in capsys.readouterr().err


def test_the_instructor_sees_how_many_follow(live_server: str) -> None:
    with httpx.Client(base_url=live_server + "/api/v1", timeout=10) as api:
        sid = api.post("/sessions", json={"preset": "xor"}).json()["id"]
        code = api.post(f"/sessions/{sid}/class").json()["code"]
        assert api.get(f"/sessions/{sid}/class").json()["followers"] == 0
        with follow(live_server, code) as first, follow(live_server, code) as second:
            first.next(), second.next()
            assert api.get(f"/sessions/{sid}/class").json()["followers"] == 2
        deadline = time.monotonic() + 10
        while api.get(f"/sessions/{sid}/class").json()["followers"] and time.monotonic() < deadline:
            time.sleep(0.05)  # the server learns of a closed stream when it next writes
        assert api.get(f"/sessions/{sid}/class").json()["followers"] == 0
