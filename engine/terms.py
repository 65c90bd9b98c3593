"""The terms of one entry: how a single number of an iteration is made from others.

Every entry a step computes is a small expression over other entries of the same
iteration — the sums at each node that the matrix products gather up:

    forward        zˡⱼ = Σₖ Wˡⱼₖ aˡ⁻¹ₖ + bˡⱼ            aˡⱼ = σ(zˡⱼ)
    output_error   ∇ₐCⱼ per cost (a − y; (a − y) / (a(1 − a)); −y / a)
                   σ′(zᴸⱼ) per activation (a(1 − a), 1 − a², 1 if z > 0 …)
                   δᴸⱼ = ∇ₐCⱼ · σ′(zᴸⱼ), or Σᵢ Jᵢⱼ ∇ₐCᵢ for softmax, or aⱼ − yⱼ where σ′ cancels
    backward       (Wˡ⁺¹)ᵀδˡ⁺¹ⱼ = Σₖ Wˡ⁺¹ₖⱼ δˡ⁺¹ₖ      δˡⱼ = (Σₖ Wˡ⁺¹ₖⱼ δˡ⁺¹ₖ) · σ′(zˡⱼ)
    gradients      ∂C/∂Wˡⱼₖ = (1/m) Σₓ δˡⱼₓ aˡ⁻¹ₖₓ (+ λ Wˡⱼₖ)  ∂C/∂bˡⱼ = (1/m) Σₓ δˡⱼₓ
    update         Wˡⱼₖ − η ∂C/∂Wˡⱼₖ                     bˡⱼ − η ∂C/∂bˡⱼ
                   (momentum: − η v; rmsprop: − η g / (√s + ε); adam: − η m̂ / (√v̂ + ε),
                   v, s, m̂, v̂ the optimizer's entries after the update: v_W, m_hat_b …)

entry_terms returns that expression as a tree whose leaves (Ref) name the
entries they are — so a view can point at them — with every node's value
computed here in float64 from its arguments' values, and the entry's own value
as the trace holds it (the two agree to rounding: a BLAS sum may add in another
order). Activation indices follow the trace: (row, sample) for nₗ × m arrays,
(row, column) for weights, (row,) for biases.
"""

# ruff: noqa: E741  (l is the layer index of the math, as in DESIGN.md)

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from engine.activations import LEAKY_SLOPE, Array
from engine.costs import COSTS, TINY
from engine.errors import DefinitionError
from engine.steps import check_step
from engine.trace import Trace

__all__ = ["QUANTITIES", "EntryTerms", "Expr", "Ref", "entry_terms"]

Index = tuple[int, ...]
Op = Literal["sum", "product", "difference", "quotient", "negate", "mean", "apply"]

# What each phase's payload holds, by the names of the JSON contract.
QUANTITIES: dict[str, tuple[str, ...]] = {
    "forward": ("z", "a"),
    "output_error": ("grad_a", "sigma_prime", "delta"),
    "backward": ("weighted_error", "sigma_prime", "delta"),
    "gradients": ("weights", "biases"),
    "update": ("weights", "biases", "eta_grad_weights", "eta_grad_biases"),
}


@dataclass(frozen=True)
class Ref:
    """One number of the iteration: an entry of a quantity (W, a, δ …), η, or a constant.

    `quantity` is one of W, b, z, a, y, grad_a, sigma_prime, delta, weighted_error,
    dC_dW, dC_db, J (the softmax Jacobian: index (sample, i, j)), eta, lambda (the
    weight decay), const, or an optimizer's quantity for the weights or the biases:
    v_W, v_b, s_W, s_b, m_W, m_b, m_hat_W, m_hat_b, v_hat_W, v_hat_b.
    """

    quantity: str
    layer: int | None
    index: Index
    value: float


@dataclass(frozen=True)
class Expr:
    """An operation on numbers, with its value. `apply` applies `function` (sigmoid,
    tanh, relu, leaky_relu, linear, exp, step, leaky_step) to its one argument.
    `equals` names the entry of the iteration the expression is, when it is one."""

    op: Op
    args: tuple[Expr | Ref, ...]
    value: float
    function: str | None = None
    equals: Ref | None = None


@dataclass(frozen=True)
class EntryTerms:
    phase: str
    layer: int
    quantity: str  # as the step's payload names it (z, a, grad_a, delta, weights …)
    index: Index
    value: float  # the entry as the trace holds it (what the page shows)
    expression: Expr | Ref
    # "a_minus_y": δᴸ computed as aᴸ − y, where ∇ₐC ⊙ σ′ (or Jᵀ∇ₐC) cancels to it
    shortcut: str | None = None


