"""Costs C = (1/m) Σₓ Cₓ over a batch of m columns, and the per-sample ∇ₐCₓ.

- quadratic:             Cₓ = ½ ‖y − a‖²                         ∇ₐCₓ = a − y
- cross_entropy:         Cₓ = −Σⱼ [yⱼ ln aⱼ + (1−yⱼ) ln(1−aⱼ)]   ∇ₐCₓ = (a − y) / (a (1 − a))
- softmax_cross_entropy: Cₓ = −Σⱼ yⱼ ln aⱼ                       ∇ₐCₓ = −y / a

The logarithms and divisions see a clipped to [TINY, 1 − TINY], so ln(0) is
never taken and a saturated output gives a large but finite value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine.activations import Array

TINY = 1e-15


@dataclass(frozen=True)
class Cost:
    name: str
    value: Callable[[Array, Array], float]  # C, averaged over the batch
    grad_a: Callable[[Array, Array], Array]  # ∇ₐCₓ per column, not averaged
    # Output activation with which δᴸ simplifies to aᴸ − y (None: never).
    simplifies_with: str | None
    # What the output activation must be; None: any.
    requires_output: str | None = None
    requires_unit_range: bool = False


def _clip(a: Array) -> Array:
    # np.clip(a, TINY, 1 − TINY), without np.clip's per-call overhead.
    clipped: Array = np.minimum(np.maximum(a, TINY), 1.0 - TINY)
    return clipped


def quadratic(a: Array, y: Array) -> float:
    d = a - y
    return float(0.5 * np.einsum("ij,ij->", d, d) / a.shape[1])


def quadratic_grad(a: Array, y: Array) -> Array:
    return a - y


def cross_entropy(a: Array, y: Array) -> float:
    a = _clip(a)
    total = -(y * np.log(a) + (1.0 - y) * np.log(1.0 - a)).sum()
    return float(total / a.shape[1])


def cross_entropy_grad(a: Array, y: Array) -> Array:
    a = _clip(a)
    return (a - y) / (a * (1.0 - a))


def softmax_cross_entropy(a: Array, y: Array) -> float:
    return float(-(y * np.log(_clip(a))).sum() / a.shape[1])


def softmax_cross_entropy_grad(a: Array, y: Array) -> Array:
    return -y / _clip(a)


COSTS: dict[str, Cost] = {
    cost.name: cost
    for cost in (
        Cost("quadratic", quadratic, quadratic_grad, simplifies_with=None),
        Cost(
            "cross_entropy",
            cross_entropy,
            cross_entropy_grad,
            simplifies_with="sigmoid",
            requires_unit_range=True,
        ),
        Cost(
            "softmax_cross_entropy",
            softmax_cross_entropy,
            softmax_cross_entropy_grad,
            simplifies_with="softmax",
            requires_output="softmax",
        ),
    )
}


# C and ∇ₐCₓ together, sharing the clipped a: the very numbers of `value` and
# `grad_a` (same operations in the same order), for callers that need both.
def _quadratic_both(a: Array, y: Array) -> tuple[float, Array]:
    d = a - y
    return float(0.5 * np.einsum("ij,ij->", d, d) / a.shape[1]), d


def _cross_entropy_both(a: Array, y: Array) -> tuple[float, Array]:
    a = _clip(a)
    one_minus_a = 1.0 - a
    total = -(y * np.log(a) + (1.0 - y) * np.log(one_minus_a)).sum()
    return float(total / a.shape[1]), (a - y) / (a * one_minus_a)


def _softmax_cross_entropy_both(a: Array, y: Array) -> tuple[float, Array]:
    a = _clip(a)
    return float(-(y * np.log(a)).sum() / a.shape[1]), -y / a


_BOTH: dict[str, Callable[[Array, Array], tuple[float, Array]]] = {
    "quadratic": _quadratic_both,
    "cross_entropy": _cross_entropy_both,
    "softmax_cross_entropy": _softmax_cross_entropy_both,
}


def value_and_grad(name: str) -> Callable[[Array, Array], tuple[float, Array]]:
    """(a, y) ↦ (C, ∇ₐCₓ) for the named cost, equal bit for bit to value and grad_a."""
    if name in _BOTH:
        return _BOTH[name]
    cost = COSTS[name]
    return lambda a, y: (cost.value(a, y), cost.grad_a(a, y))
