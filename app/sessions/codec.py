"""A Session as bytes, for a shared store: an immutable base, and small mutable fields.

A session's data set, initial network and sizes never change, while its cursor,
kept starts, costs and configuration change with every request. So a store keeps
them apart: the *base* is written once, when the session is made, and the
*fields* (name → bytes, e.g. a Redis hash) are written per request, only those
that changed. Stepping within an iteration rewrites one field of a few dozen
bytes; finishing an iteration adds its start and touches the tail of the costs.

Every record says what it holds and in which format:

    base     packed: "record": "base", the sizes; arrays x (n₀, m), y (n_L, m),
             W1, b1 … WL, bL of the initial network, and x_test, y_test if split
    h        orjson: "record": "head", "format", the cursor and the costs' extent
    cfg      the configuration, as the API writes it (SessionConfig)
    t<n>     packed: "record": "start", the learning rate and batch size of
             iteration n, its "optimizer" ({"name", settings…}) and "weight_decay"
             when not plain descent without decay; arrays W1, b1 … WL, bL of the
             network it starts from,
             and, when "state" (k) is given, the k arrays the optimizer carries for
             each parameter: W1.0 … W1.k−1, b1.0, … (engine.optimizers)
    c<k>     costs of iterations k·64 … k·64 + 63 that are kept (<f8 each; the
             head says how many there are)
    e<k>     evaluation rows of iterations k·64 … k·64 + 63 (orjson)

A packed record is 4 bytes (big-endian) giving its header's length, the header
(orjson: "record", "format", "arrays" as [name, shape] pairs and the record's
own values), then those arrays back to back in C order, little-endian float64.

A record that does not decode — written by another format, or damaged — raises
CodecError; a store then treats the session as ended. No pickle: decoding runs
no code. `encode_session`/`decode_session` pack base and fields into one blob
(for tests and tools).
"""

# ruff: noqa: E741  (l is the layer index of the math, as in DESIGN.md)

from __future__ import annotations

import itertools
import struct
import weakref
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson
from pydantic import ValidationError

from app.sessions.session import EvaluationLog, EvaluationRow, Session, Start
from app.spec.requests import SessionConfig
from engine import DefinitionError, Network, OptimizerState, Updater, updater
from engine.activations import Array
from engine.optimizers import SGD

__all__ = [
    "FORMAT",
    "Base",
    "CodecError",
    "Fields",
    "decode_base",
    "decode_fields",
    "decode_session",
    "encode_base",
    "encode_fields",
    "encode_session",
]

FORMAT = 3
CHUNK = 64  # iterations per cost or evaluation field
_F8 = np.dtype("<f8")
_LEN = struct.Struct(">I")
# Optional arrays a Session may hold (None when absent), kept with their shapes.
_OPTIONAL_ARRAYS = ("x_test", "y_test")


class CodecError(ValueError):
    """Bytes that are not a session of this format (another version, or damaged)."""


# ---------------------------------------------------------------- packed records


def _pack(record: str, values: dict[str, Any], shapes: list[Any], data: bytes) -> bytes:
    """A packed record: its header (kind, format, array shapes, values), then the arrays."""
    head = orjson.dumps({"record": record, "format": FORMAT, "arrays": shapes, **values})
    return _LEN.pack(len(head)) + head + data


def _array_bytes(arrays: Sequence[Array]) -> bytes:
    return b"".join(np.ascontiguousarray(a, dtype=_F8).tobytes() for a in arrays)


def _unpack(data: bytes, record: str) -> tuple[dict[str, Any], dict[str, Array], int]:
    """A packed record's header and arrays, and where its arrays begin."""
    if len(data) < _LEN.size:
        raise CodecError(f"{record} record is truncated")
    (size,) = _LEN.unpack_from(data)
    try:
        header = orjson.loads(data[_LEN.size : _LEN.size + size])
    except orjson.JSONDecodeError:
        raise CodecError(f"{record} record has no readable header") from None
    if not isinstance(header, dict) or header.get("record") != record:
        raise CodecError(f"expected a {record} record, got {_kind(header)}")
    if header.get("format") != FORMAT:
        raise CodecError(f"{record} record has format {header.get('format')!r}, expected {FORMAT}")
    offset = first = _LEN.size + size
    arrays: dict[str, Array] = {}
    try:
        for name, shape in header["arrays"]:
            dims = [int(n) for n in shape]
            count = int(np.prod(dims, dtype=np.int64))
            end = offset + 8 * count
            if min(dims, default=0) < 0 or end > len(data):
                raise CodecError(f"{record} record is truncated")
            # A copy: the arrays must be writeable and must not pin the whole record.
            flat = np.frombuffer(data, dtype=_F8, count=count, offset=offset).copy()
            arrays[str(name)] = flat.reshape(dims).astype(np.float64, copy=False)
            offset = end
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, CodecError):
            raise
        raise CodecError(f"{record} record's arrays are garbled: {exc}") from None
    if offset != len(data):
        raise CodecError(f"{record} record has trailing bytes")
    return header, arrays, first


