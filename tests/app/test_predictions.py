"""GET /api/v1/sessions/{id}/predictions: what replaces the decision boundary for more than
two inputs — classes, confusion matrix, per-class accuracy, misclassified samples and the
principal plane — computed from the network at the current iteration's start."""

from __future__ import annotations

from typing import Any

import numpy as np
from fastapi.testclient import TestClient

from app.wire.responses import Predictions
from tests.app.helpers import assert_error, config

W1 = [[1.0, -1.0, 0.5], [0.5, 0.25, -1.0]]
B1 = [0.0, 0.1]
W2 = [[2.0, -1.5]]
B2 = [-0.2]
INPUTS = [[0.0, 1.0, 0.5], [1.0, 0.0, 0.0], [0.5, 0.5, 2.0], [2.0, -1.0, 1.0], [-1.0, 1.0, 0.0]]
TARGETS = [[1.0], [1.0], [0.0], [1.0], [0.0]]


def three_features(**changes: Any) -> dict[str, Any]:
    network = {"layers": [3, 2, 1], "activations": ["tanh", "sigmoid"], "weights": [W1, W2],
               "biases": [B1, B2]}  # fmt: skip
    return config(
        network=network, data={"inputs": INPUTS, "targets": TARGETS}, batch_size=5, **changes
    )


def predictions(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    sid = client.post("/api/v1/sessions", json=body).json()["id"]
    response = client.get(f"/api/v1/sessions/{sid}/predictions")
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    Predictions.model_validate(answer)
    return answer


def test_three_inputs_get_classes_a_confusion_matrix_and_the_mistakes(client: TestClient) -> None:
    x = np.array(INPUTS).T  # (3, 5)
    a = 1 / (1 + np.exp(-(np.array(W2) @ np.tanh(np.array(W1) @ x + np.array(B1)[:, None])
                          + np.array(B2)[:, None])))  # fmt: skip
    predicted = (a[0] >= 0.5).astype(int).tolist()
    actual = [1, 1, 0, 1, 0]
    body = predictions(client, three_features())
    assert (body["iteration"], body["task"], body["classes"]) == (0, "classification", 2)
    train = body["train"]
    assert train["predicted"] == predicted
    assert train["actual"] == actual
    confusion = [[0, 0], [0, 0]]
    for p, t in zip(predicted, actual, strict=True):
        confusion[t][p] += 1
    assert train["confusion"] == confusion
    assert train["misclassified"] == [i for i in range(5) if predicted[i] != actual[i]]
    assert train["per_class_accuracy"] == [confusion[0][0] / 2, confusion[1][1] / 3]
    assert body["test"] is None
    # the principal plane of the inputs: centred, so the points' mean is 0
    points = np.array(train["projection"])
    assert points.shape == (5, 2)
    np.testing.assert_allclose(points.mean(axis=0), [0.0, 0.0], atol=1e-12)
    assert sum(body["plane"]["explained"]) <= 1.0


def test_a_test_split_is_answered_apart(client: TestClient) -> None:
    body = predictions(client, three_features(test_split=0.4))
    assert len(body["train"]["predicted"]) == 3
    assert len(body["test"]["predicted"]) == 2
    assert np.array(body["test"]["confusion"]).sum() == 2


def test_regression_has_values_and_no_confusion(client: TestClient) -> None:
    body = predictions(client, {"preset": "sine"})
    assert (body["task"], body["classes"], body["plane"]) == ("regression", None, None)
    assert body["train"]["confusion"] is None
    assert body["train"]["projection"] is None
    assert len(body["train"]["predicted"]) == 50
    assert all(isinstance(v, float) for v in body["train"]["actual"])


def test_an_unknown_session_is_404(client: TestClient) -> None:
    message = (
        "no session 'nope': it never existed, was deleted, or ended (sessions end after a time "
        "without use, or when the server needs the room)"
    )
    assert_error(client.get("/api/v1/sessions/nope/predictions"), 404, "not_found", message)
