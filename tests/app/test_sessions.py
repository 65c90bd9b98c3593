"""Session routes: create, step, seek, train, patch, reset, delete, field, export."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from app.wire.responses import SessionState
from engine import init_network, iteration_steps, make_dataset, trace_iteration, train
from tests.app.helpers import JSON, as_array, assert_error, config, worked_network

STATE_KEYS = [
    "id", "version", "config", "network", "cursor", "steps", "step", "trace", "cost_history",
    "history", "diverged", "divergence", "evaluation", "evaluations",
]  # fmt: skip


def create(client: TestClient, body: JSON) -> JSON:
    response = client.post("/api/v1/sessions", json=body)
    assert response.status_code == 201, response.text
    state: JSON = response.json()
    return state


def step(client: TestClient, sid: str, direction: str = "forward", unit: str = "step") -> Any:
    return client.post(f"/api/v1/sessions/{sid}/step", json={"direction": direction, "unit": unit})


def moved(client: TestClient, sid: str, direction: str = "forward", unit: str = "step") -> JSON:
    response = step(client, sid, direction, unit)
    assert response.status_code == 200, response.text
    state: JSON = response.json()
    SessionState.model_validate(state)
    return state


def position(state: JSON) -> tuple[int, int]:
    return state["cursor"]["iteration"], state["cursor"]["index"]


def test_create_from_preset(client: TestClient) -> None:
    state = create(client, {"preset": "worked_example"})
    SessionState.model_validate(state)
    assert list(state) == STATE_KEYS
    assert len(state["id"]) >= 32
    assert state["cursor"] == {"iteration": 0, "phase": "forward", "layer": 1, "index": 0}
    assert state["steps"] == [
        {"phase": "forward", "layer": 1},
        {"phase": "forward", "layer": 2},
        {"phase": "output_error", "layer": 2},
        {"phase": "backward", "layer": 1},
        {"phase": "gradients", "layer": 2},
        {"phase": "gradients", "layer": 1},
        {"phase": "update", "layer": 2},
        {"phase": "update", "layer": 1},
    ]
    assert state["history"] == {"oldest_iteration": 0, "can_step_back": False, "replayable": True}
    assert state["cost_history"] == []
    assert state["trace"]["batch"] == {
        "a0": [[0.05], [0.1]],
        "y": [[0.01], [0.99]],
        "indices": None,
    }
    assert (state["diverged"], state["divergence"]) == (False, None)
    assert client.get(f"/api/v1/sessions/{state['id']}").json() == state


def test_stepping_the_worked_example_visits_the_4l_steps_with_their_payloads(
    client: TestClient,
) -> None:
    state = create(client, {"preset": "worked_example"})
    sid = state["id"]
    x, y = as_array([[0.05], [0.1]]), as_array([[0.01], [0.99]])
    trace = trace_iteration(worked_network(), "quadratic", x, y, 0.5)
    seen = [state]
    for _ in range(7):
        seen.append(moved(client, sid))
    expected: list[JSON] = [
        *({"phase": "forward", "layer": f.layer, "z": f.z.tolist(), "a": f.a.tolist()}
          for f in trace.forward),
        {
            "phase": "output_error", "layer": 2, "grad_a": trace.output_error.grad_a.tolist(),
            "sigma_prime": None if trace.output_error.sigma_prime is None
            else trace.output_error.sigma_prime.tolist(),
            "delta": trace.output_error.delta.tolist(), "form": "hadamard", "jacobian": None,
        },
        {
            "phase": "backward", "layer": 1,
            "weighted_error": trace.backward[0].weighted_error.tolist(),
            "sigma_prime": trace.backward[0].sigma_prime.tolist(),
            "delta": trace.backward[0].delta.tolist(),
        },
        *({"phase": "gradients", "layer": g.layer, "weights": g.weights.tolist(),
           "biases": g.biases.tolist(), "l2": None} for g in trace.gradients),
        *({"phase": "update", "layer": u.layer, "weights": u.weights.tolist(),
           "biases": u.biases.tolist(), "eta_grad_weights": u.eta_grad_weights.tolist(),
           "eta_grad_biases": u.eta_grad_biases.tolist(), "optimizer_weights": {},
           "optimizer_biases": {}} for u in trace.update),
    ]  # fmt: skip
    assert [s["step"] for s in seen] == expected
    assert [s["cursor"]["index"] for s in seen] == list(range(8))
    steps = iteration_steps(2)
    assert [(s["cursor"]["phase"], s["cursor"]["layer"]) for s in seen] == [
        (s.phase, s.layer) for s in steps
    ]
    # A few of Mazur's numbers, as a person would check them by hand.
    np.testing.assert_allclose(seen[0]["step"]["a"], [[0.593269992], [0.596884378]], atol=1e-9)
    np.testing.assert_allclose(seen[6]["step"]["weights"][0], [0.35891648, 0.408666186], atol=1e-8)
    assert all(s["trace"]["cost"] == pytest.approx(0.298371109, abs=1e-9) for s in seen)
    # Past the last step: the update is applied and iteration 1 starts.
    after = moved(client, sid)
    assert after["cursor"] == {"iteration": 1, "phase": "forward", "layer": 1, "index": 0}
    assert after["cost_history"] == [trace.cost]
    assert after["network"]["weights"] == [W.tolist() for W in trace.updated_network.weights]
    assert after["history"] == {"oldest_iteration": 0, "can_step_back": True, "replayable": True}


def test_forward_then_back_restores_exactly(client: TestClient) -> None:
    sid = create(client, config())["id"]
    states = [client.get(f"/api/v1/sessions/{sid}").json()]
    for _ in range(3 * 8 + 2):  # into the fourth iteration
        states.append(moved(client, sid))
    assert position(states[-1]) == (3, 2)
    for expected in reversed(states[:-1]):
        assert moved(client, sid, "back") == expected
    assert_error(
        step(client, sid, "back"),
        409,
        "conflict",
        "cannot step back before iteration 0: only the last 50 iterations are kept",
    )


def test_phase_and_iteration_units(client: TestClient) -> None:
    body = config(network={"layers": [2, 3, 3, 1], "activations": ["tanh", "tanh", "sigmoid"]})
    sid = create(client, body)["id"]
    # steps: f1 f2 f3 oe3 b2 b1 g3 g2 g1 u3 u2 u1
    forward = [position(moved(client, sid, unit="phase")) for _ in range(5)]
    assert forward == [(0, 3), (0, 4), (0, 6), (0, 9), (1, 0)]
    back = [position(moved(client, sid, "back", "phase")) for _ in range(3)]
    assert back == [(0, 9), (0, 6), (0, 4)]
    moved(client, sid)  # (0, 5): inside the backward phase
    assert position(moved(client, sid, "back", "phase")) == (0, 4)
    assert position(moved(client, sid, unit="iteration")) == (1, 0)
    assert position(moved(client, sid, unit="iteration")) == (2, 0)
    moved(client, sid)
    assert position(moved(client, sid, "back", "iteration")) == (2, 0)
    assert position(moved(client, sid, "back", "iteration")) == (1, 0)
    assert position(moved(client, sid, "back", "phase")) == (0, 9)
    assert position(moved(client, sid, "back", "iteration")) == (0, 0)
    assert moved(client, sid)["cost_history"] == []


def test_seek(client: TestClient) -> None:
    sid = create(client, {"preset": "worked_example"})["id"]
    state = client.post(f"/api/v1/sessions/{sid}/seek", json={"index": 5}).json()
    assert state["cursor"] == {"iteration": 0, "phase": "gradients", "layer": 1, "index": 5}
    assert_error(
        client.post(f"/api/v1/sessions/{sid}/seek", json={"index": 8}),
        422,
        "invalid_request",
        "index: must be 0…7: an iteration of this network has 8 steps, got 8",
        "index",
    )


def test_train_lands_at_the_next_iteration_and_matches_stepping(client: TestClient) -> None:
    body = config()
    sid = create(client, body)["id"]
    moved(client, sid)  # mid-iteration: training starts from this iteration's start
    state = client.post(f"/api/v1/sessions/{sid}/train", json={"iterations": 60}).json()
    assert state["cursor"] == {"iteration": 60, "phase": "forward", "layer": 1, "index": 0}
    assert state["history"] == {"oldest_iteration": 10, "can_step_back": True, "replayable": True}
    data = make_dataset("xor", 8, 0.1, 1)
    net = init_network([2, 3, 1], ["tanh", "sigmoid"], "xavier", 3)
    result = train(net, "cross_entropy", data.x, data.y, 0.5, 60, 3, 7)
    assert state["cost_history"] == list(result.costs)
    assert state["network"]["weights"] == [W.tolist() for W in result.network.weights]
    # The same numbers one iteration at a time through the traced path.
    other = create(client, body)["id"]
    for _ in range(60):
        stepped = moved(client, other, unit="iteration")
    assert stepped["network"] == state["network"]
    assert stepped["cost_history"] == state["cost_history"]
    # Back through the kept history (50 iterations), then no further.
    for _ in range(50):
        back = moved(client, sid, "back", "iteration")
    assert position(back) == (10, 0)
    assert back["cost_history"] == list(result.costs[:10])
    assert_error(
        step(client, sid, "back", "iteration"),
        409,
        "conflict",
        "cannot step back before iteration 10: only the last 50 iterations are kept",
    )


def test_patch_changes_the_current_iteration_only(client: TestClient) -> None:
    sid = create(client, config())["id"]
    moved(client, sid, unit="iteration")
    state = client.patch(f"/api/v1/sessions/{sid}", json={"learning_rate": 0.1, "batch_size": 8})
    body = state.json()
    assert body["config"]["learning_rate"] == 0.1
    assert body["config"]["batch_size"] == 8
    assert body["trace"]["learning_rate"] == 0.1
    assert body["trace"]["batch"]["indices"] is None  # 8 ≥ the 8 samples: the whole set
    back = moved(client, sid, "back", "iteration")
    assert back["trace"]["learning_rate"] == 0.5  # iteration 0 ran with its own rate
    assert len(back["trace"]["batch"]["indices"]) == 3
    assert_error(
        client.patch(f"/api/v1/sessions/{sid}", json={"batch_size": 0}),
        422,
        "invalid_request",
        "batch_size: input should be greater than or equal to 1, got 0",
        "batch_size",
    )


def test_each_kept_iteration_runs_with_the_rate_and_batch_it_was_given(client: TestClient) -> None:
    """PATCHes between training runs and steps: stepping back shows each iteration's own η and m."""
    sid = create(client, config())["id"]
    base = f"/api/v1/sessions/{sid}"
    client.post(f"{base}/train", json={"iterations": 2})  # iterations 0, 1 at η = 0.5, batch 3
    client.patch(base, json={"learning_rate": 0.1})  # iteration 2 on
    client.post(f"{base}/train", json={"iterations": 2})  # iterations 2, 3 at η = 0.1
    patched = client.patch(base, json={"learning_rate": 0.05, "batch_size": 8}).json()
    assert patched["cursor"]["iteration"] == 4  # recomputed in place, not back to 0
    assert patched["trace"]["learning_rate"] == 0.05
    seen = {}
    for iteration in (4, 3, 2, 1, 0):
        state = client.get(base).json()
        assert state["cursor"]["iteration"] == iteration
        batch = state["trace"]["batch"]["indices"]
        seen[iteration] = (state["trace"]["learning_rate"], None if batch is None else len(batch))
        if iteration:
            moved(client, sid, "back", "iteration")
    # 8 samples in batches of 3: the epoch's last batch (iteration 2) has 2
    assert seen == {4: (0.05, None), 3: (0.1, 3), 2: (0.1, 2), 1: (0.5, 3), 0: (0.5, 3)}
    # at iteration 0 again: its update subtracts η = 0.5 times its gradient
    at0 = client.get(base).json()["trace"]
    grad = np.array(at0["gradients"][0]["weights"])
    assert np.array_equal(np.array(at0["update"][0]["eta_grad_weights"]), 0.5 * grad)