def _kind(header: object) -> str:
    if isinstance(header, dict) and "record" in header:
        return f"a {header['record']!r} record"
    return "an older or unknown record"


def _network_shapes(layers: Sequence[int]) -> list[Any]:
    shapes: list[Any] = []
    for l, (n_prev, n) in enumerate(itertools.pairwise(layers), start=1):
        shapes += [[f"W{l}", [n, n_prev]], [f"b{l}", [n]]]
    return shapes


# A network's parameters as bytes, per Network object: networks are immutable, and a
# session keeps up to history_iterations of them.
_NETWORK_BYTES: weakref.WeakKeyDictionary[Network, bytes] = weakref.WeakKeyDictionary()


def _network_bytes(network: Network) -> bytes:
    data = _NETWORK_BYTES.get(network)
    if data is None:
        pairs = zip(network.weights, network.biases, strict=True)
        data = _array_bytes([a for W, b in pairs for a in (W, b)])
        _NETWORK_BYTES[network] = data
    return data


def _network(
    arrays: dict[str, Array], layers: tuple[int, ...], activations: tuple[str, ...]
) -> Network:
    L = len(layers) - 1
    try:
        weights = tuple(arrays[f"W{l}"] for l in range(1, L + 1))  # Wˡ (nₗ, nₗ₋₁)
        biases = tuple(arrays[f"b{l}"] for l in range(1, L + 1))  # bˡ (nₗ,)
    except KeyError as exc:
        raise CodecError(f"a network lacks {exc.args[0]}") from None
    for l, W in enumerate(weights, start=1):
        if W.shape != (layers[l], layers[l - 1]) or biases[l - 1].shape != (layers[l],):
            raise CodecError(f"layer {l}'s parameters do not fit layers {list(layers)}")
    return Network(layers, activations, weights, biases)


# ---------------------------------------------------------------- the base (never changes)


@dataclass(frozen=True, eq=False)
class Base:
    """What a session never changes after it is made (shared by its Session objects)."""

    layers: tuple[int, ...]
    activations: tuple[str, ...]
    x: Array  # (n₀, m)
    y: Array  # (n_L, m)
    initial: Network
    history_iterations: int
    max_costs: int | None
    max_evaluations: int | None
    optional: dict[str, Array]  # x_test, y_test when the session has them


def encode_base(session: Session) -> bytes:
    extra = [(name, getattr(session, name)) for name in _OPTIONAL_ARRAYS]
    extra = [(name, array) for name, array in extra if array is not None]
    initial = session.initial
    values = {
        "layers": list(initial.layers),
        "activations": list(initial.activations),
        "history_iterations": session.history_iterations,
        "max_costs": session.cost_history.maxlen,
        "max_evaluations": session.evaluations.rows.maxlen,
    }
    shapes: list[Any] = [["x", list(session.x.shape)], ["y", list(session.y.shape)]]
    shapes += _network_shapes(initial.layers)
    shapes += [[name, list(array.shape)] for name, array in extra]
    data = _array_bytes([session.x, session.y]) + _network_bytes(initial)
    return _pack("base", values, shapes, data + _array_bytes([a for _, a in extra]))


