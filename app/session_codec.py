"""A Session as bytes, for a shared store: an immutable base, and small mutable fields.

A session's data set, initial network and sizes never change, while its cursor,
kept starts, costs and configuration change with every request. So a store keeps
them apart: the *base* is written once, when the session is made, and the
*fields* (name → bytes, e.g. a Redis hash) are written per request, only those
that changed. Stepping within an iteration rewrites one field of a few dozen
bytes; finishing an iteration adds its start and touches the tail of the costs.

Base: 4 bytes (big-endian) giving the header's length, the header (orjson), then
the arrays back to back in C order, little-endian float64:

    x (n₀, m), y (n_L, m), the initial network's W¹, b¹ … Wᴸ, bᴸ,
    the optional arrays named in the header's `extra` (e.g. a test split), with their shapes

Fields:

    h        {"iteration", "index", "cost_first", "costs", "replayable"} (orjson)
    cfg      the configuration (orjson)
    t<n>     the start of iteration n: learning rate (<f8), batch size (<i8), W¹, b¹ … Wᴸ, bᴸ
    c<k>     costs of iterations k·64 … k·64 + 63 that are kept (<f8 each)
    e<k>     evaluation rows of iterations k·64 … k·64 + 63 (orjson)

`encode_session`/`decode_session` pack both into one blob (for tests and tools).
No pickle: decoding runs no code, and bytes from a different version fail with
ValueError instead of building odd objects.
"""

from __future__ import annotations

import itertools
import struct
import weakref
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import orjson

from app.schemas import SessionConfig
from app.sessions import EvaluationRow, Session, Start
from engine import Network

__all__ = [
    "FORMAT",
    "Base",
    "Fields",
    "decode_base",
    "decode_fields",
    "decode_session",
    "encode_base",
    "encode_fields",
    "encode_session",
]

FORMAT = 2
CHUNK = 64  # iterations per cost or evaluation field
_F8 = np.dtype("<f8")
_LEN = struct.Struct(">I")
_START = struct.Struct("<dq")  # learning rate, batch size
# Optional arrays a Session may hold (None when absent), kept with their shapes.
_OPTIONAL_ARRAYS = ("x_test", "y_test")


# A network's parameters as bytes, per Network object: networks are immutable, and a
# session keeps up to history_iterations of them.
_NETWORK_BYTES: weakref.WeakKeyDictionary[Network, bytes] = weakref.WeakKeyDictionary()


def _network_bytes(network: Network) -> bytes:
    data = _NETWORK_BYTES.get(network)
    if data is None:
        arrays: list[np.ndarray] = []
        for W, b in zip(network.weights, network.biases, strict=True):
            arrays += [W, b]
        data = b"".join(np.ascontiguousarray(a, dtype=_F8).tobytes() for a in arrays)
        _NETWORK_BYTES[network] = data
    return data


class _Reader:
    def __init__(self, data: bytes, offset: int) -> None:
        self.data = data
        self.offset = offset

    def take(self, *shape: int) -> np.ndarray:
        count = int(np.prod(shape, dtype=np.int64))
        end = self.offset + 8 * count
        if end > len(self.data):
            raise ValueError("session blob is truncated")
        # A copy: the arrays must be writeable and must not pin the whole blob.
        array = np.frombuffer(self.data, dtype=_F8, count=count, offset=self.offset).copy()
        self.offset = end
        return array.reshape(shape).astype(np.float64, copy=False)

    def network(self, layers: tuple[int, ...], activations: tuple[str, ...]) -> Network:
        start = self.offset
        weights, biases = [], []
        for n_prev, n in itertools.pairwise(layers):
            weights.append(self.take(n, n_prev))  # Wˡ (nₗ, nₗ₋₁)
            biases.append(self.take(n))  # bˡ (nₗ,)
        network = Network(layers, activations, tuple(weights), tuple(biases))
        _NETWORK_BYTES[network] = self.data[start : self.offset]
        return network

    def end(self) -> None:
        if self.offset != len(self.data):
            raise ValueError("session blob has trailing bytes")


# ---------------------------------------------------------------- the base (never changes)


@dataclass(frozen=True, eq=False)
class Base:
    """What a session never changes after it is made (shared by its Session objects)."""

    layers: tuple[int, ...]
    activations: tuple[str, ...]
    x: np.ndarray  # (n₀, m)
    y: np.ndarray  # (n_L, m)
    initial: Network
    history_iterations: int
    max_costs: int | None
    max_evaluations: int | None
    optional: dict[str, np.ndarray]  # x_test, y_test when the session has them


