"""A Session as bytes, for a shared store: a small JSON header, then raw float64 arrays.

Layout: 4 bytes (big-endian) giving the header's length, the header (orjson),
then the arrays back to back in C order, little-endian float64:

    x (n₀, m), y (n_L, m),
    the initial network's W¹, b¹ … Wᴸ, bᴸ,
    for each kept start (oldest first) its W¹, b¹ … Wᴸ, bᴸ,
    the cost history (k,),
    the optional arrays named in the header's `extra` (e.g. a test split), with their shapes

Every other shape follows from `layers`, `m`, the number of starts and `costs`.
No pickle: decoding runs no code, and a blob from a different version fails
with ValueError instead of building odd objects.
"""

from __future__ import annotations

import dataclasses
import itertools
import struct
import weakref
from collections import deque
from typing import Any

import numpy as np
import orjson

from app.schemas import SessionConfig
from app.sessions import Session, Start
from engine import Network

__all__ = ["FORMAT", "decode_session", "encode_session"]

FORMAT = 1
_F8 = np.dtype("<f8")
_LEN = struct.Struct(">I")
_FIELDS = {f.name for f in dataclasses.fields(Session)}
# Optional arrays a Session may hold (None when absent), kept with their shapes.
_OPTIONAL_ARRAYS = tuple(name for name in ("x_test", "y_test") if name in _FIELDS)


# A network's parameters as bytes, per Network object: networks are immutable, and a
# session keeps up to history_iterations of them, so re-encoding them all on every
# write would cost more than the rest of a request.
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


# Per session, the parts that change only when the kept iterations change: the starts'
# header rows and bytes (keyed by the (iteration, Start) pairs, compared by identity),
# and the data set's bytes.
_SESSION_PARTS: weakref.WeakKeyDictionary[
    Session, tuple[tuple[tuple[int, Start], ...], list[list[float]], bytes, bytes]
] = weakref.WeakKeyDictionary()


def _parts(session: Session) -> tuple[list[list[float]], bytes, bytes]:
    key = tuple(session.starts.items())
    cached = _SESSION_PARTS.get(session)
    if cached is not None and cached[0] == key:
        return cached[1], cached[2], cached[3]
    rows = [[t, s.learning_rate, s.batch_size] for t, s in key]
    starts = b"".join(_network_bytes(s.network) for _, s in key)
    data = (
        cached[3]
        if cached is not None
        else b"".join(np.ascontiguousarray(a, dtype=_F8).tobytes() for a in (session.x, session.y))
    )
    _SESSION_PARTS[session] = (key, rows, starts, data)
    return rows, starts, data


def encode_session(session: Session) -> bytes:
    rows, starts, data = _parts(session)
    header = {
        "format": FORMAT,
        "config": session.config.model_dump(mode="json", exclude_none=True),
        "layers": list(session.initial.layers),
        "activations": list(session.initial.activations),
        "m": int(session.x.shape[1]),
        "iteration": session.iteration,
        "index": session.index,
        "starts": rows,
        "costs": len(session.cost_history),
        "max_costs": session.cost_history.maxlen,
        "history_iterations": session.history_iterations,
    }
    extra = [(name, getattr(session, name)) for name in _OPTIONAL_ARRAYS]
    extra = [(name, array) for name, array in extra if array is not None]
    header["extra"] = [[name, list(array.shape)] for name, array in extra]
    if "evaluations" in _FIELDS:
        evaluations = getattr(session, "evaluations")  # noqa: B009  (a field of newer Sessions)
        header["evaluations"] = list(evaluations)  # rows are tuples: orjson writes them as lists
        header["max_evaluations"] = evaluations.maxlen
    head = orjson.dumps(header)
    costs = np.fromiter(session.cost_history, dtype=_F8, count=len(session.cost_history))
    tail = [np.ascontiguousarray(a, dtype=_F8).tobytes() for a in (costs, *(a for _, a in extra))]
    return b"".join(
        [_LEN.pack(len(head)), head, data, _network_bytes(session.initial), starts, *tail]
    )


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


def decode_session(data: bytes) -> Session:
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
    starts: dict[int, Start] = {}
    for t, learning_rate, batch_size in header["starts"]:
        network = reader.network(layers, activations)
        starts[int(t)] = Start(network, float(learning_rate), int(batch_size))
    costs = reader.take(int(header["costs"]))
    optional: dict[str, Any] = {}
    for name, shape in header["extra"]:
        if name not in _OPTIONAL_ARRAYS:
            raise ValueError(f"session blob holds an unknown array {name!r}")
        optional[name] = reader.take(*(int(n) for n in shape))
    if "evaluations" in _FIELDS and "evaluations" in header:
        optional["evaluations"] = deque(
            (tuple(row) for row in header["evaluations"]), maxlen=header["max_evaluations"]
        )
    if reader.offset != len(data):
        raise ValueError("session blob has trailing bytes")
    return Session(
        config=SessionConfig.model_validate(header["config"]),
        x=x,
        y=y,
        initial=initial,
        iteration=int(header["iteration"]),
        index=int(header["index"]),
        starts=starts,
        cost_history=deque(costs.tolist(), maxlen=header["max_costs"]),
        history_iterations=int(header["history_iterations"]),
        **optional,
    )
