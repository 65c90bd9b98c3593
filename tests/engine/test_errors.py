"""Every invalid definition raises DefinitionError (a ValueError) naming the field and the problem."""

from __future__ import annotations

# ruff: noqa: E501  (the table holds exact messages, one case per entry)
from collections.abc import Callable

import numpy as np
import pytest

from engine import (
    DefinitionError,
    check_architecture,
    check_cost,
    init_network,
    make_dataset,
    make_network,
    trace_iteration,
    train,
)
from tests.engine.helpers import accepted_combinations

GOOD_W = [[[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], [[0.1, 0.2, 0.3]]]
GOOD_B = [[0.0, 0.0, 0.0], [0.0]]
X = np.zeros((2, 4))
Y = np.zeros((1, 4))


def net_2_3_1(activations: tuple[str, str] = ("tanh", "sigmoid")) -> object:
    return make_network([2, 3, 1], list(activations), GOOD_W, GOOD_B)


def run_trace(cost: str = "cross_entropy", x: object = X, y: object = Y) -> object:
    network = make_network([2, 3, 1], ["tanh", "sigmoid"], GOOD_W, GOOD_B)
    return trace_iteration(
        network, cost, np.asarray(x, dtype=float), np.asarray(y, dtype=float), 0.1
    )


def three_blobs_trace(y: list[list[float]]) -> object:
    network = init_network([2, 3], ["softmax"], "xavier", seed=0)
    return trace_iteration(network, "softmax_cross_entropy", np.zeros((2, 2)), np.array(y), 0.1)


CASES: list[tuple[str, Callable[[], object], str, str]] = [
    # (case, call, field, message)
    ("weight shape", lambda: make_network([2, 3, 1], ["tanh", "sigmoid"],
        [[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], [[0.1, 0.2, 0.3]]], GOOD_B),
     "network.weights[0]", "W1 must have shape 3×2 (n1 rows, n0 columns), got 2×3"),
    ("scalar weight", lambda: make_network([2, 3, 1], ["tanh", "sigmoid"], [1.0, GOOD_W[1]], GOOD_B),
     "network.weights[0]", "W1 must have shape 3×2 (n1 rows, n0 columns), got a scalar"),
    ("ragged weights", lambda: make_network([2, 3, 1], ["tanh", "sigmoid"],
        [[[0.1, 0.2], [0.3], [0.5, 0.6]], GOOD_W[1]], GOOD_B),
     "network.weights[0]", "must be numbers in a rectangular array"),
    ("bias shape", lambda: make_network([2, 3, 1], ["tanh", "sigmoid"], GOOD_W, [[0.0, 0.0], [0.0]]),
     "network.biases[0]", "b1 must be a list of 3 numbers, got shape (2,)"),
    ("weight count", lambda: make_network([2, 3, 1], ["tanh", "sigmoid"], GOOD_W[:1], GOOD_B),
     "network.weights", "needs 2 matrices (one per layer 1…2)"),
    ("bias count", lambda: make_network([2, 3, 1], ["tanh", "sigmoid"], GOOD_W, GOOD_B[:1]),
     "network.biases", "needs 2 vectors (one per layer 1…2)"),
    ("non-finite weight", lambda: make_network([2, 3, 1], ["tanh", "sigmoid"],
        [GOOD_W[0], [[0.1, float("nan"), 0.3]]], GOOD_B),
     "network.weights[1]", "must be finite numbers (no NaN or infinity)"),
    ("infinite bias", lambda: make_network([2, 3, 1], ["tanh", "sigmoid"], GOOD_W,
        [[0.0, float("inf"), 0.0], [0.0]]),
     "network.biases[0]", "must be finite numbers (no NaN or infinity)"),
    ("softmax hidden", lambda: check_architecture([2, 3, 1], ["softmax", "sigmoid"]),
     "network.activations[0]", "softmax is allowed on the output layer only (layer 2), not on layer 1"),
    ("unknown activation", lambda: check_architecture([2, 1], ["swish"]),
     "network.activations[0]",
     "unknown activation 'swish'; choose one of sigmoid, tanh, relu, leaky_relu, linear, softmax"),
    ("activation count", lambda: check_architecture([2, 3, 1], ["tanh"]),
     "network.activations", "needs one activation per weight layer: 2 for 3 layer sizes, got 1"),
    ("one layer", lambda: check_architecture([2], []),
     "network.layers", "needs at least two sizes (input and output), got 1"),
    ("no layers", lambda: check_architecture([], []),
     "network.layers", "needs at least two sizes (input and output), got 0"),
    ("zero-size layer", lambda: check_architecture([2, 0, 1], ["tanh", "sigmoid"]),
     "network.layers[1]", "must be a positive whole number of neurons, got 0"),
    ("negative layer", lambda: check_architecture([-2, 1], ["sigmoid"]),
     "network.layers[0]", "must be a positive whole number of neurons, got -2"),
    ("fractional layer", lambda: check_architecture([2, 1.5], ["sigmoid"]),  # type: ignore[list-item]
     "network.layers[1]", "must be a positive whole number of neurons, got 1.5"),
    ("boolean layer", lambda: check_architecture([2, True], ["sigmoid"]),
     "network.layers[1]", "must be a positive whole number of neurons, got True"),
    ("softmax_cross_entropy without softmax", lambda: check_cost("softmax_cross_entropy", "sigmoid"),
     "cost", "softmax_cross_entropy needs a softmax output layer, but the output activation is sigmoid"),
    ("cross_entropy with tanh", lambda: check_cost("cross_entropy", "tanh"),
     "cost", "cross_entropy takes ln(a) and ln(1 − a), so outputs must lie in (0, 1); "
     "tanh outputs lie in (-1, 1). Use sigmoid or softmax"),
    ("cross_entropy with relu", lambda: check_cost("cross_entropy", "relu"),
     "cost", "cross_entropy takes ln(a) and ln(1 − a), so outputs must lie in (0, 1); "
     "relu outputs lie in (0, inf). Use sigmoid or softmax"),
    ("unknown cost", lambda: run_trace(cost="hinge"),
     "cost", "unknown cost 'hinge'; choose one of quadratic, cross_entropy, softmax_cross_entropy"),
    ("input width", lambda: run_trace(x=np.zeros((3, 4))),
     "inputs", "each sample needs 2 input values (n0 = 2), got shape (3, 4)"),
    ("no samples", lambda: run_trace(x=np.zeros((2, 0)), y=np.zeros((1, 0))),
     "inputs", "needs at least one sample"),
    ("target width", lambda: run_trace(y=np.zeros((2, 4))),
     "targets", "each sample needs 1 target values (the output layer has 1 neurons), "
     "got shape (2, 4)"),
    ("target count", lambda: run_trace(y=np.zeros((1, 3))),
     "targets", "needs one row per input sample: 4 inputs, 3 targets"),
    ("non-finite input", lambda: run_trace(x=[[0, 1, 2, float("nan")], [0, 0, 0, 0]]),
     "inputs", "must be finite numbers (no NaN or infinity)"),
    ("non-finite target", lambda: run_trace(y=[[0, 1, float("-inf"), 0]]),
     "targets", "must be finite numbers (no NaN or infinity)"),
    ("targets not a distribution", lambda: three_blobs_trace([[1, 0], [0, 1], [0, 1]]),
     "targets", "softmax_cross_entropy needs each sample's targets to be probabilities "
     "(≥ 0, summing to 1, e.g. one-hot); sample 1 sums to 2"),
    ("negative target", lambda: three_blobs_trace([[1, 2], [0, -1], [0, 0]]),
     "targets", "softmax_cross_entropy needs each sample's targets to be probabilities "
     "(≥ 0, summing to 1, e.g. one-hot); sample 1 has a negative value"),
    ("cross_entropy target above 1", lambda: run_trace(y=[[0, 1, 2, 0]]),
     "targets", "cross_entropy needs targets between 0 and 1 (the probability that an output "
     "is on); sample 2 has 2 for output 0"),
    ("cross_entropy target below 0", lambda: run_trace(y=[[0, -0.5, 1, 0]]),
     "targets", "cross_entropy needs targets between 0 and 1 (the probability that an output "
     "is on); sample 1 has -0.5 for output 0"),
    ("unknown init", lambda: init_network([2, 1], ["sigmoid"], "zeros"),
     "network.init.method", "unknown initialisation 'zeros'; choose one of xavier, he, normal, uniform"),
    ("unknown data set", lambda: make_dataset("mnist"),
     "dataset.name",
     "unknown data set 'mnist'; choose one of xor, circle, moons, spiral, gaussian, three_blobs, sine, "
     "digits"),
    ("data set size", lambda: make_dataset("xor", size=0),
     "dataset.size", "must be a positive whole number, got 0"),
    ("data set noise", lambda: make_dataset("xor", noise=-0.1),
     "dataset.noise", "must be a finite number ≥ 0, got -0.1"),
    ("data set noise NaN", lambda: make_dataset("xor", noise=float("nan")),
     "dataset.noise", "must be a finite number ≥ 0, got nan"),
    ("batch size", lambda: train(init_network([2, 1], ["sigmoid"]), "quadratic", X, Y, 0.1, 3, 0),
     "batch_size", "must be a positive whole number, got 0"),
    ("iterations", lambda: train(init_network([2, 1], ["sigmoid"]), "quadratic", X, Y, 0.1, -1, 4),
     "iterations", "must be a whole number ≥ 0, got -1"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("call", "field", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_definition_errors_name_the_field_and_the_problem(
    call: Callable[[], object], field: str, message: str
) -> None:
    with pytest.raises(DefinitionError) as info:
        call()
    assert (info.value.field, info.value.message) == (field, message)
    assert str(info.value) == f"{field}: {message}"
    assert isinstance(info.value, ValueError)


def test_train_checks_like_trace_iteration() -> None:
    network = init_network([2, 3, 1], ["tanh", "sigmoid"])
    with pytest.raises(DefinitionError, match=r"^targets: needs one row per input sample"):
        train(network, "cross_entropy", X, np.zeros((1, 3)), 0.1, 1, 4)
    with pytest.raises(DefinitionError, match=r"^cost: cross_entropy takes ln"):
        train(init_network([2, 1], ["linear"]), "cross_entropy", X, Y, 0.1, 1, 4)


def test_probability_targets_are_accepted_for_softmax_cross_entropy() -> None:
    network = init_network([2, 3], ["softmax"], "xavier", seed=0)
    y = np.array([[0.2, 1 / 3], [0.5, 1 / 3], [0.3, 1 / 3]])
    trace = trace_iteration(network, "softmax_cross_entropy", np.zeros((2, 2)), y, 0.1)
    np.testing.assert_array_equal(trace.output_error.delta, trace.forward[-1].a - y)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
@pytest.mark.parametrize(("output", "cost"), list(accepted_combinations()))
def test_non_finite_inputs_and_targets_are_refused_for_every_cost(
    output: str, cost: str, bad: float
) -> None:
    # W¹'s second column is zero, so a bad x₂ meets only zero weights (0 · ∞ = NaN).
    network = make_network(
        [2, 2, 2], ["relu", output], [[[1.0, 0.0], [0.5, 0.0]], [[1.0, 0.0], [0.0, 1.0]]],
        [[0.0, 0.0], [0.0, 0.0]],
    )  # fmt: skip
    x = np.array([[0.5, 1.0], [0.0, 1.0]])
    y = np.array([[1.0, 0.0], [0.0, 1.0]])
    bad_x = x.copy()
    bad_x[1, 1] = bad
    with pytest.raises(DefinitionError) as info:
        trace_iteration(network, cost, bad_x, y, 0.1)
    assert (info.value.field, info.value.message) == (
        "inputs", "must be finite numbers (no NaN or infinity)"
    )  # fmt: skip
    bad_y = y.copy()
    bad_y[0, 1] = bad
    with pytest.raises(DefinitionError) as info:
        trace_iteration(network, cost, x, bad_y, 0.1)
    assert (info.value.field, info.value.message) == (
        "targets", "must be finite numbers (no NaN or infinity)"
    )  # fmt: skip
    with pytest.raises(DefinitionError, match=r"^inputs: must be finite"):
        train(network, cost, bad_x, y, 0.1, 1, 2)
