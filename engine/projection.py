"""A 2-D picture of inputs with many features: their two principal components.

For inputs x (n₀, m) with mean μ, the centred data X = x − μ has the singular value
decomposition X = U S Vᵀ; the first two columns of U are the directions of largest
variance. A sample's coordinates are p = U₂ᵀ (x − μ), (2, m). `explained` is each
direction's share of the total variance, Sᵢ² / Σ S². Each direction's sign is fixed so
that its largest-magnitude entry is positive, so the picture is the same on every machine.
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
    U, S, _ = np.linalg.svd(x - mean[:, None], full_matrices=False)  # U (n₀, r)
    d = min(2, x.shape[0], U.shape[1])
    axes = U[:, :d].T.copy()  # (d, n₀)
    biggest = np.argmax(np.abs(axes), axis=1)  # (d,)
    axes *= np.sign(axes[np.arange(d), biggest])[:, None]
    total = float(np.sum(S**2))
    explained = S[:d] ** 2 / total if total > 0 else np.zeros(d)
    return Projection(mean, axes, explained)
