"""The terms of an entry: each entry of a trace written out as the sum or product it is.

For every activation × cost the engine accepts (from its registries), every entry
of every step of random networks: the expression's value, computed term by term,
is the trace's entry to 1e-12. And the worked example's numbers, by hand.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import (
    DefinitionError,
    Trace,
    iteration_steps,
    make_network,
    step_payload,
    trace_iteration,
)
from engine.terms import QUANTITIES, Expr, Ref, entry_terms
from tests.engine.helpers import (
    BOUNDED,
    HIDDEN_ACTIVATIONS,
    accepted_combinations,
    random_network,
    random_targets,
)

COMBINATIONS = [
    (hidden, output, cost)
    for hidden in HIDDEN_ACTIVATIONS
    for output, cost in accepted_combinations()
]


def leaves(node: Expr | Ref) -> list[Ref]:
    if isinstance(node, Ref):
        return [node]
    return [leaf for arg in node.args for leaf in leaves(arg)]


def every_entry(trace: Trace) -> list[tuple[str, int, str, tuple[int, ...]]]:
    """(phase, layer, quantity, index) of every entry of every step of a trace."""
    entries: list[tuple[str, int, str, tuple[int, ...]]] = []
    for step in iteration_steps(trace.network.L):
        payload = step_payload(trace, step)
        for quantity in QUANTITIES[step.phase]:
            array = getattr(payload, quantity)
            if array is None:  # a softmax output's σ′
                continue
            for index in itertools.product(*(range(n) for n in array.shape)):
                entries.append((step.phase, step.layer, quantity, index))
    return entries


@pytest.mark.parametrize(("hidden", "output", "cost"), COMBINATIONS)
@settings(BOUNDED, max_examples=6)
@given(
    sizes=st.lists(st.integers(1, 3), min_size=2, max_size=3),
    n_out=st.integers(1, 3),
    m=st.integers(1, 3),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_terms_make_every_entry(
    hidden: str, output: str, cost: str, sizes: list[int], n_out: int, m: int, seed: int
) -> None:
    layers = [*sizes, max(n_out, 2) if output == "softmax" else n_out]
    activations = [hidden] * (len(layers) - 2) + [output]
    rng = np.random.default_rng(seed)
    network = random_network(layers, activations, rng)
    x = rng.uniform(-1.0, 1.0, (layers[0], m))
    y = random_targets(cost, layers[-1], m, rng)
    trace = trace_iteration(network, cost, x, y, 0.7)
    for phase, layer, quantity, index in every_entry(trace):
        terms = entry_terms(trace, phase, layer, quantity, index)
        tolerance = 1e-12 * max(1.0, abs(terms.value))
        assert abs(terms.expression.value - terms.value) <= tolerance, (
            f"{hidden}/{output}/{cost}: {quantity} of {phase} {layer} at {index}: "
            f"terms give {terms.expression.value!r}, the trace {terms.value!r}"
        )


def worked_example() -> Trace:
    network = make_network(
        [2, 2, 2], ["sigmoid", "sigmoid"],
        [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
        [[0.35, 0.35], [0.60, 0.60]],
    )  # fmt: skip
    x, y = np.array([[0.05], [0.10]]), np.array([[0.01], [0.99]])
    return trace_iteration(network, "quadratic", x, y, 0.5)


def test_delta_of_a_hidden_neuron_is_the_weighted_sum_times_sigma_prime() -> None:
    """δ¹₀ = (W²₀₀·δ²₀ + W²₁₀·δ²₁) · σ′(z¹₀) = (0.4000·0.1385 + 0.5000·(−0.03810)) · 0.2413."""
    terms = entry_terms(worked_example(), "backward", 1, "delta", (0, 0))
    expression = terms.expression
    assert isinstance(expression, Expr)
    assert expression.op == "product"
    weighted, prime = expression.args
    assert isinstance(weighted, Expr)
    assert weighted.op == "sum"
    assert weighted.equals == Ref("weighted_error", 1, (0, 0), weighted.equals.value)  # type: ignore[union-attr]
    names = [(r.quantity, r.layer, r.index) for r in leaves(weighted)]
    assert names == [("W", 2, (0, 0)), ("delta", 2, (0, 0)), ("W", 2, (1, 0)), ("delta", 2, (1, 0))]
    values = [r.value for r in leaves(weighted)]
    assert values[0] == 0.40
    assert values[2] == 0.50
    assert values[1] == pytest.approx(0.13849856, abs=1e-8)
    assert values[3] == pytest.approx(-0.03809824, abs=1e-8)
    assert isinstance(prime, Ref)
    assert (prime.quantity, prime.layer, prime.index) == ("sigma_prime", 1, (0, 0))
    assert prime.value == pytest.approx(0.24130071, abs=1e-8)
    assert terms.value == pytest.approx(0.00877135, abs=1e-8)


def test_the_worked_examples_other_formulas() -> None:
    trace = worked_example()
    z = entry_terms(trace, "forward", 1, "z", (0, 0)).expression
    assert isinstance(z, Expr)
    assert [(r.quantity, r.index, r.value) for r in leaves(z)] == [
        ("W", (0, 0), 0.15), ("a", (0, 0), 0.05), ("W", (0, 1), 0.20), ("a", (1, 0), 0.10),
        ("b", (0,), 0.35),
    ]  # fmt: skip
    assert z.value == pytest.approx(0.3775)
    a = entry_terms(trace, "forward", 1, "a", (0, 0)).expression
    assert isinstance(a, Expr)
    assert (a.op, a.function) == ("apply", "sigmoid")
    assert a.value == pytest.approx(0.593269992)
    grad = entry_terms(trace, "output_error", 2, "grad_a", (0, 0))
    assert [r.quantity for r in leaves(grad.expression)] == ["a", "y"]  # a − y, quadratic
    update = entry_terms(trace, "update", 2, "weights", (0, 0))
    assert [r.quantity for r in leaves(update.expression)] == ["W", "eta", "dC_dW"]
    assert update.value == pytest.approx(0.35891648, abs=1e-8)


def test_a_batch_gradient_is_the_mean_over_samples_and_shortcuts_are_named() -> None:
    network = make_network([1, 1], ["sigmoid"], [[[0.5]]], [[0.1]])
    x, y = np.array([[1.0, -2.0, 0.5]]), np.array([[1.0, 0.0, 1.0]])
    trace = trace_iteration(network, "cross_entropy", x, y, 0.1)
    grad = entry_terms(trace, "gradients", 1, "weights", (0, 0)).expression
    assert isinstance(grad, Expr)
    assert grad.op == "mean"
    assert len(grad.args) == 3  # one δ·a per sample
    delta = entry_terms(trace, "output_error", 1, "delta", (0, 1))
    assert delta.shortcut == "a_minus_y"
    assert [r.quantity for r in leaves(delta.expression)] == ["a", "y"]


def test_a_softmax_delta_is_the_jacobian_times_the_gradient() -> None:
    network = make_network([1, 3], ["softmax"], [[[0.5], [-0.2], [0.1]]], [[0.0, 0.1, 0.0]])
    x, y = np.array([[1.0]]), np.array([[0.2], [0.5], [0.3]])
    trace = trace_iteration(network, "quadratic", x, y, 0.1)
    delta = entry_terms(trace, "output_error", 1, "delta", (1, 0))
    refs = leaves(delta.expression)
    assert [(r.quantity, r.index) for r in refs] == [
        ("J", (0, 0, 1)), ("grad_a", (0, 0)), ("J", (0, 1, 1)), ("grad_a", (1, 0)),
        ("J", (0, 2, 1)), ("grad_a", (2, 0)),
    ]  # fmt: skip
    a = trace.forward[0].a[:, 0]
    assert refs[2].value == pytest.approx(a[1] * (1 - a[1]))  # Jᵢᵢ = aᵢ(1 − aᵢ)
    assert refs[0].value == pytest.approx(-a[0] * a[1])


@pytest.mark.parametrize(
    ("where", "field", "message"),
    [
        (("sideways", 1, "z", (0, 0)), "phase", "unknown phase 'sideways'"),
        (("backward", 2, "delta", (0, 0)), "layer", "backward has layers 1 here, got 2"),
        (("forward", 1, "delta", (0, 0)), "quantity", "forward computes z, a, not 'delta'"),
        (("forward", 1, "z", (2, 0)), "index", "z of layer 1 is 2×1: give indices within it"),
        (("gradients", 1, "biases", (0, 0)), "index", "biases of layer 1 is 2: give indices"),
    ],
)
def test_a_wrong_entry_is_named(
    where: tuple[str, int, str, tuple[int, ...]], field: str, message: str
) -> None:
    with pytest.raises(DefinitionError, match=message) as caught:
        entry_terms(worked_example(), *where)
    assert caught.value.field == field


@pytest.mark.parametrize(
    "optimizer", [("momentum", {"nesterov": False}), ("momentum", {"nesterov": True}),
                  ("rmsprop", {}), ("adam", {})],
)  # fmt: skip
def test_every_entry_of_an_optimizer_with_weight_decay_is_made_from_its_terms(
    optimizer: tuple[str, dict[str, bool]],
) -> None:
    from engine import updater

    rng = np.random.default_rng(4)
    net = random_network([2, 3, 1], ["tanh", "sigmoid"], rng)
    x, y = rng.normal(size=(2, 3)), rng.uniform(0.1, 0.9, size=(1, 3))
    rule = updater(*optimizer)
    trace = trace_iteration(net, "cross_entropy", x, y, 0.2, rule, weight_decay=0.3)
    trace = trace_iteration(
        trace.updated_network, "cross_entropy", x, y, 0.2, rule, trace.optimizer_state, 0.3
    )  # the second update: the carried state is not zero
    for phase, layer, quantity, index in every_entry(trace):
        if phase not in ("gradients", "update"):
            continue
        got = entry_terms(trace, phase, layer, quantity, index)
        assert got.expression.value == pytest.approx(got.value, rel=1e-12, abs=1e-15)
        names = {leaf.quantity for leaf in leaves(got.expression)}
        if (phase, quantity) == ("gradients", "weights"):
            assert "lambda" in names
        if (phase, quantity) == ("update", "eta_grad_weights"):
            wanted = {"momentum": "v_W", "rmsprop": "s_W", "adam": "v_hat_W"}[optimizer[0]]
            assert wanted in names
