"""The update rules: what they compute, and that both paths apply any registered rule
— state carried from iteration to iteration included — bit for bit alike."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from engine import (
    OPTIMIZERS,
    DefinitionError,
    Optimizer,
    batch_indices,
    init_network,
    make_dataset,
    select_batch,
    trace_iteration,
    train,
    updater,
)
from engine.activations import Array
from engine.optimizers import Hyper, ParameterState


def test_sgd_subtracts_eta_times_the_gradient() -> None:
    theta, grad = np.array([[1.0, -2.0]]), np.array([[0.5, 0.25]])
    new, step, state = updater("sgd").apply(theta, grad, 0.1, ())
    np.testing.assert_array_equal(step, [[0.05, 0.025]])
    np.testing.assert_array_equal(new, [[0.95, -2.025]])
    assert state == ()


def test_an_unknown_optimizer_or_setting_is_named() -> None:
    with pytest.raises(
        DefinitionError,
        match="unknown optimizer 'lbfgs'; choose one of sgd, momentum, rmsprop, adam",
    ):
        updater("lbfgs")
    with pytest.raises(DefinitionError, match="sgd takes no 'momentum'; its settings: none"):
        updater("sgd", {"momentum": 0.9})


def _momentum(
    theta: Array, grad: Array, learning_rate: float, state: ParameterState, hyper: Hyper
) -> tuple[Array, Array, ParameterState]:
    (v,) = state
    v = hyper["momentum"] * v + grad  # v ← μ v + g
    step = learning_rate * v
    return theta - step, step, (v,)


@pytest.fixture
def momentum() -> Iterator[str]:
    """A rule with state, registered the way a new optimizer is: one entry."""
    OPTIMIZERS["test_momentum"] = Optimizer(
        "test_momentum", _momentum, ("velocity",), {"momentum": 0.9}
    )
    try:
        yield "test_momentum"
    finally:
        del OPTIMIZERS["test_momentum"]


@pytest.mark.parametrize("name", [*OPTIMIZERS, "momentum_fixture"])
def test_a_registered_rule_runs_the_same_in_both_paths(
    name: str, request: pytest.FixtureRequest
) -> None:
    if name == "momentum_fixture":
        name = request.getfixturevalue("momentum")
    rule = updater(name, {"nesterov": True} if name == "momentum" else None)
    data = make_dataset("circle", 40, 0.1, 0)
    net = init_network([2, 5, 1], ["tanh", "sigmoid"], "xavier", seed=2)
    state = None
    for t in range(12):  # stepping: trace after trace, each carrying the optimizer's state
        xb, yb = select_batch(data.x, data.y, batch_indices(40, 16, 5, t))
        trace = trace_iteration(net, "cross_entropy", xb, yb, 0.4, rule, state)
        for g, u in zip(trace.gradients, trace.update, strict=True):
            i = 2 * (g.layer - 1)
            W, carried = net.weights[g.layer - 1], (state or rule.initial_state(net))[i]
            new_W, step_W, after = rule.apply(W, g.weights, 0.4, carried)
            np.testing.assert_array_equal(u.weights, new_W)
            np.testing.assert_array_equal(u.eta_grad_weights, step_W)
            kept = trace.optimizer_state[i]
            assert all(np.array_equal(a, b) for a, b in zip(after, kept, strict=True))
        net, state = trace.updated_network, trace.optimizer_state
    start = init_network([2, 5, 1], ["tanh", "sigmoid"], "xavier", seed=2)
    first = train(start, "cross_entropy", data.x, data.y, 0.4, 5, 16, 5, optimizer=rule)
    rest = train(
        first.network, "cross_entropy", data.x, data.y, 0.4, 7, 16, 5,
        first_iteration=5, keep_last=3, optimizer=rule, state=first.state,
    )  # fmt: skip
    for W, W_stepped in zip(rest.network.weights, net.weights, strict=True):
        assert np.array_equal(W, W_stepped)
    assert state is not None
    for a, b in zip(rest.state, state, strict=True):
        assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert len(rest.start_states) == len(rest.starts) == 3
    if name != "sgd":
        assert float(np.abs(state[0][0]).sum()) > 0  # the velocity is carried, and not zero


# ---------------------------------------------------------------- the formulas, independently


def _reference_step(
    name: str, W: Array, g: Array, eta: float, carried: dict[str, Array], t: int
) -> Array:
    """torch.optim's update of W for gradient g, written out from the issue's formulas
    (defaults: μ 0.9; α 0.99; β₁ 0.9, β₂ 0.999; ε 1e-8); `carried` is updated in place."""
    if name == "sgd":
        return W - eta * g
    if name == "momentum":
        carried["v"] = 0.9 * carried.get("v", np.zeros_like(W)) + g
        return W - eta * carried["v"]
    if name == "rmsprop":
        carried["s"] = 0.99 * carried.get("s", np.zeros_like(W)) + 0.01 * g**2
        return W - eta * g / (np.sqrt(carried["s"]) + 1e-8)
    m = carried["m"] = 0.9 * carried.get("m", np.zeros_like(W)) + 0.1 * g
    v = carried["v"] = 0.999 * carried.get("v", np.zeros_like(W)) + 0.001 * g**2
    carried["m_hat"], carried["v_hat"] = m / (1 - 0.9**t), v / (1 - 0.999**t)
    return W - eta * carried["m_hat"] / (np.sqrt(carried["v_hat"]) + 1e-8)


def _reference_gradients(
    W1: Array, b1: Array, W2: Array, b2: Array, x: Array, y: Array, lam: float
) -> tuple[float, Array, Array, Array, Array]:
    """A 2-3-1 tanh/sigmoid network with cross-entropy, by hand:
    (C, ∂C/∂W¹, ∂C/∂b¹, ∂C/∂W², ∂C/∂b²)."""
    m = x.shape[1]
    a1 = np.tanh(W1 @ x + b1[:, None])
    a2 = 1 / (1 + np.exp(-(W2 @ a1 + b2[:, None])))
    C = -np.sum(y * np.log(a2) + (1 - y) * np.log(1 - a2)) / m
    C += lam / 2 * (np.sum(W1**2) + np.sum(W2**2))
    d2 = a2 - y
    d1 = (W2.T @ d2) * (1 - a1**2)
    return (
        float(C),
        d1 @ x.T / m + lam * W1,
        d1.mean(axis=1),
        d2 @ a1.T / m + lam * W2,
        d2.mean(axis=1),
    )


@pytest.mark.parametrize("weight_decay", [0.0, 0.05])
@pytest.mark.parametrize("name", ["sgd", "momentum", "rmsprop", "adam"])
def test_each_optimizer_follows_its_formulas_over_iterations(
    name: str, weight_decay: float
) -> None:
    data = make_dataset("xor", 8, 0.05, 3)
    net = init_network([2, 3, 1], ["tanh", "sigmoid"], "xavier", seed=4)
    W1, b1, W2, b2 = net.weights[0], net.biases[0], net.weights[1], net.biases[1]
    rule, state = updater(name), None
    refs: list[dict[str, Array]] = [{} for _ in range(4)]  # W¹, b¹, W², b²
    for t in range(1, 7):
        trace = trace_iteration(
            net, "cross_entropy", data.x, data.y, 0.3, rule, state, weight_decay
        )
        C, *grads = _reference_gradients(W1, b1, W2, b2, data.x, data.y, weight_decay)
        assert trace.cost == pytest.approx(C, abs=1e-12)
        new = [
            _reference_step(name, theta, g, 0.3, ref, t)
            for theta, g, ref in zip((W1, b1, W2, b2), grads, refs, strict=True)
        ]
        got = [
            trace.update[1].weights,
            trace.update[1].biases,
            trace.update[0].weights,
            trace.update[0].biases,
        ]
        for mine, theirs in zip(got, new, strict=True):
            np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-12)
        shown = trace.update[0].optimizer_weights  # layer 2's, beside the reference's
        assert set(shown) == {"sgd": set(), "momentum": {"v"}, "rmsprop": {"s"}}.get(
            name, {"m", "v", "m_hat", "v_hat"}
        )
        for key, value in shown.items():
            np.testing.assert_allclose(value, refs[2][key], rtol=0, atol=1e-12)
        if name == "adam":
            assert trace.optimizer["t"] == t
        if weight_decay:
            assert trace.gradients[0].l2 is not None
            np.testing.assert_allclose(trace.gradients[0].l2, weight_decay * W2, rtol=0, atol=1e-12)
            assert trace.l2_cost == pytest.approx(
                0.025 * (np.sum(W1**2) + np.sum(W2**2)), abs=1e-15
            )
        W1, b1, W2, b2 = new
        net, state = trace.updated_network, trace.optimizer_state


@pytest.mark.parametrize("name", ["sgd", "momentum", "rmsprop", "adam"])
def test_with_weight_decay_the_fast_path_is_stepping_bit_for_bit(name: str) -> None:
    data = make_dataset("moons", 30, 0.1, 1)
    net = start = init_network([2, 4, 1], ["relu", "sigmoid"], "he", seed=6)
    rule, state, costs = updater(name), None, []
    for t in range(9):
        xb, yb = select_batch(data.x, data.y, batch_indices(30, 8, 2, t))
        trace = trace_iteration(net, "cross_entropy", xb, yb, 0.05, rule, state, 0.01)
        costs.append(trace.cost)
        net, state = trace.updated_network, trace.optimizer_state
    fast = train(
        start, "cross_entropy", data.x, data.y, 0.05, 9, 8, 2, optimizer=rule, weight_decay=0.01
    )
    assert list(fast.costs) == costs
    for a, b in zip(
        fast.network.weights + fast.network.biases, net.weights + net.biases, strict=True
    ):
        assert np.array_equal(a, b)
    assert state is not None
    for kept, stepped in zip(fast.state, state, strict=True):
        assert all(np.array_equal(p, q) for p, q in zip(kept, stepped, strict=True))


def test_weight_decay_zero_changes_no_bit_and_a_negative_one_is_refused() -> None:
    data = make_dataset("xor", 8, 0.05, 3)
    net = init_network([2, 3, 1], ["tanh", "sigmoid"], "xavier", seed=4)
    plain = trace_iteration(net, "cross_entropy", data.x, data.y, 0.3)
    zero = trace_iteration(net, "cross_entropy", data.x, data.y, 0.3, weight_decay=0.0)
    assert plain.cost == zero.cost
    assert zero.l2_cost == 0.0
    assert zero.gradients[0].l2 is None
    np.testing.assert_array_equal(plain.update[0].weights, zero.update[0].weights)
    with pytest.raises(DefinitionError, match=r"must be a finite number ≥ 0, got -0\.1"):
        trace_iteration(net, "cross_entropy", data.x, data.y, 0.3, weight_decay=-0.1)


def test_nesterov_looks_ahead_and_a_setting_overrides_a_default() -> None:
    rule = updater("momentum", {"momentum": 0.5, "nesterov": True})
    theta, g = np.array([1.0]), np.array([2.0])
    new, step, (v,) = rule.apply(theta, g, 0.1, (np.array([4.0]),))
    assert v[0] == 0.5 * 4.0 + 2.0  # v ← μ v + g = 4
    assert step[0] == 0.1 * (2.0 + 0.5 * 4.0)  # η (g + μ v)
    assert new[0] == 1.0 - step[0]
    assert rule.settings() == {"name": "momentum", "momentum": 0.5, "nesterov": True}
