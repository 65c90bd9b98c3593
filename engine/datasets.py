"""Synthetic data sets, drawn with numpy from (size, noise, seed).

Each returns inputs x (n₀, m) and targets y (n_L, m) as columns, and declares
the output activation and cost that suit it. Noise is the standard deviation
of Gaussian jitter added to the inputs (to the targets, for sine).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from engine.activations import Array
from engine.digits import DIGITS_SAMPLES, digits
from engine.errors import DefinitionError

Task = Literal["classification", "regression"]
Generator = Callable[[int, float, np.random.Generator], tuple[Array, Array]]


@dataclass(frozen=True, eq=False)
class Dataset:
    name: str
    x: Array  # (n₀, m)
    y: Array  # (n_L, m)


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    description: str
    input_size: int
    output_size: int
    output_activation: str
    cost: str
    task: Task
    default_size: int
    default_noise: float
    generate: Generator
    max_size: int | None = None  # None: any size (a real data set has as many as it has)

    def make(self, size: int | None = None, noise: float | None = None, seed: int = 0) -> Dataset:
        size = self.default_size if size is None else size
        noise = self.default_noise if noise is None else noise
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise DefinitionError("dataset.size", f"must be a positive whole number, got {size!r}")
        if self.max_size is not None and size > self.max_size:
            raise DefinitionError(
                "dataset.size",
                f"{self.name} has {self.max_size} samples, so at most that, got {size}",
            )
        if not np.isfinite(noise) or noise < 0:
            raise DefinitionError("dataset.noise", f"must be a finite number ≥ 0, got {noise!r}")
        x, y = self.generate(size, float(noise), np.random.default_rng(seed))
        return Dataset(self.name, x, y)


def _labels(label: Array) -> Array:
    return label.astype(np.float64)[None, :]  # (1, m)


def _xor(size: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    # The four corners of the truth table, repeated; size 4 and noise 0 give it exactly.
    corners = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
    x = corners[:, np.arange(size) % 4] + rng.normal(0.0, noise, (2, size))
    y = _labels(np.arange(size) % 4 % 3 != 0)  # corners 1 and 2 are the ones
    return x, y


def _circle(size: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    # Half the points inside radius 0.5, half on a ring between 0.7 and 1.
    inside = np.arange(size) % 2 == 0
    r = np.where(inside, rng.uniform(0.0, 0.5, size), rng.uniform(0.7, 1.0, size))
    angle = rng.uniform(0.0, 2 * np.pi, size)
    x = np.stack([r * np.cos(angle), r * np.sin(angle)]) + rng.normal(0.0, noise, (2, size))
    return x, _labels(inside)


def _moons(size: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    upper = np.arange(size) % 2 == 0
    t = rng.uniform(0.0, np.pi, size)
    x = np.where(upper, [np.cos(t), np.sin(t)], [1.0 - np.cos(t), 0.5 - np.sin(t)])
    x = (x - np.array([[0.5], [0.25]])) + rng.normal(0.0, noise, (2, size))
    return x, _labels(upper)


def _spiral(size: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    arm = np.arange(size) % 2
    t = rng.uniform(0.0, 1.0, size)
    angle = 1.75 * 2 * np.pi * t + np.pi * arm
    x = np.stack([t * np.cos(angle), t * np.sin(angle)]) + rng.normal(0.0, noise, (2, size))
    return x, _labels(arm == 1)


def _gaussian(size: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    second = np.arange(size) % 2 == 1
    centre = np.where(second, 1.0, -1.0)
    x = centre[None, :] + rng.normal(0.0, 0.5 + noise, (2, size))
    return x, _labels(second)


def _three_blobs(size: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    label = np.arange(size) % 3
    angles = 2 * np.pi * np.arange(3) / 3 + np.pi / 2
    centres = np.stack([np.cos(angles), np.sin(angles)])  # (2, 3)
    x = centres[:, label] + rng.normal(0.0, 0.3 + noise, (2, size))
    return x, np.eye(3)[:, label]  # one-hot columns, (3, m)


def _sine(size: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    t = np.sort(rng.uniform(-1.0, 1.0, size))
    y = np.sin(np.pi * t) + rng.normal(0.0, noise, size)
    return t[None, :], y[None, :]


def _digits(size: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    # The whole set in the file's order; fewer: a subset drawn with the seed, kept in order.
    x, y = digits()
    if size < DIGITS_SAMPLES:
        chosen = np.sort(rng.permutation(DIGITS_SAMPLES)[:size])  # (size,)
        x, y = x[:, chosen], y[:, chosen]
    if noise > 0:
        x = x + rng.normal(0.0, noise, x.shape)
    return x, y


DATASETS: dict[str, DatasetSpec] = {
    spec.name: spec
    for spec in (
        DatasetSpec("xor", "The XOR truth table: the classic problem a single layer cannot solve.",
                    2, 1, "sigmoid", "cross_entropy", "classification", 4, 0.0, _xor),
        DatasetSpec("circle", "A disc inside a ring: class 1 inside radius 0.5.",
                    2, 1, "sigmoid", "cross_entropy", "classification", 200, 0.05, _circle),
        DatasetSpec("moons", "Two interleaving half-moons.",
                    2, 1, "sigmoid", "cross_entropy", "classification", 200, 0.1, _moons),
        DatasetSpec("spiral", "Two spiral arms wound around each other: needs depth.",
                    2, 1, "sigmoid", "cross_entropy", "classification", 200, 0.02, _spiral),
        DatasetSpec("gaussian", "Two Gaussian blobs, linearly separable.",
                    2, 1, "sigmoid", "cross_entropy", "classification", 100, 0.0, _gaussian),
        DatasetSpec("three_blobs", "Three Gaussian blobs, one-hot targets for a softmax output.",
                    2, 3, "softmax", "softmax_cross_entropy", "classification", 150, 0.0,
                    _three_blobs),
        DatasetSpec("sine", "y = sin(πx) on [−1, 1]: 1-D regression.",
                    1, 1, "linear", "quadratic", "regression", 50, 0.05, _sine),
        DatasetSpec("digits",
                    "8×8 handwritten digits (UCI optdigits via scikit-learn, CC BY 4.0): "
                    "64 pixels in [0, 1], ten classes.",
                    64, 10, "softmax", "softmax_cross_entropy", "classification",
                    DIGITS_SAMPLES, 0.0, _digits, DIGITS_SAMPLES),
    )
}  # fmt: skip


def make_dataset(
    name: str, size: int | None = None, noise: float | None = None, seed: int = 0
) -> Dataset:
    """Draw the named data set; unknown names raise DefinitionError."""
    if name not in DATASETS:
        raise DefinitionError(
            "dataset.name", f"unknown data set {name!r}; choose one of {', '.join(DATASETS)}"
        )
    return DATASETS[name].make(size, noise, seed)
