"""GET …/predictions: how the network at the start of the current iteration does on each
sample, in the words of the views that replace the decision boundary when it cannot be
drawn (more than 2 inputs): classes, a confusion matrix, per-class accuracy, the
misclassified samples, and the samples' places in the data's principal plane."""

from __future__ import annotations

import numpy as np

from app.sessions.session import Session
from app.wire.convert import JSON, finite_or_null
from engine import layer_outputs
from engine.activations import Array
from engine.classes import classify
from engine.projection import Projection, principal_plane

__all__ = ["predictions_json"]


def _values(v: Array) -> list[float | None]:
    return [finite_or_null(float(t)) for t in v]


def _part(session: Session, x: Array, y: Array, plane: Projection | None) -> JSON:
    a = layer_outputs(session.start.network, x)[-1]  # (n_L, m)
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


def predictions_json(session: Session) -> JSON:
    """Both parts of the session's data (train, test) as the current network sees them."""
    plane = principal_plane(session.x) if session.x.shape[0] >= 2 else None
    test = None
    if session.x_test is not None and session.y_test is not None and session.x_test.shape[1]:
        test = _part(session, session.x_test, session.y_test, plane)
    train = _part(session, session.x, session.y, plane)
    classes = None if train["confusion"] is None else int(train["confusion"].shape[0])
    return {
        "iteration": session.iteration,
        "task": "regression" if classes is None else "classification",
        "classes": classes,
        "plane": None
        if plane is None
        else {"mean": plane.mean, "axes": plane.axes, "explained": plane.explained},
        "train": train,
        "test": test,
    }