def decode_base(data: bytes) -> Base:
    header, arrays, _ = _unpack(data, "base")
    try:
        layers = tuple(int(n) for n in header["layers"])
        activations = tuple(str(a) for a in header["activations"])
        x, y = arrays["x"], arrays["y"]
        history = int(header["history_iterations"])
        max_costs, max_evaluations = header["max_costs"], header["max_evaluations"]
    except (KeyError, TypeError, ValueError) as exc:
        raise CodecError(f"base record lacks or garbles {exc}") from None
    if x.shape[0] != layers[0] or y.shape[0] != layers[-1] or x.shape[1] != y.shape[1]:
        raise CodecError(f"base record's data do not fit layers {list(layers)}")
    initial = _network(arrays, layers, activations)
    optional = {name: arrays[name] for name in _OPTIONAL_ARRAYS if name in arrays}
    return Base(layers, activations, x, y, initial, history, max_costs, max_evaluations, optional)


# ---------------------------------------------------------------- starts


_START_BYTES: weakref.WeakKeyDictionary[Start, bytes] = weakref.WeakKeyDictionary()


def _parameter_names(layers: Sequence[int]) -> list[str]:
    return [f"{p}{l}" for l in range(1, len(layers)) for p in ("W", "b")]


def _start_bytes(start: Start) -> bytes:
    data = _START_BYTES.get(start)
    if data is None:
        network, state = start.network, start.optimizer_state
        values: dict[str, Any] = {
            "learning_rate": start.learning_rate,
            "batch_size": start.batch_size,
        }
        if start.optimizer.optimizer.name != "sgd":
            values["optimizer"] = start.optimizer.settings()
        if start.weight_decay:
            values["weight_decay"] = start.weight_decay
        shapes = _network_shapes(network.layers)
        tail = b""
        if state is not None:
            values["state"] = len(state[0]) if state else 0
            pairs = zip(_parameter_names(network.layers), state, strict=True)
            carried = [(f"{p}.{k}", a) for p, arrays in pairs for k, a in enumerate(arrays)]
            shapes += [[name, list(a.shape)] for name, a in carried]
            tail = _array_bytes([a for _, a in carried])
        data = _pack("start", values, shapes, _network_bytes(network) + tail)
        _START_BYTES[start] = data
    return data


def _optimizer_state(
    header: dict[str, Any], arrays: dict[str, Array], layers: Sequence[int]
) -> OptimizerState | None:
    if "state" not in header:
        return None
    count = int(header["state"])
    try:
        return tuple(
            tuple(arrays[f"{p}.{k}"] for k in range(count)) for p in _parameter_names(layers)
        )
    except KeyError as exc:
        raise CodecError(f"a start lacks the optimizer's {exc.args[0]}") from None


def _updater(settings: Any) -> Updater:
    """The optimizer a start record names (absent: plain descent)."""
    if settings is None:
        return SGD
    hyper = {k: v for k, v in dict(settings).items() if k != "name"}
    try:
        return updater(str(settings["name"]), hyper)
    except DefinitionError as exc:
        raise CodecError(f"start record names an optimizer this version lacks: {exc}") from None


def _decode_start(data: bytes, base: Base) -> Start:
    header, arrays, first = _unpack(data, "start")
    try:
        learning_rate = float(header["learning_rate"])
        batch_size = int(header["batch_size"])
        state = _optimizer_state(header, arrays, base.layers)
        rule = _updater(header.get("optimizer"))
        weight_decay = float(header.get("weight_decay", 0.0))
    except (KeyError, TypeError, ValueError) as exc:
        raise CodecError(f"start record lacks or garbles {exc}") from None
    network = _network(arrays, base.layers, base.activations)
    _NETWORK_BYTES[network] = data[first : first + 8 * network.parameter_count]
    start = Start(network, learning_rate, batch_size, state, rule, weight_decay)
    _START_BYTES[start] = data
    return start


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


def _config_bytes(config: SessionConfig) -> bytes:
    return orjson.dumps(config.model_dump(mode="json", exclude_none=True))


