"""Class questions over HTTP (in-process stores): ask, answer, close, vote again, reveal.

The class is the worked example (Mazur's 2-2-2 network, x = (0.05, 0.1)): z¹₀ = 0.15·0.05 +
0.2·0.1 + 0.35 = 0.3775, and without its bias 0.0275; after the update W²₀₀ = 0.35891648.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.wire.questions import ClassQuestion, QuestionResult
from tests.app.helpers import assert_error
from tests.app.sse import follow

FOLLOWERS = [f"follower-{i:02d}" for i in range(6)]


def start(client: TestClient | httpx.Client) -> tuple[str, str]:
    sid = client.post("/api/v1/sessions", json={"preset": "worked_example"}).json()["id"]
    code = client.post(f"/api/v1/sessions/{sid}/class").json()["code"]
    return sid, code


def ask(client: TestClient | httpx.Client, sid: str, **body: Any) -> dict[str, Any]:
    response = client.post(f"/api/v1/sessions/{sid}/class/questions", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    QuestionResult.model_validate(result)
    return result


def answer(client: TestClient | httpx.Client, code: str, qid: str, who: str, value: Any) -> Any:
    body = {"question_id": qid, "follower": who, "answer": value}
    return client.post(f"/api/v1/classes/{code}/answers", json=body)


def test_a_number_question_counts_each_follower_once_and_names_the_mistakes(
    client: TestClient,
) -> None:
    sid, code = start(client)
    asked = ask(client, sid, kind="number", phase="forward", layer=1, part="z", entry=[0, 0])
    qid = asked["question_id"]
    assert asked["question"]["prompt"] == "What is z¹[0][0]?"
    assert asked["answer"] == pytest.approx(0.3775)
    assert (asked["round"], asked["answers"], asked["open"]) == (1, 0, True)
    for who, value in zip(FOLLOWERS, [0.3775, 0.3775, 0.0275, 0.0275, 0.0275, 1.5], strict=True):
        assert answer(client, code, qid, who, 9.0).status_code == 200
        assert answer(client, code, qid, who, value).json()["round"] == 1  # replaces the first
    result = client.get(f"/api/v1/sessions/{sid}/class/questions/{qid}").json()
    assert result["answers"] == 6
    groups = {g["name"]: g for g in result["distribution"]["groups"]}
    assert groups["right"]["count"] == 2
    assert groups["missing_bias"]["count"] == 3
    assert groups["missing_bias"]["value"] == pytest.approx(0.0275)
    assert groups["missing_bias"]["words"] == "the bias bˡ was left out of zˡ = Wˡaˡ⁻¹ + bˡ"
    assert groups["other"]["count"] == 1
    # 1.5 is far from the others: counted apart, so 0.0275 and 0.3775 keep bars of their own
    histogram = result["distribution"]["histogram"]
    assert histogram["edges"] == [0.0, 0.2, 0.4]
    assert histogram["counts"] == [3, 2]
    assert histogram["bars"] == [
        {"low": 0.0, "high": 0.2, "count": 3, "right": False},
        {"low": 0.2, "high": 0.4, "count": 2, "right": True},
        {"low": 0.4, "high": None, "count": 1, "right": False},
    ]


def test_the_rounds_of_a_number_question_share_their_bars(client: TestClient) -> None:
    sid, code = start(client)
    asked = ask(client, sid, kind="number", phase="forward", layer=1, part="z", entry=[0, 0])
    qid, base = (
        asked["question_id"],
        f"/api/v1/sessions/{sid}/class/questions/{asked['question_id']}",
    )
    # round 1: spread out, one typo; round 2: the room agrees on the right 0.3775
    for who, value in zip(FOLLOWERS, [0.3, 0.35, 0.3775, 0.3775, 0.45, 1000.0], strict=True):
        assert answer(client, code, qid, who, value).status_code == 200
    client.post(base + "/revote")
    for who in FOLLOWERS:
        assert answer(client, code, qid, who, 0.3775).status_code == 200
    result = client.post(base + "/close").json()
    first, second = (r["distribution"]["histogram"] for r in result["rounds"])
    # bins from both rounds' twelve answers: eight are 0.3775, so 0.3 (one in twelve, below
    # P₅ and Tukey's fences) and 1000 are counted apart; 0.35 … 0.45 get bins 0.05 wide
    edges = [(b["low"], b["high"]) for b in first["bars"]]
    assert edges == [(None, 0.35), (0.35, 0.4), (0.4, 0.45), (0.45, 0.5), (0.5, None)]
    assert [(b["low"], b["high"]) for b in second["bars"]] == edges
    assert [b["count"] for b in first["bars"]] == [1, 3, 0, 1, 1]
    assert [b["count"] for b in second["bars"]] == [0, 6, 0, 0, 0]
    assert [b["right"] for b in second["bars"]] == [False, True, False, False, False]
    assert result["distribution"] == result["rounds"][1]["distribution"]


def test_close_revote_reveal_and_the_events_followers_get(live_server: str) -> None:
    with httpx.Client(base_url=live_server, timeout=10) as api:
        sid, code = start(api)
        with follow(live_server, code) as stream:
            assert stream.next().event == "state"
            qid = ask(api, sid, kind="choice", phase="update", layer=2, entry=[0, 0])["question_id"]
            event = stream.next()
            assert event.event == "question"
            assert event.data["question_id"] == qid
            assert "answer" not in event.data
            options = {o["label"]: o["key"] for o in event.data["options"]}
            right = options["Wˡ ← Wˡ − η ∂C/∂Wˡ"]
            wrong = options["Wˡ ← Wˡ + η ∂C/∂Wˡ"]
            base = f"/api/v1/sessions/{sid}/class/questions/{qid}"
            for who, key in zip(FOLLOWERS, [right, wrong, wrong, right], strict=False):
                assert answer(api, code, qid, who, key).status_code == 200
            closed = api.post(base + "/close").json()
            assert (closed["open"], closed["answers"]) == (False, 4)
            assert stream.next().event == "close"
            late = answer(api, code, qid, "late-comer", right)
            assert_error(
                late,
                409,
                "conflict",
                "round 1 of this question is closed: answers are taken only while a round is open",
            )
            again = api.post(base + "/revote").json()
            assert (again["round"], again["open"], again["answers"]) == (2, True, 0)
            event = stream.next()
            assert (event.event, event.data["round"]) == ("question", 2)
            for who in FOLLOWERS[:4]:
                answer(api, code, qid, who, right)
            shown = api.post(base + "/reveal").json()
            by_round = [
                {o["key"]: o["count"] for o in r["distribution"]["options"]}
                for r in shown["rounds"]
            ]
            assert by_round[0][right] == 2
            assert by_round[0][wrong] == 2
            assert by_round[1][right] == 4
            assert by_round[1][wrong] == 0
            added = next(o for o in shown["distribution"]["options"] if o["key"] == wrong)
            assert added["mistake"] == "added_gradient"
            stepped = stream.next()  # everyone steps to the update of W²
            assert stepped.event == "delta"
            assert stepped.data["cursor"]["phase"] == "update"
            assert stepped.data["cursor"]["layer"] == 2
            revealed = stream.next()
            assert (revealed.event, revealed.data["answer"]) == ("reveal", right)
            latest = api.get(f"/api/v1/classes/{code}/question").json()
            ClassQuestion.model_validate(latest)
            assert latest["question"]["revealed"] is True
            csv = api.get(f"/api/v1/sessions/{sid}/class/questions.csv").text.splitlines()
            assert csv[0] == "question_id,kind,question,right_answer,round,answer,mistake,count"
            assert f"{qid},choice,Which formula gives W² after the update?,{right},2," in csv[-1]


def test_the_join_code_cannot_ask_close_or_reveal(client: TestClient) -> None:
    sid, code = start(client)
    qid = ask(client, sid, kind="sign", phase="forward", layer=1, entry=[1, 0])["question_id"]
    for path in ("", f"/{qid}/close", f"/{qid}/reveal"):
        response = client.post(f"/api/v1/sessions/{code}/class/questions{path}", json={})
        assert response.status_code in (404, 422)
    assert client.post(f"/api/v1/classes/{code}/questions", json={"kind": "sign"}).status_code in (
        404,
        405,
    )
    assert answer(client, code, qid, FOLLOWERS[0], "positive").status_code == 200


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "maybe",
            "answer: must be one of this question's option keys (negative, zero, "
            "positive), got 'maybe'",
        ),
        (
            0.5,
            "answer: must be one of this question's option keys (negative, zero, positive), "
            "got 0.5",
        ),
    ],
)
def test_answers_are_validated(client: TestClient, value: Any, message: str) -> None:
    sid, code = start(client)
    qid = ask(client, sid, kind="sign", phase="forward", layer=1, entry=[1, 0])["question_id"]
    assert_error(
        answer(client, code, qid, FOLLOWERS[0], value), 422, "invalid_request", message, "answer"
    )


def test_numbers_must_be_finite_and_bounded_and_followers_are_limited(client: TestClient) -> None:
    sid, code = start(client)
    qid = ask(client, sid, kind="number", phase="forward", layer=1, entry=[0, 0])["question_id"]
    too_big = answer(client, code, qid, FOLLOWERS[0], 1e10)
    assert too_big.status_code == 422
    assert too_big.json()["error"]["field"] == "answer"
    word = answer(client, code, qid, FOLLOWERS[0], "0.5")
    assert word.json()["error"]["message"] == "answer: a number question takes a number"
    nan = client.post(
        f"/api/v1/classes/{code}/answers",
        content=f'{{"question_id":"{qid}","follower":"{FOLLOWERS[0]}","answer":NaN}}',
        headers={"content-type": "application/json"},
    )
    assert nan.status_code in (400, 422)
    assert answer(client, code, qid, "short", 0.5).status_code == 422
    for i in range(20):
        assert answer(client, code, qid, FOLLOWERS[1], float(i)).status_code == 200
    assert_error(
        answer(client, code, qid, FOLLOWERS[1], 0.5),
        429,
        "too_many_requests",
        "this follower has answered 20 times in this round: the last answer counts",
    )
    result = client.get(f"/api/v1/sessions/{sid}/class/questions/{qid}").json()
    assert result["answers"] == 1
    assert result["distribution"]["histogram"]["counts"][-1] == 1  # 19.0, the last


def test_questions_end_with_the_class(client: TestClient) -> None:
    sid, code = start(client)
    qid = ask(client, sid, kind="cost_direction")["question_id"]
    assert client.get(f"/api/v1/classes/{code}/question").json()["question"]["kind"] == (
        "cost_direction"
    )
    assert client.delete(f"/api/v1/sessions/{sid}/class").status_code == 204
    gone = answer(client, code, qid, FOLLOWERS[0], "down")
    assert gone.status_code == 404
    assert client.get(f"/api/v1/classes/{code}/question").status_code == 404
    no_class = client.post(f"/api/v1/sessions/{sid}/class/questions", json={"kind": "number"})
    assert_error(
        no_class, 404, "not_found", "this session has no live class: start one before asking"
    )


def test_a_question_that_cannot_be_asked_says_why(client: TestClient) -> None:
    sid, _ = start(client)
    response = client.post(
        f"/api/v1/sessions/{sid}/class/questions",
        json={"kind": "number", "phase": "forward", "layer": 1, "entry": [5, 0]},
    )
    assert_error(
        response,
        422,
        "invalid_request",
        "entry: must index the step's 2×1 result, got [5, 0]",
        "entry",
    )
    assert client.get(f"/api/v1/sessions/{sid}/class/questions/abcdefabcdef").status_code == 404


def test_a_follower_reads_its_own_answer_back(client: TestClient) -> None:
    sid, code = start(client)
    qid = ask(client, sid, kind="sign", phase="forward", layer=1, entry=[1, 0])["question_id"]
    url = f"/api/v1/classes/{code}/question"
    mine = {"follower": FOLLOWERS[0]}
    before = client.get(url, params=mine).json()
    ClassQuestion.model_validate(before)
    assert (before["your_answer"], before["answer"]) == (None, None)
    answer(client, code, qid, FOLLOWERS[0], "zero")
    answer(client, code, qid, FOLLOWERS[1], "positive")
    assert client.get(url, params=mine).json()["your_answer"] == "zero"
    answer(client, code, qid, FOLLOWERS[0], "negative")  # changed while the round is open
    assert client.get(url, params=mine).json()["your_answer"] == "negative"
    assert client.get(url).json()["your_answer"] is None
    client.post(f"/api/v1/sessions/{sid}/class/questions/{qid}/reveal")
    revealed = client.get(url, params=mine).json()
    assert (revealed["your_answer"], revealed["answer"]) == ("negative", "positive")
    assert_error(
        client.get(url, params={"follower": "no"}),
        422,
        "invalid_request",
        "follower: must be 8–64 letters, digits, - or _ (the random id a follower's page keeps), "
        "got 'no'",
        "follower",
    )
    wrong_id = {"question_id": "Q1", "follower": FOLLOWERS[0], "answer": "positive"}
    assert_error(
        client.post(f"/api/v1/classes/{code}/answers", json=wrong_id),
        422,
        "invalid_request",
        "question_id: must be a question's id, 12 of 0–9 and a–f, as the question gives it, "
        "got 'Q1'",
        "question_id",
    )
