"""A session's version: a short token naming what a state holds, for deltas (app.wire.delta).

    v1.t<iteration>-<crc of the start>.c<crc of the configuration>
      .h<first>-<end>-<count>-<crc>.e<first>-<end>-<count>-<crc>

The start names the iteration's trace (its network and hyper-parameters); a
history's tail is the iteration of its first item, the one after its last, its
length, and a checksum of its last few items (64 costs, 16 evaluation rows).
Histories lose items only at their end (stepping back, a reset) or at their
start (a bounded history rolling on), and gain them at their end: when the
client's last items are still the session's, everything before them is too.
"""

from __future__ import annotations

import itertools
import struct
import weakref
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import orjson

from app.sessions.session import Session, Start
from app.spec.requests import SessionConfig

__all__ = [
    "COST_WINDOW",
    "ROW_WINDOW",
    "Appended",
    "Item",
    "Tail",
    "Version",
    "appended",
    "cost_items",
    "encode_costs",
    "encode_rows",
    "row_items",
    "tail_of",
    "version_of",
]

TOKEN_PREFIX = "v1"
COST_WINDOW = 64
ROW_WINDOW = 16

T = TypeVar("T")
Item = tuple[int, T]  # (iteration, item)


@dataclass(frozen=True)
class Tail:
    """The end of a history: its first iteration, the one after its last, its length,
    where its last `window` items begin (`mark`), a checksum of those, and one of the
    `window` items before them (`anchor`, 0 when there are none)."""

    first: int
    end: int
    count: int
    mark: int
    crc: int
    anchor: int

    def token(self, letter: str) -> str:
        numbers = f"{self.first}-{self.end}-{self.count}-{self.mark}"
        return f"{letter}{numbers}-{self.crc:08x}-{self.anchor:08x}"

    @staticmethod
    def parse(text: str, letter: str) -> Tail:
        if text[:1] != letter:
            raise ValueError(text)
        first, end, count, mark, crc, anchor = text[1:].split("-")
        return Tail(int(first), int(end), int(count), int(mark), int(crc, 16), int(anchor, 16))


@dataclass(frozen=True)
class Appended:
    """How a client's history becomes the session's: keep its items of iterations
    `first` ≤ t < `upto`, then append `items`."""

    first: int
    upto: int
    items: list[Any]


@dataclass(frozen=True)
class Version:
    iteration: int
    start: int  # crc of the iteration's start (network and hyper-parameters)
    config: int  # crc of the configuration's JSON
    costs: Tail
    evaluations: Tail

    def token(self) -> str:
        return ".".join(
            [
                TOKEN_PREFIX,
                f"t{self.iteration}-{self.start:08x}",
                f"c{self.config:08x}",
                self.costs.token("h"),
                self.evaluations.token("e"),
            ]
        )

    @staticmethod
    def parse(text: str) -> Version | None:
        """The version a token names; None for anything else (the client gets it all)."""
        try:
            prefix, t, c, h, e = text.split(".")
            if prefix != TOKEN_PREFIX or t[:1] != "t" or c[:1] != "c":
                return None
            iteration, start = t[1:].split("-")
            costs, evaluations = Tail.parse(h, "h"), Tail.parse(e, "e")
            return Version(int(iteration), int(start, 16), int(c[1:], 16), costs, evaluations)
        except ValueError:
            return None


# ------------------------------------------------------------------ histories as items


def _crc(items: Sequence[Item[Any]], encode: Callable[[Any], bytes]) -> int:
    return zlib.crc32(encode(items)) if items else 0


def tail_of(items: Sequence[Item[Any]], window: int, encode: Callable[[Any], bytes]) -> Tail:
    if not items:
        return Tail(0, 0, 0, 0, 0, 0)
    last, before = items[-window:], items[-2 * window : -window]
    crcs = _crc(last, encode), _crc(before, encode)
    return Tail(items[0][0], items[-1][0] + 1, len(items), last[0][0], *crcs)


