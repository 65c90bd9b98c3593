"""The update rules: what they compute, and that the traced path applies them as written."""

from __future__ import annotations

import numpy as np
import pytest

from engine import OPTIMIZERS, init_network, make_dataset, trace_iteration


def test_sgd_subtracts_eta_times_the_gradient() -> None:
    theta, grad = np.array([[1.0, -2.0]]), np.array([[0.5, 0.25]])
    new, step, state = OPTIMIZERS["sgd"].step(theta, grad, 0.1, ())
    np.testing.assert_array_equal(step, [[0.05, 0.025]])
    np.testing.assert_array_equal(new, [[0.95, -2.025]])
    assert state == ()
    assert OPTIMIZERS["sgd"].state_names == ()


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_the_trace_updates_every_parameter_by_the_rule(name: str) -> None:
    net = init_network([2, 4, 1], ["tanh", "sigmoid"], "xavier", seed=2)
    data = make_dataset("xor", 8, 0.1, 0)
    trace = trace_iteration(net, "cross_entropy", data.x, data.y, 0.7)
    rule = OPTIMIZERS[name].step
    for g, u in zip(trace.gradients, trace.update, strict=True):
        W, b = net.weights[g.layer - 1], net.biases[g.layer - 1]
        new_W, step_W, _ = rule(W, g.weights, 0.7, ())
        new_b, step_b, _ = rule(b, g.biases, 0.7, ())
        np.testing.assert_array_equal(u.weights, new_W)
        np.testing.assert_array_equal(u.eta_grad_weights, step_W)
        np.testing.assert_array_equal(u.biases, new_b)
        np.testing.assert_array_equal(u.eta_grad_biases, step_b)
