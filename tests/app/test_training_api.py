"""The API behind the training views: test split and evaluations, fast-forward on create,
hidden neurons over the field, the session's data, CSV data."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.wire.responses import CsvResponse, Field2D, SessionData, SessionState
from engine import evaluate, init_network, layer_outputs, make_dataset, split_data
from tests.app.helpers import JSON, assert_error, config


def spiral(**changes: Any) -> JSON:
    body: JSON = {
        "network": {
            "layers": [2, 8, 8, 1],
            "activations": ["tanh", "tanh", "sigmoid"],
            "init": {"method": "xavier", "seed": 0},
        },
        "cost": "cross_entropy",
        "learning_rate": 0.3,
        "data": {"dataset": "spiral", "size": 60, "noise": 0.02, "seed": 4},
        "batch_size": 16,
        "seed": 2,
    }
    body.update(changes)
    return body


def create(client: TestClient, body: JSON) -> JSON:
    response = client.post("/api/v1/sessions", json=body)
    assert response.status_code == 201, response.text
    state: JSON = response.json()
    SessionState.model_validate(state)
    return state


def test_a_test_split_is_held_out_and_evaluated(client: TestClient) -> None:
    state = create(client, spiral(test_split=0.25))
    assert state["config"]["test_split"] == 0.25
    data = client.get(f"/api/v1/sessions/{state['id']}/data").json()
    SessionData.model_validate(data)
    assert len(data["train"]["inputs"]) == 45
    assert len(data["test"]["inputs"]) == 15
    drawn = make_dataset("spiral", 60, 0.02, 4)
    x_tr, y_tr, x_te, y_te = split_data(drawn.x, drawn.y, 0.25, seed=2)
    assert np.array_equal(np.array(data["test"]["inputs"]).T, x_te)
    assert np.array_equal(np.array(data["train"]["targets"]).T, y_tr)
    net = init_network([2, 8, 8, 1], ["tanh", "tanh", "sigmoid"], "xavier", 0)
    train, test = (evaluate(net, "cross_entropy", x, y) for x, y in ((x_tr, y_tr), (x_te, y_te)))
    assert state["evaluation"] == {
        "iteration": 0,
        "train": {"cost": train.cost, "accuracy": train.accuracy},
        "test": {"cost": test.cost, "accuracy": test.accuracy},
    }
    assert state["evaluations"] == {
        "iteration": [0],
        "train_cost": [train.cost],
        "test_cost": [test.cost],
        "train_accuracy": [train.accuracy],
        "test_accuracy": [test.accuracy],
    }
    # batches come from the training part only: 45 samples, batches of 16
    assert len(state["trace"]["batch"]["indices"]) == 16
    assert max(state["trace"]["batch"]["indices"]) < 45


def test_evaluations_follow_the_iterations_the_session_stops_at(client: TestClient) -> None:
    state = create(client, spiral(test_split=0.2))
    sid = state["id"]
    after = client.post(f"/api/v1/sessions/{sid}/train", json={"iterations": 300}).json()
    assert after["evaluations"]["iteration"] == [0, 300]
    costs = after["evaluations"]["test_cost"]
    assert costs[1] < costs[0]  # it learns, and the held-out cost says so
    assert after["evaluation"]["train"]["accuracy"] > state["evaluation"]["train"]["accuracy"]
    finished = client.post(
        f"/api/v1/sessions/{sid}/step", json={"direction": "forward", "unit": "iteration"}
    ).json()
    assert finished["evaluations"]["iteration"] == [0, 300, 301]
    back = client.post(
        f"/api/v1/sessions/{sid}/step", json={"direction": "back", "unit": "iteration"}
    ).json()
    assert back["evaluations"]["iteration"] == [0, 300]
    within = client.post(
        f"/api/v1/sessions/{sid}/step", json={"direction": "forward", "unit": "step"}
    ).json()
    assert within["evaluations"] == back["evaluations"]  # (built once per iteration)
    reset = client.post(f"/api/v1/sessions/{sid}/reset").json()
    assert reset["evaluations"]["iteration"] == [0]
    assert reset["evaluation"] == state["evaluation"]


def test_without_a_split_there_is_no_test_and_regression_has_no_accuracy(
    client: TestClient,
) -> None:
    state = create(client, {"preset": "sine"})
    assert state["evaluation"]["test"] is None
    assert state["evaluation"]["train"]["accuracy"] is None
    assert state["evaluations"]["test_cost"] == [None]
    assert client.get(f"/api/v1/sessions/{state['id']}/data").json()["test"] is None
    assert "test_split" not in state["config"]


def test_fast_forward_lands_on_the_numbers_stepping_gives(client: TestClient) -> None:
    body = spiral(test_split=0.2)
    stepped = create(client, body)
    sid = stepped["id"]
    for _ in range(37):
        client.post(f"/api/v1/sessions/{sid}/step", json={"unit": "iteration"})
    stepped = client.post(f"/api/v1/sessions/{sid}/seek", json={"index": 5}).json()
    jumped = create(
        client, {**body, "fast_forward": 37, "state": {"phase": "backward", "layer": 1}}
    )
    expected = {"iteration": 37, "phase": "backward", "layer": 1, "index": 5}
    assert jumped["cursor"] == stepped["cursor"] == expected
    for key in ("network", "trace", "step", "cost_history", "evaluation"):
        assert jumped[key] == stepped[key], key
    assert "fast_forward" not in jumped["config"]
    assert "state" not in jumped["config"]
    # a reset goes back to iteration 0 of the same configuration
    reset = client.post(f"/api/v1/sessions/{jumped['id']}/reset").json()
    assert reset["network"] == create(client, body)["network"]


def test_fast_forward_is_bounded(client: TestClient) -> None:
    response = client.post("/api/v1/sessions", json=spiral(fast_forward=100_001))
    assert_error(
        response,
        422,
        "invalid_request",
        "fast_forward: 100001 is more than the limit of 100000 per call",
        "fast_forward",
    )
    response = client.post("/api/v1/sessions", json=config(test_split=0.95))
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "test_split"


def test_export_and_import_keep_the_split(client: TestClient) -> None:
    state = create(client, spiral(test_split=0.3))
    sid = state["id"]
    client.post(f"/api/v1/sessions/{sid}/train", json={"iterations": 20})
    moved = client.post(f"/api/v1/sessions/{sid}/step", json={"unit": "phase"}).json()
    exported = client.get(f"/api/v1/sessions/{sid}/export").json()
    assert exported["test_split"] == 0.3
    imported = create(client, exported)
    for key in ("cursor", "network", "trace", "evaluation"):
        assert imported[key] == moved[key], key


def test_field_with_hidden_neurons(client: TestClient) -> None:
    state = create(client, spiral())
    sid = state["id"]
    field = client.get(f"/api/v1/sessions/{sid}/field?resolution=6&hidden=true").json()
    Field2D.model_validate(field)
    plain = client.get(f"/api/v1/sessions/{sid}/field?resolution=6").json()
    assert field["outputs"] == plain["outputs"]
    assert "hidden" not in plain
    assert [len(layer) for layer in field["hidden"]] == [8, 8]
    (x_lo, x_hi), (y_lo, y_hi) = field["extent"]["x"], field["extent"]["y"]
    xs, ys = np.linspace(x_lo, x_hi, 6), np.linspace(y_lo, y_hi, 6)
    net = init_network([2, 8, 8, 1], ["tanh", "tanh", "sigmoid"], "xavier", 0)
    a1 = layer_outputs(net, np.array([[xs[4]], [ys[2]]]))[0]  # row 2 (y), column 4 (x)
    # (one column instead of the whole grid: BLAS may round the last bit differently)
    np.testing.assert_allclose([n[2][4] for n in field["hidden"][0]], a1[:, 0], rtol=1e-12)
    too_big = client.get(f"/api/v1/sessions/{sid}/field?resolution=128&hidden=true")
    assert_error(
        too_big,
        422,
        "invalid_request",
        "resolution: a 128×128 grid of 17 neurons is 278528 values, more than the limit of "
        "65536; use a lower resolution",
        "resolution",
    )
    sine = create(client, {"preset": "sine"})
    line = client.get(f"/api/v1/sessions/{sine['id']}/field?resolution=5&hidden=true").json()
    assert len(line["hidden"]) == 1
    assert len(line["hidden"][0][0]) == 5


def csv(client: TestClient, text: str, n0: int = 2, nL: int = 1) -> Any:
    return client.post(
        "/api/v1/datasets/csv", json={"text": text, "input_size": n0, "output_size": nL}
    )


def test_csv_is_turned_into_samples(client: TestClient) -> None:
    response = csv(client, "x1,x2,y\n0,0,0\n0, 1, 1\n\n# a comment\n1;0;1\n1\t1\t0\n")
    assert response.status_code == 200, response.text
    body = response.json()
    CsvResponse.model_validate(body)
    assert body == {
        "inputs": [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]],
        "targets": [[0.0], [1.0], [1.0], [0.0]],
        "rows": 4,
        "header": ["x1", "x2", "y"],
        "columns": ["x1", "x2", "y"],
        "target_columns": [2],
        "class_names": None,
        "input_size": 2,
        "output_size": 1,
        "proposal": {"task": "classification", "output_activation": "sigmoid",
                     "cost": "cross_entropy"},
        "suggest_standardise": False,
        "standardised": None,
    }  # fmt: skip
    # the rows go straight into a session
    data = {"inputs": body["inputs"], "targets": body["targets"]}
    state = create(client, config(data=data, batch_size=4))
    assert state["trace"]["batch"]["a0"] == [[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "0,0,0\n0,1\n",
            "text: line 2: expected 3 values (2 inputs, then 1 target, as the network has "
            "n0 = 2 and nL = 1), got 2",
        ),
        ("0,0,0\n0,abc,1\n", "text: line 2, column 2: 'abc' is not a number; tick the column "
         "as the target if it holds class labels, or encode it as numbers"),
        ("0,0,nan\n", "text: line 1, column 3: 'nan' is not a finite number"),
        ("\n# nothing\n", "text: has no data rows: give one sample per line, 2 inputs, "
         "then 1 target (3 values)"),
        ("0,0,0\n" * 2001, "text: 2001 rows is more than the limit of 2000 samples"),
    ],
)  # fmt: skip
def test_csv_problems_are_named(client: TestClient, text: str, message: str) -> None:
    assert_error(csv(client, text), 422, "invalid_request", message, "text")


def test_a_field_for_pictures_is_rounded_to_the_digits_asked_for(client: TestClient) -> None:
    sid = create(client, spiral())["id"]
    url = f"/api/v1/sessions/{sid}/field?resolution=12&hidden=true"
    full, short = client.get(url).json(), client.get(url + "&digits=3")
    assert short.status_code == 200
    rounded = short.json()
    Field2D.model_validate(rounded)
    assert rounded["extent"] == full["extent"]
    for exact, shown in [
        (full["outputs"], rounded["outputs"]),
        (full["hidden"], rounded["hidden"]),
    ]:
        for value, text in zip(np.ravel(exact), np.ravel(shown), strict=True):
            assert text == float(f"{value:.3g}")  # the shortest decimal: 3 digits at most
    assert len(short.content) < len(client.get(url).content) / 2
    for digits in (0, 7, "x"):
        assert client.get(f"{url}&digits={digits}").status_code == 422
