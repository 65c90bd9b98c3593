"""Every class of bad request goes through one error shape, with exact messages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tests.app.helpers import assert_error, worked_example


def post(client: TestClient, body: Any, path: str = "/api/v1/backprop") -> Any:
    return client.post(path, json=body)


def test_malformed_json(client: TestClient) -> None:
    response = client.post(
        "/api/v1/backprop", content=b'{"cost": ', headers={"content-type": "application/json"}
    )
    assert_error(
        response,
        400,
        "malformed_json",
        "request body is not valid JSON: Expecting value at character 9",
    )


def test_empty_body(client: TestClient) -> None:
    response = client.post("/api/v1/backprop")
    assert_error(response, 422, "invalid_request", "request body: is required")


def test_body_not_an_object(client: TestClient) -> None:
    assert_error(
        post(client, [1, 2]),
        422,
        "invalid_request",
        "request body: input should be a valid dictionary or object to extract fields from",
    )


def test_boolean_is_not_a_number(client: TestClient) -> None:
    body = worked_example()
    body["network"]["layers"][1] = True
    assert_error(
        post(client, body),
        422,
        "invalid_request",
        "network.layers[1]: input should be a valid integer, got True",
        "network.layers[1]",
    )
    body = worked_example()
    body["learning_rate"] = False
    assert_error(
        post(client, body),
        422,
        "invalid_request",
        "learning_rate: input should be a valid number, got False",
        "learning_rate",
    )


def test_string_is_not_a_number(client: TestClient) -> None:
    body = worked_example()
    body["inputs"][0][1] = "0.1"
    assert_error(
        post(client, body),
        422,
        "invalid_request",
        "inputs[0][1]: input should be a valid number, got '0.1'",
        "inputs[0][1]",
    )


def test_unknown_option(client: TestClient) -> None:
    body = worked_example()
    body["network"]["activations"][0] = "sigmod"
    assert_error(
        post(client, body),
        422,
        "invalid_request",
        "network.activations[0]: input should be 'sigmoid', 'tanh', 'relu', 'leaky_relu', "
        "'linear' or 'softmax', got 'sigmod'",
        "network.activations[0]",
    )


def test_unknown_field(client: TestClient) -> None:
    body = worked_example()
    body["learning_rat"] = 0.1
    assert_error(
        post(client, body),
        422,
        "invalid_request",
        "learning_rat: is not a known field (unknown fields are rejected; check the spelling)",
        "learning_rat",
    )


def test_missing_field_and_count_of_others(client: TestClient) -> None:
    body = worked_example()
    del body["cost"], body["network"]
    assert_error(
        post(client, body),
        422,
        "invalid_request",
        "network: is required (and 1 more error)",
        "network",
    )


def test_non_finite_number(client: TestClient) -> None:
    text = json.dumps(worked_example()).replace("0.15", "NaN")
    response = client.post(
        "/api/v1/backprop", content=text, headers={"content-type": "application/json"}
    )
    assert_error(
        response,
        422,
        "invalid_request",
        "network.weights[0][0][0]: input should be a finite number, got nan",
        "network.weights[0][0][0]",
    )


def test_engine_definition_error_names_the_field(client: TestClient) -> None:
    body = worked_example()
    body["network"]["weights"][1] = [[0.4, 0.45, 0.1], [0.5, 0.55, 0.1]]
    assert_error(
        post(client, body),
        422,
        "invalid_request",
        "network.weights[1]: W2 must have shape 2×2 (n2 rows, n1 columns), got 2×3",
        "network.weights[1]",
    )
    body = worked_example()
    body["cost"] = "softmax_cross_entropy"
    assert_error(
        post(client, body),
        422,
        "invalid_request",
        "cost: softmax_cross_entropy needs a softmax output layer, but the output activation "
        "is sigmoid",
        "cost",
    )


def test_weights_without_biases(client: TestClient) -> None:
    body = worked_example()
    del body["network"]["biases"]
    assert_error(
        post(client, body),
        422,
        "invalid_request",
        "network.biases: is required when network.weights is given (give both, or neither "
        "and use init)",
        "network.biases",
    )


def test_ragged_samples(client: TestClient) -> None:
    body = worked_example()
    body["inputs"] = [[0.05, 0.1], [0.2]]
    body["targets"] = [[0.01, 0.99], [0.5, 0.5]]
    assert_error(
        post(client, body),
        422,
        "invalid_request",
        "inputs[1]: every sample needs the same number of values: sample 0 has 2, sample 1 has 1",
        "inputs[1]",
    )


@pytest.fixture
def small_client() -> Iterator[TestClient]:
    settings = Settings(max_layers=2, max_width=8, max_parameters=60, max_batch_size=4)
    with TestClient(create_app(settings)) as client:
        yield client


def test_limits_name_field_value_and_limit(small_client: TestClient) -> None:
    body = worked_example()
    body["network"] = {"layers": [2, 2, 2, 2], "activations": ["sigmoid"] * 3}
    assert_error(
        post(small_client, body),
        422,
        "invalid_request",
        "network.layers: 3 weight layers (4 sizes) is more than the limit of 2 weight layers",
        "network.layers",
    )
    body["network"] = {"layers": [2, 9, 2], "activations": ["sigmoid"] * 2}
    assert_error(
        post(small_client, body),
        422,
        "invalid_request",
        "network.layers[1]: 9 neurons is more than the limit of 8 per layer",
        "network.layers[1]",
    )
    body["network"] = {"layers": [8, 8, 2], "activations": ["sigmoid"] * 2}
    assert_error(
        post(small_client, body),
        422,
        "invalid_request",
        "network.layers: [8, 8, 2] has 90 weights and biases, more than the limit of 60",
        "network.layers",
    )
    body = worked_example()
    body["inputs"] = body["inputs"] * 5
    body["targets"] = body["targets"] * 5
    assert_error(
        post(small_client, body),
        422,
        "invalid_request",
        "inputs: 5 is more than the limit of 4 samples per batch",
        "inputs",
    )


def test_unknown_route(client: TestClient) -> None:
    assert_error(
        client.get("/api/v1/nothing"), 404, "not_found", "no such resource: GET /api/v1/nothing"
    )


def test_method_not_allowed(client: TestClient) -> None:
    response = client.get("/api/v1/backprop")
    assert_error(
        response,
        405,
        "method_not_allowed",
        "GET is not allowed on /api/v1/backprop; allowed: POST",
    )
    assert response.headers["allow"] == "POST"


def test_body_too_large_by_content_length(client: TestClient) -> None:
    response = client.post(
        "/api/v1/backprop",
        content=b" " * (4 * 1024 * 1024 + 1),
        headers={"content-type": "application/json"},
    )
    assert_error(
        response,
        413,
        "body_too_large",
        "the request body is larger than the limit of 4194304 bytes",
    )


def test_body_too_large_when_streamed_without_length(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(5):
            yield b" " * (1024 * 1024)

    response = client.post(
        "/api/v1/backprop", content=chunks(), headers={"content-type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert_error(
        response,
        413,
        "body_too_large",
        "the request body is larger than the limit of 4194304 bytes",
    )


def test_body_just_under_the_limit_is_read(client: TestClient) -> None:
    text = json.dumps(worked_example()).encode()
    padded = text + b" " * (4 * 1024 * 1024 - len(text))
    response = client.post(
        "/api/v1/backprop", content=padded, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200