def test_a_session_is_replayable_until_a_patch_changes_its_past(client: TestClient) -> None:
    """history.replayable: the configuration trained from iteration 0 gives this state."""
    sid = create(client, config())["id"]
    base = f"/api/v1/sessions/{sid}"
    # at iteration 0 a PATCH changes everything the session has run: still a replay
    assert client.patch(base, json={"learning_rate": 0.4}).json()["history"]["replayable"]
    assert moved(client, sid, unit="iteration")["history"]["replayable"]
    # the same value again changes nothing
    assert client.patch(base, json={"learning_rate": 0.4}).json()["history"]["replayable"]
    patched = client.patch(base, json={"learning_rate": 0.1}).json()
    assert patched["history"]["replayable"] is False  # iteration 0 ran with 0.4
    assert moved(client, sid, "back", "iteration")["history"]["replayable"] is False
    assert client.post(f"{base}/reset").json()["history"]["replayable"] is True
    # a session that begins at a later iteration is no replay of its configuration
    later = create(client, config(state={"iteration": 3, "phase": "forward", "layer": 1}))
    assert later["history"]["replayable"] is False
    replayed = create(client, {**config(), "fast_forward": 3})
    assert replayed["cursor"]["iteration"] == 3
    assert replayed["history"]["replayable"] is True


