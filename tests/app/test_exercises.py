"""Exercises over HTTP: problems from a seed, answers checked and their mistakes named."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.wire.responses import CheckResponse, ExerciseOut
from tests.app.helpers import assert_error, worked_example

JSON = dict[str, Any]


def check(client: TestClient, body: JSON, **question: Any) -> Any:
    return client.post("/api/v1/exercises/check", json={**body, **question})


def test_a_problem_is_the_same_for_its_seed_and_a_backprop_body(client: TestClient) -> None:
    first = client.post("/api/v1/exercises", json={"seed": 7}).json()
    ExerciseOut.model_validate(first)
    assert client.post("/api/v1/exercises", json={"seed": 7}).json() == first
    assert client.post("/api/v1/exercises", json={"seed": 8}).json() != first
    body = {k: v for k, v in first.items() if k != "seed"}
    assert client.post("/api/v1/backprop", json=body).status_code == 200
    chosen = client.post("/api/v1/exercises", json={"seed": 1, "layers": [2, 2, 2], "samples": 2})
    assert chosen.json()["network"]["layers"] == [2, 2, 2]
    assert len(chosen.json()["inputs"]) == 2


def test_the_worked_examples_delta_with_sigma_prime_left_out(client: TestClient) -> None:
    body = worked_example()
    trace = client.post("/api/v1/backprop", json=body).json()
    backward = trace["backward"][0]
    right = check(client, body, phase="backward", layer=1, answer=backward["delta"]).json()
    CheckResponse.model_validate(right)
    assert (right["correct"], right["total"], right["misconceptions"]) == (2, 2, [])
    assert [[e["verdict"] for e in row] for row in right["entries"]] == [["correct"], ["correct"]]
    rounded = [[0.008771], [0.009954]]  # as the page shows them, four digits
    assert check(client, body, phase="backward", layer=1, answer=rounded).json()["correct"] == 2
    no_prime = check(client, body, phase="backward", layer=1, answer=backward["weighted_error"])
    answer = no_prime.json()
    assert answer["misconceptions"] == ["missing_sigma_prime"]
    assert answer["explanations"] == {"missing_sigma_prime": "the ⊙ σ′(zˡ) was left out"}
    assert answer["formulas"] == {
        "missing_sigma_prime": r"\delta^{1} = \left(W^{2}\right)^{\mathsf{T}} \delta^{2}"
    }
    assert answer["formula"].startswith(r"\delta^{1} = \left(\left(W^{2}\right)^{\mathsf{T}}")
    assert answer["entries"][0][0] == {
        "verdict": "wrong", "expected": backward["delta"][0][0],
        "mistakes": ["missing_sigma_prime"],
    }  # fmt: skip


def test_parts_skipped_entries_and_a_bias(client: TestClient) -> None:
    body = worked_example()
    trace = client.post("/api/v1/backprop", json=body).json()
    new_b = trace["update"][0]["biases"]  # layer 2
    answer = [new_b[0], None]
    got = check(client, body, phase="update", layer=2, part="biases", answer=answer).json()
    assert [e["verdict"] for e in got["entries"]] == ["correct", "skipped"]
    W2, grad = body["network"]["weights"][1], trace["gradients"][0]["weights"]
    added = [
        [w + 0.5 * g for w, g in zip(wr, gr, strict=True)] for wr, gr in zip(W2, grad, strict=True)
    ]
    got = check(client, body, phase="update", layer=2, answer=added).json()
    assert got["misconceptions"] == ["added_gradient"]


@pytest.mark.parametrize(
    ("question", "message", "field"),
    [
        ({"phase": "backward", "layer": 1, "answer": [[0.1, 0.2]]},
         "answer: must have the shape of the step's result, 2×1", "answer"),
        ({"phase": "backward", "layer": 2, "answer": [[0.1], [0.2]]},
         "layer: backward has layers 1 here, got 2", "layer"),
        ({"phase": "gradients", "layer": 1, "part": "delta", "answer": [[0.1]]},
         "part: gradients answers are weights or biases, not 'delta'", "part"),
        ({"phase": "forward", "layer": 1, "answer": [[0.1], [0.2, 0.3]]},
         "answer: every row needs the same number of entries", "answer"),
    ],
)  # fmt: skip
def test_an_answer_that_does_not_fit_is_refused_by_name(
    client: TestClient, question: JSON, message: str, field: str
) -> None:
    assert_error(
        check(client, worked_example(), **question), 422, "invalid_request", message, field
    )


def test_non_finite_answers_are_refused(client: TestClient) -> None:
    text = '{"phase": "backward", "layer": 1, "answer": [[NaN], [0.1]]}'
    merged = json.dumps(worked_example())[:-1] + ", " + text[1:]
    response = client.post(
        "/api/v1/exercises/check", content=merged, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "answer[0][0]"


def test_a_session_checks_an_answer_to_its_current_step(client: TestClient) -> None:
    sid = client.post("/api/v1/sessions", json={"preset": "worked_example"}).json()["id"]
    state = client.post(f"/api/v1/sessions/{sid}/seek", json={"index": 3}).json()  # δ¹
    weighted = state["step"]["weighted_error"]
    got = client.post(f"/api/v1/sessions/{sid}/check", json={"answer": weighted}).json()
    CheckResponse.model_validate(got)
    assert (got["phase"], got["layer"], got["misconceptions"]) == (
        "backward",
        1,
        ["missing_sigma_prime"],
    )
    assert client.get(f"/api/v1/sessions/{sid}").json()["cursor"] == state["cursor"]  # unmoved
    other = {
        "phase": "forward",
        "layer": 1,
        "part": "z",
        "answer": state["trace"]["forward"][0]["z"],
    }
    assert client.post(f"/api/v1/sessions/{sid}/check", json=other).json()["correct"] == 2
    missing = client.post("/api/v1/sessions/nope/check", json={"answer": [[0.1]]})
    assert missing.status_code == 404