def encode_base(session: Session) -> bytes:
    extra = [(name, getattr(session, name)) for name in _OPTIONAL_ARRAYS]
    extra = [(name, array) for name, array in extra if array is not None]
    header = {
        "format": FORMAT,
        "layers": list(session.initial.layers),
        "activations": list(session.initial.activations),
        "m": int(session.x.shape[1]),
        "history_iterations": session.history_iterations,
        "max_costs": session.cost_history.maxlen,
        "max_evaluations": session.evaluations.maxlen,
        "extra": [[name, list(array.shape)] for name, array in extra],
    }
    head = orjson.dumps(header)
    arrays = [session.x, session.y]
    data = [np.ascontiguousarray(a, dtype=_F8).tobytes() for a in arrays]
    tail = [np.ascontiguousarray(a, dtype=_F8).tobytes() for _, a in extra]
    return b"".join([_LEN.pack(len(head)), head, *data, _network_bytes(session.initial), *tail])


def decode_base(data: bytes) -> Base:
    if len(data) < _LEN.size:
        raise ValueError("session blob is truncated")
    (size,) = _LEN.unpack_from(data)
    header = orjson.loads(data[_LEN.size : _LEN.size + size])
    if header.get("format") != FORMAT:
        raise ValueError(f"session blob format {header.get('format')!r}, expected {FORMAT}")
    layers = tuple(int(n) for n in header["layers"])
    activations = tuple(str(a) for a in header["activations"])
    m = int(header["m"])
    reader = _Reader(data, _LEN.size + size)
    x = reader.take(layers[0], m)  # (n₀, m)
    y = reader.take(layers[-1], m)  # (n_L, m)
    initial = reader.network(layers, activations)
    optional: dict[str, np.ndarray] = {}
    for name, shape in header["extra"]:
        if name not in _OPTIONAL_ARRAYS:
            raise ValueError(f"session blob holds an unknown array {name!r}")
        optional[name] = reader.take(*(int(n) for n in shape))
    reader.end()
    return Base(
        layers,
        activations,
        x,
        y,
        initial,
        int(header["history_iterations"]),
        header["max_costs"],
        header["max_evaluations"],
        optional,
    )


# ---------------------------------------------------------------- the fields (per request)


@dataclass(frozen=True, eq=False)
class Fields:
    """A session's mutable part as stored (`values`), what it was made from, and the change.

    The sources are snapshots, compared with the next request's session to
    re-encode only what changed (starts and configuration by identity: both are
    immutable objects that a change replaces). `write` and `removed` turn the
    previous fields into these; `size` counts the bytes of every name and value.
    """

    values: dict[bytes, bytes]
    config: SessionConfig
    starts: dict[int, Start]
    costs: tuple[int, list[float]]  # (iteration of the first cost, the costs)
    evaluations: list[EvaluationRow]
    chunks: tuple[list[bytes], list[bytes]]  # names of the cost and the evaluation fields
    write: dict[bytes, bytes]
    removed: list[bytes]
    size: int


def _change(
    values: dict[bytes, bytes], previous: Fields | None
) -> tuple[dict[bytes, bytes], list[bytes], int]:
    if previous is None:
        return dict(values), [], sum(len(k) + len(v) for k, v in values.items())
    old = previous.values
    size = previous.size
    write: dict[bytes, bytes] = {}
    for k, v in values.items():
        was = old.get(k)
        if was is v or was == v:
            continue
        write[k] = v
        size += len(v) - (len(was) if was is not None else -len(k))
    removed = [k for k in old if k not in values]
    size -= sum(len(k) + len(old[k]) for k in removed)
    return write, removed, size