# ------------------------------------------------------------------ building blocks

_FUNCTIONS: dict[str, Callable[[float], float]] = {
    "sigmoid": lambda z: (
        1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
    ),
    "tanh": math.tanh,
    "relu": lambda z: max(z, 0.0),
    "leaky_relu": lambda z: z if z > 0 else LEAKY_SLOPE * z,
    "linear": lambda z: z,
    "exp": lambda z: math.exp(z) if z < 709.0 else math.inf,
    "step": lambda z: 1.0 if z > 0 else 0.0,  # relu′ (σ′(0) = 0)
    "leaky_step": lambda z: 1.0 if z > 0 else LEAKY_SLOPE,  # leaky_relu′
    "sqrt": lambda s: math.sqrt(s) if s >= 0 else math.nan,  # RMSProp's and Adam's √
}


def _v(node: Expr | Ref) -> float:
    return node.value


def _sum(args: Sequence[Expr | Ref], equals: Ref | None = None) -> Expr:
    return Expr("sum", tuple(args), math.fsum(_v(a) for a in args), equals=equals)


def _product(*args: Expr | Ref) -> Expr:
    return Expr("product", args, math.prod(_v(a) for a in args))


def _difference(a: Expr | Ref, b: Expr | Ref) -> Expr:
    return Expr("difference", (a, b), _v(a) - _v(b))


def _quotient(a: Expr | Ref, b: Expr | Ref) -> Expr:
    value = _v(a) / _v(b) if _v(b) != 0 else math.copysign(math.inf, _v(a))
    return Expr("quotient", (a, b), value)


def _apply(function: str, arg: Expr | Ref) -> Expr:
    return Expr("apply", (arg,), _FUNCTIONS[function](_v(arg)), function=function)


def _const(value: float) -> Ref:
    return Ref("const", None, (), value)


class _Entries:
    """The iteration's entries as Refs, by the names of Ref.quantity."""

    def __init__(self, trace: Trace) -> None:
        self.trace = trace
        self.L = trace.network.L
        self.m = trace.x.shape[1]
        self._arrays: dict[tuple[str, int | None], Array] = {}

    def ref(self, quantity: str, layer: int | None, *index: int) -> Ref:
        return Ref(quantity, layer, index, float(self.array(quantity, layer)[index]))

    def array(self, quantity: str, layer: int | None) -> Array:
        key = (quantity, layer)
        if key not in self._arrays:
            self._arrays[key] = self._lookup(quantity, layer)
        return self._arrays[key]

    def _lookup(self, quantity: str, layer: int | None) -> Array:
        t, L = self.trace, self.L
        l = layer or 0
        name, _, parameter = quantity.rpartition("_")
        if parameter in ("W", "b") and name:  # an optimizer's quantity: v_W, m_hat_b …
            u = t.update[L - l]
            return (u.optimizer_weights if parameter == "W" else u.optimizer_biases)[name]
        arrays: dict[str, Callable[[], Array]] = {
            "W": lambda: t.network.weights[l - 1],
            "b": lambda: t.network.biases[l - 1],
            "z": lambda: t.forward[l - 1].z,
            "a": lambda: t.x if l == 0 else t.forward[l - 1].a,
            "y": lambda: t.y,
            "grad_a": lambda: t.output_error.grad_a,
            "sigma_prime": lambda: self._sigma_prime(l),
            "delta": lambda: t.output_error.delta if l == L else t.backward[L - 1 - l].delta,
            "weighted_error": lambda: t.backward[L - 1 - l].weighted_error,
            "dC_dW": lambda: t.gradients[L - l].weights,
            "dC_db": lambda: t.gradients[L - l].biases,
            "W_new": lambda: t.update[L - l].weights,
            "b_new": lambda: t.update[L - l].biases,
            "eta_dC_dW": lambda: t.update[L - l].eta_grad_weights,
            "eta_dC_db": lambda: t.update[L - l].eta_grad_biases,
        }
        return arrays[quantity]()

    def _sigma_prime(self, l: int) -> Array:
        t = self.trace
        prime = (
            t.output_error.sigma_prime if l == self.L else t.backward[self.L - 1 - l].sigma_prime
        )
        if prime is None:
            raise DefinitionError(
                "quantity", "a softmax layer has no elementwise σ′ (its δ uses J)"
            )
        return prime


