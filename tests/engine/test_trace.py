"""The trace of one iteration: output-error forms, batch averaging, the JSON-relevant shape."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import (
    ACTIVATIONS,
    BackwardStep,
    ForwardStep,
    GradientStep,
    OutputError,
    Trace,
    UpdateStep,
    trace_iteration,
)
from engine.activations import sigmoid
from tests.engine.helpers import BOUNDED, random_network, random_targets


@BOUNDED
@given(n_out=st.integers(2, 5), m=st.integers(1, 6), seed=st.integers(0, 2**32 - 1))
def test_softmax_with_softmax_cross_entropy_gives_a_minus_y(n_out: int, m: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    network = random_network([3, 4, n_out], ["tanh", "softmax"], rng)
    x = rng.uniform(-1, 1, (3, m))
    y = random_targets("softmax_cross_entropy", n_out, m, rng)
    trace = trace_iteration(network, "softmax_cross_entropy", x, y, 0.1)
    out = trace.output_error
    a = trace.forward[-1].a
    assert out.form == "softmax_jacobian"
    assert out.sigma_prime is None
    np.testing.assert_array_equal(out.delta, a - y)
    np.testing.assert_allclose(out.grad_a, -y / a, rtol=1e-15)
    # The general form Jᵀ∇ₐC, J = diag(a) − a aᵀ per column, gives the same δᴸ.
    general = np.stack(
        [(np.diag(a[:, i]) - np.outer(a[:, i], a[:, i])).T @ out.grad_a[:, i] for i in range(m)],
        axis=1,
    )
    np.testing.assert_allclose(out.delta, general, rtol=0, atol=1e-12)


@BOUNDED
@given(n_out=st.integers(1, 4), m=st.integers(1, 6), seed=st.integers(0, 2**32 - 1))
def test_sigmoid_with_cross_entropy_gives_a_minus_y_and_shows_both_factors(
    n_out: int, m: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    network = random_network([2, 3, n_out], ["relu", "sigmoid"], rng)
    x = rng.uniform(-1, 1, (2, m))
    y = rng.uniform(0, 1, (n_out, m))
    trace = trace_iteration(network, "cross_entropy", x, y, 0.1)
    out = trace.output_error
    z, a = trace.forward[-1].z, trace.forward[-1].a
    assert out.form == "hadamard"
    np.testing.assert_array_equal(out.delta, a - y)
    np.testing.assert_allclose(out.grad_a, (a - y) / (a * (1 - a)), rtol=1e-12)
    assert out.sigma_prime is not None
    np.testing.assert_allclose(out.sigma_prime, sigmoid(z) * (1 - sigmoid(z)), rtol=1e-15)
    np.testing.assert_allclose(out.grad_a * out.sigma_prime, out.delta, rtol=1e-12, atol=1e-15)


def test_quadratic_output_error_is_the_hadamard_product() -> None:
    rng = np.random.default_rng(3)
    network = random_network([2, 3, 2], ["tanh", "tanh"], rng)
    x, y = rng.uniform(-1, 1, (2, 5)), rng.uniform(-1, 1, (2, 5))
    out = trace_iteration(network, "quadratic", x, y, 0.1).output_error
    a = trace_iteration(network, "quadratic", x, y, 0.1).forward[-1].a
    assert out.form == "hadamard"
    np.testing.assert_array_equal(out.grad_a, a - y)
    assert out.sigma_prime is not None
    np.testing.assert_allclose(out.sigma_prime, 1 - a * a, rtol=1e-14)
    np.testing.assert_array_equal(out.delta, out.grad_a * out.sigma_prime)


@BOUNDED
@given(
    m=st.integers(2, 8),
    seed=st.integers(0, 2**32 - 1),
    output=st.sampled_from(["sigmoid", "softmax"]),
)
def test_mini_batch_gradients_are_the_mean_of_per_sample_gradients(
    m: int, seed: int, output: str
) -> None:
    rng = np.random.default_rng(seed)
    cost = "softmax_cross_entropy" if output == "softmax" else "quadratic"
    network = random_network([3, 4, 3, 3], ["tanh", "leaky_relu", output], rng)
    x = rng.uniform(-1, 1, (3, m))
    y = random_targets(cost, 3, m, rng)
    batch = trace_iteration(network, cost, x, y, 0.5)
    singles = [trace_iteration(network, cost, x[:, [i]], y[:, [i]], 0.5) for i in range(m)]
    for k, g in enumerate(batch.gradients):
        mean_W = np.mean([s.gradients[k].weights for s in singles], axis=0)
        mean_b = np.mean([s.gradients[k].biases for s in singles], axis=0)
        np.testing.assert_allclose(
            g.weights, mean_W, rtol=1e-12, atol=1e-15, err_msg=f"layer {g.layer}"
        )
        np.testing.assert_allclose(
            g.biases, mean_b, rtol=1e-12, atol=1e-15, err_msg=f"layer {g.layer}"
        )
    # The batch cost is the mean of the per-sample costs, too.
    assert batch.cost == pytest.approx(np.mean([s.cost for s in singles]), rel=1e-12)


def test_every_gradient_uses_the_weights_before_the_update() -> None:
    rng = np.random.default_rng(7)
    network = random_network([2, 3, 3, 1], ["sigmoid", "tanh", "sigmoid"], rng)
    x, y = rng.uniform(-1, 1, (2, 4)), rng.uniform(0, 1, (1, 4))
    trace = trace_iteration(network, "cross_entropy", x, y, 10.0)
    # δ¹ is computed with the *old* W²: redo it by hand from the trace.
    delta2 = trace.backward[0].delta
    assert trace.backward[1].layer == 1
    np.testing.assert_array_equal(trace.backward[1].weighted_error, network.weights[1].T @ delta2)
    for u, g in zip(trace.update, trace.gradients, strict=True):
        W, b = network.weights[u.layer - 1], network.biases[u.layer - 1]
        np.testing.assert_array_equal(u.weights, W - 10.0 * g.weights)
        np.testing.assert_array_equal(u.biases, b - 10.0 * g.biases)
        np.testing.assert_array_equal(u.eta_grad_weights, 10.0 * g.weights)


def test_trace_shapes_and_layer_order() -> None:
    layers, m = [4, 5, 3, 2], 6
    rng = np.random.default_rng(0)
    network = random_network(layers, ["relu", "tanh", "softmax"], rng)
    x = rng.uniform(-1, 1, (4, m))
    y = random_targets("softmax_cross_entropy", 2, m, rng)
    trace = trace_iteration(network, "softmax_cross_entropy", x, y, 0.1)
    assert [f.layer for f in trace.forward] == [1, 2, 3]
    assert [f.z.shape for f in trace.forward] == [(5, m), (3, m), (2, m)]
    assert trace.output_error.layer == 3
    assert [b.layer for b in trace.backward] == [2, 1]
    assert [b.delta.shape for b in trace.backward] == [(3, m), (5, m)]
    assert [g.layer for g in trace.gradients] == [3, 2, 1]
    assert [g.weights.shape for g in trace.gradients] == [(2, 3), (3, 5), (5, 4)]
    assert [g.biases.shape for g in trace.gradients] == [(2,), (3,), (5,)]
    assert [u.layer for u in trace.update] == [3, 2, 1]
    for f in trace.forward:
        assert f.z.dtype == np.float64
        np.testing.assert_array_equal(f.a, ACTIVATIONS[network.activations[f.layer - 1]].sigma(f.z))


def test_trace_fields_are_designs_contract() -> None:
    names = {
        ForwardStep: ["layer", "z", "a"],
        OutputError: ["layer", "grad_a", "sigma_prime", "delta", "form", "jacobian"],
        BackwardStep: ["layer", "weighted_error", "sigma_prime", "delta"],
        GradientStep: ["layer", "weights", "biases", "l2"],
        UpdateStep: [
            "layer",
            "weights",
            "biases",
            "eta_grad_weights",
            "eta_grad_biases",
            "optimizer_weights",
            "optimizer_biases",
        ],
    }
    for cls, fields in names.items():
        assert [f.name for f in dataclasses.fields(cls)] == fields
    trace_fields = [f.name for f in dataclasses.fields(Trace)]
    for key in ["network", "forward", "cost", "output_error", "backward", "gradients", "update"]:
        assert key in trace_fields
