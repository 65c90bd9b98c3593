"""The OpenAPI schema says what the server does: its statuses, its bounds, its links.

schemathesis (tests/app/test_schemathesis_cli.py) checks the schema against the
server by fuzzing; these tests check the parts fuzzing cannot reach because an
allowance covers them (a limit bounds a field of a route that may also answer 422
for a shape JSON Schema cannot express), and the documentation rules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import jsonschema_rs  # schemathesis's JSON Schema validator
import pytest
from fastapi.testclient import TestClient

from app.http.guard import FOLLOWER_ROUTE
from app.main import create_app
from app.settings import Settings
from tests.app.helpers import JSON, config, worked_example

SCHEMA = create_app(Settings()).openapi()
OPERATIONS = [
    (method.upper(), path, operation)
    for path, item in SCHEMA["paths"].items()
    for method, operation in item.items()
]
ERROR = {"$ref": "#/components/schemas/ErrorResponse"}


def path_parameters(operation: JSON) -> set[str]:
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}


def can_answer(path: str, operation: JSON) -> set[int]:
    """The errors a route can answer by what it takes (besides its own)."""
    errors = set()
    if "requestBody" in operation:  # malformed, too large (the body limit), invalid
        errors |= {400, 413, 422}
    if "session_id" in path_parameters(operation):  # unknown, busy (under Redis)
        errors |= {404, 409}
    if FOLLOWER_ROUTE.match(path):  # unknown code, too many unknown codes (the guard)
        errors |= {404, 429}
    return errors


@pytest.mark.parametrize(
    ("method", "path", "operation"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS]
)
def test_a_route_documents_every_error_it_can_answer(
    method: str, path: str, operation: JSON
) -> None:
    documented = {int(code) for code in operation["responses"] if int(code) >= 400}
    assert can_answer(path, operation) <= documented
    for code in documented:  # in the one error shape
        content = operation["responses"][str(code)]["content"]["application/json"]
        assert content["schema"] == ERROR


def filled(path: str) -> str:
    return path.replace("{session_id}", "nosuchsession").replace("{code}", "ZZZZZZ")


def test_every_route_with_a_body_answers_413_to_a_body_over_the_limit() -> None:
    client = TestClient(create_app(Settings(max_body_bytes=1024)))
    with_body = [(m, p) for m, p, op in OPERATIONS if "requestBody" in op]
    assert len(with_body) == 15
    for method, path in with_body:
        response = client.request(
            method, filled(path), content=b" " * 1025, headers={"content-type": "application/json"}
        )
        assert response.status_code == 413, (method, path)
        assert response.json()["error"]["code"] == "body_too_large"


def test_every_follower_route_answers_429_past_the_unknown_codes_limit() -> None:
    client = TestClient(create_app(Settings(max_unknown_codes_per_minute=1)))
    assert client.get("/api/v1/classes/AAAAAA").status_code == 404
    followers = [(m, p) for m, p, _ in OPERATIONS if FOLLOWER_ROUTE.match(p)]
    assert len(followers) == 8
    for method, path in followers:
        response = client.request(method, filled(path))
        assert response.status_code == 429, (method, path)
        assert response.json()["error"]["code"] == "too_many_requests"


# Limits small enough to tell apart: each published bound follows its setting.
SMALL = Settings(
    max_layers=3,
    max_width=8,
    max_samples=20,
    max_batch_size=5,
    max_iterations=7,
    max_fast_forward=9,
    max_cost_history=11,
    max_grid_resolution=13,
)


def component(schema: JSON, name: str, *keys: str | int) -> Any:
    node: Any = schema["components"]["schemas"][name]
    for key in keys:
        node = node[key]
    return node


def not_null(node: JSON) -> JSON:
    """The non-null member of an optional field's anyOf."""
    if "anyOf" in node:
        return next(n for n in node["anyOf"] if n.get("type") != "null")
    return node


def field(schema: JSON, name: str, prop: str) -> JSON:
    return not_null(component(schema, name, "properties", prop))


TERMS = "/api/v1/sessions/{session_id}/terms"


def resolution(schema: JSON, path: str) -> JSON:
    parameters = schema["paths"][path]["get"]["parameters"]
    return next(p["schema"] for p in parameters if p["name"] == "resolution")


def test_the_schema_publishes_the_configured_limits() -> None:
    schema = create_app(SMALL).openapi()
    layers = field(schema, "NetworkIn", "layers")
    assert (layers["maxItems"], layers["items"]["maximum"]) == (4, 8)  # L + 1 sizes
    assert field(schema, "NetworkIn", "activations")["maxItems"] == 3
    weights = field(schema, "NetworkIn", "weights")
    assert [weights["maxItems"], weights["items"]["maxItems"]] == [3, 8]
    assert field(schema, "SampleDataIn", "inputs")["maxItems"] == 20
    assert field(schema, "SampleDataIn", "inputs")["items"]["maxItems"] == 8
    assert field(schema, "DatasetDataIn", "size")["maximum"] == 20
    # /backprop and /gradcheck take their samples as one batch
    assert field(schema, "BatchSampleDataIn", "targets")["maxItems"] == 5
    assert field(schema, "BatchDatasetDataIn", "size")["maximum"] == 5
    assert field(schema, "BackpropRequest", "inputs")["maxItems"] == 5
    assert field(schema, "SessionConfig", "inputs")["maxItems"] == 20
    for name in ("SessionConfig", "TrainRequest", "PatchRequest"):
        assert field(schema, name, "batch_size")["maximum"] == 5
    for name in ("TrainRequest", "SessionTrainRequest"):
        assert field(schema, name, "iterations")["maximum"] == 7
    assert field(schema, "SessionConfig", "fast_forward")["maximum"] == 9
    assert field(schema, "ResumeState", "cost_history")["maxItems"] == 11
    assert field(schema, "ResumeState", "layer")["maximum"] == 3
    assert field(schema, "SeekRequest", "index")["maximum"] == 11  # 4L steps: 0 … 11
    for path in ("/api/v1/sessions/{session_id}/field", "/api/v1/classes/{code}/field"):
        assert resolution(schema, path)["maximum"] == 13
    terms = {p["name"]: p["schema"] for p in schema["paths"][TERMS]["get"]["parameters"]}
    assert terms["row"]["exclusiveMaximum"] == 8  # a neuron
    assert terms["column"]["exclusiveMaximum"] == 8  # a sample of a batch, or a neuron
    assert terms["layer"]["maximum"] == 3
    # CSV text is checked on its own: its widths have the hard ceiling only, as on the server
    assert field(schema, "CsvRequest", "input_size")["maximum"] == 4096


