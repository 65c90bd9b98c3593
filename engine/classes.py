"""How a network sorts a data set into classes.

For class targets (evaluate.is_classes: 0/1 with one output, one-hot with several),
k = 2 classes for one output unit (class 1 when aᴸ ≥ 0.5) and k = n_L otherwise
(argmaxⱼ aⱼ). Over the m samples:
- confusion[i][j] counts the samples of class i predicted as class j   # (k, k)
- per_class_accuracy[i] = confusion[i][i] / Σⱼ confusion[i][j] (NaN: no sample of i)
- misclassified: the sample indices whose predicted class is not their class
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from engine.activations import Array
from engine.evaluate import is_classes

__all__ = ["Classification", "class_of", "classify"]

Ints = NDArray[np.int64]


@dataclass(frozen=True)
class Classification:
    classes: int  # k
    predicted: Ints  # (m,)
    actual: Ints  # (m,)
    confusion: Ints  # (k, k): rows the actual class, columns the predicted one
    per_class_accuracy: Array  # (k,), NaN where the class has no sample
    misclassified: Ints  # (e,) sample indices, ascending


def class_of(a: Array) -> Ints:
    """The class each column of outputs (or one-hot targets) a (n_L, m) stands for."""
    if a.shape[0] == 1:
        on: Ints = (a[0] >= 0.5).astype(np.int64)  # (m,)
        return on
    largest: Ints = np.argmax(a, axis=0).astype(np.int64)  # (m,)
    return largest


def classify(a: Array, y: Array) -> Classification | None:
    """Outputs a (n_L, m) against class targets y (n_L, m); None if y is not classes."""
    if not is_classes(y):
        return None
    k = 2 if y.shape[0] == 1 else y.shape[0]
    predicted, actual = class_of(a), class_of(y)  # (m,), (m,)
    confusion = np.zeros((k, k), dtype=np.int64)
    np.add.at(confusion, (actual, predicted), 1)
    totals = confusion.sum(axis=1)  # (k,)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_class = np.diag(confusion) / totals  # (k,), 0/0 → NaN
    return Classification(
        classes=k,
        predicted=predicted,
        actual=actual,
        confusion=confusion,
        per_class_accuracy=per_class.astype(np.float64),
        misclassified=np.flatnonzero(predicted != actual).astype(np.int64),
    )
