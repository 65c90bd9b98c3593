"""GET /healthz, /api/v1/options, /datasets, /presets; the schemas' options pinned to the engine."""

from __future__ import annotations

from typing import get_args

from fastapi.testclient import TestClient

from app.spec import requests as schemas
from app.spec.presets import PRESETS
from app.wire import responses
from engine import ACTIVATIONS, COSTS, DATASETS, INIT_METHODS, PHASES


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_schema_options_are_the_engine_registries() -> None:
    assert list(get_args(schemas.ActivationName)) == list(ACTIVATIONS)
    assert list(get_args(schemas.CostName)) == list(COSTS)
    assert list(get_args(schemas.InitMethod)) == list(INIT_METHODS)
    assert list(get_args(schemas.DatasetName)) == list(DATASETS)
    assert list(get_args(schemas.PhaseName)) == list(PHASES)
    assert list(get_args(schemas.PresetName)) == list(PRESETS)


def test_options(client: TestClient) -> None:
    body = client.get("/api/v1/options").json()
    responses.OptionsResponse.model_validate(body)
    assert body["activations"][2] == {
        "name": "relu",
        "output_only": False,
        "output_range": [0.0, None],  # null: unbounded
    }
    assert body["activations"][-1] == {
        "name": "softmax",
        "output_only": True,
        "output_range": [0.0, 1.0],
    }
    assert body["costs"] == [
        {"name": "quadratic", "requires_output": None, "requires_unit_range": False},
        {"name": "cross_entropy", "requires_output": None, "requires_unit_range": True},
        {
            "name": "softmax_cross_entropy",
            "requires_output": "softmax",
            "requires_unit_range": False,
        },
    ]
    assert body["init_methods"] == ["xavier", "he", "normal", "uniform"]
    assert body["optimizers"] == [
        {"name": "sgd", "defaults": {}},
        {"name": "momentum", "defaults": {"momentum": 0.9, "nesterov": False}},
        {"name": "rmsprop", "defaults": {"alpha": 0.99, "eps": 1e-8}},
        {"name": "adam", "defaults": {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}},
    ]
    assert body["phases"] == ["forward", "output_error", "backward", "gradients", "update"]
    assert body["limits"] == {
        "max_layers": 10,
        "max_width": 256,
        "max_parameters": 100_000,
        "max_batch_size": 256,
        "max_samples": 2_000,
        "max_iterations": 10_000,
        "max_grid_resolution": 128,
        "max_body_bytes": 4 * 1024 * 1024,
        "max_trace_values": 65_536,
        "max_train_work": 2_000_000_000,
        "max_gradcheck_parameters": 2_000,
        "max_gradcheck_work": 100_000_000,
        "history_iterations": 50,
        "max_cost_history": 10_000,
        "max_fast_forward": 100_000,
    }


def test_limits_come_from_the_environment(monkeypatch: object) -> None:
    import pytest

    from app.main import create_app
    from app.settings import Settings

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setenv("BACKPROP_LENS_MAX_WIDTH", "32")
    with TestClient(create_app(Settings())) as client:
        assert client.get("/api/v1/options").json()["limits"]["max_width"] == 32


def test_datasets(client: TestClient) -> None:
    body = client.get("/api/v1/datasets").json()
    assert [d["name"] for d in body] == list(DATASETS)
    assert body[-2] == {
        "name": "sine",
        "description": "y = sin(πx) on [−1, 1]: 1-D regression.",
        "input_size": 1,
        "output_size": 1,
        "output_activation": "linear",
        "cost": "quadratic",
        "task": "regression",
        "parameters": {
            "size": {"default": 50, "min": 1, "max": 2000},
            "noise": {"default": 0.05, "min": 0.0, "max": 10.0},
            "seed": {"default": 0},
        },
    }
    digits = body[-1]
    assert (digits["name"], digits["input_size"], digits["output_size"]) == ("digits", 64, 10)
    assert (digits["output_activation"], digits["cost"]) == ("softmax", "softmax_cross_entropy")
    assert digits["parameters"]["size"] == {"default": 1797, "min": 1, "max": 1797}
    for d in body:
        responses.DatasetOut.model_validate(d)


def test_presets(client: TestClient) -> None:
    body = client.get("/api/v1/presets").json()
    assert [p["name"] for p in body] == [
        "worked_example",
        "xor",
        "circle",
        "spiral",
        "three_blobs",
        "sine",
        "digits",
    ]
    worked = body[0]["config"]
    assert worked == {
        "network": {
            "layers": [2, 2, 2],
            "activations": ["sigmoid", "sigmoid"],
            "weights": [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45], [0.5, 0.55]]],
            "biases": [[0.35, 0.35], [0.6, 0.6]],
        },
        "cost": "quadratic",
        "learning_rate": 0.5,
        "data": {"inputs": [[0.05, 0.1]], "targets": [[0.01, 0.99]]},
        "batch_size": 1,
        "seed": 0,
    }
    layers = {p["name"]: p["config"]["network"]["layers"] for p in body}
    assert layers == {
        "worked_example": [2, 2, 2],
        "xor": [2, 2, 1],
        "circle": [2, 4, 4, 1],
        "spiral": [2, 8, 8, 1],
        "three_blobs": [2, 5, 3],
        "sine": [1, 8, 1],
        "digits": [64, 32, 10],
    }
    for preset in body:  # each one starts a session
        response = client.post("/api/v1/sessions", json=preset["config"])
        assert response.status_code == 201, response.text
