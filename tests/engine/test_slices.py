"""Sliced computations (engine.slices): the same bits as computing in one go."""

from __future__ import annotations

import numpy as np
import pytest

from engine import (
    DefinitionError,
    Network,
    TrainResult,
    finish,
    gradcheck,
    gradcheck_in_slices,
    init_network,
    make_dataset,
    output_field,
    output_field_in_slices,
    train,
    train_in_slices,
)
from engine.field import CHUNK


def assert_same_training(a: TrainResult, b: TrainResult) -> None:
    assert a.costs == b.costs
    assert a.diverged_at == b.diverged_at
    assert len(a.starts) == len(b.starts)
    for net_a, net_b in zip((a.network, *a.starts), (b.network, *b.starts), strict=True):
        for p, q in zip(
            [*net_a.weights, *net_a.biases], [*net_b.weights, *net_b.biases], strict=True
        ):
            assert np.array_equal(p, q)  # bit for bit, not approximately
    assert len(a.start_states) == len(b.start_states)
    assert a.state == b.state


def spiral_network() -> tuple[Network, np.ndarray, np.ndarray]:
    data = make_dataset("spiral", 60, 0.1, seed=3)
    return init_network([2, 8, 8, 1], ["tanh", "tanh", "sigmoid"], "xavier", seed=1), data.x, data.y


@pytest.mark.parametrize("per_slice", [1, 7, 16, 100, 1000])
def test_training_in_slices_gives_the_bits_of_one_call(per_slice: int) -> None:
    network, x, y = spiral_network()
    whole = train(network, "cross_entropy", x, y, 0.3, 100, 16, seed=5, first_iteration=3,
                  keep_last=10)  # fmt: skip
    sliced = train_in_slices(
        network, "cross_entropy", x, y, 0.3, 100, 16, seed=5, first_iteration=3,
        keep_last=10, slice_iterations=per_slice,
    )  # fmt: skip
    done = []
    while True:
        try:
            done.append(next(sliced))
        except StopIteration as stop:
            result = stop.value
            break
    assert_same_training(result, whole)
    # Every slice but the last yields how many iterations it ran.
    assert done == [per_slice] * ((100 - 1) // per_slice)


def test_training_in_slices_stops_where_one_call_diverges() -> None:
    data = make_dataset("gaussian", 64, 0.5, seed=1)
    start = init_network([2, 4, 1], ["linear", "linear"], "normal", seed=0)
    whole = train(start, "quadratic", data.x, data.y[:1], 10.0, 200, 16, seed=2, keep_last=5)
    assert whole.diverged_at == 5
    sliced = finish(
        train_in_slices(
            start,
            "quadratic",
            data.x,
            data.y[:1],
            10.0,
            200,
            16,
            seed=2,
            keep_last=5,
            slice_iterations=2,
        )
    )
    assert_same_training(sliced, whole)


def test_zero_iterations_and_a_bad_slice_size() -> None:
    network, x, y = spiral_network()
    result = finish(train_in_slices(network, "cross_entropy", x, y, 0.3, 0, 16))
    assert result.costs == ()
    assert np.array_equal(result.network.weights[0], network.weights[0])
    with pytest.raises(DefinitionError, match="slice_iterations"):
        finish(train_in_slices(network, "cross_entropy", x, y, 0.3, 5, 16, slice_iterations=0))


def test_a_gradient_check_in_slices_yields_its_parameters_and_the_same_numbers() -> None:
    network, x, y = spiral_network()  # 8·2+8 + 8·8+8 + 8+1 = 105 parameters
    sliced = gradcheck_in_slices(network, "cross_entropy", x[:, :10], y[:, :10], per_slice=10)
    counts = []
    while True:
        try:
            counts.append(next(sliced))
        except StopIteration as stop:
            checks = stop.value
            break
    assert sum(counts) == network.parameter_count == 105
    assert max(counts) == 10
    for a, b in zip(checks, gradcheck(network, "cross_entropy", x[:, :10], y[:, :10]), strict=True):
        assert a.layer == b.layer
        assert np.array_equal(a.numerical_weights, b.numerical_weights)
        assert np.array_equal(a.numerical_biases, b.numerical_biases)


def test_an_output_field_in_slices_yields_chunks_of_grid_points() -> None:
    network, x, _ = spiral_network()
    sliced = output_field_in_slices(network, x, 100, hidden=True)  # 10,000 points
    counts = []
    while True:
        try:
            counts.append(next(sliced))
        except StopIteration as stop:
            field = stop.value
            break
    assert counts == [CHUNK] * (10_000 // CHUNK)  # the last chunk returns instead
    whole = output_field(network, x, 100, hidden=True)
    assert np.array_equal(field.outputs, whole.outputs)
    assert field.hidden is not None
    assert whole.hidden is not None
    assert all(np.array_equal(a, b) for a, b in zip(field.hidden, whole.hidden, strict=True))
