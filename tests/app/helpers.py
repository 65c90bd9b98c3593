"""Factories and assertions shared by the API tests."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

from app.errors import SessionNotFoundError
from app.sessions.store import SessionStore
from app.spec.presets import WORKED_EXAMPLE_REQUEST
from engine import Network, make_network

JSON = dict[str, Any]


class Response(Protocol):
    """What the tests read of a response (httpx's, or the test client's httpx2 one)."""

    @property
    def status_code(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]: ...
    def json(self) -> Any: ...


def worked_example() -> JSON:
    """The body of POST /api/v1/backprop for Mazur's worked example (a fresh copy)."""
    return copy.deepcopy(WORKED_EXAMPLE_REQUEST)


def worked_network() -> Network:
    net = WORKED_EXAMPLE_REQUEST["network"]
    assert isinstance(net, dict)
    return make_network(net["layers"], net["activations"], net["weights"], net["biases"])


def config(**changes: Any) -> JSON:
    """A small session configuration (2-3-1 on XOR), with top-level changes."""
    body: JSON = {
        "network": {
            "layers": [2, 3, 1],
            "activations": ["tanh", "sigmoid"],
            "init": {"method": "xavier", "seed": 3},
        },
        "cost": "cross_entropy",
        "learning_rate": 0.5,
        "data": {"dataset": "xor", "size": 8, "noise": 0.1, "seed": 1},
        "batch_size": 3,
        "seed": 7,
    }
    body.update(changes)
    return body


def assert_error(
    response: Response, status: int, code: str, message: str, field: str | None = None
) -> None:
    """The one error shape, exactly."""
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"error": {"code": code, "message": message, "field": field}}
    assert response.status_code == status


def as_array(value: Any) -> np.ndarray[Any, np.dtype[np.float64]]:
    return np.array(value, dtype=np.float64)


def free_port_url() -> str:
    """The URL of a port of 127.0.0.1 that nothing listens on (just now)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# ---------------------------------------------------------------- deltas (docs/API.md)

SMALL_PARTS = ("version", "cursor", "history", "diverged", "divergence", "evaluation")


def keep_and_append(items: list[Any], first: int, change: JSON) -> list[Any]:
    kept = [x for t, x in enumerate(items, start=first) if change["from"] <= t < change["upto"]]
    appended: list[Any] = change["append"]
    return kept + appended


def merged_costs(state: JSON, change: Any) -> list[float]:
    if isinstance(change, list):
        return change
    first = state["cursor"]["iteration"] - len(state["cost_history"])
    return keep_and_append(state["cost_history"], first, change)


def merged_evaluations(held: JSON, change: JSON) -> JSON:
    if "from" not in change:
        return change
    keep = [change["from"] <= t < change["upto"] for t in held["iteration"]]
    return {
        name: [v for v, k in zip(values, keep, strict=True) if k] + change["append"][name]
        for name, values in held.items()
    }


def payload(trace: JSON, phase: str, layer: int) -> JSON:
    """The cursor's step, selected from the trace (what a client does with a delta)."""
    part = trace[phase]
    if isinstance(part, list):
        part = next(entry for entry in part if entry["layer"] == layer)
    return {"phase": phase, **part}


def apply_delta(state: JSON, delta: JSON) -> JSON:
    """What a client holds after applying `delta` to `state` (the API's documented merge)."""
    new = copy.deepcopy(state)
    new.update({name: delta[name] for name in SMALL_PARTS})
    if "config" in delta:
        new["config"] = delta["config"]
    if "trace" in delta:
        new["trace"] = delta["trace"]
        new["network"] = delta["trace"]["network"]
    new["cost_history"] = merged_costs(state, delta["cost_history"])
    new["evaluations"] = merged_evaluations(state["evaluations"], delta["evaluations"])
    cursor = new["cursor"]
    new["step"] = payload(new["trace"], cursor["phase"], cursor["layer"])
    return new


def fold_events(state: JSON, events: list[Any]) -> list[JSON]:
    """The states a follower holds after each event (whole `state`s, or deltas applied to
    the state their `base` names), from `state`."""
    states = []
    for event in events:
        if event.event == "state":
            state = event.data
        else:
            assert event.data["base"] == state["version"], "a delta for another state"
            state = apply_delta(state, event.data)
        states.append(state)
    return states


def alive(store: SessionStore, session_id: str) -> bool:
    """Whether the store still holds the session (not evicted, expired or deleted)."""
    try:
        with store.open(session_id):
            return True
    except SessionNotFoundError:
        return False
