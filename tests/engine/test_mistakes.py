"""Checking a learner's answer: the right one is correct, every known mistake is named.

Each mistake's numbers are written out here again, from the trace's operands, for
several random networks of every hidden activation and every output and cost the
engine accepts; the module must name each as itself (or say nothing when, on that
data, it gives the right numbers).
"""

# ruff: noqa: E741  (l is the layer index of the math, as in DESIGN.md)

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from engine import ACTIVATIONS, DefinitionError, Trace, make_network, trace_iteration
from engine.activations import Array, sigma_prime_from
from engine.formulas import mistake_formula, step_formula
from engine.mistakes import MISTAKES, PARTS, check_answer, step_result
from tests.engine.helpers import (
    HIDDEN_ACTIVATIONS,
    accepted_combinations,
    random_network,
    random_targets,
)

LAYERS = [3, 3, 3, 3]  # square weights: every mistake has the result's shape
M = 4

COMBINATIONS = [
    (hidden, output, cost)
    for hidden in HIDDEN_ACTIVATIONS
    for output, cost in accepted_combinations()
]


def a_trace(hidden: str, output: str, cost: str, seed: int, m: int = M) -> Trace:
    rng = np.random.default_rng(seed)
    network = random_network(LAYERS, [hidden, hidden, output], rng)
    x = rng.uniform(-1.0, 1.0, (LAYERS[0], m))
    return trace_iteration(network, cost, x, random_targets(cost, LAYERS[-1], m, rng), 0.3)


def delta(t: Trace, l: int) -> Array:
    return t.output_error.delta if l == t.network.L else t.backward[t.network.L - 1 - l].delta


def a(t: Trace, l: int) -> Array:
    return t.x if l == 0 else t.forward[l - 1].a


def stale_gradient(t: Trace, l: int) -> Array:
    """∂C/∂Wˡ through the already-updated weights of the layers above."""
    new_w = {u.layer: u.weights for u in t.update}
    d = t.output_error.delta
    for k in range(t.network.L - 1, l - 1, -1):
        f = t.forward[k - 1]
        prime = sigma_prime_from(t.network.activations[k - 1])
        assert prime is not None
        d = (new_w[k + 1].T @ d) * prime(f.z, f.a)
    gradient: Array = (d @ a(t, l - 1).T) / t.x.shape[1]
    return gradient


# (phase, layer, part, mistake, the learner's numbers)
Answer = Callable[[Trace], Array]
MISTAKEN: list[tuple[str, int, str | None, str, Answer]] = [
    ("forward", 2, "a", "missing_bias", lambda t: _sigma(t, 2)(t.network.weights[1] @ a(t, 1))),
    ("forward", 2, "z", "missing_bias", lambda t: t.network.weights[1] @ a(t, 1)),
    ("forward", 2, "a", "used_z_not_a",
     lambda t: _sigma(t, 2)(t.network.weights[1] @ t.forward[0].z + t.network.biases[1][:, None])),
    ("forward", 1, "a", "wrong_activation", lambda t: _other_sigma(t, 1)(t.forward[0].z)),
    ("output_error", 3, None, "missing_sigma_prime", lambda t: t.output_error.grad_a),
    ("output_error", 3, None, "sign_flipped", lambda t: -t.output_error.delta),
    ("output_error", 3, None, "sigma_prime_of_a", lambda t: _prime_of_a(t)),
    ("backward", 2, None, "missing_sigma_prime", lambda t: t.backward[0].weighted_error),
    ("backward", 2, None, "untransposed_weights",
     lambda t: (t.network.weights[2] @ delta(t, 3)) * t.backward[0].sigma_prime),
    ("backward", 1, None, "wrong_layer_weights",
     lambda t: (t.network.weights[0].T @ delta(t, 2)) * t.backward[1].sigma_prime),
    ("gradients", 2, "weights", "sum_not_mean", lambda t: delta(t, 2) @ a(t, 1).T),
    ("gradients", 2, "biases", "sum_not_mean", lambda t: delta(t, 2).sum(axis=1)),
    ("gradients", 2, "weights", "wrong_activation_layer", lambda t: delta(t, 2) @ a(t, 2).T / M),
    ("gradients", 1, "weights", "sign_flipped", lambda t: -t.gradients[2].weights),
    ("update", 3, "weights", "added_gradient",
     lambda t: t.network.weights[2] + t.learning_rate * t.gradients[0].weights),
    ("update", 1, "biases", "missing_learning_rate",
     lambda t: t.network.biases[0] - t.gradients[2].biases),
    ("update", 1, "weights", "updated_weights_used",
     lambda t: t.network.weights[0] - t.learning_rate * stale_gradient(t, 1)),
]  # fmt: skip


def _prime_of_a(t: Trace) -> Array:
    """∇ₐC ⊙ σ′(aᴸ); softmax has no elementwise σ′: the right δᴸ (nothing to name)."""
    prime = ACTIVATIONS[t.network.activations[-1]].sigma_prime
    return t.output_error.delta if prime is None else t.output_error.grad_a * prime(a(t, 3))


def _sigma(t: Trace, l: int) -> Callable[[Array], Array]:
    return ACTIVATIONS[t.network.activations[l - 1]].sigma


def _other_sigma(t: Trace, l: int) -> Callable[[Array], Array]:
    name = t.network.activations[l - 1]
    return ACTIVATIONS["linear" if name != "linear" else "tanh"].sigma


