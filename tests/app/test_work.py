"""The heavy-work scheduler (app.work): shortest first, a slice at a time, low priority."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable

import pytest

from app import work
from app.sessions.create import new_session
from app.settings import Settings
from app.spec.requests import SessionConfig
from app.work import Job, Scheduler, ShortestFirst
from engine import train
from engine.slices import Sliced
from tests.app.helpers import config


def counting(
    name: str, slices: int, log: list[str], gate: threading.Event | None = None
) -> Sliced[str]:
    """A job of `slices` slices that logs each; the first waits for `gate` if given."""
    for k in range(slices):
        if k == 0 and gate is not None:
            log.append("waiting")
            gate.wait()
            log.remove("waiting")
        log.append(f"{name}{k}")
        if k < slices - 1:
            yield 1
    return name


def test_the_queue_gives_the_job_with_the_least_work_left_first_then_the_earliest() -> None:
    queue = ShortestFirst()
    big, other_big, small, tie = (
        Job(counting("x", 1, []), work, 1) for work in (9e9, 5e9, 1e3, 1e3)
    )
    for job in (big, other_big, small, tie):
        queue.push(job)
    assert [queue.pop() for _ in range(4)] == [small, tie, other_big, big]
    assert len(queue) == 0


def test_a_slice_lowers_the_work_left_by_what_it_did() -> None:
    log: list[str] = []
    job = Job(counting("a", 3, log), 300.0, 100.0)
    assert job.step() is False
    assert job.remaining == 200.0
    assert job.step() is False
    assert job.step() is True
    assert job.result == "a"
    assert log == ["a0", "a1", "a2"]


def wait_until(condition: Callable[[], bool]) -> None:
    while not condition():
        time.sleep(0.001)


@pytest.fixture
def one_worker() -> Scheduler:
    return Scheduler(workers=1, initializer=lambda: None)


def test_a_small_job_waits_for_the_running_slice_only_not_for_queued_big_ones(
    one_worker: Scheduler,
) -> None:
    log: list[str] = []
    gate = threading.Event()
    results: dict[str, str] = {}

    def submit(name: str, slices: int, work: float, gated: bool = False) -> threading.Thread:
        def go() -> None:
            sliced = counting(name, slices, log, gate if gated else None)
            results[name] = one_worker.run(sliced, work, work / slices)

        thread = threading.Thread(target=go)
        thread.start()
        return thread

    threads = [submit("A", 3, 3e9, gated=True)]  # runs first, its first slice held at the gate
    wait_until(lambda: log == ["waiting"])
    threads.append(submit("B", 3, 2e9))
    threads.append(submit("C", 2, 1e3))
    wait_until(lambda: one_worker.queued() == 2)
    gate.set()
    for thread in threads:
        thread.join()
    # A's running slice ends, then all of C (least work left), then B (2e9 left, as A, but
    # queued first), which then has less left than A.
    assert log == ["A0", "C0", "C1", "B0", "B1", "B2", "A1", "A2"]
    assert results == {"A": "A", "B": "B", "C": "C"}


def test_an_error_inside_a_slice_reaches_the_caller(one_worker: Scheduler) -> None:
    def failing() -> Sliced[int]:
        yield 1
        raise ValueError("the second slice failed")

    with pytest.raises(ValueError, match="the second slice failed"):
        one_worker.run(failing(), 2e9, 1e9)


def test_long_work_runs_at_a_lower_cpu_priority() -> None:
    if not sys.platform.startswith("linux"):  # per-thread priority is a Linux feature
        return
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    def priority() -> Sliced[int]:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        yield 0  # a generator: the one slice returns at once

    assert work.run(priority(), work.INLINE_WORK + 1, 1) == min(19, mine + work.NICE)
    # Work below INLINE_WORK runs on the caller's thread, at its priority.
    assert work.run(priority(), work.INLINE_WORK, 1) == mine


def test_a_session_trained_in_many_slices_has_the_bits_of_one_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(work, "SLICE_WORK", 50_000)  # a few iterations a slice
    monkeypatch.setattr(work, "INLINE_WORK", 0)  # every train through the workers
    session = new_session(SessionConfig.model_validate(config(batch_size=2)), Settings())
    start = session.start
    session.train(300, Settings())
    whole = train(start.network, session.config.cost, session.x, session.y,
                  start.learning_rate, 300, 2, session.config.seed)  # fmt: skip
    assert work.slice_count(work.train_work(2, start.network.parameter_count, 2)) < 10
    assert session.iteration == 300
    assert list(session.cost_history) == list(whole.costs)
    for mine, theirs in zip(session.start.network.weights, whole.network.weights, strict=True):
        assert (mine == theirs).all()
