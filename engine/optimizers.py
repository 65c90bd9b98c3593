"""The update: how a parameter moves, given its gradient.

    sgd    θ ← θ − η ∂C/∂θ

An optimizer is one entry of OPTIMIZERS: a rule that takes a parameter θ
(Wˡ or bˡ), its gradient ∂C/∂θ, the learning rate η, the arrays it carries
from one iteration to the next for that parameter (its `state`, named by
`state_names`; none for plain descent) and its hyper-parameters, and gives the
new θ, the amount subtracted from θ (the step) and the new state. The traced
path (engine.trace) and the fast path (engine.train) both apply it through an
Updater, so they stay bit for bit equal whatever the rule, and a new optimizer
is one entry here: its state travels through traces, training and sessions
without other changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from engine.activations import Array
from engine.errors import DefinitionError
from engine.network import Network

__all__ = [
    "OPTIMIZERS",
    "Optimizer",
    "OptimizerState",
    "ParameterState",
    "UpdateRule",
    "Updater",
    "updater",
]

ParameterState = tuple[Array, ...]  # one parameter's carried arrays, in state_names order
OptimizerState = tuple[ParameterState, ...]  # per parameter: W¹, b¹, W², b², … Wᴸ, bᴸ
Hyper = Mapping[str, float]

# (θ, ∂C/∂θ, η, state, hyper-parameters) → (θ after the update, the step subtracted, new state)
UpdateRule = Callable[
    [Array, Array, float, ParameterState, Hyper], tuple[Array, Array, ParameterState]
]


@dataclass(frozen=True)
class Optimizer:
    name: str
    step: UpdateRule
    state_names: tuple[str, ...] = ()
    defaults: Hyper = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Updater:
    """An optimizer with its hyper-parameters: what one run of iterations applies."""

    optimizer: Optimizer
    hyper: Hyper

    def apply(
        self, theta: Array, grad: Array, learning_rate: float, state: ParameterState
    ) -> tuple[Array, Array, ParameterState]:
        return self.optimizer.step(theta, grad, learning_rate, state, self.hyper)

    def initial_state(self, network: Network) -> OptimizerState:
        """Zeros of each state array for every parameter (nothing carried yet)."""
        names = self.optimizer.state_names
        if not names:  # (plain descent: the common case, every traced iteration)
            return ((),) * (2 * network.L)
        pairs = zip(network.weights, network.biases, strict=True)
        return tuple(
            tuple(np.zeros_like(theta) for _ in names) for W, b in pairs for theta in (W, b)
        )


def updater(name: str = "sgd", hyper: Hyper | None = None) -> Updater:
    """The named optimizer with its defaults, overridden by `hyper` (checked)."""
    if name not in OPTIMIZERS:
        raise DefinitionError(
            "optimizer", f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}"
        )
    optimizer = OPTIMIZERS[name]
    given = dict(hyper or {})
    unknown = sorted(set(given) - set(optimizer.defaults))
    if unknown:
        known = ", ".join(optimizer.defaults) or "none"
        raise DefinitionError(
            f"optimizer.{unknown[0]}", f"{name} takes no {unknown[0]!r}; its settings: {known}"
        )
    return Updater(optimizer, MappingProxyType({**optimizer.defaults, **given}))


def _sgd(
    theta: Array, grad: Array, learning_rate: float, state: ParameterState, hyper: Hyper
) -> tuple[Array, Array, ParameterState]:
    step = learning_rate * grad  # η ∂C/∂θ, θ's shape
    return theta - step, step, state


OPTIMIZERS: dict[str, Optimizer] = {o.name: o for o in (Optimizer("sgd", _sgd),)}
SGD = updater("sgd")
