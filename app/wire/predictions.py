"""GET …/predictions: how the network at the start of the current iteration does on each
sample, in the words of the views that replace the decision boundary when it cannot be
drawn (more than 2 inputs): classes, a confusion matrix, per-class accuracy, the
misclassified samples, and the samples' places in the data's principal plane."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.sessions.session import Session
from app.wire.convert import JSON, finite_or_null
from engine import Network, layer_outputs
from engine.activations import Array
from engine.classes import classify
from engine.projection import Projection, principal_plane

__all__ = ["Samples", "predictions_json"]


def _values(v: Array) -> list[float | None]:
    return [finite_or_null(float(t)) for t in v]


@dataclass(frozen=True)
class Samples:
    """What predictions need of a session, taken while it is locked (arrays are not
    changed in place, so the work can run after the lock is released)."""

    iteration: int
    network: Network
    x: Array  # (n₀, m) training inputs
    y: Array  # (n_L, m)
    x_test: Array | None
    y_test: Array | None

    @classmethod
    def of(cls, session: Session) -> Samples:
        held = session.x_test is not None and session.x_test.shape[1] > 0
        return cls(
            session.iteration,
            session.start.network,
            session.x,
            session.y,
            session.x_test if held else None,
            session.y_test if held else None,
        )


def _part(network: Network, x: Array, y: Array, plane: Projection | None) -> JSON:
    a = layer_outputs(network, x)[-1]  # (n_L, m)
    points = None if plane is None else np.ascontiguousarray(plane.apply(x).T)  # (m, 2)
    c = classify(a, y)
    if c is None:  # regression: the first output against the first target
        return {
            "predicted": _values(a[0]),
            "actual": _values(y[0]),
            "confusion": None,
            "per_class_accuracy": None,
            "misclassified": None,
            "projection": points,
        }
    return {
        "predicted": c.predicted,
        "actual": c.actual,
        "confusion": c.confusion,
        "per_class_accuracy": _values(c.per_class_accuracy),
        "misclassified": c.misclassified,
        "projection": points,
    }


def predictions_json(samples: Samples) -> JSON:
    """Both parts of the session's data (train, test) as the current network sees them."""
    plane = principal_plane(samples.x) if samples.x.shape[0] >= 2 else None
    test = None
    if samples.x_test is not None and samples.y_test is not None:
        test = _part(samples.network, samples.x_test, samples.y_test, plane)
    train = _part(samples.network, samples.x, samples.y, plane)
    classes = None if train["confusion"] is None else int(train["confusion"].shape[0])
    return {
        "iteration": samples.iteration,
        "task": "regression" if classes is None else "classification",
        "classes": classes,
        "plane": None
        if plane is None
        else {"mean": plane.mean, "axes": plane.axes, "explained": plane.explained},
        "train": train,
        "test": test,
    }
