"""Costs: DESIGN.md's formulas, averaged over the batch, and ∇ₐCₓ per column."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import COSTS
from engine.costs import value_and_grad

A = np.array([[0.2, 0.9], [0.7, 0.4]])
Y = np.array([[0.0, 1.0], [1.0, 0.0]])


def test_quadratic() -> None:
    # C = (1/m) Σₓ ½ ‖y − a‖², m = 2
    by_hand = 0.5 * ((0.2**2 + 0.3**2) + (0.1**2 + 0.4**2)) / 2
    assert COSTS["quadratic"].value(A, Y) == pytest.approx(by_hand, rel=1e-15)
    np.testing.assert_array_equal(COSTS["quadratic"].grad_a(A, Y), A - Y)


def test_cross_entropy() -> None:
    # Cₓ = −Σⱼ [yⱼ ln aⱼ + (1 − yⱼ) ln(1 − aⱼ)]
    sample_1 = -(math.log(1 - 0.2) + math.log(0.7))
    sample_2 = -(math.log(0.9) + math.log(1 - 0.4))
    assert COSTS["cross_entropy"].value(A, Y) == pytest.approx((sample_1 + sample_2) / 2, rel=1e-15)
    np.testing.assert_allclose(
        COSTS["cross_entropy"].grad_a(A, Y), (A - Y) / (A * (1 - A)), rtol=1e-15
    )


def test_softmax_cross_entropy() -> None:
    a = np.array([[0.2, 0.5], [0.8, 0.5]])
    # Cₓ = −Σⱼ yⱼ ln aⱼ: −ln 0.8 for the first sample, −ln 0.5 for the second
    expected = (-math.log(0.8) - math.log(0.5)) / 2
    assert COSTS["softmax_cross_entropy"].value(a, Y) == pytest.approx(expected, rel=1e-15)
    np.testing.assert_allclose(COSTS["softmax_cross_entropy"].grad_a(a, Y), -Y / a, rtol=1e-15)


@pytest.mark.parametrize("name", list(COSTS))
def test_value_and_grad_give_the_very_bits_of_value_and_grad_a(name: str) -> None:
    rng = np.random.default_rng(0)
    for _ in range(20):
        a = rng.uniform(0, 1, (3, 5))
        a[0, 0], a[1, 1] = 0.0, 1.0  # the clipped ends too
        y = rng.uniform(0, 1, (3, 5))
        C, grad_a = value_and_grad(name)(a, y)
        assert COSTS[name].value(a, y) == C
        assert grad_a.tobytes() == COSTS[name].grad_a(a, y).tobytes()


def test_simplification_partners() -> None:
    assert {name: c.simplifies_with for name, c in COSTS.items()} == {
        "quadratic": None,
        "cross_entropy": "sigmoid",
        "softmax_cross_entropy": "softmax",
    }