def appended(
    items: Sequence[Item[T]], held: Tail, window: int, encode: Callable[[Any], bytes]
) -> Appended | None:
    """How the client's history (`held`) becomes `items`, or None (send them all).

    When the client's last items are still ours, everything before them is too: it
    keeps all it has and gets what came after. When only the items before those are
    (it is ahead of us, as after a step back, by at most `window` items), it keeps up
    to them and gets the rest.
    """
    first = items[0][0] if items else 0
    if held.count == 0:
        return Appended(first, first, [item for _, item in items])
    last = min(window, held.count)
    checks = ((held.end, held.crc, last), (held.mark, held.anchor, min(window, held.count - last)))
    for upto, crc, size in checks:
        mine = [item for item in items if item[0] < upto][-size:] if size else []
        if size and len(mine) == size and _crc(mine, encode) == crc:
            return Appended(first, upto, [item for t, item in items if t >= upto])
    return None


def encode_costs(items: Sequence[Item[float]]) -> bytes:
    iterations = np.asarray([t for t, _ in items], dtype="<i8")
    return iterations.tobytes() + np.asarray([c for _, c in items], dtype="<f8").tobytes()


def cost_items(session: Session, start: int | None = None) -> list[Item[float]]:
    """(iteration, cost) of the kept costs from iteration `start` on (default: all of them);
    the costs are consecutive, so only those asked for are read."""
    costs = session.cost_history
    first = session.iteration - len(costs)
    skip = 0 if start is None else min(len(costs), max(0, start - first))
    return list(enumerate(itertools.islice(costs, skip, None), start=first + skip))


def costs_tail(session: Session) -> Tail:
    """tail_of(cost_items(session), COST_WINDOW, …), reading only the last costs."""
    costs = session.cost_history
    if not costs:
        return Tail(0, 0, 0, 0, 0, 0)
    last = cost_items(session, session.iteration - 2 * COST_WINDOW)
    tail = tail_of(last, COST_WINDOW, encode_costs)
    return Tail(session.iteration - len(costs), tail.end, len(costs), *tail_rest(tail))


def tail_rest(tail: Tail) -> tuple[int, int, int]:
    return tail.mark, tail.crc, tail.anchor


def row_items(session: Session) -> list[Item[Any]]:
    return [(row[0], row) for row in session.evaluations.rows]


def encode_rows(items: Sequence[Item[Any]]) -> bytes:
    return orjson.dumps([row for _, row in items])


# ------------------------------------------------------------------ versions and deltas

_START_CRC: weakref.WeakKeyDictionary[Start, int] = weakref.WeakKeyDictionary()
_CONFIG_CRC: dict[int, tuple[weakref.ref[SessionConfig], int]] = {}


def _config_crc(config: SessionConfig) -> int:
    """The checksum of a configuration (a session's config never changes in place)."""
    entry = _CONFIG_CRC.get(id(config))
    if entry is not None and entry[0]() is config:
        return entry[1]
    crc = zlib.crc32(config.model_dump_json(exclude_none=True).encode())
    key = id(config)
    _CONFIG_CRC[key] = (weakref.ref(config, lambda _: _CONFIG_CRC.pop(key, None)), crc)
    return crc


def _start_crc(start: Start) -> int:
    crc = _START_CRC.get(start)
    if crc is None:
        crc = zlib.crc32(struct.pack("<dq", start.learning_rate, start.batch_size))
        if start.optimizer.optimizer.name != "sgd" or start.weight_decay:
            rule = repr(sorted(start.optimizer.settings().items())) + repr(start.weight_decay)
            crc = zlib.crc32(rule.encode(), crc)
        for W, b in zip(start.network.weights, start.network.biases, strict=True):
            crc = zlib.crc32(np.ascontiguousarray(b).tobytes(), zlib.crc32(W.tobytes(), crc))
        _START_CRC[start] = crc
    return crc


def version_of(session: Session) -> Version:
    return Version(
        session.iteration,
        _start_crc(session.start),
        _config_crc(session.config),
        costs_tail(session),
        tail_of(row_items(session), ROW_WINDOW, encode_rows),
    )
