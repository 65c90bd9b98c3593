"""Backprop's gradients agree with central differences for every combination the engine accepts.

The combinations come from the engine's own registries (ACTIVATIONS, COSTS,
with check_cost deciding), so a newly registered activation or cost is
checked automatically. Hypothesis draws the layer sizes, the depth, the batch
size and the numbers.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from engine import gradcheck, trace_iteration
from tests.engine.helpers import (
    BOUNDED,
    HIDDEN_ACTIVATIONS,
    KINKED,
    accepted_combinations,
    random_network,
    random_targets,
)

TOLERANCE = 1e-7
# h = 1e-5 balances truncation (~h²·C‴) against rounding (~ε·C/h) best for
# these sizes; at the default 1e-6 the rounding noise of C alone can reach 1e-7.
STEP = 1e-5
# Central differences of C carry rounding noise of about ε·|C|/h, so a layer
# whose gradient is below this fraction of C cannot be *measured* to 1e-7 by
# differences: such draws test the reference, not the engine, and are skipped.
MIN_GRADIENT_SCALE = 1e-3
# Keep every kinked zˡ further than this from 0, so that no ±h perturbation of
# a parameter (which moves z by at most h·max|aˡ⁻¹| ≤ h·max(1, |x|)) crosses a kink.
KINK_MARGIN = 1e-3

COMBINATIONS = [
    (hidden, output, cost)
    for hidden in HIDDEN_ACTIVATIONS
    for output, cost in accepted_combinations()
]


def test_every_activation_and_cost_is_covered() -> None:
    from engine import ACTIVATIONS, COSTS

    assert {o for _, o, _ in COMBINATIONS} == set(ACTIVATIONS)
    assert {c for _, _, c in COMBINATIONS} == set(COSTS)
    hidden = {name for name, act in ACTIVATIONS.items() if not act.output_only}
    assert {h for h, _, _ in COMBINATIONS} == hidden


@pytest.mark.parametrize(("hidden", "output", "cost"), COMBINATIONS)
@settings(BOUNDED, max_examples=12)
@given(
    sizes=st.lists(st.integers(1, 4), min_size=2, max_size=4),
    n_out=st.integers(1, 4),
    m=st.integers(1, 5),
    seed=st.integers(0, 2**32 - 1),
)
def test_gradients_match_central_differences(
    hidden: str, output: str, cost: str, sizes: list[int], n_out: int, m: int, seed: int
) -> None:
    # Depth L = 2 … 4; a one-unit softmax is constant (a = 1), so it gets two.
    layers = [*sizes, max(n_out, 2) if output == "softmax" else n_out]
    activations = [hidden] * (len(layers) - 2) + [output]
    rng = np.random.default_rng(seed)
    network = random_network(layers, activations, rng)
    x = rng.uniform(-1.0, 1.0, (layers[0], m))
    y = random_targets(cost, layers[-1], m, rng)

    trace = trace_iteration(network, cost, x, y, 0.0)
    for step in trace.forward:
        if activations[step.layer - 1] in KINKED:
            assume(float(np.min(np.abs(step.z))) > KINK_MARGIN)
        # Keep σ away from saturation, where ln and 1/(a(1 − a)) are ill-conditioned.
        assume(float(np.max(np.abs(step.z))) < 6.0)
    for g in trace.gradients:
        scale = max(float(np.max(np.abs(g.weights))), float(np.max(np.abs(g.biases))))
        assume(scale > MIN_GRADIENT_SCALE * trace.cost)

    for check in gradcheck(network, cost, x, y, h=STEP):
        assert check.relative_error < TOLERANCE, (
            f"activation {hidden}/{output}, cost {cost}, layer {check.layer}: "
            f"relative error {check.relative_error:.3g}\n"
            f"analytic W {check.analytic_weights}\nnumerical W {check.numerical_weights}\n"
            f"analytic b {check.analytic_biases}\nnumerical b {check.numerical_biases}"
        )


@pytest.mark.parametrize("weight_decay", [0.0, 0.1, 2.0])
def test_the_gradient_check_covers_the_l2_term(weight_decay: float) -> None:
    rng = np.random.default_rng(9)
    net = random_network([3, 4, 2], ["tanh", "sigmoid"], rng)
    x, y = rng.normal(size=(3, 5)), rng.uniform(0.1, 0.9, size=(2, 5))
    checks = gradcheck(net, "cross_entropy", x, y, STEP, weight_decay)
    assert max(c.relative_error for c in checks) < TOLERANCE
    plain = trace_iteration(net, "cross_entropy", x, y, 0.0)
    for check, g in zip(checks, plain.gradients, strict=True):
        W = net.weights[g.layer - 1]
        np.testing.assert_array_equal(check.analytic_weights, g.weights + weight_decay * W)
        if weight_decay:  # the penalty's gradient is large against the data's: it is measured
            assert np.abs(check.numerical_weights - g.weights).max() > 0.05 * weight_decay
