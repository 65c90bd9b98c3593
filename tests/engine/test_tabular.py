"""The user's own table: the output layer its targets suit, and standardised inputs."""

from __future__ import annotations

import numpy as np
import pytest

from engine.tabular import (
    class_order,
    class_targets,
    standardise,
    suited_output,
    wants_standardising,
)


@pytest.mark.parametrize(
    ("y", "expected"),
    [
        ([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]],
         ("classification", "softmax", "softmax_cross_entropy")),
        ([[0.0, 1.0, 1.0]], ("classification", "sigmoid", "cross_entropy")),
        ([[0.0, 1.0], [1.0, 1.0]], ("classification", "sigmoid", "cross_entropy")),  # multi-label
        ([[0.0, 0.5, 1.0]], ("regression", "linear", "quadratic")),
        ([[2.0, 3.0]], ("regression", "linear", "quadratic")),
    ],
)  # fmt: skip
def test_the_targets_choose_the_output_layer_and_cost(
    y: list[list[float]], expected: tuple[str, str, str]
) -> None:
    choice = suited_output(np.array(y))
    assert (choice.task, choice.output_activation, choice.cost) == expected


def test_standardised_inputs_have_mean_0_and_deviation_1() -> None:
    x = np.array([[1.0, 2.0, 3.0, 6.0], [5.0, 5.0, 5.0, 5.0]])  # (2, 4)
    x_hat, mu, s = standardise(x)
    np.testing.assert_array_equal(mu, [3.0, 5.0])
    assert s[0] == pytest.approx(np.sqrt(3.5))
    assert s[1] == 1.0  # constant: divided by 1, not 0
    np.testing.assert_allclose(x_hat.mean(axis=1), [0.0, 0.0], atol=1e-15)
    np.testing.assert_allclose(x_hat[0].std(), 1.0)
    np.testing.assert_array_equal(x_hat[1], [0.0, 0.0, 0.0, 0.0])


def test_large_inputs_want_standardising() -> None:
    assert wants_standardising(np.array([[0.0, 3.5]]))
    assert not wants_standardising(np.array([[-3.0, 1.0]]))


def test_word_labels_are_one_hot_in_sorted_order() -> None:
    labels = ["virginica", "setosa", "Versicolor", "setosa"]
    classes = class_targets(labels)
    assert classes.names == ["setosa", "Versicolor", "virginica"]  # case does not sort first
    np.testing.assert_array_equal(
        classes.y,  # (3, 4): one column per sample
        [[0.0, 1.0, 0.0, 1.0], [0.0, 0.0, 1.0, 0.0], [1.0, 0.0, 0.0, 0.0]],
    )
    assert suited_output(classes.y).output_activation == "softmax"


def test_two_labels_are_one_0_1_output_like_a_0_1_column() -> None:
    classes = class_targets(["yes", "no", "no", "yes"])
    assert classes.names == ["no", "yes"]
    np.testing.assert_array_equal(classes.y, [[1.0, 0.0, 0.0, 1.0]])  # (1, 4): 1 is "yes"
    assert suited_output(classes.y).cost == "cross_entropy"


def test_numbers_naming_classes_sort_as_numbers() -> None:
    assert class_order(["10", "2", "1", "2"]) == ["1", "2", "10"]
    assert class_order(["10", "2", "b"]) == ["10", "2", "b"]  # one word: all sort as text
    assert class_order(["nan", "1"]) == ["1", "nan"]