def test_a_limit_above_the_hard_ceiling_publishes_the_ceiling() -> None:
    schema = create_app(Settings(max_samples=10**6, max_batch_size=10**6)).openapi()
    assert field(schema, "DatasetDataIn", "size")["maximum"] == 100_000
    assert field(schema, "SessionConfig", "batch_size")["maximum"] == 100_000


def test_the_published_schema_holds_json_schema_only() -> None:
    text = json.dumps(SCHEMA)
    assert "x-bound" not in text  # every mark became its bound
    # pydantic writes constraints it cannot place as "ge", "le": no bound may be lost so
    assert not re.search(r'"(ge|le|gt|lt)":', text)
    seed = component(SCHEMA, "Init", "properties", "seed")
    assert seed["maximum"] == 2**63 - 1  # exact, not the float 2⁶³


@pytest.fixture
def small() -> Iterator[TestClient]:
    with TestClient(create_app(SMALL)) as client:
        yield client


def session(client: TestClient, **changes: Any) -> str:
    response = client.post("/api/v1/sessions", json=config(**changes))
    assert response.status_code == 201, response.json()
    session_id: str = response.json()["id"]
    return session_id


def three_layers() -> JSON:
    return {"layers": [2, 3, 3, 1], "activations": ["tanh", "tanh", "sigmoid"]}


def test_the_server_accepts_a_session_request_at_each_bound_and_not_beyond(
    small: TestClient,
) -> None:
    sid = session(small, network=three_layers(), batch_size=5)
    at_and_over: list[tuple[str, str, str, JSON]] = [
        ("PATCH", "", "batch_size", {"batch_size": 5}),
        ("POST", "/train", "iterations", {"iterations": 7}),
        ("POST", "/seek", "index", {"index": 11}),
    ]
    for method, tail, key, body in at_and_over:
        url = f"/api/v1/sessions/{sid}{tail}"
        assert small.request(method, url, json=body).status_code == 200, (url, body)
        over = small.request(method, url, json={key: body[key] + 1})
        assert (over.status_code, over.json()["error"]["field"]) == (422, key)
    field_url = f"/api/v1/sessions/{sid}/field"
    assert small.get(field_url, params={"resolution": 13}).status_code == 200
    assert small.get(field_url, params={"resolution": 14}).status_code == 422


def test_the_server_accepts_a_problem_at_each_bound_and_not_beyond(small: TestClient) -> None:
    wide = {"layers": [2, 8, 1], "activations": ["tanh", "sigmoid"]}
    deep = {"layers": [2, 2, 2, 2, 1], "activations": ["tanh"] * 3 + ["sigmoid"]}
    assert small.post("/api/v1/sessions", json=config(network=wide)).status_code == 201
    wider = {**wide, "layers": [2, 9, 1]}
    assert small.post("/api/v1/sessions", json=config(network=wider)).status_code == 422
    assert small.post("/api/v1/sessions", json=config(network=deep)).status_code == 422
    five = {"inputs": [[0.0, 1.0]] * 5, "targets": [[1.0]] * 5}
    body = {**worked_example(), "network": {**wide, "init": {"seed": 0}}, **five}
    body["cost"] = "cross_entropy"
    assert small.post("/api/v1/backprop", json=body).status_code == 200
    six = {"inputs": [[0.0, 1.0]] * 6, "targets": [[1.0]] * 6}
    assert small.post("/api/v1/backprop", json={**body, **six}).status_code == 422


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


def links() -> Iterator[tuple[str, JSON]]:
    for _, _, operation in OPERATIONS:
        for response in operation["responses"].values():
            yield from response.get("links", {}).items()


def test_every_link_names_an_operation_and_its_path_parameters() -> None:
    for name, link in links():
        prefix = "#/paths/"
        assert link["operationRef"].startswith(prefix), name
        pointer, method = link["operationRef"][len(prefix) :].rsplit("/", 1)
        path = pointer.replace("~1", "/").replace("~0", "~")
        target = SCHEMA["paths"][path][method]
        assert set(link["parameters"]) == path_parameters(target), name


def test_every_operation_on_an_id_or_a_code_is_reached_by_a_link() -> None:
    targets = {link["operationRef"] for _, link in links()}
    for method, path, operation in OPERATIONS:
        if path_parameters(operation):
            pointer = path.replace("~", "~0").replace("/", "~1")
            assert f"#/paths/{pointer}/{method.lower()}" in targets, (method, path)