def test_divergence_blocks_the_update_and_reset_recovers(client: TestClient) -> None:
    body = config(
        network={"layers": [1, 4, 1], "activations": ["linear", "linear"]},
        cost="quadratic",
        data={"inputs": [[1e200]], "targets": [[0.0]]},
        learning_rate=1.0,
    )
    state = create(client, body)
    sid = state["id"]
    assert state["diverged"] is True
    assert state["divergence"] == state["trace"]["divergence"]
    net = init_network([1, 4, 1], ["linear", "linear"], "xavier", 0)
    trace = trace_iteration(net, "quadratic", as_array([[1e200]]), as_array([[0.0]]), 1.0)
    assert trace.divergence is not None
    d = trace.divergence
    assert state["divergence"] == {"phase": d.phase, "layer": d.layer, "quantity": d.quantity}
    response = step(client, sid, unit="iteration")
    assert response.status_code == 409
    assert response.json()["error"]["message"].startswith("iteration 0 diverged (a non-finite")
    assert response.json()["error"]["message"].endswith(
        "so its update cannot be applied; reset the session or lower the learning rate"
    )
    assert client.post(f"/api/v1/sessions/{sid}/reset").status_code == 200


def test_reset_returns_to_the_initial_weights(client: TestClient) -> None:
    first = create(client, config())
    sid = first["id"]
    client.post(f"/api/v1/sessions/{sid}/train", json={"iterations": 5})
    moved(client, sid)
    assert client.post(f"/api/v1/sessions/{sid}/reset").json() == first


