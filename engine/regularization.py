"""L2 regularization (weight decay) of the weights, not the biases.

    C  = C₀ + (λ/2) Σₗ ‖Wˡ‖²         (‖·‖: the sum of the squares of the entries)
    ∂C/∂Wˡ = ∂C₀/∂Wˡ + λ Wˡ          ∂C/∂bˡ = ∂C₀/∂bˡ

C₀ is the cost of the data (engine.costs). The optimizer then sees the
regularized gradient, as torch.optim's `weight_decay` gives it (there applied
to every parameter; here to the weights only, as the penalty says). With λ = 0
nothing is added, so the numbers are those of the plain cost bit for bit.
Both paths (engine.trace, engine.train) add λWˡ to ∂C₀/∂Wˡ in the same operation.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from engine.activations import Array
from engine.errors import DefinitionError

__all__ = ["check_weight_decay", "l2_cost"]


def check_weight_decay(weight_decay: float) -> None:
    if not (isinstance(weight_decay, int | float) and 0.0 <= weight_decay < float("inf")):
        raise DefinitionError("weight_decay", f"must be a finite number ≥ 0, got {weight_decay!r}")


def l2_cost(weights: Sequence[Array], weight_decay: float) -> float:
    """(λ/2) Σₗ ‖Wˡ‖², added to the data's cost."""
    total = 0.0
    for W in weights:
        total += float(np.sum(W * W))  # ‖Wˡ‖²
    return 0.5 * weight_decay * total
