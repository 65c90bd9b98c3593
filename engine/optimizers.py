"""The update: how a parameter moves, given its gradient g = ∂C/∂θ (torch.optim's rules).

    sgd       θ ← θ − η g
    momentum  v ← μ v + g;  θ ← θ − η v            (nesterov: θ ← θ − η (g + μ v))
    rmsprop   s ← α s + (1 − α) g²;  θ ← θ − η g / (√s + ε)
    adam      m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²;  t ← t + 1
              m̂ = m / (1 − β₁ᵗ);  v̂ = v / (1 − β₂ᵗ);  θ ← θ − η m̂ / (√v̂ + ε)

Each follows PyTorch's torch.optim (SGD, SGD with momentum and no dampening,
RMSprop, Adam) with its defaults, so any number can be checked against it; the
carried arrays start at zero, and Adam counts t from 1 at its first update.

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
    # The quantities a learner is shown after an update, by their names in the formulas
    # (v; s; m, v, m_hat, v_hat), from the carried state: the rule's own numbers.
    shown: Callable[[ParameterState, Hyper], dict[str, Array]] = lambda state, hyper: {}
    counters: tuple[str, ...] = ()  # state entries that are a count (0-d), not θ-shaped


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
        counters = self.optimizer.counters
        return tuple(
            tuple(np.zeros(()) if name in counters else np.zeros_like(theta) for name in names)
            for W, b in pairs
            for theta in (W, b)
        )

    def shown(self, state: ParameterState) -> dict[str, Array]:
        """The optimizer's quantities after an update, from the state it carries on."""
        return self.optimizer.shown(state, self.hyper)

    def settings(self) -> dict[str, float | str]:
        """The name and hyper-parameters, as a request gives them."""
        return {"name": self.optimizer.name, **self.hyper}


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


def _momentum(
    theta: Array, grad: Array, learning_rate: float, state: ParameterState, hyper: Hyper
) -> tuple[Array, Array, ParameterState]:
    (v,) = state
    mu = hyper["momentum"]
    v = mu * v + grad  # v ← μ v + g, θ's shape
    direction = grad + mu * v if hyper["nesterov"] else v  # nesterov looks one step ahead
    step = learning_rate * direction
    return theta - step, step, (v,)


def _rmsprop(
    theta: Array, grad: Array, learning_rate: float, state: ParameterState, hyper: Hyper
) -> tuple[Array, Array, ParameterState]:
    (s,) = state
    alpha = hyper["alpha"]
    s = alpha * s + (1.0 - alpha) * (grad * grad)  # s ← α s + (1 − α) g², θ's shape
    step = learning_rate * grad / (np.sqrt(s) + hyper["eps"])
    return theta - step, step, (s,)


def _adam_hats(m: Array, v: Array, t: Array, hyper: Hyper) -> tuple[Array, Array]:
    """m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ): the moments without their bias towards 0."""
    n = float(t)
    return m / (1.0 - hyper["beta1"] ** n), v / (1.0 - hyper["beta2"] ** n)


def _adam(
    theta: Array, grad: Array, learning_rate: float, state: ParameterState, hyper: Hyper
) -> tuple[Array, Array, ParameterState]:
    m, v, t = state
    beta1, beta2 = hyper["beta1"], hyper["beta2"]
    m = beta1 * m + (1.0 - beta1) * grad  # m ← β₁ m + (1 − β₁) g, θ's shape
    v = beta2 * v + (1.0 - beta2) * (grad * grad)  # v ← β₂ v + (1 − β₂) g²
    t = t + 1.0  # 0-d: updates so far, this one included
    m_hat, v_hat = _adam_hats(m, v, t, hyper)
    step = learning_rate * m_hat / (np.sqrt(v_hat) + hyper["eps"])
    return theta - step, step, (m, v, t)


def _adam_shown(state: ParameterState, hyper: Hyper) -> dict[str, Array]:
    m, v, t = state
    m_hat, v_hat = _adam_hats(m, v, t, hyper)
    return {"m": m, "v": v, "m_hat": m_hat, "v_hat": v_hat}


OPTIMIZERS: dict[str, Optimizer] = {
    o.name: o
    for o in (
        Optimizer("sgd", _sgd),
        Optimizer(
            "momentum",
            _momentum,
            ("v",),
            MappingProxyType({"momentum": 0.9, "nesterov": False}),
            lambda state, hyper: {"v": state[0]},
        ),
        Optimizer(
            "rmsprop",
            _rmsprop,
            ("s",),
            MappingProxyType({"alpha": 0.99, "eps": 1e-8}),
            lambda state, hyper: {"s": state[0]},
        ),
        Optimizer(
            "adam",
            _adam,
            ("m", "v", "t"),
            MappingProxyType({"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}),
            _adam_shown,
            ("t",),
        ),
    )
}
SGD = updater("sgd")
