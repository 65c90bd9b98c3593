"""A 2-D picture of inputs with many features: their two principal components.

For inputs x (n₀, m) with mean μ, the centred data X = x − μ has the scatter matrix
C = X Xᵀ (n₀ × n₀); its eigenvectors with the two largest eigenvalues λ₁ ≥ λ₂ are the
directions of largest variance, U₂. (The same as X's left singular vectors, but an
n₀ × n₀ eigenproblem costs little whatever m is.) A sample's coordinates are
p = U₂ᵀ (x − μ), (2, m); `explained` is each direction's share of the total variance,
λᵢ / Σ λ. Each direction's sign is fixed so that its largest-magnitude entry is
positive, so the picture is the same on every machine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.activations import Array

__all__ = ["Projection", "principal_plane"]


@dataclass(frozen=True)
class Projection:
    mean: Array  # μ, (n₀,)
    axes: Array  # U₂ᵀ, (d, n₀) with d = min(2, n₀)
    explained: Array  # (d,), shares of the variance

    def apply(self, x: Array) -> Array:
        """Coordinates of the columns of x (n₀, m) in the plane: (d, m)."""
        return self.axes @ (x - self.mean[:, None])


def principal_plane(x: Array) -> Projection:
    """The plane of the two largest-variance directions of x (n₀, m)."""
    mean = x.mean(axis=1)  # (n₀,)
    X = x - mean[:, None]  # (n₀, m)
    lam, U = np.linalg.eigh(X @ X.T)  # ascending, (n₀,), (n₀, n₀)
    lam = np.maximum(lam[::-1], 0.0)  # largest first; rounding can leave −0.0…
    d = min(2, x.shape[0])
    axes = U[:, ::-1][:, :d].T.copy()  # (d, n₀)
    biggest = np.argmax(np.abs(axes), axis=1)  # (d,)
    axes *= np.where(axes[np.arange(d), biggest] < 0, -1.0, 1.0)[:, None]
    total = float(np.sum(lam))
    explained = lam[:d] / total if total > 0 else np.zeros(d)
    return Projection(mean, axes, explained)
