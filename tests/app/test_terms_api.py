"""GET /api/v1/sessions/{id}/terms: one entry written out, over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.wire.responses import TermsResponse
from tests.app.helpers import assert_error


def leaves(node: dict[str, Any]) -> list[dict[str, Any]]:
    if "quantity" in node:
        return [node]
    return [leaf for arg in node["args"] for leaf in leaves(arg)]


@pytest.fixture
def worked(client: TestClient) -> str:
    """The worked example's session at its backward step (δ¹)."""
    sid: str = client.post("/api/v1/sessions", json={"preset": "worked_example"}).json()["id"]
    state = client.post(f"/api/v1/sessions/{sid}/seek", json={"index": 3}).json()
    assert (state["cursor"]["phase"], state["cursor"]["layer"]) == ("backward", 1)
    return sid


def test_delta_one_is_the_weighted_sum_times_sigma_prime(client: TestClient, worked: str) -> None:
    response = client.get(
        f"/api/v1/sessions/{worked}/terms", params={"quantity": "delta", "row": 0, "column": 0}
    )
    body = response.json()
    TermsResponse.model_validate(body)
    state = client.get(f"/api/v1/sessions/{worked}").json()
    assert body["value"] == state["step"]["delta"][0][0]  # the shown entry itself
    assert (body["phase"], body["layer"], body["index"]) == ("backward", 1, [0, 0])
    product = body["expression"]
    assert product["op"] == "product"
    weighted, prime = product["args"]
    assert weighted["equals"]["quantity"] == "weighted_error"
    assert weighted["value"] == pytest.approx(state["step"]["weighted_error"][0][0], abs=1e-15)
    shown = [(r["quantity"], r["layer"], r["index"], r["value"]) for r in leaves(weighted)]
    delta2 = state["trace"]["output_error"]["delta"]
    assert shown == [
        ("W", 2, [0, 0], 0.4), ("delta", 2, [0, 0], delta2[0][0]),
        ("W", 2, [1, 0], 0.5), ("delta", 2, [1, 0], delta2[1][0]),
    ]  # fmt: skip
    assert prime == {
        "quantity": "sigma_prime", "layer": 1, "index": [0, 0],
        "value": state["step"]["sigma_prime"][0][0],
    }  # fmt: skip


def test_any_step_of_the_iteration_and_a_bias(client: TestClient, worked: str) -> None:
    params: dict[str, str | int] = {"phase": "update", "layer": 2, "quantity": "biases", "row": 1}
    body = client.get(f"/api/v1/sessions/{worked}/terms", params=params).json()
    assert [r["quantity"] for r in leaves(body["expression"])] == ["b", "eta", "dC_db"]
    trace = client.get(f"/api/v1/sessions/{worked}").json()["trace"]
    assert body["value"] == trace["update"][0]["biases"][1]


@pytest.mark.parametrize(
    ("params", "message", "field"),
    [
        ({"quantity": "delta", "row": 2, "column": 0},
         "index: delta of layer 1 is 2×1: give indices within it, got [2, 0]", "index"),
        ({"quantity": "z", "row": 0, "column": 0},
         "quantity: backward computes weighted_error, sigma_prime, delta, not 'z'", "quantity"),
        ({"phase": "backward", "layer": 2, "quantity": "delta", "row": 0, "column": 0},
         "layer: backward has layers 1 here, got 2", "layer"),
    ],
)  # fmt: skip
def test_an_entry_that_is_not_there_is_named(
    client: TestClient, worked: str, params: dict[str, Any], message: str, field: str
) -> None:
    response = client.get(f"/api/v1/sessions/{worked}/terms", params=params)
    assert_error(response, 422, "invalid_request", message, field)
