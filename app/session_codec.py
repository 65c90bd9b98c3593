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


def _network_arrays(network: Network) -> list[np.ndarray]:
    arrays: list[np.ndarray] = []
    for W, b in zip(network.weights, network.biases, strict=True):
        arrays += [W, b]
    return arrays


def encode_session(session: Session) -> bytes:
    starts = list(session.starts.items())
    header = {
        "format": FORMAT,
        "config": session.config.model_dump(mode="json", exclude_none=True),
        "layers": list(session.initial.layers),
        "activations": list(session.initial.activations),
        "m": int(session.x.shape[1]),
        "iteration": session.iteration,
        "index": session.index,
        "starts": [[t, s.learning_rate, s.batch_size] for t, s in starts],
        "costs": len(session.cost_history),
        "max_costs": session.cost_history.maxlen,
        "history_iterations": session.history_iterations,
    }
    extra = [(name, getattr(session, name)) for name in _OPTIONAL_ARRAYS]
    extra = [(name, array) for name, array in extra if array is not None]
    header["extra"] = [[name, list(array.shape)] for name, array in extra]
    if "evaluations" in _FIELDS:
        rows = getattr(session, "evaluations")  # noqa: B009  (a field of newer Sessions)
        header["evaluations"] = [list(row) for row in rows]
        header["max_evaluations"] = rows.maxlen
    head = orjson.dumps(header)
    arrays = [session.x, session.y, *_network_arrays(session.initial)]
    for _, start in starts:
        arrays += _network_arrays(start.network)
    arrays.append(np.fromiter(session.cost_history, dtype=_F8, count=len(session.cost_history)))
    arrays += [array for _, array in extra]
    chunks = [np.ascontiguousarray(a, dtype=_F8).tobytes() for a in arrays]
    return b"".join([_LEN.pack(len(head)), head, *chunks])


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
        weights, biases = [], []
        for n_prev, n in itertools.pairwise(layers):
            weights.append(self.take(n, n_prev))  # Wˡ (nₗ, nₗ₋₁)
            biases.append(self.take(n))  # bˡ (nₗ,)
        return Network(layers, activations, tuple(weights), tuple(biases))


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