def test_delete_then_every_route_is_404(client: TestClient) -> None:
    sid = create(client, config())["id"]
    assert client.delete(f"/api/v1/sessions/{sid}").status_code == 204
    message = (
        f"no session {sid!r}: it never existed, was deleted, or ended (sessions end after a "
        "time without use, or when the server needs the room)"
    )
    base = f"/api/v1/sessions/{sid}"
    for response in (
        client.get(base),
        client.delete(base),
        client.patch(base, json={}),
        client.post(base + "/step", json={}),
        client.post(base + "/seek", json={"index": 0}),
        client.post(base + "/train", json={"iterations": 1}),
        client.post(base + "/reset"),
        client.get(base + "/field"),
        client.get(base + "/export"),
    ):
        assert_error(response, 404, "not_found", message)


def test_field_2d(client: TestClient) -> None:
    state = create(client, config())
    body = client.get(f"/api/v1/sessions/{state['id']}/field?resolution=3").json()
    data = make_dataset("xor", 8, 0.1, 1)
    lo, hi = data.x.min(axis=1), data.x.max(axis=1)
    margin = 0.1 * (hi - lo)
    assert body["resolution"] == 3
    assert body["extent"] == {
        "x": [lo[0] - margin[0], hi[0] + margin[0]],
        "y": [lo[1] - margin[1], hi[1] + margin[1]],
    }
    net = init_network([2, 3, 1], ["tanh", "sigmoid"], "xavier", 3)
    xs = np.linspace(body["extent"]["x"][0], body["extent"]["x"][1], 3)
    ys = np.linspace(body["extent"]["y"][0], body["extent"]["y"][1], 3)
    from engine import predict

    # Row i is the i-th y value, column j the j-th x value.
    corner = predict(net, np.array([[xs[2]], [ys[0]]]))[0, 0]
    assert body["outputs"][0][0][2] == pytest.approx(corner, rel=1e-12)
    assert np.array(body["outputs"]).shape == (1, 3, 3)


def test_field_1d_and_errors(client: TestClient) -> None:
    sid = create(client, {"preset": "sine"})["id"]
    body = client.get(f"/api/v1/sessions/{sid}/field?resolution=4").json()
    assert list(body) == ["resolution", "extent", "inputs", "outputs"]
    assert len(body["inputs"]) == 4
    assert np.array(body["outputs"]).shape == (1, 4)
    # the hidden neurons' curves: N values each, counted as N (not N × N) against the limit
    one_d = create(
        client,
        {
            **config(),
            "network": {"layers": [1, 8, 1], "activations": ["tanh", "linear"]},
            "cost": "quadratic",
            "data": {"dataset": "sine", "size": 20},
        },
    )
    hidden = client.get(f"/api/v1/sessions/{one_d['id']}/field?resolution=128&hidden=true")
    assert hidden.status_code == 200
    assert np.array(hidden.json()["hidden"]).shape == (1, 8, 128)
    assert_error(
        client.get(f"/api/v1/sessions/{sid}/field?resolution=129"),
        422,
        "invalid_request",
        "resolution: 129 is more than the limit of 128",
        "resolution",
    )
    assert_error(
        client.get(f"/api/v1/sessions/{sid}/field?resolution=many"),
        422,
        "invalid_request",
        "resolution: input should be a valid integer, unable to parse string as an integer, "
        "got 'many'",
        "resolution",
    )
    wide = config(
        network={"layers": [3, 2, 1], "activations": ["tanh", "sigmoid"]},
        data={"inputs": [[0.0, 1.0, 2.0]], "targets": [[1.0]]},
    )
    sid3 = create(client, wide)["id"]
    assert_error(
        client.get(f"/api/v1/sessions/{sid3}/field"),
        409,
        "conflict",
        "the output field is drawn over 1 or 2 inputs; this network has n0 = 3",
    )


