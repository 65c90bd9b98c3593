"""The bars of a class's number answers: equal bins over the central answers, far ones apart.

One typo (1000 where the room answered near 0.0088) must not squash every other answer
into one bar, so the bins cover the central answers only. An answer x is far when it is
beyond both

    Tukey's fences   Q₁ − 1.5·IQR … Q₃ + 1.5·IQR   (where a box plot's whiskers end)
    the percentiles  P₅ … P₉₅                      (at most about one answer in twenty a side)

so that a group of answers (a known mistake several people made) keeps its own bars, and
one far answer among four or more is set apart; with three answers or fewer none is far.
Far answers are counted in a bar "below edges[0]" or "above edges[-1]", which exists when
some answer is there. The right answer widens the central range unless it is far itself.

The central range gets k equal bins [low, high), k from Sturges' rule (⌈log₂ n⌉ + 1 for n
central answers, at most MAX_BINS, and no more than the distinct central answers), with
edges on round numbers (1, 2, 2.5 or 5 × 10ᵖ apart), so that a label reads 0.0085 … 0.009
rather than 0.008771 … 0.008803. When every central answer is one number v, its bar is
[v, v]. Bins are chosen once from every round of a question and each round is counted in
them, so rounds side by side are comparable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from engine.activations import Array

__all__ = ["MAX_BINS", "AnswerBins", "Bar", "answer_bins"]

MAX_BINS = 10  # a bar each still has a readable label on a phone
FENCE = 1.5  # Tukey's: how many IQRs past the quartiles an answer is far
TAIL = 0.05  # at most this share of the answers on each side is ever far
_NICE = (1.0, 2.0, 2.5, 5.0, 10.0)  # bin widths, × a power of ten

Bar = tuple[float | None, float | None]  # (low, high): None for an overflow bar's open side


@dataclass(frozen=True)
class AnswerBins:
    """Bars for a question's number answers: [below], k equal bins, [above]."""

    edges: Array  # (k + 1,) the equal bins' edges; (0,) when nobody answered
    below: bool  # a bar counts the answers below edges[0]
    above: bool  # a bar counts the answers at or above edges[-1]
    right: int | None  # the bar holding the right answer, when one does

    @property
    def one_number(self) -> bool:
        """Every central answer is one number v: its bar is [v, v]."""
        return self.edges.size == 2 and self.edges[0] == self.edges[1]

    @property
    def bars(self) -> list[Bar]:
        inner: list[Bar] = [
            (float(lo), float(hi)) for lo, hi in zip(self.edges[:-1], self.edges[1:], strict=True)
        ]
        below: list[Bar] = [(None, float(self.edges[0]))] if self.below else []
        above: list[Bar] = [(float(self.edges[-1]), None)] if self.above else []
        return below + inner + above

    def counts(self, values: Array) -> NDArray[np.int64]:
        """How many of `values` (n,) fall in each bar, in the bars' order: (bars,)."""
        places = _places(self.edges, values)  # (n,): −1 below, k above, else the bin
        k = max(self.edges.size - 1, 0)
        if (not self.below and np.any(places < 0)) or (not self.above and np.any(places >= k)):
            raise ValueError("some values lie outside every bar: bin them with answer_bins")
        inner = np.bincount(places[(places >= 0) & (places < k)], minlength=k)  # (k,)
        below = [int(np.sum(places < 0))] if self.below else []
        above = [int(np.sum(places >= k))] if self.above else []
        return np.concatenate([below, inner, above]).astype(np.int64)

    def bar_of(self, value: float) -> int | None:
        """The bar `value` falls in, if one does."""
        place = int(_places(self.edges, np.array([value]))[0]) if self.edges.size else None
        k = self.edges.size - 1
        if place is None or (place < 0 and not self.below) or (place >= k and not self.above):
            return None
        return min(place, k) + self.below  # (below: −1 + 1 = 0)


