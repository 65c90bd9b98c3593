"""POST /api/v1/backprop, /train, /gradcheck: values against the engine and the worked example."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

import engine
import engine.terms
from app.wire import responses
from app.wire.convert import HIDDEN
from app.wire.responses import BackpropResponse, GradcheckResponse, TrainResponse
from engine import init_network, make_dataset, trace_iteration, train
from tests.app.helpers import as_array, assert_error, worked_example, worked_network

TRACE_KEYS = [  # DESIGN.md's response, plus what docs/API.md adds
    "network", "forward", "cost", "output_error", "backward", "gradients", "update",
    "learning_rate", "diverged", "divergence", "optimizer", "weight_decay", "l2_cost",
]  # fmt: skip


def test_worked_example_numbers(client: TestClient) -> None:
    """Mazur's published numbers (his post does not update biases; we do)."""
    body = client.post("/api/v1/backprop", json=worked_example()).json()
    assert list(body) == TRACE_KEYS
    BackpropResponse.model_validate(body)
    assert body["network"] == worked_example()["network"]
    np.testing.assert_allclose(body["forward"][0]["z"], [[0.3775], [0.3925]], rtol=1e-12)
    np.testing.assert_allclose(body["forward"][0]["a"], [[0.593269992], [0.596884378]], atol=1e-9)
    np.testing.assert_allclose(body["forward"][1]["a"], [[0.75136507], [0.772928465]], atol=1e-8)
    assert body["cost"] == pytest.approx(0.298371109, abs=1e-9)
    assert body["output_error"]["form"] == "hadamard"
    assert body["output_error"]["layer"] == 2
    np.testing.assert_allclose(body["output_error"]["grad_a"], [[0.74136507], [-0.217071535]])
    assert [g["layer"] for g in body["gradients"]] == [2, 1]
    np.testing.assert_allclose(
        body["update"][0]["weights"],
        [[0.35891648, 0.408666186], [0.511301270, 0.561370121]],
        atol=1e-8,
    )
    np.testing.assert_allclose(
        body["update"][1]["weights"],
        [[0.149780716, 0.19956143], [0.24975114, 0.29950229]],
        atol=1e-8,
    )
    assert body["learning_rate"] == 0.5
    assert body["diverged"] is False
    assert body["divergence"] is None


def test_backprop_equals_the_engine_trace_exactly(client: TestClient) -> None:
    request = {
        "network": {
            "layers": [3, 4, 3],
            "activations": ["relu", "softmax"],
            "init": {"method": "he", "seed": 5},
        },
        "cost": "softmax_cross_entropy",
        "inputs": [[0.1, -0.2, 0.3], [1.0, 0.5, -0.5]],
        "targets": [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]],
        "learning_rate": 0.25,
    }
    body = client.post("/api/v1/backprop", json=request).json()
    net = init_network([3, 4, 3], ["relu", "softmax"], "he", 5)
    x = as_array(request["inputs"]).T
    y = as_array(request["targets"]).T
    trace = trace_iteration(net, "softmax_cross_entropy", x, y, 0.25)
    # float64 survives JSON exactly: compare with ==, not approximately.
    for W, W_json in zip(net.weights, body["network"]["weights"], strict=True):
        assert W.tolist() == W_json
    for f, f_json in zip(trace.forward, body["forward"], strict=True):
        assert (f.layer, f.z.tolist(), f.a.tolist()) == (f_json["layer"], f_json["z"], f_json["a"])
    o = trace.output_error
    assert body["output_error"] == {
        "layer": 2,
        "grad_a": o.grad_a.tolist(),
        "sigma_prime": None,
        "delta": o.delta.tolist(),
        "form": "softmax_jacobian",
        "jacobian": o.jacobian.tolist() if o.jacobian is not None else "missing",
    }
    a = o.jacobian[0] if o.jacobian is not None else None  # sample 0's J = diag(a) − a aᵀ
    a_out = trace.forward[-1].a[:, 0]
    assert a is not None
    np.testing.assert_allclose(a, np.diag(a_out) - np.outer(a_out, a_out), atol=1e-15)
    assert body["cost"] == trace.cost
    for b, b_json in zip(trace.backward, body["backward"], strict=True):
        assert b_json == {
            "layer": b.layer,
            "weighted_error": b.weighted_error.tolist(),
            "sigma_prime": b.sigma_prime.tolist(),
            "delta": b.delta.tolist(),
        }
    for g, g_json in zip(trace.gradients, body["gradients"], strict=True):
        assert g_json == {
            "layer": g.layer,
            "weights": g.weights.tolist(),
            "biases": g.biases.tolist(),
            "l2": None,
        }
    for u, u_json in zip(trace.update, body["update"], strict=True):
        assert u_json == {
            "layer": u.layer,
            "weights": u.weights.tolist(),
            "biases": u.biases.tolist(),
            "eta_grad_weights": u.eta_grad_weights.tolist(),
            "eta_grad_biases": u.eta_grad_biases.tolist(),
            "optimizer_weights": {},
            "optimizer_biases": {},
        }
    assert body["optimizer"] == {"name": "sgd"}
    assert (body["weight_decay"], body["l2_cost"]) == (0.0, 0.0)


