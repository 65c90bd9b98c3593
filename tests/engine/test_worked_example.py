"""Mazur's 2-2-2 example, computed by hand here with plain floats, against the engine.

Network: W¹ = [[.15, .20], [.25, .30]], b¹ = [.35, .35], W² = [[.40, .45], [.50, .55]],
b² = [.60, .60], sigmoid on both layers, quadratic cost, one sample x = (.05, .10),
y = (.01, .99), η = 0.5. The hand computation below follows DESIGN.md's formulas
one number at a time and never calls the engine.
"""

from __future__ import annotations

# ruff: noqa: N816  (W is the notation)
import math

import numpy as np
import pytest

from engine import Trace, trace_iteration
from tests.engine.helpers import column, mazur_network

TOL = 1e-9
ETA = 0.5


def s(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


# Forward: z¹ⱼ = Σₖ W¹ⱼₖ xₖ + b¹ⱼ, a¹ = σ(z¹); then layer 2 from a¹.
x1, x2 = 0.05, 0.10
y1, y2 = 0.01, 0.99
z1_1 = 0.15 * x1 + 0.20 * x2 + 0.35  # 0.3775
z1_2 = 0.25 * x1 + 0.30 * x2 + 0.35  # 0.3925
a1_1, a1_2 = s(z1_1), s(z1_2)  # 0.593269992…, 0.596884378…
z2_1 = 0.40 * a1_1 + 0.45 * a1_2 + 0.60
z2_2 = 0.50 * a1_1 + 0.55 * a1_2 + 0.60
a2_1, a2_2 = s(z2_1), s(z2_2)  # 0.751365069…, 0.772928465…
# C = ½ Σ (y − a)², m = 1
cost = 0.5 * ((y1 - a2_1) ** 2 + (y2 - a2_2) ** 2)  # 0.298371108…

# Output error: ∇ₐC = a − y, σ′(z) = a (1 − a), δ² = ∇ₐC ⊙ σ′(z²)
grad_a_1, grad_a_2 = a2_1 - y1, a2_2 - y2
sp2_1, sp2_2 = a2_1 * (1 - a2_1), a2_2 * (1 - a2_2)
d2_1, d2_2 = grad_a_1 * sp2_1, grad_a_2 * sp2_2

# Backward: δ¹ = ((W²)ᵀ δ²) ⊙ σ′(z¹); (W²)ᵀ δ² has entries Σⱼ W²ⱼₖ δ²ⱼ
we_1 = 0.40 * d2_1 + 0.50 * d2_2
we_2 = 0.45 * d2_1 + 0.55 * d2_2
sp1_1, sp1_2 = a1_1 * (1 - a1_1), a1_2 * (1 - a1_2)
d1_1, d1_2 = we_1 * sp1_1, we_2 * sp1_2

# Gradients (m = 1): ∂C/∂Wˡⱼₖ = δˡⱼ aˡ⁻¹ₖ, ∂C/∂bˡⱼ = δˡⱼ
grad_W2 = [[d2_1 * a1_1, d2_1 * a1_2], [d2_2 * a1_1, d2_2 * a1_2]]
grad_b2 = [d2_1, d2_2]
grad_W1 = [[d1_1 * x1, d1_1 * x2], [d1_2 * x1, d1_2 * x2]]
grad_b1 = [d1_1, d1_2]

# Update: W ← W − η ∂C/∂W, from the weights before the update
W2_new = [[0.40 - ETA * grad_W2[0][0], 0.45 - ETA * grad_W2[0][1]],
          [0.50 - ETA * grad_W2[1][0], 0.55 - ETA * grad_W2[1][1]]]  # fmt: skip
b2_new = [0.60 - ETA * grad_b2[0], 0.60 - ETA * grad_b2[1]]
W1_new = [[0.15 - ETA * grad_W1[0][0], 0.20 - ETA * grad_W1[0][1]],
          [0.25 - ETA * grad_W1[1][0], 0.30 - ETA * grad_W1[1][1]]]  # fmt: skip
b1_new = [0.35 - ETA * grad_b1[0], 0.35 - ETA * grad_b1[1]]


@pytest.fixture(scope="module")
def trace() -> Trace:
    return trace_iteration(mazur_network(), "quadratic", column(x1, x2), column(y1, y2), ETA)


def close(actual: object, expected: object) -> None:
    np.testing.assert_allclose(np.asarray(actual), np.asarray(expected), rtol=0, atol=TOL)


def test_hand_computation_matches_mazurs_published_figures() -> None:
    # An independent check of the hand computation itself (Mazur prints 8–9 digits).
    assert (a1_1, a1_2) == pytest.approx((0.593269992, 0.596884378), abs=1e-9)
    assert (a2_1, a2_2) == pytest.approx((0.75136507, 0.772928465), abs=1e-8)
    assert cost == pytest.approx(0.298371109, abs=1e-9)
    published_W2 = [0.35891648, 0.408666186, 0.511301270, 0.561370121]  # w5 … w8
    published_W1 = [0.149780716, 0.19956143, 0.24975114, 0.29950229]  # w1 … w4
    assert [*W2_new[0], *W2_new[1]] == pytest.approx(published_W2, abs=1e-8)
    assert [*W1_new[0], *W1_new[1]] == pytest.approx(published_W1, abs=1e-8)


def test_forward(trace: Trace) -> None:
    assert [f.layer for f in trace.forward] == [1, 2]
    close(trace.forward[0].z, [[z1_1], [z1_2]])
    close(trace.forward[0].a, [[a1_1], [a1_2]])
    close(trace.forward[1].z, [[z2_1], [z2_2]])
    close(trace.forward[1].a, [[a2_1], [a2_2]])
    assert trace.cost == pytest.approx(cost, abs=TOL)


def test_output_error_delta_2(trace: Trace) -> None:
    out = trace.output_error
    assert (out.layer, out.form) == (2, "hadamard")
    close(out.grad_a, [[grad_a_1], [grad_a_2]])
    close(out.sigma_prime, [[sp2_1], [sp2_2]])
    close(out.delta, [[d2_1], [d2_2]])


def test_backward_delta_1(trace: Trace) -> None:
    (step,) = trace.backward
    assert step.layer == 1
    close(step.weighted_error, [[we_1], [we_2]])
    close(step.sigma_prime, [[sp1_1], [sp1_2]])
    close(step.delta, [[d1_1], [d1_2]])


def test_gradients(trace: Trace) -> None:
    assert [g.layer for g in trace.gradients] == [2, 1]
    close(trace.gradients[0].weights, grad_W2)
    close(trace.gradients[0].biases, grad_b2)
    close(trace.gradients[1].weights, grad_W1)
    close(trace.gradients[1].biases, grad_b1)


def test_update(trace: Trace) -> None:
    assert [u.layer for u in trace.update] == [2, 1]
    close(trace.update[0].weights, W2_new)
    close(trace.update[0].biases, b2_new)
    close(trace.update[1].weights, W1_new)
    close(trace.update[1].biases, b1_new)
    close(trace.update[0].eta_grad_weights, np.multiply(ETA, grad_W2))
    close(trace.update[1].eta_grad_biases, np.multiply(ETA, grad_b1))
    updated = trace.updated_network
    close(updated.weights[0], W1_new)
    close(updated.biases[1], b2_new)
    assert trace.divergence is None


def test_trace_keeps_the_starting_network(trace: Trace) -> None:
    close(trace.network.weights[0], [[0.15, 0.20], [0.25, 0.30]])
    close(trace.network.weights[1], [[0.40, 0.45], [0.50, 0.55]])
