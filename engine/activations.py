"""Activation functions σ and their derivatives σ′, column-wise over a batch.

aˡ = σ(zˡ) element by element, except softmax, which maps each column
(sample) to a probability vector: a_j = exp(z_j) / Σ_k exp(z_k). Softmax has
no elementwise derivative: its Jacobian J = diag(a) − a aᵀ is applied as a
whole (see `softmax_vjp`), and it is allowed on the output layer only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

LEAKY_SLOPE = 0.01


@dataclass(frozen=True)
class Activation:
    name: str
    sigma: Callable[[Array], Array]
    # σ′(z) elementwise; None where the Jacobian is not diagonal (softmax).
    sigma_prime: Callable[[Array], Array] | None
    # Open interval the outputs lie in; cross_entropy needs (0, 1).
    output_range: tuple[float, float]
    output_only: bool = False


def sigmoid(z: Array) -> Array:
    # exp(−|z|) never overflows, so |z| = 1000 gives 0 or 1 without a warning.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(z: Array) -> Array:
    return _sigmoid_prime_from(z, sigmoid(z))


def tanh_prime(z: Array) -> Array:
    return _tanh_prime_from(z, np.tanh(z))


# σ′ from z and a = σ(z) together: where σ′ is a function of a, this saves
# evaluating σ again and gives the very same bits as σ′(z).
def _sigmoid_prime_from(z: Array, a: Array) -> Array:
    return a * (1.0 - a)


def _tanh_prime_from(z: Array, a: Array) -> Array:
    return 1.0 - a * a


def relu(z: Array) -> Array:
    return np.maximum(z, 0.0)


def relu_prime(z: Array) -> Array:
    return (z > 0).astype(np.float64)  # σ′(0) = 0, as DESIGN.md fixes


def leaky_relu(z: Array) -> Array:
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def leaky_relu_prime(z: Array) -> Array:
    return np.where(z > 0, 1.0, LEAKY_SLOPE)


def linear(z: Array) -> Array:
    return z.copy()


def linear_prime(z: Array) -> Array:
    return np.ones_like(z)


def softmax(z: Array) -> Array:
    # Subtracting each column's max keeps exp from overflowing.
    e: Array = np.exp(z - z.max(axis=0, keepdims=True))  # (n, m)
    a: Array = e / e.sum(axis=0, keepdims=True)  # (n, m)
    return a


def softmax_jacobian(a: Array) -> Array:
    """J per column of a (n, m): J[x, i, j] = ∂aᵢ/∂zⱼ = aᵢ(δᵢⱼ − aⱼ), (m, n, n)."""
    columns = a.T  # (m, n)
    jacobian: Array = columns[:, :, None] * -columns[:, None, :]  # −aᵢaⱼ, (m, n, n)
    diagonal = np.arange(a.shape[0])
    jacobian[:, diagonal, diagonal] += columns  # + aᵢ where i = j
    return jacobian


def softmax_vjp(a: Array, g: Array) -> Array:
    """Jᵀ g per column, with J = diag(a) − a aᵀ (symmetric): a ⊙ (g − Σ_k a_k g_k)."""
    v: Array = a * (g - (a * g).sum(axis=0, keepdims=True))  # (n, m)
    return v


INF = float("inf")

ACTIVATIONS: dict[str, Activation] = {
    act.name: act
    for act in (
        Activation("sigmoid", sigmoid, sigmoid_prime, (0.0, 1.0)),
        Activation("tanh", np.tanh, tanh_prime, (-1.0, 1.0)),
        Activation("relu", relu, relu_prime, (0.0, INF)),
        Activation("leaky_relu", leaky_relu, leaky_relu_prime, (-INF, INF)),
        Activation("linear", linear, linear_prime, (-INF, INF)),
        Activation("softmax", softmax, None, (0.0, 1.0), output_only=True),
    )
}


def sigma_prime_from(name: str) -> Callable[[Array, Array], Array] | None:
    """σ′ as a function of (z, a = σ(z)), bit for bit equal to σ′(z); None for softmax."""
    if name == "sigmoid":
        return _sigmoid_prime_from
    if name == "tanh":
        return _tanh_prime_from
    sigma_prime = ACTIVATIONS[name].sigma_prime
    if sigma_prime is None:
        return None
    return lambda z, a: sigma_prime(z)