# ------------------------------------------------------------------ one formula per quantity


def _z(e: _Entries, l: int, j: int, x: int) -> Expr:
    n_prev = e.trace.network.layers[l - 1]
    products = [_product(e.ref("W", l, j, k), e.ref("a", l - 1, k, x)) for k in range(n_prev)]
    return _sum([*products, e.ref("b", l, j)])


def _softmax(e: _Entries, l: int, j: int, x: int) -> Expr:
    n = e.trace.network.layers[l]
    exps = [_apply("exp", e.ref("z", l, i, x)) for i in range(n)]
    return _quotient(exps[j], _sum(exps))


def _a(e: _Entries, l: int, j: int, x: int) -> Expr:
    activation = e.trace.network.activations[l - 1]
    if activation == "softmax":
        return _softmax(e, l, j, x)
    return _apply(activation, e.ref("z", l, j, x))


def _clipped(r: Ref) -> Ref:
    """a as the costs see it: within [TINY, 1 − TINY], so ln and ÷ stay finite."""
    return (
        r
        if TINY <= r.value <= 1.0 - TINY
        else Ref(r.quantity, r.layer, r.index, min(max(r.value, TINY), 1.0 - TINY))
    )


def _grad_a(e: _Entries, j: int, x: int) -> Expr:
    a, y = e.ref("a", e.L, j, x), e.ref("y", None, j, x)
    cost = e.trace.cost_name
    if cost == "quadratic":
        return _difference(a, y)
    a = _clipped(a)
    if cost == "cross_entropy":
        return _quotient(_difference(a, y), _product(a, _difference(_const(1.0), a)))
    if cost == "softmax_cross_entropy":
        return _quotient(Expr("negate", (y,), -y.value), a)
    raise DefinitionError("cost", f"no terms for cost {cost!r}")  # pragma: no cover


def _sigma_prime(e: _Entries, l: int, j: int, x: int) -> Expr | Ref:
    activation = e.trace.network.activations[l - 1]
    a, one = e.ref("a", l, j, x), _const(1.0)
    if activation == "sigmoid":
        return _product(a, _difference(one, a))
    if activation == "tanh":
        return _difference(one, _product(a, a))
    if activation == "relu":
        return _apply("step", e.ref("z", l, j, x))
    if activation == "leaky_relu":
        return _apply("leaky_step", e.ref("z", l, j, x))
    if activation == "linear":
        return one
    raise DefinitionError("quantity", f"{activation} has no elementwise σ′")


def _jacobian(e: _Entries, i: int, j: int, x: int) -> Ref:
    """Jᵢⱼ = aᵢ (δᵢⱼ − aⱼ) of the softmax at sample x (the trace's; index [x, i, j])."""
    jacobian = e.trace.output_error.jacobian
    assert jacobian is not None  # (a softmax output)
    return Ref("J", e.L, (x, i, j), float(jacobian[x, i, j]))


def _output_delta(e: _Entries, j: int, x: int) -> tuple[Expr | Ref, str | None]:
    trace = e.trace
    if COSTS[trace.cost_name].simplifies_with == trace.network.activations[-1]:
        return _difference(e.ref("a", e.L, j, x), e.ref("y", None, j, x)), "a_minus_y"
    if trace.output_error.form == "softmax_jacobian":
        n = trace.network.layers[-1]
        terms = [_product(_jacobian(e, i, j, x), e.ref("grad_a", e.L, i, x)) for i in range(n)]
        return _sum(terms), None
    return _product(e.ref("grad_a", e.L, j, x), e.ref("sigma_prime", e.L, j, x)), None


def _weighted_error(e: _Entries, l: int, j: int, x: int) -> Expr:
    n_next = e.trace.network.layers[l + 1]
    products = [
        _product(e.ref("W", l + 1, k, j), e.ref("delta", l + 1, k, x)) for k in range(n_next)
    ]
    return _sum(products, equals=e.ref("weighted_error", l, j, x))


def _grad_weights(e: _Entries, l: int, j: int, k: int) -> Expr:
    terms = [_product(e.ref("delta", l, j, x), e.ref("a", l - 1, k, x)) for x in range(e.m)]
    mean = Expr("mean", tuple(terms), math.fsum(t.value for t in terms) / e.m)
    if not e.trace.weight_decay:
        return mean
    weight_decay = Ref("lambda", None, (), float(e.trace.weight_decay))
    return _sum([mean, _product(weight_decay, e.ref("W", l, j, k))])  # + λWˡⱼₖ


