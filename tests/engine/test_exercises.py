"""Problems by hand: the same for the same seed, every number with one or two decimals."""

from __future__ import annotations

import numpy as np
import pytest

from engine import DefinitionError, make_exercise, trace_iteration
from engine.exercises import SHAPES


def decimals(values: np.ndarray, places: int) -> bool:
    scaled = values * 10**places
    return bool(np.all(np.abs(scaled - np.round(scaled)) < 1e-9))


@pytest.mark.parametrize("seed", range(12))
def test_a_problem_is_small_exact_and_the_same_for_its_seed(seed: int) -> None:
    one, two = make_exercise(seed), make_exercise(seed)
    assert one.network.layers == two.network.layers
    assert one.network.layers in SHAPES
    for W, W2 in zip(one.network.weights, two.network.weights, strict=True):
        assert np.array_equal(W, W2)
        assert decimals(W, 1)
        assert np.all((np.abs(W) >= 0.1) & (np.abs(W) <= 1.0))
    assert all(decimals(b, 1) for b in one.network.biases)
    assert decimals(one.x, 1)
    assert decimals(one.y, 2)
    assert np.all((one.y > 0) & (one.y < 1))
    assert (
        trace_iteration(one.network, one.cost, one.x, one.y, one.learning_rate).divergence is None
    )


def test_seeds_differ_and_shapes_can_be_chosen() -> None:
    drawn = {tuple(make_exercise(s).network.weights[0].ravel()) for s in range(20)}
    assert len(drawn) == 20
    chosen = make_exercise(3, layers=[2, 2, 2], samples=2)
    assert chosen.network.layers == (2, 2, 2)
    assert chosen.x.shape == (2, 2)
    softmax = make_exercise(3, [2, 3], ["softmax"], "softmax_cross_entropy")
    assert np.array_equal(softmax.y.sum(axis=0), [1.0])


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"layers": [2, 9, 1]}, "layers"),
        ({"samples": 5}, "samples"),
        ({"layers": [2, 2], "activations": ["relu"], "cost": "cross_entropy"}, "cost"),
    ],
)
def test_a_problem_too_big_for_paper_or_unsound_is_refused(
    arguments: dict[str, object], field: str
) -> None:
    with pytest.raises(DefinitionError) as caught:
        make_exercise(1, **arguments)  # type: ignore[arg-type]
    assert caught.value.field == field
