"""Two app processes sharing one Redis: sessions and live classes work across them.

Real uvicorn processes on two ports, a real redis-server, httpx as the clients:
create on A and step on B; a follower streaming from B gets every step made on
A, in order; reconnecting with Last-Event-ID gets exactly the missed events (or
the latest state when too far behind); killing a process loses no session.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.app.helpers import fold_events
from tests.app.sse import follow
from tests.servers import AppProcess

STEP = {"direction": "forward", "unit": "step"}
HISTORY = 20  # BACKPROP_LENS_CLASS_HISTORY_EVENTS of app_processes


Connect = Callable[[AppProcess], httpx.Client]


@pytest.fixture
def connect() -> Iterator[Connect]:
    """httpx clients for app processes, closed after the test."""
    opened: list[httpx.Client] = []

    def client(process: AppProcess) -> httpx.Client:
        opened.append(httpx.Client(base_url=process.url + "/api/v1", timeout=10))
        return opened[-1]

    yield client
    for c in opened:
        c.close()


def without_id(state: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in state.items() if k != "id"}


def start_class(client: httpx.Client) -> tuple[str, str]:
    """A worked-example session with a live class: (session id, join code)."""
    sid: str = client.post("/sessions", json={"preset": "worked_example"}).json()["id"]
    code: str = client.post(f"/sessions/{sid}/class").json()["code"]
    return sid, code


def test_a_session_made_on_one_process_steps_on_the_other(
    app_processes: list[AppProcess], connect: Connect
) -> None:
    a, b = (connect(p) for p in app_processes)
    sid = a.post("/sessions", json={"preset": "xor"}).json()["id"]
    ref = a.post("/sessions", json={"preset": "xor"}).json()["id"]  # the same steps, on A only
    for i in range(12):
        got = (b if i % 2 else a).post(f"/sessions/{sid}/step", json=STEP).json()
        want = a.post(f"/sessions/{ref}/step", json=STEP).json()
        assert without_id(got) == without_id(want)
    b.post(f"/sessions/{sid}/train", json={"iterations": 10})
    a.post(f"/sessions/{ref}/train", json={"iterations": 10})
    assert without_id(a.get(f"/sessions/{sid}").json()) == without_id(
        b.get(f"/sessions/{ref}").json()
    )


def test_a_follower_on_b_gets_every_step_made_on_a_in_order(
    app_processes: list[AppProcess], connect: Connect
) -> None:
    a, b = (connect(p) for p in app_processes)
    sid, code = start_class(a)
    with follow(app_processes[1].url, code) as stream:
        first = stream.next()
        assert (first.id, first.event) == (1, "state")
        assert "id" not in first.data
        assert first.data["cursor"]["index"] == 0
        sent = []
        for i in range(30):
            state = a.post(f"/sessions/{sid}/step", json=STEP).json()
            sent.append(without_id(state))
            if i == 14:
                a.patch(f"/sessions/{sid}", json={"learning_rate": 0.25})
                sent.append(without_id(a.get(f"/sessions/{sid}").json()))
        got = stream.take(len(sent))
    assert [e.id for e in got] == list(range(2, 2 + len(sent)))
    assert {e.event for e in got} == {"delta"}  # what changed, not the whole state
    assert fold_events(first.data, got) == sent
    assert b.get(f"/classes/{code}").json()["seq"] == 1 + len(sent)


def test_reconnecting_with_last_event_id_gets_exactly_the_missed_events(
    app_processes: list[AppProcess], connect: Connect
) -> None:
    a, _ = (connect(p) for p in app_processes)
    sid, code = start_class(a)
    with follow(app_processes[1].url, code) as stream:
        first = stream.next()
        for _ in range(3):
            a.post(f"/sessions/{sid}/step", json=STEP)
        seen = stream.take(3)
        held = fold_events(first.data, seen)[-1]
    assert seen[-1].id == 4
    missed = [without_id(a.post(f"/sessions/{sid}/step", json=STEP).json()) for _ in range(5)]
    with follow(app_processes[0].url, code, last_event_id=4) as stream:
        got = stream.take(5)
        assert [e.id for e in got] == [5, 6, 7, 8, 9]
        assert fold_events(held, got) == missed
        live = without_id(a.post(f"/sessions/{sid}/step", json=STEP).json())
        after = stream.next()
        assert after.id == 10  # nothing repeated, nothing skipped
        assert fold_events(missed[-1], [after]) == [live]


def test_a_follower_too_far_behind_gets_the_current_state(
    app_processes: list[AppProcess], connect: Connect
) -> None:
    a, _ = (connect(p) for p in app_processes)
    sid, code = start_class(a)
    for _ in range(HISTORY + 5):
        state = a.post(f"/sessions/{sid}/step", json=STEP).json()
    with follow(app_processes[1].url, code, last_event_id=2) as stream:
        event = stream.next()
        assert (event.id, event.event) == (HISTORY + 6, "state")  # the whole state
        assert event.data == without_id(state)


@pytest.mark.parametrize(
    ("deleted", "reason", "session_after"),
    [
        ("/class", "the instructor ended the class", 200),  # the session stays
        ("", "the instructor's session was deleted", 404),
    ],
)
def test_ending_the_class_or_its_session_reaches_followers_on_the_other_process(
    app_processes: list[AppProcess], connect: Connect, deleted: str, reason: str, session_after: int
) -> None:
    a, b = (connect(p) for p in app_processes)
    sid, code = start_class(a)
    with follow(app_processes[1].url, code) as stream:
        stream.next()
        assert a.delete(f"/sessions/{sid}{deleted}").status_code == 204
        end = stream.next()
        assert (end.id, end.event) == (2, "end")
        assert end.data["reason"] == reason
        assert end.data["export"]["network"]["layers"] == [2, 2, 2]  # what to take a copy of
        with pytest.raises(EOFError):
            stream.next()
    assert b.get(f"/classes/{code}").status_code == 404
    assert b.post(f"/sessions/{sid}/step", json=STEP).status_code == session_after


def test_killing_a_process_loses_no_session(
    app_processes: list[AppProcess], connect: Connect
) -> None:
    a, b = (connect(p) for p in app_processes)
    sid = a.post("/sessions", json={"preset": "xor"}).json()["id"]
    code = a.post(f"/sessions/{sid}/class").json()["code"]
    before = a.post(f"/sessions/{sid}/train", json={"iterations": 20}).json()
    app_processes[0].kill()
    assert without_id(b.get(f"/sessions/{sid}").json()) == without_id(before)
    app_processes[0].start()  # the same port
    restarted = connect(app_processes[0])
    stepped = restarted.post(f"/sessions/{sid}/step", json=STEP).json()
    assert stepped["cursor"]["index"] == 1
    assert stepped["cursor"]["iteration"] == 20
    assert restarted.get(f"/classes/{code}").json()["seq"] == 3


def test_the_instructor_sees_every_process_followers(
    app_processes: list[AppProcess], connect: Connect
) -> None:
    a, _ = (connect(p) for p in app_processes)
    sid, code = start_class(a)

    def followers() -> int:
        count: int = a.get(f"/sessions/{sid}/class").json()["followers"]
        return count

    def settles(expected: int) -> bool:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if followers() == expected:
                return True
            time.sleep(0.1)
        return False

    assert followers() == 0
    with follow(app_processes[0].url, code) as s0, follow(app_processes[1].url, code) as s1:
        s0.next(), s1.next()
        with follow(app_processes[1].url, code) as s2:
            s2.next()
            assert settles(3)  # one on A, two on B: counted in Redis
        assert settles(2)
    assert settles(0)


def test_a_follower_keeps_what_to_copy_when_the_class_ends(
    app_processes: list[AppProcess], connect: Connect
) -> None:
    a, b = (connect(p) for p in app_processes)
    sid, code = start_class(a)
    a.post(f"/sessions/{sid}/train", json={"iterations": 3})
    with follow(app_processes[1].url, code) as stream:
        stream.next()
        a.delete(f"/sessions/{sid}/class")
        end = stream.next()
    assert end.event == "end"
    assert end.data["reason"] == "the instructor ended the class"
    export = end.data["export"]
    assert export == a.get(f"/sessions/{sid}/export").json()
    copy = b.post("/sessions", json=export).json()  # a copy of where the class ended
    assert copy["cursor"]["iteration"] == 3
