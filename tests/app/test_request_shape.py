"""One request shape: every computing route takes the /backprop body, or `data`."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.app.helpers import assert_error, worked_example

ROUTES = ["/api/v1/backprop", "/api/v1/train", "/api/v1/sessions", "/api/v1/gradcheck"]
EXTRA: dict[str, dict[str, Any]] = {"/api/v1/train": {"iterations": 3, "batch_size": 1}}


def as_data(body: dict[str, Any]) -> dict[str, Any]:
    """The same request with its samples under `data`."""
    out = {k: v for k, v in body.items() if k not in ("inputs", "targets")}
    return {**out, "data": {"inputs": body["inputs"], "targets": body["targets"]}}


def without_id(answer: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in answer.items() if k != "id"}


@pytest.mark.parametrize("route", ROUTES)
def test_the_backprop_body_and_data_give_the_same_answer(client: TestClient, route: str) -> None:
    body = {**worked_example(), **EXTRA.get(route, {})}
    top_level = client.post(route, json=body)
    under_data = client.post(route, json=as_data(body))
    assert top_level.status_code == under_data.status_code
    assert top_level.status_code in (200, 201)
    assert without_id(top_level.json()) == without_id(under_data.json())


def test_a_session_keeps_its_samples_under_data(client: TestClient) -> None:
    state = client.post("/api/v1/sessions", json=worked_example()).json()
    assert state["config"]["data"] == {"inputs": [[0.05, 0.1]], "targets": [[0.01, 0.99]]}
    assert "inputs" not in state["config"]
    assert "targets" not in state["config"]
    assert state["trace"]["cost"] == pytest.approx(0.298371109, abs=1e-9)
    exported = client.get(f"/api/v1/sessions/{state['id']}/export").json()
    assert exported["data"] == state["config"]["data"]


@pytest.mark.parametrize("route", ROUTES)
def test_data_and_samples_together_or_neither_are_refused(client: TestClient, route: str) -> None:
    body = {**worked_example(), **EXTRA.get(route, {})}
    both = {**body, "data": {"dataset": "xor"}}
    message = "data: give either data or inputs and targets, not both"
    assert_error(client.post(route, json=both), 422, "invalid_request", message, "data")
    neither = {k: v for k, v in body.items() if k not in ("inputs", "targets")}
    message = "data: is required (give inputs and targets, or data)"
    assert_error(client.post(route, json=neither), 422, "invalid_request", message, "data")
    no_targets = {k: v for k, v in body.items() if k != "targets"}
    message = "targets: is required (give inputs and targets, or data)"
    assert_error(client.post(route, json=no_targets), 422, "invalid_request", message, "targets")


CROSS_ENTROPY_TARGET = (
    "cross_entropy needs targets between 0 and 1 (the probability that an output is on); "
    "sample 1 has 2 for output 0"
)


def cross_entropy_body() -> dict[str, Any]:
    return {
        "network": {"layers": [2, 2, 1], "activations": ["tanh", "sigmoid"]},
        "cost": "cross_entropy",
        "inputs": [[0.0, 0.0], [1.0, 1.0], [0.0, 1.0]],
        "targets": [[0.0], [2.0], [1.0]],
    }


@pytest.mark.parametrize("route", ROUTES)
def test_cross_entropy_targets_outside_0_1_are_refused(client: TestClient, route: str) -> None:
    body = {**cross_entropy_body(), **EXTRA.get(route, {})}
    response = client.post(route, json=body)
    assert_error(response, 422, "invalid_request", f"targets: {CROSS_ENTROPY_TARGET}", "targets")
    response = client.post(route, json=as_data(body))
    message = f"data.targets: {CROSS_ENTROPY_TARGET}"
    assert_error(response, 422, "invalid_request", message, "data.targets")
    body["targets"] = [[0.0], [1.0], [0.25]]  # probabilities are fine
    assert client.post(route, json=body).status_code in (200, 201)


def test_a_csv_for_cross_entropy_names_the_line_of_a_bad_target(client: TestClient) -> None:
    text = "x1,x2,y\n0,0,0\n\n1,1,2\n"
    body = {"text": text, "input_size": 2, "output_size": 1, "cost": "cross_entropy"}
    message = (
        "text: line 4: cross_entropy needs targets between 0 and 1 (the probability that an "
        "output is on); this sample has 2 for output 0"
    )
    response = client.post("/api/v1/datasets/csv", json=body)
    assert_error(response, 422, "invalid_request", message, "text")
    body["cost"] = "quadratic"  # any real value is a target of the quadratic cost
    assert client.post("/api/v1/datasets/csv", json=body).json()["targets"] == [[0.0], [2.0]]


def test_a_session_the_cost_cannot_serve_is_refused_before_it_is_kept(client: TestClient) -> None:
    store = client.app.state.store  # type: ignore[attr-defined]
    before = len(store)
    body = worked_example()
    body["network"]["activations"] = ["sigmoid", "linear"]
    body["cost"] = "cross_entropy"
    response = client.post("/api/v1/sessions", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "cost"
    assert len(store) == before
