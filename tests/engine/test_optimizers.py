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
    with pytest.raises(DefinitionError, match="unknown optimizer 'lbfgs'; choose one of sgd"):
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


@pytest.mark.parametrize("name", ["sgd", "momentum"])
def test_a_registered_rule_runs_the_same_in_both_paths(
    name: str, request: pytest.FixtureRequest
) -> None:
    if name == "momentum":
        name = request.getfixturevalue("momentum")
    rule = updater(name)
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
