"""Class questions on two app processes sharing a real redis-server.

Followers stream from both processes and answer through both; the count is exact
(each follower once per round, however often it answers); a revote is a separate
round; the question and the reveal reach the followers of both processes; a follower
reads its own answer back through either; the join code cannot ask or reveal; ending the
class leaves no question key in Redis.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import redis

from app.classroom.questions import MAX_CHANGES, Asked
from app.classroom.questions_redis import RedisQuestionStore
from app.errors import ConflictError, NotFoundError, TooManyRequestsError
from engine.questions import Option, Posed
from tests.app.sse import follow
from tests.servers import AppProcess

FOLLOWERS = [f"phone-{i:03d}" for i in range(40)]


@pytest.fixture
def clients(app_processes: list[AppProcess]) -> Iterator[list[httpx.Client]]:
    opened = [httpx.Client(base_url=p.url + "/api/v1", timeout=10) for p in app_processes]
    yield opened
    for c in opened:
        c.close()


def test_followers_on_both_processes_answer_and_each_counts_once_per_round(
    app_processes: list[AppProcess], clients: list[httpx.Client]
) -> None:
    a, b = clients
    sid = a.post("/sessions", json={"preset": "worked_example"}).json()["id"]
    code = a.post(f"/sessions/{sid}/class").json()["code"]
    with follow(app_processes[0].url, code) as on_a, follow(app_processes[1].url, code) as on_b:
        assert on_a.next().event == on_b.next().event == "state"
        body = {"kind": "sign", "phase": "backward", "layer": 1, "entry": [0, 0]}
        asked = a.post(f"/sessions/{sid}/class/questions", json=body).json()
        qid, right = asked["question_id"], asked["answer"]
        for stream in (on_a, on_b):
            event = stream.next()
            assert (event.event, event.data["question_id"], event.data["round"]) == (
                "question",
                qid,
                1,
            )
        for i, who in enumerate(FOLLOWERS):  # each answers on both processes, twice
            for client, key in ((a, "zero"), (b, right if i % 4 else "zero")):
                reply = client.post(
                    f"/classes/{code}/answers",
                    json={"question_id": qid, "follower": who, "answer": key},
                )
                assert reply.status_code == 200, reply.text
        first = b.get(f"/sessions/{sid}/class/questions/{qid}").json()
        counts = {o["key"]: o["count"] for o in first["distribution"]["options"]}
        assert first["answers"] == 40
        assert counts[right] == 30
        assert counts["zero"] == 10
        again = b.post(f"/sessions/{sid}/class/questions/{qid}/revote").json()
        assert (again["round"], again["answers"]) == (2, 0)
        for stream in (on_a, on_b):
            event = stream.next()
            assert (event.event, event.data["round"]) == ("question", 2)
        for who in FOLLOWERS[:25]:
            a.post(
                f"/classes/{code}/answers",
                json={"question_id": qid, "follower": who, "answer": right},
            )
        # the join code is no session id: it cannot ask, close or reveal
        assert a.post(f"/sessions/{code}/class/questions", json=body).status_code == 404
        assert b.post(f"/sessions/{code}/class/questions/{qid}/reveal").status_code == 404
        shown = a.post(f"/sessions/{sid}/class/questions/{qid}/reveal").json()
        assert [r["answers"] for r in shown["rounds"]] == [40, 25]
        for stream in (on_a, on_b):
            stepped = stream.next()
            assert (stepped.event, stepped.data["cursor"]["phase"]) == ("delta", "backward")
            revealed = stream.next()
            assert (revealed.event, revealed.data["answer"]) == ("reveal", right)
        assert a.delete(f"/sessions/{sid}/class").status_code == 204
        assert on_a.next().event == on_b.next().event == "end"
    gone = b.post(
        f"/classes/{code}/answers",
        json={"question_id": qid, "follower": FOLLOWERS[0], "answer": right},
    )
    assert gone.status_code == 404


def sign_question(question_id: str) -> Asked:
    options = tuple(Option(k, k) for k in ("negative", "zero", "positive"))
    posed = Posed("sign", "forward", 1, "a", (0, 0), "positive", options, (), 1e-3)
    return Asked(question_id, 0, posed)


def test_the_redis_store_limits_followers_and_forgets_everything(
    redis_client: redis.Redis, redis_prefix: str
) -> None:
    store = RedisQuestionStore(redis_client, ttl_seconds=60, prefix=redis_prefix)
    store.ask("ABCDEF", sign_question("aaaaaaaaaaaa"))
    asked, status = store.get("ABCDEF", "aaaaaaaaaaaa")
    assert asked == sign_question("aaaaaaaaaaaa")
    assert (status.round, status.open, status.revealed) == (1, True, False)
    for _ in range(MAX_CHANGES):
        store.answer("ABCDEF", "aaaaaaaaaaaa", "someone1", "zero")
    with pytest.raises(TooManyRequestsError):
        store.answer("ABCDEF", "aaaaaaaaaaaa", "someone1", "positive")
    assert store.answers("ABCDEF", "aaaaaaaaaaaa", 1) == ["zero"]
    assert store.answer_of("ABCDEF", "aaaaaaaaaaaa", 1, "someone1") == "zero"
    assert store.answer_of("ABCDEF", "aaaaaaaaaaaa", 1, "someone2") is None
    store.revote("ABCDEF", "aaaaaaaaaaaa")
    assert store.answer_of("ABCDEF", "aaaaaaaaaaaa", 2, "someone1") is None
    assert store.answer("ABCDEF", "aaaaaaaaaaaa", "someone1", "positive") == 2
    assert store.answer_of("ABCDEF", "aaaaaaaaaaaa", 2, "someone1") == "positive"
    store.revote("ABCDEF", "aaaaaaaaaaaa")
    with pytest.raises(ConflictError, match="at most 3 rounds"):
        store.revote("ABCDEF", "aaaaaaaaaaaa")
    store.reveal("ABCDEF", "aaaaaaaaaaaa")
    with pytest.raises(ConflictError, match="round 3 of this question is closed"):
        store.answer("ABCDEF", "aaaaaaaaaaaa", "someone2", "zero")
    assert store.question_ids("ABCDEF") == ["aaaaaaaaaaaa"]
    assert redis_client.keys(redis_prefix + "*")
    store.forget("ABCDEF")
    assert redis_client.keys(redis_prefix + "*") == []
    with pytest.raises(NotFoundError):
        store.get("ABCDEF", "aaaaaaaaaaaa")


def test_a_follower_gets_its_own_answer_back_from_either_process(
    clients: list[httpx.Client],
) -> None:
    a, b = clients
    sid = a.post("/sessions", json={"preset": "worked_example"}).json()["id"]
    code = a.post(f"/sessions/{sid}/class").json()["code"]
    body = {"kind": "number", "phase": "forward", "layer": 1, "part": "z", "entry": [0, 0]}
    qid = a.post(f"/sessions/{sid}/class/questions", json=body).json()["question_id"]
    me, mine = FOLLOWERS[0], {"follower": FOLLOWERS[0]}

    def latest(client: httpx.Client, params: dict[str, str] = mine) -> dict[str, object]:
        reply = client.get(f"/classes/{code}/question", params=params)
        assert reply.status_code == 200, reply.text
        held: dict[str, object] = reply.json()
        return held

    assert latest(b)["your_answer"] is None
    answered = {"question_id": qid, "follower": me, "answer": 0.3775}
    assert a.post(f"/classes/{code}/answers", json=answered).status_code == 200
    assert latest(b)["your_answer"] == 0.3775  # the page reloaded through the other process
    assert latest(b, {})["your_answer"] is None  # no follower named: nobody's answer
    assert latest(a, {"follower": FOLLOWERS[1]})["your_answer"] is None
    changed = {**answered, "answer": 0.0275}
    assert b.post(f"/classes/{code}/answers", json=changed).status_code == 200
    assert latest(a)["your_answer"] == 0.0275
    result = b.get(f"/sessions/{sid}/class/questions/{qid}").json()
    assert result["answers"] == 1
    a.post(f"/sessions/{sid}/class/questions/{qid}/revote")
    assert latest(b)["your_answer"] is None  # a new round: not answered yet
    b.post(f"/sessions/{sid}/class/questions/{qid}/reveal")
    revealed = latest(a)
    assert revealed["answer"] == pytest.approx(0.3775)
