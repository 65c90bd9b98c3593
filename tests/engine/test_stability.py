"""Numerical stability (pytest turns every numpy warning into an error) and divergence."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import (
    ACTIVATIONS,
    COSTS,
    Divergence,
    batch_indices,
    init_network,
    make_dataset,
    make_network,
    select_batch,
    trace_iteration,
    train,
)
from tests.engine.helpers import accepted_combinations

HUGE = np.array([[-1000.0, -1.0, 0.0, 1.0, 1000.0], [1000.0, 1000.0, -1000.0, 0.0, -1000.0]])


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activations_are_finite_and_silent_at_z_1000(name: str) -> None:
    act = ACTIVATIONS[name]
    a = act.sigma(HUGE)
    assert np.isfinite(a).all() or name in ("relu", "leaky_relu", "linear")
    assert np.isfinite(a).all()
    if act.sigma_prime is not None:
        assert np.isfinite(act.sigma_prime(HUGE)).all()


def test_saturated_values_are_exact() -> None:
    sigmoid, softmax = ACTIVATIONS["sigmoid"].sigma, ACTIVATIONS["softmax"].sigma
    np.testing.assert_array_equal(sigmoid(np.array([[-1000.0, 0.0, 1000.0]])), [[0.0, 0.5, 1.0]])
    sigmoid_prime = ACTIVATIONS["sigmoid"].sigma_prime
    assert sigmoid_prime is not None
    np.testing.assert_array_equal(sigmoid_prime(np.array([[-1000.0, 1000.0]])), [[0.0, 0.0]])
    np.testing.assert_array_equal(np.tanh(np.array([[-1000.0, 1000.0]])), [[-1.0, 1.0]])
    np.testing.assert_array_equal(softmax(HUGE)[:, 0], [0.0, 1.0])
    np.testing.assert_array_equal(softmax(HUGE)[:, 4], [1.0, 0.0])
    np.testing.assert_allclose(softmax(HUGE).sum(axis=0), 1.0, rtol=1e-15)
    relu_prime = ACTIVATIONS["relu"].sigma_prime
    leaky_prime = ACTIVATIONS["leaky_relu"].sigma_prime
    assert relu_prime is not None
    assert leaky_prime is not None
    np.testing.assert_array_equal(relu_prime(np.array([[-1.0, 0.0, 2.0]])), [[0.0, 0.0, 1.0]])
    np.testing.assert_array_equal(leaky_prime(np.array([[-1.0, 0.0, 2.0]])), [[0.01, 0.01, 1.0]])
    np.testing.assert_array_equal(
        ACTIVATIONS["leaky_relu"].sigma(np.array([[-2.0, 3.0]])), [[-0.02, 3.0]]
    )


@pytest.mark.parametrize("cost", list(COSTS))
def test_costs_never_take_log_of_zero(cost: str) -> None:
    a = np.array([[0.0, 1.0], [1.0, 0.0]])  # fully saturated outputs
    y = np.array([[1.0, 0.0], [0.0, 1.0]])  # …and completely wrong
    value = COSTS[cost].value(a, y)
    assert np.isfinite(value)
    assert value > 0
    assert np.isfinite(COSTS[cost].grad_a(a, y)).all()
    assert COSTS[cost].value(y, y) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize(("output", "cost"), list(accepted_combinations()))
def test_a_saturated_network_gives_a_finite_silent_trace(output: str, cost: str) -> None:
    # Weights of ±500 drive every z to |z| ≈ 1000.
    network = make_network(
        [2, 2, 2],
        ["tanh", output],
        [[[500.0, 500.0], [-500.0, -500.0]], [[500.0, -500.0], [-500.0, 500.0]]],
        [[0.0, 0.0], [0.0, 0.0]],
    )
    x = np.array([[1.0, -1.0], [1.0, -1.0]])
    y = np.array([[0.0, 1.0], [1.0, 0.0]])
    trace = trace_iteration(network, cost, x, y, 0.1)
    assert trace.divergence is None
    assert np.isfinite(trace.cost)
    assert np.abs(trace.forward[-1].z).max() == pytest.approx(1000.0)
    if (output, cost) in (("sigmoid", "cross_entropy"), ("softmax", "softmax_cross_entropy")):
        # δᴸ = aᴸ − y exactly, even where σ′ rounds to 0.
        np.testing.assert_array_equal(trace.output_error.delta, trace.forward[-1].a - y)


def test_overflow_in_the_forward_pass_is_reported() -> None:
    network = make_network([1, 1, 1], ["linear", "sigmoid"], [[[1e300]], [[1.0]]], [[0.0], [0.0]])
    trace = trace_iteration(network, "cross_entropy", np.array([[1e10]]), np.array([[1.0]]), 0.1)
    assert trace.divergence == Divergence("forward", 1, "z")
    assert trace.diverged


def test_an_overflowing_cost_is_reported_at_the_output_error_step() -> None:
    # z = a = 1e300 is finite, C = ½ a² is not; the cost is known from output_error on,
    # before the (also infinite) gradients.
    network = make_network([1, 1], ["linear"], [[[1e200]]], [[0.0]])
    trace = trace_iteration(network, "quadratic", np.array([[1e100]]), np.array([[0.0]]), 0.1)
    assert trace.cost == float("inf")
    assert trace.divergence == Divergence("output_error", 1, "cost")


def test_overflow_in_the_update_is_reported() -> None:
    # Every gradient is finite; η ∂C/∂b¹ = 1e300 · 1e10 is not.
    network = make_network([1, 1], ["linear"], [[[1.0]]], [[0.0]])
    x, y = np.array([[1e-20]]), np.array([[-1e10]])
    trace = trace_iteration(network, "quadratic", x, y, 1e300)
    assert np.isfinite(trace.gradients[0].weights).all()
    assert trace.divergence == Divergence("update", 1, "biases")
    # The fast path stops at the same iteration, without applying its update.
    result = train(network, "quadratic", x, y, 1e300, 5, 1)
    assert result.diverged_at == 0
    assert result.costs == (trace.cost,)
    assert result.network.biases[0].tolist() == [0.0]


def test_a_huge_learning_rate_diverges_and_train_stops_where_the_trace_says() -> None:
    data = make_dataset("sine")
    start = init_network([1, 4, 1], ["linear", "linear"], "normal", seed=0)
    result = train(start, "quadratic", data.x, data.y, 10.0, 200, 16, seed=2)
    assert result.diverged_at is not None
    assert len(result.costs) == result.diverged_at + 1
    # Replay with the traced path: every iteration before is finite, that one is not.
    network = start
    for t in range(result.diverged_at + 1):
        xb, yb = select_batch(data.x, data.y, batch_indices(data.x.shape[1], 16, 2, t))
        trace = trace_iteration(network, "quadratic", xb, yb, 10.0)
        if t < result.diverged_at:
            assert trace.divergence is None, t
            network = trace.updated_network
    assert trace.divergence is not None
    assert trace.divergence.phase in ("forward", "output_error", "backward", "gradients", "update")
    # The returned network is the (finite) one the diverging iteration started from.
    for W, W_replay in zip(result.network.weights, network.weights, strict=True):
        assert W.tobytes() == W_replay.tobytes()
    assert all(np.isfinite(W).all() for W in result.network.weights)


def test_huge_weights_diverge_in_the_first_layer() -> None:
    network = init_network([2, 3, 1], ["relu", "linear"], "normal", seed=0)
    big = network.with_parameters([W * 1e307 for W in network.weights], network.biases)
    x = np.array([[1e10], [1e10]])
    trace = trace_iteration(big, "quadratic", x, np.array([[0.0]]), 0.1)
    assert trace.divergence == Divergence("forward", 1, "z")


def test_an_infinite_z_behind_a_saturated_sigmoid_stops_training_too() -> None:
    # z¹ = 1e300 · 1e10 = ∞, σ(z¹) = 1: cost and parameters stay finite, but the
    # trace reports the infinite z, so the fast path must stop there as well.
    network = make_network([1, 1, 1], ["sigmoid", "linear"], [[[1e300]], [[1.0]]], [[0.0], [0.0]])
    x, y = np.array([[1e10]]), np.array([[0.5]])
    trace = trace_iteration(network, "quadratic", x, y, 0.1)
    assert trace.divergence == Divergence("forward", 1, "z")
    assert np.isfinite(trace.cost)
    result = train(network, "quadratic", x, y, 0.1, 40, 1)
    assert result.diverged_at == 0


# With a 1-1 linear unit the weight grows by a factor of about η per iteration,
# so these rates diverge at iterations 93, 71, 49, 37, 25, 16 and 2: before,
# on and after the fast path's block boundaries.
@pytest.mark.parametrize("learning_rate", [30.0, 1e2, 1e3, 1e4, 1e6, 1e10, 1e100])
def test_train_stops_at_the_first_diverging_iteration_wherever_it_falls(
    learning_rate: float,
) -> None:
    start = make_network([1, 1], ["linear"], [[[1.0]]], [[0.0]])
    x, y = np.array([[1.0, 0.5]]), np.array([[0.0, 0.0]])
    result = train(start, "quadratic", x, y, learning_rate, 300, 2, keep_last=3)
    network, first = start, None
    starts = []
    for t in range(300):
        trace = trace_iteration(network, "quadratic", x, y, learning_rate)
        assert math.isnan(trace.cost) or trace.cost == result.costs[t], t
        starts.append(network)
        if trace.divergence is not None:
            first = t
            break
        network = trace.updated_network
    assert first is not None
    assert result.diverged_at == first
    assert len(result.costs) == first + 1
    assert result.network.weights[0].tobytes() == network.weights[0].tobytes()
    assert len(result.starts) == min(3, first + 1)
    for kept, traced in zip(result.starts, starts[-3:], strict=True):
        assert kept.weights[0].tobytes() == traced.weights[0].tobytes()
