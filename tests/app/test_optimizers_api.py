"""Optimizers and weight decay through the API: the stateless routes, sessions (PATCH,
export and import, the codec) and the 422s, each against the engine's numbers."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.sessions.codec import decode_session, encode_session
from app.sessions.create import new_session
from app.settings import Settings
from app.spec.requests import SessionConfig
from engine import batch_indices, make_dataset, select_batch, trace_iteration, train, updater
from tests.app.helpers import as_array, assert_error, config, worked_example, worked_network

API = "/api/v1"
ADAM = {"name": "adam", "beta1": 0.8, "beta2": 0.99, "eps": 1e-6}


def test_backprop_applies_the_optimizer_and_the_l2_term(client: TestClient) -> None:
    body = worked_example() | {"optimizer": ADAM, "weight_decay": 0.1}
    got = client.post(f"{API}/backprop", json=body).json()
    x, y = as_array(body["inputs"]).T, as_array(body["targets"]).T
    rule = updater("adam", {"beta1": 0.8, "beta2": 0.99, "eps": 1e-6})
    trace = trace_iteration(worked_network(), "quadratic", x, y, 0.5, rule, weight_decay=0.1)
    assert got["optimizer"] == {**ADAM, "t": 1}
    assert got["weight_decay"] == 0.1
    assert got["cost"] == trace.cost
    assert (
        got["l2_cost"]
        == trace.l2_cost
        == pytest.approx(
            0.05 * (0.15**2 + 0.2**2 + 0.25**2 + 0.3**2 + 0.4**2 + 0.45**2 + 0.5**2 + 0.55**2)
        )
    )
    for g, g_json in zip(trace.gradients, got["gradients"], strict=True):
        assert g_json["weights"] == g.weights.tolist()
        assert g.l2 is not None
        assert g_json["l2"] == g.l2.tolist()
    for u, u_json in zip(trace.update, got["update"], strict=True):
        assert u_json["weights"] == u.weights.tolist()
        assert u_json["eta_grad_weights"] == u.eta_grad_weights.tolist()
        assert set(u_json["optimizer_weights"]) == {"m", "v", "m_hat", "v_hat"}
        for name, value in u.optimizer_weights.items():
            assert u_json["optimizer_weights"][name] == value.tolist()
        assert u_json["optimizer_biases"]["m_hat"] == u.optimizer_biases["m_hat"].tolist()


def test_train_and_gradcheck_take_them_too(client: TestClient) -> None:
    body = config(iterations=9, optimizer={"name": "rmsprop"}, weight_decay=0.01)
    body.pop("network")
    body["network"] = {"layers": [2, 3, 1], "activations": ["tanh", "sigmoid"]}
    got = client.post(f"{API}/train", json=body).json()
    data = make_dataset("xor", 8, 0.1, 1)
    net = new_session(
        SessionConfig.model_validate(config(network=body["network"])),
        Settings(),
    ).initial
    want = train(
        net,
        "cross_entropy",
        data.x,
        data.y,
        0.5,
        9,
        3,
        7,
        optimizer=updater("rmsprop"),
        weight_decay=0.01,
    )
    assert got["cost_history"] == list(want.costs)
    assert got["network"]["weights"] == [W.tolist() for W in want.network.weights]
    check = worked_example() | {"weight_decay": 0.5, "optimizer": {"name": "momentum"}}
    checked = client.post(f"{API}/gradcheck", json=check).json()
    assert checked["max_relative_error"] < 1e-7
    W2 = worked_network().weights[1]
    plain = client.post(f"{API}/gradcheck", json=worked_example()).json()
    analytic = as_array(checked["layers"][0]["analytic"]["weights"])
    np.testing.assert_array_equal(
        analytic, as_array(plain["layers"][0]["analytic"]["weights"]) + 0.5 * W2
    )


@pytest.mark.parametrize(
    ("optimizer", "message", "field"),
    [
        (
            {"name": "adam", "momentum": 0.9},
            "optimizer.momentum: is not a setting of adam (its settings: beta1, beta2, eps)",
            "optimizer.momentum",
        ),
        (
            {"name": "sgd", "eps": 1e-8},
            "optimizer.eps: is not a setting of sgd (its settings: none)",
            "optimizer.eps",
        ),
        (
            {"name": "lbfgs"},
            "optimizer: must be an object whose name is sgd, momentum, rmsprop or adam, "
            "got {'name': 'lbfgs'}",
            "optimizer",
        ),
        (
            {"name": "adam", "beta2": 1},
            "optimizer.beta2: input should be less than 1, got 1",
            "optimizer.beta2",
        ),
        (
            {"name": "rmsprop", "eps": 0},
            "optimizer.eps: input should be greater than 0, got 0",
            "optimizer.eps",
        ),
    ],
)
def test_a_wrong_optimizer_is_a_422_that_says_what_to_change(
    client: TestClient, optimizer: dict[str, Any], message: str, field: str
) -> None:
    for route, body in (("backprop", worked_example()), ("sessions", config())):
        got = client.post(f"{API}/{route}", json=body | {"optimizer": optimizer})
        assert_error(got, 422, "invalid_request", message, field)
    got = client.post(f"{API}/backprop", json=worked_example() | {"weight_decay": -1})
    assert_error(
        got,
        422,
        "invalid_request",
        "weight_decay: input should be greater than or equal to 0, got -1",
        "weight_decay",
    )


def _stepped_traces(client: TestClient, sid: str, iterations: int) -> list[dict[str, Any]]:
    traces = []
    for _ in range(iterations):
        traces.append(client.get(f"{API}/sessions/{sid}").json()["trace"])
        client.post(f"{API}/sessions/{sid}/step", json={"unit": "iteration"})
    return traces


def test_a_session_steps_the_optimizer_as_the_engine_does(client: TestClient) -> None:
    body = config(optimizer=ADAM, weight_decay=0.02)
    sid = client.post(f"{API}/sessions", json=body).json()["id"]
    traces = _stepped_traces(client, sid, 4)
    session = new_session(SessionConfig.model_validate(body), Settings())
    net, state, data = session.initial, None, (session.x, session.y)
    rule = updater("adam", {"beta1": 0.8, "beta2": 0.99, "eps": 1e-6})
    for t, got in enumerate(traces):
        xb, yb = select_batch(*data, batch_indices(8, 3, 7, t))
        want = trace_iteration(net, "cross_entropy", xb, yb, 0.5, rule, state, 0.02)
        assert got["optimizer"]["t"] == t + 1
        assert got["cost"] == want.cost
        for u, u_json in zip(want.update, got["update"], strict=True):
            assert u_json["optimizer_weights"]["v_hat"] == u.optimizer_weights["v_hat"].tolist()
            assert u_json["weights"] == u.weights.tolist()
        net, state = want.updated_network, want.optimizer_state


def test_export_and_import_keep_the_optimizer_state(client: TestClient) -> None:
    optimizers: list[dict[str, Any]] = [{"name": "momentum", "nesterov": True}, {"name": "rmsprop"}]
    for optimizer in [*optimizers, ADAM]:
        sid = client.post(f"{API}/sessions", json=config(optimizer=optimizer)).json()["id"]
        client.post(f"{API}/sessions/{sid}/train", json={"iterations": 5})
        exported = client.get(f"{API}/sessions/{sid}/export").json()
        carried = exported["state"]["optimizer_state"]
        assert (
            set(carried)
            == {"momentum": {"v"}, "rmsprop": {"s"}, "adam": {"m", "v", "t"}}[optimizer["name"]]
        )
        copy = client.post(f"{API}/sessions", json=exported).json()["id"]
        here, there = _stepped_traces(client, sid, 3), _stepped_traces(client, copy, 3)
        assert here == there  # the same numbers, bit for bit, after the import
    exported["state"]["optimizer_state"].pop("t")
    got = client.post(f"{API}/sessions", json=exported)
    assert_error(
        got,
        422,
        "invalid_request",
        "state.optimizer_state: adam carries m, v, t; got m, v",
        "state.optimizer_state",
    )


def test_patch_changes_the_optimizer_on_a_running_session(client: TestClient) -> None:
    sid = client.post(f"{API}/sessions", json=config()).json()["id"]
    client.post(f"{API}/sessions/{sid}/train", json={"iterations": 4})
    state = client.patch(
        f"{API}/sessions/{sid}", json={"optimizer": ADAM, "weight_decay": 0.1}
    ).json()
    assert state["cursor"]["iteration"] == 4
    assert state["config"]["optimizer"] == ADAM
    assert state["config"]["weight_decay"] == 0.1
    assert state["trace"]["optimizer"] == {**ADAM, "t": 1}  # another rule: nothing carried
    assert state["history"]["replayable"] is False
    client.post(f"{API}/sessions/{sid}/step", json={"unit": "iteration"})
    later = client.get(f"{API}/sessions/{sid}").json()["trace"]
    assert later["optimizer"]["t"] == 2
    state = client.patch(f"{API}/sessions/{sid}", json={"optimizer": {**ADAM, "beta1": 0.5}}).json()
    assert state["trace"]["optimizer"]["t"] == 2  # the same rule with new settings keeps its state
    # back to iteration 4 (adam), then 3 (plain descent)
    client.post(f"{API}/sessions/{sid}/step", json={"direction": "back", "unit": "iteration"})
    back = client.post(
        f"{API}/sessions/{sid}/step", json={"direction": "back", "unit": "iteration"}
    ).json()
    assert back["cursor"]["iteration"] == 3
    assert back["trace"]["optimizer"] == {"name": "sgd"}
    assert back["trace"]["weight_decay"] == 0.0
    # the settings say what this iteration runs with, not the later ones
    assert back["config"].get("optimizer") is None
    assert back["config"].get("weight_decay") is None


def test_stepping_back_past_a_patch_and_forward_again_replays_the_same_numbers(
    client: TestClient,
) -> None:
    sid = client.post(f"{API}/sessions", json=config(learning_rate=0.5)).json()["id"]
    client.post(f"{API}/sessions/{sid}/train", json={"iterations": 3})
    before = client.get(f"{API}/sessions/{sid}").json()
    patched = client.patch(
        f"{API}/sessions/{sid}", json={"learning_rate": 2.0, "batch_size": 2, "optimizer": ADAM}
    ).json()
    assert patched["trace"]["learning_rate"] == 2.0
    back = client.post(
        f"{API}/sessions/{sid}/step", json={"direction": "back", "unit": "iteration"}
    ).json()
    # iteration 2 ran with η = 0.5, batch 3 and plain descent: the settings say so
    assert back["cursor"]["iteration"] == 2
    assert back["config"]["learning_rate"] == back["trace"]["learning_rate"] == 0.5
    assert back["config"]["batch_size"] == 3
    assert back["config"].get("optimizer") is None
    again = client.post(f"{API}/sessions/{sid}/step", json={"unit": "iteration"}).json()
    assert again["trace"] == before["trace"]  # iteration 3 as it was before the PATCH
    assert again["config"] == before["config"]


def test_the_codec_keeps_the_optimizer_its_state_and_the_weight_decay() -> None:
    session = new_session(
        SessionConfig.model_validate(config(optimizer=ADAM, weight_decay=0.3)), Settings()
    )
    session.train(6, Settings())
    copy = decode_session(encode_session(session))
    assert copy.start.optimizer.settings() == session.start.optimizer.settings()
    assert copy.start.weight_decay == 0.3
    assert session.start.optimizer_state is not None
    assert copy.start.optimizer_state is not None
    for mine, theirs in zip(session.start.optimizer_state, copy.start.optimizer_state, strict=True):
        assert all(np.array_equal(a, b) for a, b in zip(mine, theirs, strict=True))
    a, b = session.trace()[0], copy.trace()[0]
    np.testing.assert_array_equal(a.update[0].weights, b.update[0].weights)
    assert a.optimizer == b.optimizer == {**ADAM, "t": 7}


def test_fast_forward_gives_the_stepped_optimizer_state(client: TestClient) -> None:
    """What a share link does: a new session trained to iteration t equals stepping there."""
    body = config(optimizer={"name": "momentum", "momentum": 0.5}, weight_decay=0.05)
    sid = client.post(f"{API}/sessions", json=body).json()["id"]
    _stepped_traces(client, sid, 5)
    stepped = client.get(f"{API}/sessions/{sid}").json()
    linked = client.post(f"{API}/sessions", json=body | {"fast_forward": 5}).json()
    assert linked["trace"] == stepped["trace"]
