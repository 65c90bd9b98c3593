"""Named ready-made session configurations (GET /api/v1/presets, POST /sessions {"preset"})."""

from __future__ import annotations

from dataclasses import dataclass

from app.spec.requests import PresetName, SessionConfig

__all__ = ["PRESETS", "WORKED_EXAMPLE_REQUEST", "Preset"]


@dataclass(frozen=True)
class Preset:
    name: PresetName
    title: str
    description: str
    config: SessionConfig


# Matt Mazur's "A Step by Step Backpropagation Example": a 2-2-2 sigmoid network,
# one sample, quadratic cost, η = 0.5. Its first cost is 0.298371109.
_WORKED_NETWORK = {
    "layers": [2, 2, 2],
    "activations": ["sigmoid", "sigmoid"],
    "weights": [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
    "biases": [[0.35, 0.35], [0.60, 0.60]],
}
_WORKED_INPUTS = [[0.05, 0.10]]
_WORKED_TARGETS = [[0.01, 0.99]]

WORKED_EXAMPLE_REQUEST: dict[str, object] = {
    "network": _WORKED_NETWORK,
    "cost": "quadratic",
    "inputs": _WORKED_INPUTS,
    "targets": _WORKED_TARGETS,
    "learning_rate": 0.5,
}


def _preset(name: PresetName, title: str, description: str, config: dict[str, object]) -> Preset:
    return Preset(name, title, description, SessionConfig.model_validate(config))


def _init(seed: int) -> dict[str, object]:
    return {"method": "xavier", "seed": seed}


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        _preset(
            "worked_example",
            "The worked example (2-2-2)",
            "Mazur's step-by-step example: two inputs, two sigmoid hidden neurons, two sigmoid "
            "outputs, one sample, quadratic cost, η = 0.5. Every number can be checked by hand.",
            {
                "network": _WORKED_NETWORK,
                "cost": "quadratic",
                "learning_rate": 0.5,
                "data": {"inputs": _WORKED_INPUTS, "targets": _WORKED_TARGETS},
                "batch_size": 1,
                "seed": 0,
            },
        ),
        _preset(
            "xor",
            "XOR (2-2-1)",
            "The four rows of the XOR truth table: no single layer can separate them, two "
            "sigmoid hidden neurons can.",
            {
                "network": {"layers": [2, 2, 1], "activations": ["sigmoid", "sigmoid"],
                            "init": _init(1)},
                "cost": "cross_entropy",
                "learning_rate": 2.0,
                "data": {"dataset": "xor", "size": 4, "noise": 0.0, "seed": 0},
                "batch_size": 4,
                "seed": 0,
            },
        ),
        _preset(
            "circle",
            "Circle (2-4-4-1)",
            "A disc inside a ring, learned by two tanh hidden layers and a sigmoid output.",
            {
                "network": {"layers": [2, 4, 4, 1], "activations": ["tanh", "tanh", "sigmoid"],
                            "init": _init(2)},
                "cost": "cross_entropy",
                "learning_rate": 0.3,
                "data": {"dataset": "circle", "size": 200, "noise": 0.05, "seed": 0},
                "batch_size": 20,
                "seed": 0,
            },
        ),
        _preset(
            "spiral",
            "Spiral (2-8-8-1)",
            "Two interleaved spiral arms: needs depth and a few thousand iterations.",
            {
                "network": {"layers": [2, 8, 8, 1], "activations": ["tanh", "tanh", "sigmoid"],
                            "init": _init(0)},
                "cost": "cross_entropy",
                "learning_rate": 0.5,
                "data": {"dataset": "spiral", "size": 200, "noise": 0.02, "seed": 0},
                "batch_size": 20,
                "seed": 0,
            },
        ),
        _preset(
            "three_blobs",
            "Three blobs (2-5-3, softmax)",
            "Three classes with one-hot targets: a softmax output layer and its cross-entropy, "
            "where δᴸ = aᴸ − y.",
            {
                "network": {"layers": [2, 5, 3], "activations": ["tanh", "softmax"],
                            "init": _init(0)},
                "cost": "softmax_cross_entropy",
                "learning_rate": 0.3,
                "data": {"dataset": "three_blobs", "size": 150, "noise": 0.0, "seed": 0},
                "batch_size": 30,
                "seed": 0,
            },
        ),
        _preset(
            "sine",
            "Sine (1-8-1 regression)",
            "y = sin(πx) from noisy samples: tanh hidden neurons, a linear output, quadratic "
            "cost.",
            {
                "network": {"layers": [1, 8, 1], "activations": ["tanh", "linear"],
                            "init": _init(0)},
                "cost": "quadratic",
                "learning_rate": 0.1,
                "data": {"dataset": "sine", "size": 50, "noise": 0.05, "seed": 0},
                "batch_size": 10,
                "seed": 0,
            },
        ),
        _preset(
            "digits",
            "Handwritten digits (64-32-10, softmax)",
            "1,797 8×8 images of the digits 0–9, a fifth held out for testing: 64 inputs, 32 "
            "tanh neurons, a softmax over ten classes. About 97% of the test digits right "
            "after 2,000 iterations.",
            {
                "network": {"layers": [64, 32, 10], "activations": ["tanh", "softmax"],
                            "init": _init(0)},
                "cost": "softmax_cross_entropy",
                "learning_rate": 0.5,
                "data": {"dataset": "digits", "size": 1797, "noise": 0.0, "seed": 0},
                "batch_size": 32,
                "seed": 0,
                "test_split": 0.2,
            },
        ),
    )
}  # fmt: skip
