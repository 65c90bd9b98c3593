"""The update: how a parameter moves, given its gradient.

    sgd    θ ← θ − η ∂C/∂θ

An optimizer is one entry of OPTIMIZERS: a rule that takes a parameter θ
(Wˡ or bˡ), its gradient ∂C/∂θ, the learning rate η and the arrays it carries
from one iteration to the next (`state`, empty for plain descent), and gives
the new θ, the amount subtracted (the step) and the new state. The traced path
(engine.trace) and the fast path (engine.train) both call it, so they stay bit
for bit equal whatever the rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from engine.activations import Array

__all__ = ["OPTIMIZERS", "Optimizer", "UpdateRule"]

# (θ, ∂C/∂θ, η, state) → (θ after the update, the step subtracted from θ, state after)
UpdateRule = Callable[
    [Array, Array, float, tuple[Array, ...]], tuple[Array, Array, tuple[Array, ...]]
]


@dataclass(frozen=True)
class Optimizer:
    name: str
    # The names of the arrays carried between iterations, one of each per parameter.
    state_names: tuple[str, ...]
    step: UpdateRule


def _sgd(
    theta: Array, grad: Array, learning_rate: float, state: tuple[Array, ...]
) -> tuple[Array, Array, tuple[Array, ...]]:
    step = learning_rate * grad  # η ∂C/∂θ, θ's shape
    return theta - step, step, state


OPTIMIZERS: dict[str, Optimizer] = {o.name: o for o in (Optimizer("sgd", (), _sgd),)}
