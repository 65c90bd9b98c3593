"""Confusion matrices, per-class accuracy, misclassified samples and the principal plane."""

from __future__ import annotations

import numpy as np

from engine.classes import class_of, classify
from engine.projection import principal_plane


def test_several_outputs_are_sorted_by_their_largest() -> None:
    a = np.array([[0.7, 0.1, 0.2, 0.3], [0.2, 0.8, 0.7, 0.3], [0.1, 0.1, 0.1, 0.4]])  # (3, 4)
    y = np.array([[1.0, 0.0, 0.0, 1.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]])
    c = classify(a, y)
    assert c is not None
    assert c.classes == 3
    assert c.predicted.tolist() == [0, 1, 1, 2]
    assert c.actual.tolist() == [0, 1, 2, 0]
    assert c.confusion.tolist() == [[1, 0, 1], [0, 1, 0], [0, 1, 0]]
    assert c.per_class_accuracy.tolist() == [0.5, 1.0, 0.0]
    assert c.misclassified.tolist() == [2, 3]


def test_one_output_is_two_classes_split_at_one_half() -> None:
    a = np.array([[0.5, 0.49, 0.9, 0.2]])
    y = np.array([[1.0, 1.0, 1.0, 1.0]])
    c = classify(a, y)
    assert c is not None
    assert c.classes == 2
    assert c.confusion.tolist() == [[0, 0], [2, 2]]
    assert np.isnan(c.per_class_accuracy[0])  # no sample of class 0
    assert c.per_class_accuracy[1] == 0.5
    assert c.misclassified.tolist() == [1, 3]
    assert class_of(a).tolist() == [1, 0, 1, 0]


def test_regression_targets_have_no_classes() -> None:
    assert classify(np.array([[0.3, 0.2]]), np.array([[0.5, 1.0]])) is None


def test_the_principal_plane_finds_the_direction_of_spread() -> None:
    t = np.linspace(-1.0, 1.0, 9)
    x = np.stack([4 * t, -2 * t, 0.01 * t**2, np.ones(9)])  # (4, 9): spread along (2, −1, 0, 0)
    p = principal_plane(x)
    np.testing.assert_allclose(p.mean, [0.0, 0.0, x[2].mean(), 1.0], atol=1e-15)
    np.testing.assert_allclose(p.axes[0], [2 / np.sqrt(5), -1 / np.sqrt(5), 0.0, 0.0], atol=1e-9)
    assert p.explained[0] > 0.9999
    points = p.apply(x)  # (2, 9)
    np.testing.assert_allclose(points[0], 2 * np.sqrt(5) * t, atol=1e-9)
