"""The bars of a class's number answers: a few far answers never squash the rest."""

from __future__ import annotations

import numpy as np
import pytest

from engine.histogram import MAX_BINS, answer_bins

RIGHT = 0.008771  # δ¹₀ of the worked example, rounded as a question's answer might be
TOLERANCE = 1e-5
# nine answers typed near the right one, as a room would
CLUSTER = [0.0085, 0.0086, 0.0087, 0.0088, 0.0088, 0.0088, 0.0089, 0.009, 0.0091]
BINS = [(0.0084, 0.0086), (0.0086, 0.0088), (0.0088, 0.009), (0.009, 0.0092)]


def bars_and_counts(values: list[float], right: float = RIGHT) -> list[tuple[object, ...]]:
    answers = np.array(values)
    bins = answer_bins(answers, right, TOLERANCE)
    counts = bins.counts(answers).tolist()
    marks = [i == bins.right for i in range(len(counts))]
    return [(*bar, n, mark) for bar, n, mark in zip(bins.bars, counts, marks, strict=True)]


def test_a_far_answer_above_gets_a_bar_of_its_own() -> None:
    # Sturges: 9 answers → 5 bins, at most the 6 distinct ones; 0.0006 / 5 → 0.0002 wide
    assert bars_and_counts([*CLUSTER, 1000.0]) == [
        (0.0084, 0.0086, 1, False),
        (0.0086, 0.0088, 2, True),  # 0.008771
        (0.0088, 0.009, 4, False),
        (0.009, 0.0092, 2, False),
        (0.0092, None, 1, False),  # 1000, "above 0.0092"
    ]


def test_a_far_answer_below_gets_a_bar_of_its_own() -> None:
    assert bars_and_counts([-1000.0, *CLUSTER]) == [
        (None, 0.0084, 1, False),
        (0.0084, 0.0086, 1, False),
        (0.0086, 0.0088, 2, True),
        (0.0088, 0.009, 4, False),
        (0.009, 0.0092, 2, False),
    ]


def test_far_answers_on_both_sides() -> None:
    rows = bars_and_counts([-3.0, *CLUSTER, 1000.0])
    assert [(low, high) for low, high, *_ in rows] == [(None, 0.0084), *BINS, (0.0092, None)]
    assert [n for *_, n, _ in rows] == [1, 1, 2, 4, 2, 1]


def test_equal_answers_make_one_bar_labelled_with_their_value() -> None:
    assert bars_and_counts([0.0088] * 7) == [(0.0088, 0.0088, 7, False)]  # 0.0088 is not right
    assert bars_and_counts([0.0088] * 7, right=0.008795) == [(0.0088, 0.0088, 7, True)]
    # and a stray answer beside them is counted above their value
    assert bars_and_counts([0.0088] * 7 + [3.0], right=0.0088) == [
        (0.0088, 0.0088, 7, True),
        (0.0088, None, 1, False),
    ]


def test_two_answers_are_never_far_from_each_other() -> None:
    # Sturges gives 2 bins over 0.0088 … 1000: 500 wide, and 1000 opens a third
    assert bars_and_counts([0.0088, 1000.0]) == [
        (0.0, 500.0, 1, True),
        (500.0, 1000.0, 0, False),
        (1000.0, 1500.0, 1, False),
    ]


def test_three_hundred_answers() -> None:
    answers = ([0.0086] * 30 + [0.0087] * 60 + [0.0088] * 100 + [0.0089] * 60 + [0.009] * 44) + [
        1000.0,
        250.0,
        3.0,
        -5.0,
        -0.5,
        -7.0,
    ]
    assert len(answers) == 300
    assert bars_and_counts(answers) == [
        (None, 0.0086, 3, False),
        (0.0086, 0.0087, 30, False),
        (0.0087, 0.0088, 60, True),
        (0.0088, 0.0089, 100, False),
        (0.0089, 0.009, 60, False),
        (0.009, 0.0091, 44, False),  # five distinct answers: five bins, one per value
        (0.0091, None, 3, False),
    ]


def test_a_group_of_answers_at_a_known_mistake_keeps_its_bars() -> None:
    # four in twenty answered σ′ left out (0.036): more than one in twenty, so not far
    # (two distinct answers: two bins)
    assert bars_and_counts([0.0088] * 16 + [0.036] * 4) == [
        (0.0, 0.02, 16, True),
        (0.02, 0.04, 4, False),
    ]


def test_many_distinct_answers_get_at_most_max_bins() -> None:
    answers = np.linspace(-1.0, 1.0, 1000)
    bins = answer_bins(answers, 0.0, TOLERANCE)
    assert bins.edges.tolist() == pytest.approx(np.linspace(-1.0, 1.2, 12).tolist())
    assert len(bins.edges) - 1 <= MAX_BINS + 1  # round edges may add one
    assert int(bins.counts(answers).sum()) == 1000


def test_no_answers_no_bars() -> None:
    bins = answer_bins(np.array([]), RIGHT, TOLERANCE)
    assert (bins.bars, bins.counts(np.array([])).tolist(), bins.right) == ([], [], None)


def test_a_bar_counts_its_low_edge_not_its_high_one() -> None:
    bins = answer_bins(np.array([0.0, 0.1, 0.2, 0.3]), 0.0, TOLERANCE)
    assert bins.bars == [(0.0, 0.1), (0.1, 0.2), (0.2, 0.3), (0.3, 0.4)]
    assert bins.counts(np.array([0.0, 0.1, 0.2, 0.3])).tolist() == [1, 1, 1, 1]


def test_bins_count_only_what_they_were_chosen_for() -> None:
    bins = answer_bins(np.array([1.0, 2.0, 3.0]), 2.0, TOLERANCE)  # no far answers: no overflow
    assert (bins.bar_of(0.5), bins.bar_of(1.0), bins.bar_of(99.0)) == (None, 0, None)
    with pytest.raises(ValueError, match="outside every bar"):
        bins.counts(np.array([2.0, 99.0]))
