"""The OpenAPI schema says what the server does.

Where JSON Schema can say a rule (which fields go together, what an integer is),
the published schema and the server agree on every case.
"""

from __future__ import annotations

from typing import Any

import jsonschema_rs  # schemathesis's JSON Schema validator
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tests.app.helpers import JSON, config, worked_example

SCHEMA = create_app(Settings()).openapi()


def session(client: TestClient, **changes: Any) -> str:
    response = client.post("/api/v1/sessions", json=config(**changes))
    assert response.status_code == 201, response.json()
    session_id: str = response.json()["id"]
    return session_id


def test_an_integral_number_is_an_integer_as_json_schema_says(client: TestClient) -> None:
    sid = session(client)
    seek = f"/api/v1/sessions/{sid}/seek"
    assert client.post(seek, json={"index": 2.0}).json()["cursor"]["index"] == 2
    for wrong in (2.5, True, "2"):
        assert client.post(seek, json={"index": wrong}).status_code == 422


def validator(name: str) -> Any:
    return jsonschema_rs.validator_for(
        {"$ref": f"#/components/schemas/{name}", "components": SCHEMA["components"]}
    )


ROWS = {"inputs": [[0.05, 0.1]], "targets": [[0.01, 0.99]]}
SOURCES: list[JSON] = [
    {"data": ROWS},
    ROWS,
    {"data": ROWS, **ROWS},
    {"data": ROWS, "inputs": ROWS["inputs"]},
    {},
    {"inputs": ROWS["inputs"]},
    {"data": None, **ROWS},
    {"data": ROWS, "inputs": None, "targets": None},
    {"data": None},
]


@pytest.mark.parametrize("source", SOURCES)
def test_the_schema_and_the_server_agree_on_where_the_data_come_from(
    client: TestClient, source: JSON
) -> None:
    body = {k: v for k, v in worked_example().items() if k not in ROWS} | source
    accepted = client.post("/api/v1/backprop", json=body).status_code == 200
    assert validator("BackpropRequest").is_valid(body) == accepted


PARAMETERS = [
    {},
    {"weights": [[[0.1, 0.2], [0.3, 0.4]]] * 2, "biases": [[0.0, 0.0]] * 2},
    {"weights": [[[0.1, 0.2], [0.3, 0.4]]] * 2},
    {"biases": [[0.0, 0.0]] * 2},
    {"weights": None, "biases": None},
    {"weights": [[[0.1, 0.2], [0.3, 0.4]]] * 2, "biases": None},
]


@pytest.mark.parametrize("parameters", PARAMETERS)
def test_the_schema_and_the_server_agree_on_weights_and_biases_together(
    client: TestClient, parameters: JSON
) -> None:
    network = {"layers": [2, 2, 2], "activations": ["sigmoid", "sigmoid"], **parameters}
    body = {**worked_example(), "network": network}
    accepted = client.post("/api/v1/backprop", json=body).status_code == 200
    assert validator("NetworkIn").is_valid(network) == accepted


@pytest.mark.parametrize(
    "body", [{}, {"code": None, "from_session": None}, {"code": "ABCDEF"}, {"from_session": "x"}]
)
def test_the_schema_and_the_server_agree_on_a_class_body(client: TestClient, body: JSON) -> None:
    sid = session(client)
    accepted = client.post(f"/api/v1/sessions/{sid}/class", json=body).status_code == 201
    assert validator("ClassCreate").is_valid(body) == accepted
