"""Property: no body, however random or malformed, gets a 5xx from any endpoint."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.main import create_app
from app.settings import Settings
from tests.app.helpers import config, worked_example

# Small limits keep every accepted request fast; the routes are the same.
LIMITS = Settings(max_width=16, max_parameters=500, max_samples=64, max_iterations=50)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)

VALID: dict[str, Any] = {
    "backprop": worked_example(),
    "train": {
        "network": {"layers": [2, 3, 1], "activations": ["tanh", "sigmoid"]},
        "cost": "cross_entropy",
        "data": {"dataset": "xor"},
        "iterations": 5,
    },
    "gradcheck": {
        "network": {"layers": [2, 3, 1], "activations": ["tanh", "sigmoid"]},
        "cost": "cross_entropy",
        "inputs": [[0.0, 1.0]],
        "targets": [[1.0]],
    },
    "sessions": config(),
    "step": {"direction": "back", "unit": "phase"},
    "seek": {"index": 3},
    "session_train": {"iterations": 3},
    "patch": {"learning_rate": 0.1, "batch_size": 2},
}

ROUTES: list[tuple[str, str, str | None]] = [  # method, path ({sid}: a live session), body kind
    ("POST", "/api/v1/backprop", "backprop"),
    ("POST", "/api/v1/train", "train"),
    ("POST", "/api/v1/gradcheck", "gradcheck"),
    ("POST", "/api/v1/sessions", "sessions"),
    ("POST", "/api/v1/sessions/{sid}/step", "step"),
    ("POST", "/api/v1/sessions/{sid}/seek", "seek"),
    ("POST", "/api/v1/sessions/{sid}/train", "session_train"),
    ("PATCH", "/api/v1/sessions/{sid}", "patch"),
    ("POST", "/api/v1/sessions/{sid}/reset", None),
    ("GET", "/api/v1/sessions/{sid}", None),
    ("GET", "/api/v1/sessions/{sid}/field", None),
    ("GET", "/api/v1/sessions/{sid}/export", None),
    ("GET", "/api/v1/options", None),
    ("GET", "/healthz", None),
]


def leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from leaves(item, (*path, i))


@st.composite
def mutated(draw: st.DrawFn, kind: str) -> bytes:
    """A valid body with one part replaced, removed or added, or junk."""
    how = draw(st.sampled_from(["replace", "remove", "add", "random_json", "bytes"]))
    if how == "bytes":
        return draw(st.binary(max_size=64))
    if how == "random_json":
        return json.dumps(draw(json_values)).encode()
    body = copy.deepcopy(VALID[kind])
    paths = list(leaves(body))
    path = draw(st.sampled_from(paths[1:]))
    parent = body
    for key in path[:-1]:
        parent = parent[key]
    if how == "replace":
        parent[path[-1]] = draw(json_values)
    elif how == "remove":
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[draw(st.text(max_size=6))] = draw(json_values)
    else:
        parent.append(draw(json_values))
    return json.dumps(body).encode()


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(LIMITS), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def sid(client: TestClient) -> str:
    session_id: str = client.post("/api/v1/sessions", json=config()).json()["id"]
    return session_id


@pytest.mark.parametrize(("method", "path", "kind"), ROUTES)
@settings(
    max_examples=80,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_body_gets_a_5xx(
    client: TestClient, sid: str, method: str, path: str, kind: str | None, data: st.DataObject
) -> None:
    url = path.format(sid=sid)
    if kind is None:
        names = st.sampled_from(["resolution", "x"])
        query = data.draw(st.dictionaries(names, st.text(max_size=6)))
        body = data.draw(st.binary(max_size=32) | st.just(b""))
        response = client.request(method, url, params=query, content=body)
    else:
        content = data.draw(mutated(kind))
        response = client.request(
            method, url, content=content, headers={"content-type": "application/json"}
        )
    assert response.status_code < 500, (url, response.text)
    if response.status_code >= 400:
        error = response.json()["error"]
        assert set(error) == {"code", "message", "field"}