def _spans(first: int, count: int) -> Iterator[tuple[int, int, int]]:
    """(k, lo, hi): items lo … hi − 1 of `count` consecutive iterations from `first` that
    fall in chunk k (iterations k·CHUNK … k·CHUNK + CHUNK − 1)."""
    for k in range(first // CHUNK, (first + count - 1) // CHUNK + 1 if count else 0):
        yield k, max(first, k * CHUNK) - first, min(first + count, (k + 1) * CHUNK) - first


def encode_fields(session: Session, previous: Fields | None = None) -> Fields:
    """The session's fields, reusing `previous`'s bytes for what did not change."""
    old = previous.values if previous is not None else {}
    values: dict[bytes, bytes] = {}
    costs = list(session.cost_history)
    cost_first = session.iteration - len(costs)
    values[b"h"] = orjson.dumps(
        {
            "iteration": session.iteration,
            "index": session.index,
            "cost_first": cost_first,
            "costs": len(costs),
            "replayable": session.replayable,
        }
    )
    if previous is not None and previous.config is session.config:
        values[b"cfg"] = old[b"cfg"]
    else:
        values[b"cfg"] = orjson.dumps(session.config_json())
    for t, start in session.starts.items():
        name = b"t%d" % t
        if previous is not None and previous.starts.get(t) is start:
            values[name] = old[name]
        else:
            rate = _START.pack(start.learning_rate, start.batch_size)
            values[name] = rate + _network_bytes(start.network)
    if previous is not None and previous.costs == (cost_first, costs):
        cost_names = previous.chunks[0]
        values.update((k, old[k]) for k in cost_names)
    else:
        array = np.asarray(costs, dtype=_F8)
        cost_names = []
        for k, lo, hi in _spans(cost_first, len(costs)):
            cost_names.append(b"c%d" % k)
            values[cost_names[-1]] = array[lo:hi].tobytes()
    rows = list(session.evaluations)
    if previous is not None and previous.evaluations == rows:
        eval_names = previous.chunks[1]
        values.update((k, old[k]) for k in eval_names)
    else:
        by_chunk: dict[int, list[EvaluationRow]] = {}
        for row in rows:
            by_chunk.setdefault(row[0] // CHUNK, []).append(row)
        eval_names = [b"e%d" % k for k in by_chunk]
        for name, group in zip(eval_names, by_chunk.values(), strict=True):
            values[name] = orjson.dumps(group)  # tuples: orjson writes them as lists
    write, removed, size = _change(values, previous)
    return Fields(
        values,
        session.config,
        dict(session.starts),
        (cost_first, costs),
        rows,
        (cost_names, eval_names),
        write,
        removed,
        size,
    )


def _numbered(values: dict[bytes, bytes], kind: bytes) -> list[tuple[int, bytes]]:
    """The fields `kind<n>` as (n, bytes), by n."""
    found = [(int(k[1:]), v) for k, v in values.items() if k[:1] == kind and k[1:].isdigit()]
    return sorted(found)


def decode_fields(
    base: Base, values: dict[bytes, bytes], previous: tuple[Session, Fields] | None = None
) -> tuple[Session, Fields]:
    """A Session from its base and fields, reusing `previous`'s objects where bytes agree."""
    old = previous[1] if previous is not None else None
    try:
        head = orjson.loads(values[b"h"])
        cfg = values[b"cfg"]
    except KeyError as exc:
        raise ValueError(f"session fields lack {exc.args[0]!r}") from None
    if old is not None and old.values.get(b"cfg") == cfg:
        config = old.config
    else:
        config = SessionConfig.model_validate(orjson.loads(cfg))
    starts: dict[int, Start] = {}
    size = _START.size + 8 * base.initial.parameter_count
    for t, data in _numbered(values, b"t"):
        if old is not None and old.values.get(b"t%d" % t) == data and t in old.starts:
            starts[t] = old.starts[t]
            continue
        if len(data) != size:
            raise ValueError(f"start {t} holds {len(data)} bytes, expected {size}")
        learning_rate, batch_size = _START.unpack_from(data)
        network = _Reader(data, _START.size).network(base.layers, base.activations)
        starts[t] = Start(network, learning_rate, batch_size)
    blob = b"".join(v for _, v in _numbered(values, b"c"))
    if len(blob) != 8 * int(head["costs"]):
        raise ValueError(f"session fields hold {len(blob) // 8} costs, expected {head['costs']}")
    costs = np.frombuffer(blob, dtype=_F8).tolist()
    rows: list[EvaluationRow] = [
        tuple(row) for _, v in _numbered(values, b"e") for row in orjson.loads(v)
    ]
    session = Session(
        config=config,
        x=base.x,
        y=base.y,
        initial=base.initial,
        iteration=int(head["iteration"]),
        index=int(head["index"]),
        starts=starts,
        cost_history=deque(costs, maxlen=base.max_costs),
        history_iterations=base.history_iterations,
        evaluations=deque(rows, maxlen=base.max_evaluations),
        x_test=base.optional.get("x_test"),
        y_test=base.optional.get("y_test"),
        replayable=bool(head.get("replayable", True)),
    )
    chunks = (
        [b"c%d" % k for k, _ in _numbered(values, b"c")],
        [b"e%d" % k for k, _ in _numbered(values, b"e")],
    )
    cost_first = int(head["cost_first"])
    size = _change(values, None)[2]
    fields = Fields(
        values, config, dict(starts), (cost_first, costs), list(session.evaluations), chunks,
        {}, [], size,
    )  # fmt: skip
    return session, fields


# ---------------------------------------------------------------- one blob


def encode_session(session: Session) -> bytes:
    """Base and fields in one blob: the number of fields, then each part after its length."""
    parts = [encode_base(session)]
    for name, value in encode_fields(session).values.items():
        parts += [name, value]
    return _LEN.pack(len(parts) // 2) + b"".join(_LEN.pack(len(p)) + p for p in parts)


def decode_session(data: bytes) -> Session:
    reader = _Parts(data)
    count = reader.length()
    base = decode_base(reader.part())
    values = {reader.part(): reader.part() for _ in range(count)}
    if reader.offset != len(data):
        raise ValueError("session blob has trailing bytes")
    return decode_fields(base, values)[0]


class _Parts:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def length(self) -> int:
        if self.offset + _LEN.size > len(self.data):
            raise ValueError("session blob is truncated")
        (size,) = _LEN.unpack_from(self.data, self.offset)
        self.offset += _LEN.size
        return int(size)

    def part(self) -> bytes:
        size = self.length()
        if self.offset + size > len(self.data):
            raise ValueError("session blob is truncated")
        self.offset += size
        return self.data[self.offset - size : self.offset]
