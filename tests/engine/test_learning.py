"""Learning works: the engine's gradient descent solves the classic small problems."""

from __future__ import annotations

import numpy as np

from engine import evaluate, init_network, make_dataset, predict, split_data, train

XOR_BUDGET = 1000  # iterations; with seed 0 and η = 0.5 the cost passes 0.01 near 490


def test_xor_2_4_1_tanh_sigmoid_reaches_cost_below_0_01() -> None:
    data = make_dataset("xor")
    network = init_network([2, 4, 1], ["tanh", "sigmoid"], "xavier", seed=0)
    result = train(network, "cross_entropy", data.x, data.y, 0.5, XOR_BUDGET, batch_size=4)
    assert result.diverged_at is None
    assert result.costs[-1] < 0.01, f"cost after {XOR_BUDGET} iterations: {result.costs[-1]}"
    assert result.costs[0] > 0.5  # it started out wrong (about ln 2 per sample)
    outputs = predict(result.network, data.x)[0]
    np.testing.assert_array_equal(outputs > 0.5, [False, True, True, False])


def test_three_blobs_with_softmax_exceeds_95_percent_on_unseen_points() -> None:
    train_set = make_dataset("three_blobs", size=150, seed=0)
    test_set = make_dataset("three_blobs", size=300, seed=1)
    network = init_network([2, 8, 3], ["tanh", "softmax"], "xavier", seed=0)
    result = train(
        network, "softmax_cross_entropy", train_set.x, train_set.y, 0.5, 300, batch_size=32
    )
    assert result.diverged_at is None
    for data in (train_set, test_set):
        probabilities = predict(result.network, data.x)
        np.testing.assert_allclose(probabilities.sum(axis=0), 1.0, rtol=1e-12)
        accuracy = (probabilities.argmax(axis=0) == data.y.argmax(axis=0)).mean()
        assert accuracy > 0.95, f"{data.name}: accuracy {accuracy:.3f}"


def test_sine_regression_reduces_the_quadratic_cost_tenfold() -> None:
    data = make_dataset("sine", size=50, noise=0.0)
    network = init_network([1, 8, 1], ["tanh", "linear"], "xavier", seed=0)
    result = train(network, "quadratic", data.x, data.y, 0.2, 2000, batch_size=50)
    assert result.costs[-1] < result.costs[0] / 10


def test_digits_64_32_10_passes_95_percent_on_the_held_out_fifth_within_2000_iterations() -> None:
    data = make_dataset("digits")
    x, y, x_test, y_test = split_data(data.x, data.y, 0.2, seed=0)
    network = init_network([64, 32, 10], ["tanh", "softmax"], "xavier", seed=0)
    result = train(network, "softmax_cross_entropy", x, y, 0.5, 2000, batch_size=32)
    assert result.diverged_at is None
    assert x_test.shape == (64, 359)
    accuracy = evaluate(result.network, "softmax_cross_entropy", x_test, y_test).accuracy
    assert accuracy is not None
    assert accuracy >= 0.95, f"test accuracy {accuracy:.3f}"
