"""The synthetic data sets: shapes, declared sizes, valid targets, determinism."""

from __future__ import annotations

import numpy as np
import pytest

from engine import DATASETS, check_cost, make_dataset

NAMES = list(DATASETS)


def test_the_catalogue() -> None:
    assert NAMES == [
        "xor", "circle", "moons", "spiral", "gaussian", "three_blobs", "sine", "digits"
    ]  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("size", [1, 7, 150])
def test_shapes_match_the_declared_sizes(name: str, size: int) -> None:
    spec = DATASETS[name]
    data = make_dataset(name, size=size, seed=0)
    assert data.name == name
    assert data.x.shape == (spec.input_size, size)
    assert data.y.shape == (spec.output_size, size)
    assert data.x.dtype == data.y.dtype == np.float64
    assert np.isfinite(data.x).all()
    assert np.isfinite(data.y).all()


@pytest.mark.parametrize("name", NAMES)
def test_declared_output_activation_and_cost_fit_together(name: str) -> None:
    spec = DATASETS[name]
    check_cost(spec.cost, spec.output_activation)  # raises if they do not
    data = make_dataset(name)
    assert data.x.shape[1] == spec.default_size
    if spec.task == "regression":
        assert (spec.output_activation, spec.cost) == ("linear", "quadratic")


BINARY = [n for n in NAMES if DATASETS[n].output_size == 1 and DATASETS[n].task != "regression"]


@pytest.mark.parametrize("name", BINARY)
def test_binary_targets_are_0_or_1_and_balanced(name: str) -> None:
    y = make_dataset(name, size=200, seed=3).y
    assert set(np.unique(y).tolist()) == {0.0, 1.0}
    assert y.mean() == pytest.approx(0.5, abs=0.01)


def test_three_blobs_targets_are_one_hot_and_balanced() -> None:
    data = make_dataset("three_blobs", size=150, seed=2)
    assert set(np.unique(data.y).tolist()) == {0.0, 1.0}
    np.testing.assert_array_equal(data.y.sum(axis=0), np.ones(150))
    np.testing.assert_array_equal(data.y.sum(axis=1), [50, 50, 50])
    # Each class sits around its own centre.
    labels = data.y.argmax(axis=0)
    centres = np.stack([data.x[:, labels == k].mean(axis=1) for k in range(3)], axis=1)
    assert np.linalg.norm(centres, axis=0) == pytest.approx([1, 1, 1], abs=0.15)


def test_xor_with_noise_0_is_the_exact_truth_table() -> None:
    data = make_dataset("xor", size=4, noise=0.0)
    np.testing.assert_array_equal(data.x, [[0, 0, 1, 1], [0, 1, 0, 1]])
    np.testing.assert_array_equal(data.y, [[0, 1, 1, 0]])
    bigger = make_dataset("xor", size=8, noise=0.0)
    np.testing.assert_array_equal(bigger.x, np.tile(data.x, 2))
    np.testing.assert_array_equal(bigger.y, np.tile(data.y, 2))


def test_xor_targets_follow_the_inputs_under_noise() -> None:
    data = make_dataset("xor", size=40, noise=0.1, seed=1)
    corners = np.round(data.x)
    np.testing.assert_array_equal(data.y[0], np.logical_xor(corners[0], corners[1]))


def test_sine_targets_are_sin_pi_x() -> None:
    data = make_dataset("sine", size=30, noise=0.0, seed=4)
    np.testing.assert_allclose(data.y, np.sin(np.pi * data.x), rtol=0, atol=1e-15)
    assert np.all(np.diff(data.x[0]) >= 0)
    assert np.abs(data.x).max() <= 1.0


def test_circle_labels_match_the_radius_without_noise() -> None:
    data = make_dataset("circle", size=100, noise=0.0, seed=5)
    r = np.linalg.norm(data.x, axis=0)
    assert (r[data.y[0] == 1] <= 0.5).all()
    assert (r[data.y[0] == 0] >= 0.7).all()


@pytest.mark.parametrize("name", NAMES)
def test_deterministic_by_seed(name: str) -> None:
    a = make_dataset(name, size=50, noise=0.1, seed=9)
    b = make_dataset(name, size=50, noise=0.1, seed=9)
    c = make_dataset(name, size=50, noise=0.1, seed=10)
    assert a.x.tobytes() == b.x.tobytes()
    assert a.y.tobytes() == b.y.tobytes()
    assert not np.array_equal(a.x, c.x)


@pytest.mark.parametrize("name", [n for n in NAMES if n != "sine"])
def test_noise_spreads_the_inputs(name: str) -> None:
    quiet = make_dataset(name, size=400, noise=0.0, seed=1)
    noisy = make_dataset(name, size=400, noise=0.5, seed=1)
    assert noisy.x.std() > quiet.x.std()
