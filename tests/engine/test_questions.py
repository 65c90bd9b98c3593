"""Class questions: each kind's right answer, recomputed here from the trace's operands."""

from __future__ import annotations

import numpy as np
import pytest

from engine import COSTS, DefinitionError, Trace, init_network, trace_iteration
from engine.questions import RIGHT, classify_number, pose

X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])  # (2, 4)
Y = np.array([[0.0, 1.0, 1.0, 0.0]])  # (1, 4)


def xor_trace(learning_rate: float = 0.5) -> Trace:
    net = init_network([2, 3, 1], ["tanh", "sigmoid"], "xavier", seed=0)
    # one iteration in: xavier's biases start at zero, where a missing bias changes nothing
    net = trace_iteration(net, "cross_entropy", X, Y, 0.5).updated_network
    return trace_iteration(net, "cross_entropy", X, Y, learning_rate)


def test_a_number_is_the_entry_and_a_missing_bias_is_named() -> None:
    trace = xor_trace()
    W, b = trace.network.weights[0], trace.network.biases[0]
    z = W @ X + b[:, None]  # (3, 4)
    posed = pose(trace, "number", "forward", 1, "z", (1, 2))
    assert posed.answer == pytest.approx(z[1, 2], rel=1e-12)
    assert posed.entry == (1, 2)
    assert dict(posed.mistakes)["missing_bias"] == pytest.approx((W @ X)[1, 2], rel=1e-12)
    assert classify_number(posed, z[1, 2] * (1 + 1e-4)) == RIGHT
    assert classify_number(posed, (W @ X)[1, 2]) == "missing_bias"
    assert classify_number(posed, z[1, 2] + 10.0) == "other"


def test_a_sign_is_the_entrys() -> None:
    trace = xor_trace()
    delta = trace.output_error.delta  # sigmoid + cross-entropy: a − y
    expected = trace.forward[-1].a - Y
    for column in range(4):
        posed = pose(trace, "sign", "output_error", 2, None, (0, column))
        want = "positive" if expected[0, column] > 0 else "negative"
        assert posed.answer == want, (column, delta[0, column])
        assert [o.key for o in posed.options] == ["negative", "zero", "positive"]


def test_the_largest_entry_of_a_gradient() -> None:
    trace = xor_trace()
    delta = trace.backward[0].delta  # δ¹, (3, 4)
    grad = delta @ X.T / 4  # ∂C/∂W¹, (3, 2)
    row, col = np.unravel_index(int(np.argmax(grad)), grad.shape)
    posed = pose(trace, "largest", "gradients", 1)
    assert posed.answer == f"{row},{col}"
    assert [o.key for o in posed.options] == ["0,0", "0,1", "1,0", "1,1", "2,0", "2,1"]
    biases = pose(trace, "largest", "gradients", 1, "biases")
    assert biases.answer == f"{int(np.argmax(delta.mean(axis=1)))},0"


def test_the_cost_goes_down_after_a_small_step_and_up_after_a_huge_one() -> None:
    for rate, direction in ((0.5, "down"), (400.0, "up")):
        trace = xor_trace(rate)
        net = trace.updated_network
        a1 = np.tanh(net.weights[0] @ X + net.biases[0][:, None])
        a2 = 1 / (1 + np.exp(-(net.weights[1] @ a1 + net.biases[1][:, None])))
        after = COSTS["cross_entropy"].value(a2, Y)
        posed = pose(trace, "cost_direction", "update", 1)
        assert posed.cost_after == pytest.approx(after, rel=1e-12)
        assert posed.cost_before == trace.cost
        assert posed.answer == direction, (rate, trace.cost, after)


def test_a_choice_offers_the_formula_and_the_known_mistakes_with_their_numbers() -> None:
    trace = xor_trace()
    posed = pose(trace, "choice", "update", 2, "weights", (0, 1))
    by_key = {o.mistake or RIGHT: o for o in posed.options}
    W, eta = trace.network.weights[1], 0.5
    grad = trace.gradients[0].weights  # ∂C/∂W², (1, 3)
    assert posed.answer == by_key[RIGHT].key
    assert [o.key for o in posed.options] == ["A", "B", "C"]
    assert by_key[RIGHT].label == "Wˡ ← Wˡ − η ∂C/∂Wˡ"
    assert by_key[RIGHT].value == pytest.approx(W[0, 1] - eta * grad[0, 1], rel=1e-12)
    assert by_key["added_gradient"].value == pytest.approx(W[0, 1] + eta * grad[0, 1], rel=1e-12)
    assert by_key["missing_learning_rate"].value == pytest.approx(W[0, 1] - grad[0, 1])
    assert by_key["added_gradient"].mistake == "added_gradient"
    assert set(by_key) == {RIGHT, "added_gradient", "missing_learning_rate"}  # L: no layer above
    values = [o.value for o in posed.options if o.value is not None]
    assert values == sorted(values)  # the right one has no telling place


def test_a_choice_among_chosen_mistakes() -> None:
    trace = xor_trace()
    posed = pose(trace, "choice", "update", 1, "weights", (0, 0), ("added_gradient",))
    assert {o.mistake for o in posed.options} == {None, "added_gradient"}
    with pytest.raises(DefinitionError, match="sum_not_mean: not a known mistake of this step"):
        pose(trace, "choice", "update", 1, "weights", (0, 0), ("sum_not_mean",))


@pytest.mark.parametrize(
    ("kind", "entry", "message"),
    [
        ("number", (3, 0), r"must index the step's 3×4 result, got \[3, 0\]"),
        ("number", None, "a number question needs the entry it is about"),
        ("sign", (0,), r"must index the step's 3×4 result, got \[0\]"),
    ],
)
def test_bad_entries_are_refused_with_the_shape(
    kind: str, entry: tuple[int, ...] | None, message: str
) -> None:
    with pytest.raises(DefinitionError, match=message):
        pose(xor_trace(), kind, "forward", 1, "a", entry)  # type: ignore[arg-type]


def test_largest_refuses_a_big_matrix() -> None:
    net = init_network([2, 9, 1], ["tanh", "sigmoid"], "xavier", seed=0)
    x = np.zeros((2, 8))
    trace = trace_iteration(net, "quadratic", x, np.zeros((1, 8)), 0.5)
    with pytest.raises(DefinitionError, match="at most 64 entries; this step's has 72"):
        pose(trace, "largest", "forward", 1)


def test_a_diverged_entry_cannot_be_asked() -> None:
    net = init_network([2, 3, 1], ["relu", "linear"], "xavier", seed=0)
    huge = np.full((2, 4), 1e300)
    trace = trace_iteration(net, "quadratic", huge, np.zeros((1, 4)), 0.5)
    with pytest.raises(DefinitionError, match=r"\[0, 2\] is not finite in this iteration"):
        pose(trace, "number", "gradients", 2, "weights", (0, 2))
    with pytest.raises(DefinitionError, match="this step's result is not finite"):
        pose(trace, "largest", "gradients", 2)