def test_default_init_is_xavier_seed_0(client: TestClient) -> None:
    request = worked_example()
    request["network"] = {"layers": [2, 2, 2], "activations": ["sigmoid", "sigmoid"]}
    body = client.post("/api/v1/backprop", json=request).json()
    net = init_network([2, 2, 2], ["sigmoid", "sigmoid"], "xavier", 0)
    assert body["network"]["weights"] == [W.tolist() for W in net.weights]


def test_divergence_is_explicit_and_never_nan(client: TestClient) -> None:
    request = worked_example()
    request["network"]["activations"] = ["linear", "linear"]
    request["network"]["weights"] = [[[1e200, 1e200], [1e200, 1e200]], [[1e200, 1e200]] * 2]
    request["inputs"] = [[1e200, 1e200]]
    response = client.post("/api/v1/backprop", json=request)
    assert b"NaN" not in response.content
    assert b"Infinity" not in response.content
    body = response.json()
    assert body["diverged"] is True
    assert body["divergence"] == {"phase": "forward", "layer": 1, "quantity": "z"}
    assert body["forward"][0]["z"] == [[None], [None]]
    assert body["cost"] is None
    BackpropResponse.model_validate(body)


def test_train_matches_the_engine(client: TestClient) -> None:
    request = {
        "network": {"layers": [2, 4, 1], "activations": ["tanh", "sigmoid"]},
        "cost": "cross_entropy",
        "learning_rate": 0.5,
        "data": {"dataset": "circle", "size": 40, "seed": 2},
        "batch_size": 16,
        "seed": 3,
        "iterations": 30,
    }
    body = client.post("/api/v1/train", json=request).json()
    TrainResponse.model_validate(body)
    data = make_dataset("circle", 40, None, 2)
    net = init_network([2, 4, 1], ["tanh", "sigmoid"], "xavier", 0)
    result = train(net, "cross_entropy", data.x, data.y, 0.5, 30, 16, 3)
    assert body["cost_history"] == list(result.costs)
    assert body["network"]["weights"] == [W.tolist() for W in result.network.weights]
    assert (body["diverged"], body["divergence"], body["diverged_at"]) == (False, None, None)


def test_train_reports_where_it_diverged(client: TestClient) -> None:
    request = {
        "network": {"layers": [1, 8, 1], "activations": ["relu", "linear"]},
        "cost": "quadratic",
        "learning_rate": 1000.0,
        "data": {"dataset": "sine", "size": 10},
        "batch_size": 10,
        "iterations": 500,
    }
    body = client.post("/api/v1/train", json=request).json()
    assert body["diverged"] is True
    assert isinstance(body["diverged_at"], int)
    assert len(body["cost_history"]) == body["diverged_at"] + 1
    assert body["divergence"]["phase"] in ("forward", "output_error", "backward", "gradients")
    assert all(v is not None for row in body["network"]["weights"][0] for v in row)


def test_train_work_is_bounded(client: TestClient) -> None:
    request = {
        "network": {"layers": [2, 256, 256, 1], "activations": ["tanh", "tanh", "sigmoid"]},
        "cost": "cross_entropy",
        "data": {"dataset": "spiral", "size": 2000},
        "batch_size": 256,
        "iterations": 1000,
    }
    assert_error(
        client.post("/api/v1/train", json=request),
        422,
        "invalid_request",
        "iterations: 1000 iterations × batch 256 × 66817 parameters is more work than one call "
        "may do (2000000000); at most 116 iterations with this batch and network",
        "iterations",
    )
    request["iterations"] = 20_000
    assert_error(
        client.post("/api/v1/train", json=request),
        422,
        "invalid_request",
        "iterations: 20000 is more than the limit of 10000 per call",
        "iterations",
    )