@pytest.mark.parametrize(("hidden", "output", "cost"), COMBINATIONS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_right_answer_is_correct_and_each_mistake_is_named(
    hidden: str, output: str, cost: str, seed: int
) -> None:
    t = a_trace(hidden, output, cost, seed)
    for phase, layer, part, name, wrong in MISTAKEN:
        right = step_result(t, phase, layer, part)
        diagnosis = check_answer(t, phase, layer, right.copy(), part)
        assert diagnosis.correct == diagnosis.total == right.size
        assert diagnosis.misconceptions == ()
        answer = wrong(t)
        # the rule: within 1e-3 relatively, or 1e-3 × the result's largest entry
        tolerance = np.maximum(1e-3 * np.abs(right), 1e-3 * np.abs(right).max())
        differs = ~(np.abs(answer - right) <= tolerance)
        diagnosis = check_answer(t, phase, layer, answer, part)
        where = f"{hidden}/{output}/{cost} seed {seed}: {name} at {phase} {layer} {part}"
        if not differs.any():  # the same numbers as the right answer here: never reported
            assert name not in diagnosis.misconceptions, where
            continue
        assert name in diagnosis.misconceptions, where
        for index in zip(*np.nonzero(differs), strict=True):
            key = tuple(int(i) for i in index)
            assert diagnosis.verdicts[key] == "wrong", where
            assert name in diagnosis.explained[key], where


def test_verdicts_per_entry_skipped_and_rounded() -> None:
    network = make_network(
        [2, 2, 2], ["sigmoid", "sigmoid"],
        [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
        [[0.35, 0.35], [0.60, 0.60]],
    )  # fmt: skip
    t = trace_iteration(network, "quadratic", np.array([[0.05], [0.10]]),
                        np.array([[0.01], [0.99]]), 0.5)  # fmt: skip
    shown = np.array([[0.008771], [np.nan]])  # δ¹₀ rounded as the page shows it; δ¹₁ left out
    d = check_answer(t, "backward", 1, shown)
    assert d.verdicts.tolist() == [["correct"], ["skipped"]]
    assert (d.correct, d.total) == (1, 2)
    no_prime = check_answer(t, "backward", 1, np.array([[0.03635], [0.04137]]))
    assert no_prime.verdicts.tolist() == [["wrong"], ["wrong"]]
    assert no_prime.misconceptions == ("missing_sigma_prime",)
    assert no_prime.explained == {
        (0, 0): ("missing_sigma_prime",),
        (1, 0): ("missing_sigma_prime",),
    }
    unknown = check_answer(t, "backward", 1, np.array([[1.0], [0.009954]]))
    assert unknown.verdicts.tolist() == [["wrong"], ["correct"]]
    assert unknown.misconceptions == ()  # wrong, by no known mistake


def test_one_sample_sums_and_means_alike_so_that_is_not_a_mistake() -> None:
    t = a_trace("tanh", "sigmoid", "cross_entropy", 5, m=1)
    summed = t.gradients[1].weights * 1  # Σₓ over one sample is its mean
    assert check_answer(t, "gradients", 2, summed).misconceptions == ()


def test_a_wrong_shape_or_part_is_refused() -> None:
    t = a_trace("tanh", "sigmoid", "cross_entropy", 1)
    with pytest.raises(DefinitionError, match="must have the shape of the step's result, 3×4"):
        check_answer(t, "backward", 1, np.zeros((4, 3)))
    with pytest.raises(DefinitionError, match="gradients answers are weights or biases"):
        check_answer(t, "gradients", 1, np.zeros((3, 3)), "delta")


def test_each_named_mistake_comes_with_the_formula_it_computes() -> None:
    t = a_trace("tanh", "sigmoid", "quadratic", 1)
    right = step_result(t, "backward", 1)
    assert check_answer(t, "backward", 1, right.copy()).formulas == {}
    weighted = t.backward[1].weighted_error  # δ¹ without ⊙ σ′(z¹)
    d = check_answer(t, "backward", 1, weighted)
    assert d.formula == (
        r"\delta^{1} = \left(\left(W^{2}\right)^{\mathsf{T}} \delta^{2}\right)"
        r" \odot \sigma'\!\left(z^{1}\right)"
    )
    assert d.formulas == {
        "missing_sigma_prime": r"\delta^{1} = \left(W^{2}\right)^{\mathsf{T}} \delta^{2}"
    }
    bias = check_answer(t, "gradients", 2, -t.gradients[1].biases, "biases")
    assert (
        bias.formula == r"\frac{\partial C}{\partial b^{2}} = \frac{1}{m} \sum_{x} \delta^{2}_{x}"
    )
    assert bias.formulas == {
        "sign_flipped": r"\frac{\partial C}{\partial b^{2}} = -\frac{1}{m} \sum_{x} \delta^{2}_{x}"
    }


@pytest.mark.parametrize(("name", "phase"), [tuple(key.split(":")) for key in MISTAKES])
def test_every_mistake_has_a_formula_for_each_part(name: str, phase: str) -> None:
    only = {"wrong_activation": ("a",), "wrong_activation_layer": ("weights",)}  # as in engine
    for part in only.get(name, PARTS[phase]):
        formula = mistake_formula(name, phase, 2, part)
        assert "$" not in formula
        assert formula != step_formula(phase, 2, part)
