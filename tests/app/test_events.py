"""The fan-out's bounds: a follower that stops reading holds at most `limit` events."""

from __future__ import annotations

import asyncio

from app.classroom.events import Event, Hub
from app.classroom.store import InMemoryClassStore


def test_a_listener_that_falls_behind_keeps_only_the_newest_and_is_told() -> None:
    async def scenario() -> tuple[bool, list[int]]:
        hub = Hub(limit=3)
        listener = hub.listen("ABCDEF")
        for seq in range(1, 6):
            listener.put(Event(seq, "state", b"{}"))
        kept = []
        while not listener.queue.empty():
            kept.append(listener.queue.get_nowait().seq)
        hub.close(listener)
        return listener.overflowed, kept

    overflowed, kept = asyncio.run(scenario())
    assert overflowed  # the stream then catches up from the class's kept events
    assert len(kept) <= 3
    assert kept[-1] == 5


def test_a_listener_queues_no_more_than_its_class_keeps() -> None:
    store = InMemoryClassStore(ttl_seconds=60, max_classes=10, history=7)
    assert store.hub.limit == 7