def _grad_biases(e: _Entries, l: int, j: int) -> Expr:
    terms = [e.ref("delta", l, j, x) for x in range(e.m)]
    return Expr("mean", tuple(terms), math.fsum(t.value for t in terms) / e.m)


def _step(e: _Entries, gradient: str, l: int, index: Index) -> Expr:
    """The amount the update subtracts: η ∂C/∂θ, or the optimizer's step."""
    eta = Ref("eta", None, (), float(e.trace.learning_rate))
    settings = e.trace.optimizer
    grad = e.ref(gradient, l, *index)
    parameter = "W" if gradient == "dC_dW" else "b"

    def own(name: str) -> Ref:
        return e.ref(f"{name}_{parameter}", l, *index)

    name = settings["name"]
    if name == "momentum":
        if settings["nesterov"]:
            return _product(
                eta, _sum([grad, _product(_const(float(settings["momentum"])), own("v"))])
            )
        return _product(eta, own("v"))
    if name in ("rmsprop", "adam"):
        top, under = (grad, own("s")) if name == "rmsprop" else (own("m_hat"), own("v_hat"))
        eps = _const(float(settings["eps"]))
        return _product(eta, _quotient(top, _sum([_apply("sqrt", under), eps])))
    return _product(eta, grad)


# ------------------------------------------------------------------ the entry point

# The array each (phase, quantity) reads its entries from (_Entries.array's names).
_OWN = {
    ("gradients", "weights"): "dC_dW",
    ("gradients", "biases"): "dC_db",
    ("update", "weights"): "W_new",
    ("update", "biases"): "b_new",
    ("update", "eta_grad_weights"): "eta_dC_dW",
    ("update", "eta_grad_biases"): "eta_dC_db",
}


def _check(e: _Entries, phase: str, layer: int, quantity: str, index: Index) -> None:
    check_step(phase, layer, e.L)
    if quantity not in QUANTITIES[phase]:
        computed = ", ".join(QUANTITIES[phase])
        raise DefinitionError("quantity", f"{phase} computes {computed}, not {quantity!r}")
    if quantity == "sigma_prime" and e.trace.network.activations[layer - 1] == "softmax":
        raise DefinitionError(
            "quantity", "softmax has no elementwise σ′: its δ uses the Jacobian J"
        )
    shape = e.array(_OWN.get((phase, quantity), quantity), layer).shape
    if len(index) != len(shape) or not all(0 <= i < n for i, n in zip(index, shape, strict=True)):
        size = "×".join(map(str, shape))
        raise DefinitionError(
            "index",
            f"{quantity} of layer {layer} is {size}: give indices within it, got {list(index)}",
        )


def _update(e: _Entries, l: int, quantity: str, at: Index) -> Expr:
    weights = quantity in ("weights", "eta_grad_weights")
    step = _step(e, "dC_dW" if weights else "dC_db", l, at)
    if quantity.startswith("eta_grad"):
        return step
    return _difference(e.ref("W" if weights else "b", l, *at), step)


def _expression(e: _Entries, phase: str, l: int, quantity: str, at: Index) -> Expr | Ref:
    if phase == "forward":
        return _z(e, l, *at) if quantity == "z" else _a(e, l, *at)
    if phase == "gradients":
        return _grad_weights(e, l, *at) if quantity == "weights" else _grad_biases(e, l, *at)
    if phase == "update":
        return _update(e, l, quantity, at)
    if quantity == "grad_a":
        return _grad_a(e, *at)
    if quantity == "sigma_prime":
        return _sigma_prime(e, l, *at)
    if quantity == "weighted_error":
        return _weighted_error(e, l, *at)
    # δ of a hidden layer: the weighted error written out, times σ′
    return _product(_weighted_error(e, l, *at), e.ref("sigma_prime", l, *at))


def entry_terms(
    trace: Trace, phase: str, layer: int, quantity: str, index: Sequence[int]
) -> EntryTerms:
    """How entry `index` of `quantity` at step (phase, layer) is made, with every number."""
    e = _Entries(trace)
    at = tuple(int(i) for i in index)
    _check(e, phase, layer, quantity, at)
    shortcut = None
    if phase == "output_error" and quantity == "delta":
        expression, shortcut = _output_delta(e, *at)
    else:
        expression = _expression(e, phase, layer, quantity, at)
    value = float(e.array(_OWN.get((phase, quantity), quantity), layer)[at])
    return EntryTerms(phase, layer, quantity, at, value, expression, shortcut)