def _places(edges: Array, values: Array) -> NDArray[np.intp]:
    """For each value (n,), the bin [edges[i], edges[i + 1]) holding it: i, or −1 below the
    first edge, k (the number of bins) at or above the last; a [v, v] bar holds v."""
    k = edges.size - 1
    if edges.size == 0:
        return np.full(values.shape, -1, dtype=np.intp)
    if edges[0] == edges[-1]:  # one number's bar
        return np.where(values < edges[0], -1, np.where(values > edges[0], k, 0))
    return np.searchsorted(edges, values, side="right") - 1  # (n,); ≥ edges[-1] → k


def answer_bins(values: Array, right: float, tolerance: float) -> AnswerBins:
    """The bars for every round's answers `values` (n,) of a question whose right answer is
    `right`, judged within `tolerance` (a bar [v, v] is the right one when v is right)."""
    if values.size == 0:
        return AnswerBins(np.zeros(0), below=False, above=False, right=None)
    low_fence, high_fence = _fences(values)
    central = values[(values >= low_fence) & (values <= high_fence)]  # (n_central,)
    low, high = float(central.min()), float(central.max())
    if low_fence <= right <= high_fence:
        low, high = min(low, right), max(high, right)
    edges = _edges(low, high, _bin_count(central))
    places = _places(edges, values)  # (n,)
    bins = AnswerBins(edges, bool(np.any(places < 0)), bool(np.any(places >= edges.size - 1)), None)
    return AnswerBins(edges, bins.below, bins.above, _right_bar(bins, right, tolerance))


def _fences(values: Array) -> tuple[float, float]:
    """The range outside which an answer is far: beyond Tukey's fences and the tails."""
    q1, q3, p_low, p_high = np.quantile(values, [0.25, 0.75, TAIL, 1 - TAIL])
    iqr = q3 - q1
    return min(q1 - FENCE * iqr, p_low), max(q3 + FENCE * iqr, p_high)


def _bin_count(central: Array) -> int:
    """Sturges' ⌈log₂ n⌉ + 1, at most MAX_BINS and the distinct answers (typed answers are
    few distinct numbers: more bins than those leave empty bins between them)."""
    n, distinct = central.size, np.unique(central).size
    return min(MAX_BINS, math.ceil(math.log2(n)) + 1 if n > 1 else 1, distinct)


def _edges(low: float, high: float, bins: int) -> Array:
    """Edges on round numbers, about `bins` bins: edges[0] ≤ low, high < edges[-1]."""
    if low == high:
        return np.array([low, high])  # one number
    if high - low <= 1e-12 * max(abs(low), abs(high)):  # numbers a float barely tells apart
        return np.array([low, np.nextafter(high, np.inf)])
    step = _nice_step((high - low) / bins)
    first = math.floor(low / step + 1e-9)  # (1e-9: 0.0085 / 0.0005 may come out 16.99999…)
    last = math.floor(high / step + 1e-9) + 1
    first -= 1 if _on_grid(first, step) > low else 0  # (the tolerance overshot: a bin more)
    last += 1 if _on_grid(last, step) <= high else 0
    return _on_grid(np.arange(first, last + 1, dtype=np.float64), step)  # (k + 1,)


def _on_grid(multiples: Array | int, step: float) -> Array:
    """multiples × step, rounded to the step's digits: 0.0084, not 0.008400000000000001."""
    digits = 1 - math.floor(math.log10(step))  # (one more than the step's: 2.5 × 10ᵖ)
    return np.round(np.asarray(multiples, dtype=np.float64) * step, digits)


def _nice_step(raw: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10ᵖ at least `raw`."""
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in _NICE if m * power >= raw * (1 - 1e-12))


def _right_bar(bins: AnswerBins, right: float, tolerance: float) -> int | None:
    if bins.one_number and abs(float(bins.edges[0]) - right) <= tolerance:
        return 1 if bins.below else 0  # its bar is the right one when v is right
    return bins.bar_of(right)