def test_export_then_import_reproduces_the_same_numbers(client: TestClient) -> None:
    sid = create(client, config())["id"]
    client.post(f"/api/v1/sessions/{sid}/train", json={"iterations": 7})
    for _ in range(5):
        original = moved(client, sid)
    exported = client.get(f"/api/v1/sessions/{sid}/export").json()
    assert exported["state"] == {
        "iteration": 7,
        "phase": "gradients",
        "layer": 1,
        "cost_history": original["cost_history"],
    }
    assert "init" not in exported["network"]
    imported = create(client, exported)
    for key in ("network", "cursor", "steps", "step", "trace", "cost_history", "diverged"):
        assert imported[key] == original[key], key
    # And they stay together.
    a = moved(client, sid, unit="iteration")
    b = moved(client, imported["id"], unit="iteration")
    assert a["trace"] == b["trace"]


def test_import_checks_its_state(client: TestClient) -> None:
    body = config(state={"iteration": 2, "phase": "backward", "layer": 2, "cost_history": []})
    assert_error(
        client.post("/api/v1/sessions", json=body),
        422,
        "invalid_request",
        "state.layer: this network (L = 2) has no step (backward, layer 2); its steps are "
        "forward 1, forward 2, output_error 2, backward 1, gradients 2, gradients 1, "
        "update 2, update 1",
        "state.layer",
    )
    body = config(state={"iteration": 1, "cost_history": [0.5, 0.4]})
    assert_error(
        client.post("/api/v1/sessions", json=body),
        422,
        "invalid_request",
        "state.cost_history: holds one cost per completed iteration: at most 1 "
        "(state.iteration), got 2",
        "state.cost_history",
    )


def test_create_errors(client: TestClient) -> None:
    assert_error(
        client.post("/api/v1/sessions", json={"preset": "xorr"}),
        422,
        "invalid_request",
        "preset: input should be 'worked_example', 'xor', 'circle', 'spiral', 'three_blobs', "
        "'sine' or 'digits', got 'xorr'",
        "preset",
    )
    assert_error(
        client.post("/api/v1/sessions", json=config(data={"dataset": "xor", "size": 0})),
        422,
        "invalid_request",
        "data.size: input should be greater than or equal to 1, got 0",
        "data.size",
    )
    assert_error(
        client.post("/api/v1/sessions", json=config(data={"inputs": [[0.0, 1.0]]})),
        422,
        "invalid_request",
        "data.targets: is required",
        "data.targets",
    )
    assert_error(
        client.post("/api/v1/sessions", json=config(batch_size=300)),
        422,
        "invalid_request",
        "batch_size: 300 is more than the limit of 256 samples per batch",
        "batch_size",
    )


@pytest.fixture
def tiny_client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(max_trace_values=10))) as client:
        yield client


def test_trace_size_is_bounded(tiny_client: TestClient) -> None:
    assert_error(
        tiny_client.post("/api/v1/sessions", json=config()),
        422,
        "invalid_request",
        "batch_size: a batch of 3 samples through layers [2, 3, 1] makes a trace of 12 values "
        "per quantity (batch × (n1 + … + nL)), more than the limit of 10; use a smaller batch "
        "or network",
        "batch_size",
    )


def test_field_size_is_bounded(client: TestClient) -> None:
    body = config(
        network={"layers": [2, 5, 8], "activations": ["tanh", "softmax"]},
        cost="softmax_cross_entropy",
        data={"inputs": [[0.0, 1.0]], "targets": [[1.0] + [0.0] * 7]},
    )
    sid = create(client, body)["id"]
    assert_error(
        client.get(f"/api/v1/sessions/{sid}/field?resolution=128"),
        422,
        "invalid_request",
        "resolution: a 128×128 grid of 8 outputs is 131072 values, more than the limit of "
        "65536; use a lower resolution",
        "resolution",
    )
    assert client.get(f"/api/v1/sessions/{sid}/field?resolution=90").status_code == 200