def test_train_data_must_fit_the_network(client: TestClient) -> None:
    request = {
        "network": {"layers": [2, 3, 1], "activations": ["tanh", "sigmoid"]},
        "cost": "cross_entropy",
        "data": {"dataset": "sine"},
        "iterations": 1,
    }
    assert_error(
        client.post("/api/v1/train", json=request),
        422,
        "invalid_request",
        "data.inputs: each sample needs 2 input values (the network's n0), got 1",
        "data.inputs",
    )


def test_gradcheck(client: TestClient) -> None:
    request = worked_example()
    del request["learning_rate"]
    body = client.post("/api/v1/gradcheck", json=request).json()
    GradcheckResponse.model_validate(body)
    assert [layer["layer"] for layer in body["layers"]] == [2, 1]
    assert body["max_relative_error"] < 1e-7
    assert body["step"] == 1e-6
    trace = trace_iteration(worked_network(), "quadratic", as_array([[0.05], [0.1]]),
                            as_array([[0.01], [0.99]]), 0.0)  # fmt: skip
    assert body["layers"][0]["analytic"]["weights"] == trace.gradients[0].weights.tolist()


def test_gradcheck_with_a_data_set_and_its_errors(client: TestClient) -> None:
    network = {"layers": [2, 3, 1], "activations": ["tanh", "sigmoid"]}
    ok = {"network": network, "cost": "cross_entropy", "data": {"dataset": "xor"}}
    assert client.post("/api/v1/gradcheck", json=ok).json()["max_relative_error"] < 1e-7
    both = {**ok, "inputs": [[0.0, 1.0]], "targets": [[1.0]]}
    assert_error(
        client.post("/api/v1/gradcheck", json=both),
        422,
        "invalid_request",
        "data: give either data or inputs and targets, not both",
        "data",
    )
    neither = {"network": network, "cost": "cross_entropy", "inputs": [[0.0, 1.0]]}
    assert_error(
        client.post("/api/v1/gradcheck", json=neither),
        422,
        "invalid_request",
        "targets: is required (give inputs and targets, or data)",
        "targets",
    )
    big = {**ok, "network": {"layers": [2, 64, 64, 1], "activations": ["tanh"] * 3}}
    big["cost"] = "quadratic"
    assert_error(
        client.post("/api/v1/gradcheck", json=big),
        422,
        "invalid_request",
        "network.layers: 4417 parameters is more than gradcheck's limit of 2000 (it runs two "
        "forward passes per parameter)",
        "network.layers",
    )


def test_gradcheck_work_is_bounded(client: TestClient) -> None:
    request = {
        "network": {"layers": [2, 40, 40, 1], "activations": ["tanh", "tanh", "sigmoid"]},
        "cost": "cross_entropy",
        "data": {"dataset": "spiral", "size": 256},
    }
    assert_error(
        client.post("/api/v1/gradcheck", json=request),
        422,
        "invalid_request",
        "data.size: 256 samples × 1801² parameters is more work than one gradcheck may do "
        "(100000000); at most 30 samples with this network",
        "data.size",
    )


@pytest.mark.parametrize(
    ("kind", "model"),
    [
        (engine.Trace, responses.BackpropResponse),
        (engine.Network, responses.NetworkOut),
        (engine.ForwardStep, responses.ForwardOut),
        (engine.OutputError, responses.OutputErrorOut),
        (engine.BackwardStep, responses.BackwardOut),
        (engine.GradientStep, responses.GradientOut),
        (engine.UpdateStep, responses.UpdateOut),
        (engine.Divergence, responses.DivergenceOut),
        (engine.EntryTerms, responses.TermsResponse),
        (engine.terms.Expr, responses.ExprOut),
        (engine.terms.Ref, responses.RefOut),
    ],
)
def test_the_response_models_document_every_field_the_engine_sends(
    kind: type, model: type[BaseModel]
) -> None:
    """The trace converts generically (app.wire.convert): a new engine field is a new key,
    and its response model must say so for the OpenAPI schema."""
    sent = {f.name for f in dataclasses.fields(kind)} - HIDDEN.get(kind, frozenset())
    assert sent == set(model.model_fields), f"{model.__name__} and {kind.__name__} disagree"