def encode_fields(session: Session, previous: Fields | None = None) -> Fields:
    """The session's fields, reusing `previous`'s bytes for what did not change."""
    old = previous.values if previous is not None else {}
    values: dict[bytes, bytes] = {}
    costs = list(session.cost_history)
    cost_first = session.iteration - len(costs)
    values[b"h"] = orjson.dumps(
        {
            "record": "head",
            "format": FORMAT,
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
        values[b"cfg"] = _config_bytes(session.config)
    for t, start in session.starts.items():
        values[b"t%d" % t] = _start_bytes(start)
    if previous is not None and previous.costs == (cost_first, costs):
        cost_names = previous.chunks[0]
        values.update((k, old[k]) for k in cost_names)
    else:
        array = np.asarray(costs, dtype=_F8)
        cost_names = []
        for k, lo, hi in _spans(cost_first, len(costs)):
            cost_names.append(b"c%d" % k)
            values[cost_names[-1]] = array[lo:hi].tobytes()
    rows = list(session.evaluations.rows)
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


def _head(values: dict[bytes, bytes]) -> dict[str, Any]:
    try:
        head = orjson.loads(values[b"h"])
    except KeyError:
        raise CodecError("session fields lack the head 'h'") from None
    except orjson.JSONDecodeError:
        raise CodecError("the head 'h' is not readable") from None
    if not isinstance(head, dict) or head.get("record") != "head":
        raise CodecError(f"expected a head record, got {_kind(head)}")
    if head.get("format") != FORMAT:
        raise CodecError(f"head record has format {head.get('format')!r}, expected {FORMAT}")
    return head


def _config(values: dict[bytes, bytes], old: Fields | None) -> SessionConfig:
    cfg = values.get(b"cfg")
    if cfg is None:
        raise CodecError("session fields lack the configuration 'cfg'")
    if old is not None and old.values.get(b"cfg") == cfg:
        return old.config
    try:
        return SessionConfig.model_validate(orjson.loads(cfg))
    except (ValidationError, orjson.JSONDecodeError) as exc:
        raise CodecError(f"the configuration does not decode: {exc}") from None


def decode_fields(
    base: Base, values: dict[bytes, bytes], previous: tuple[Session, Fields] | None = None
) -> tuple[Session, Fields]:
    """A Session from its base and fields, reusing `previous`'s objects where bytes agree.

    CodecError if a field is of another format or damaged."""
    old = previous[1] if previous is not None else None
    head = _head(values)
    config = _config(values, old)
    starts: dict[int, Start] = {}
    for t, data in _numbered(values, b"t"):
        if old is not None and old.values.get(b"t%d" % t) == data and t in old.starts:
            starts[t] = old.starts[t]
        else:
            starts[t] = _decode_start(data, base)
    blob = b"".join(v for _, v in _numbered(values, b"c"))
    try:
        iteration, index = int(head["iteration"]), int(head["index"])
        cost_count, cost_first = int(head["costs"]), int(head["cost_first"])
        rows: list[EvaluationRow] = [
            tuple(row) for _, v in _numbered(values, b"e") for row in orjson.loads(v)
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise CodecError(f"session fields lack or garble {exc}") from None
    if len(blob) != 8 * cost_count:
        raise CodecError(f"session fields hold {len(blob) // 8} costs, expected {cost_count}")
    if iteration not in starts or not 0 <= index < 4 * (len(base.layers) - 1):
        raise CodecError(f"the cursor (iteration {iteration}, step {index}) is not kept")
    costs = np.frombuffer(blob, dtype=_F8).tolist()
    session = Session(
        config=config,
        x=base.x,
        y=base.y,
        initial=base.initial,
        iteration=iteration,
        index=index,
        starts=starts,
        cost_history=deque(costs, maxlen=base.max_costs),
        history_iterations=base.history_iterations,
        evaluations=EvaluationLog(deque(rows, maxlen=base.max_evaluations)),
        x_test=base.optional.get("x_test"),
        y_test=base.optional.get("y_test"),
        replayable=bool(head.get("replayable", True)),
    )
    chunks = (
        [b"c%d" % k for k, _ in _numbered(values, b"c")],
        [b"e%d" % k for k, _ in _numbered(values, b"e")],
    )
    size = _change(values, None)[2]
    fields = Fields(
        values, config, dict(starts), (cost_first, costs), list(session.evaluations.rows), chunks,
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
        raise CodecError("session blob has trailing bytes")
    return decode_fields(base, values)[0]


class _Parts:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def length(self) -> int:
        if self.offset + _LEN.size > len(self.data):
            raise CodecError("session blob is truncated")
        (size,) = _LEN.unpack_from(self.data, self.offset)
        self.offset += _LEN.size
        return int(size)

    def part(self) -> bytes:
        size = self.length()
        if self.offset + size > len(self.data):
            raise CodecError("session blob is truncated")
        self.offset += size
        return self.data[self.offset - size : self.offset]
