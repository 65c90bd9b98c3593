"""Class questions as JSON and CSV: what followers see, and the room's answer.

Followers see a question without its answer (`public_question`); the instructor sees
each round's distribution: per option for every kind but number, and for numbers a
histogram and the answers grouped as right, each known mistake (named, with the number
it gives) and other. A question's histogram bins are chosen once from every round's
answers (engine.histogram), so that its rounds are drawn on the same bars.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np
from pydantic import Field

from app.classroom.questions import Asked, Status
from app.wire.responses import Out
from engine import MISTAKES
from engine.histogram import AnswerBins, answer_bins
from engine.questions import RIGHT, Posed, QuestionKind, classify_number, right_tolerance

__all__ = [
    "AnswerAccepted",
    "ClassQuestion",
    "PublicQuestion",
    "QuestionResult",
    "distribution_json",
    "follower_question",
    "prompt",
    "public_question",
    "question_result",
    "results_csv",
]

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_QUANTITY = {
    ("forward", "a"): "a{l}",
    ("forward", "z"): "z{l}",
    ("output_error", "delta"): "δ{l}",
    ("backward", "delta"): "δ{l}",
    ("gradients", "weights"): "∂C/∂W{l}",
    ("gradients", "biases"): "∂C/∂b{l}",
    ("update", "weights"): "W{l} after the update",
    ("update", "biases"): "b{l} after the update",
}


class QuestionOption(Out):
    key: str = Field(description="what a follower answers to choose it")
    label: str


class PublicQuestion(Out):
    question_id: str
    kind: QuestionKind
    phase: str
    layer: int
    part: str
    entry: list[int] | None = Field(description="the entry asked about: [row, column], or [row]")
    iteration: int
    prompt: str = Field(description="the question in words")
    options: list[QuestionOption] = Field(description="empty for number")
    round: int
    open: bool
    revealed: bool


class ClassQuestion(Out):
    question: PublicQuestion | None = Field(description="the class's latest question, if any")
    your_answer: float | str | None = Field(
        description="the answer the follower named by `?follower=` gave in the question's "
        "current round (a number, or an option's key); null if none"
    )
    answer: float | str | None = Field(
        description="once the question is revealed, the right answer; null before"
    )


class OptionCount(Out):
    key: str
    label: str
    count: int
    right: bool
    mistake: str | None = Field(description="choice: the known mistake this option is")
    value: float | None = Field(description="choice: the number this formula gives at the entry")


class Group(Out):
    name: str = Field(description='"right", a known mistake, or "other"')
    words: str | None = Field(description="the mistake in plain words")
    value: float | None = Field(description="the number it gives at the entry")
    count: int


class HistogramBar(Out):
    low: float | None = Field(description="its lower edge; null: the far answers below `high`")
    high: float | None = Field(description="its upper edge; null: the far answers above `low`")
    count: int
    right: bool = Field(description="the right answer lies in it (a bar [v, v]: v is right)")


class Histogram(Out):
    edges: list[float] = Field(
        description="the equal bins' edges over the central answers, one more than counts "
        "(the same for every round of the question; [] while nobody has answered)"
    )
    counts: list[int] = Field(description="answers in each equal bin")
    bars: list[HistogramBar] = Field(
        description="what to draw, in order: the far answers below edges[0] (when any round "
        "has some), each equal bin, the far answers above edges[-1] (likewise)"
    )


class Distribution(Out):
    options: list[OptionCount] | None = Field(description="every kind but number")
    histogram: Histogram | None = Field(description="number")
    groups: list[Group] | None = Field(description="number: right, each known mistake, other")


class RoundResult(Out):
    round: int
    answers: int
    distribution: Distribution


class QuestionResult(Out):
    question_id: str
    round: int = Field(description="the current (or last) round")
    answers: int = Field(description="how many followers answered the current round")
    open: bool
    revealed: bool
    distribution: Distribution = Field(description="the current round's")
    rounds: list[RoundResult] = Field(description="every round so far, the first first")
    question: PublicQuestion
    answer: float | str = Field(description="the right answer: a number, or an option's key")
    cost_before: float | None = Field(description="cost_direction: C of this iteration")
    cost_after: float | None = Field(description="cost_direction: C after its update")


class AnswerAccepted(Out):
    question_id: str
    round: int
    answer: float | str


def prompt(posed: Posed) -> str:
    """The question in words, with the math's names."""
    quantity = _QUANTITY[posed.phase, posed.part].format(
        l=str(posed.layer).translate(_SUPERSCRIPTS)
    )
    entry = "".join(f"[{i}]" for i in posed.entry or ())
    if posed.kind == "number":
        return f"What is {quantity}{entry}?"
    if posed.kind == "sign":
        return f"Is {quantity}{entry} negative, zero or positive?"
    if posed.kind == "largest":
        return f"Which entry of {quantity} is the largest?"
    if posed.kind == "cost_direction":
        return "After this iteration's update, does the cost C go down, stay or go up?"
    return f"Which formula gives {quantity}?"


def public_question(asked: Asked, status: Status) -> dict[str, Any]:
    posed = asked.posed
    return {
        "question_id": asked.question_id,
        "kind": posed.kind,
        "phase": posed.phase,
        "layer": posed.layer,
        "part": posed.part,
        "entry": None if posed.entry is None else list(posed.entry),
        "iteration": asked.iteration,
        "prompt": prompt(posed),
        "options": [{"key": o.key, "label": o.label} for o in posed.options],
        "round": status.round,
        "open": status.open,
        "revealed": status.revealed,
    }


def follower_question(
    asked: Asked | None, status: Status | None, yours: str | None
) -> dict[str, Any]:
    """The latest question as a follower sees it, with its own answer to the current round
    (`yours`, as kept) and, once revealed, the right one."""
    if asked is None or status is None:
        return {"question": None, "your_answer": None, "answer": None}
    posed = asked.posed
    if yours is not None and posed.kind == "number":
        mine: float | str | None = float(yours)
    else:
        mine = yours
    return {
        "question": public_question(asked, status),
        "your_answer": mine,
        "answer": posed.answer if status.revealed else None,
    }


def _words(name: str, phase: str) -> str | None:
    mistake = MISTAKES.get(f"{name}:{phase}")
    return None if mistake is None else mistake.words


def distribution_json(
    posed: Posed, answers: list[str], bins: AnswerBins | None = None
) -> dict[str, Any]:
    """One round's distribution; a number question's answers counted in `bins` (default:
    bins chosen from this round's answers alone)."""
    if posed.kind != "number":
        counts = {o.key: 0 for o in posed.options}
        for answer in answers:
            if answer in counts:
                counts[answer] += 1
        options = [
            {
                "key": o.key,
                "label": o.label,
                "count": counts[o.key],
                "right": o.key == posed.answer,
                "mistake": o.mistake,
                "value": o.value,
            }
            for o in posed.options
        ]
        return {"options": options, "histogram": None, "groups": None}
    values = _numbers(answers)
    bins = bins or _number_bins(posed, [values])
    return {
        "options": None,
        "histogram": _histogram(bins, values),
        "groups": _groups(posed, values),
    }


def _number_bins(posed: Posed, rounds: list[np.ndarray]) -> AnswerBins:
    """The histogram bins of a number question, from every round's answers."""
    pooled = np.concatenate(rounds)  # (every answer,)
    return answer_bins(pooled, float(posed.answer), right_tolerance(posed))


def _numbers(answers: list[str]) -> np.ndarray:
    return np.array(answers, dtype=np.float64)  # (as kept: repr of a finite float)


def _histogram(bins: AnswerBins, values: np.ndarray) -> dict[str, Any]:
    counts = bins.counts(values).tolist()
    bars = [
        {"low": low, "high": high, "count": n, "right": i == bins.right}
        for i, ((low, high), n) in enumerate(zip(bins.bars, counts, strict=True))
    ]
    inner = counts[1:] if bins.below else counts
    return {
        "edges": bins.edges.tolist(),
        "counts": inner[: max(bins.edges.size - 1, 0)],
        "bars": bars,
    }


def _groups(posed: Posed, values: np.ndarray) -> list[dict[str, Any]]:
    counts: dict[str, int] = {RIGHT: 0}
    valued: dict[str, float | None] = {RIGHT: float(posed.answer)}
    for name, number in posed.mistakes:
        counts.setdefault(name, 0)
        valued.setdefault(name, number)
    counts["other"], valued["other"] = 0, None
    for value in values.tolist():
        counts[classify_number(posed, value)] += 1
    return [
        {"name": name, "words": _words(name, posed.phase), "value": valued[name], "count": n}
        for name, n in counts.items()
    ]


def question_result(asked: Asked, status: Status, rounds: list[list[str]]) -> dict[str, Any]:
    """The instructor's view: the question, its right answer, and every round's answers."""
    posed = asked.posed
    bins = None
    if posed.kind == "number":
        bins = _number_bins(posed, [_numbers(a) for a in rounds])
    per_round = [
        {"round": r, "answers": len(a), "distribution": distribution_json(posed, a, bins)}
        for r, a in enumerate(rounds, start=1)
    ]
    current = per_round[status.round - 1]
    return {
        "question_id": asked.question_id,
        "round": status.round,
        "answers": current["answers"],
        "open": status.open,
        "revealed": status.revealed,
        "distribution": current["distribution"],
        "rounds": per_round,
        "question": public_question(asked, status),
        "answer": posed.answer,
        "cost_before": posed.cost_before,
        "cost_after": posed.cost_after,
    }


CSV_COLUMNS = (
    "question_id",
    "kind",
    "question",
    "right_answer",
    "round",
    "answer",
    "mistake",
    "count",
)


def results_csv(results: list[dict[str, Any]]) -> str:
    """One row per question, round and answer (an option, or a group of numbers)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for result in results:
        question = result["question"]
        head = [result["question_id"], question["kind"], question["prompt"], result["answer"]]
        for r in result["rounds"]:
            for answer, mistake, count in _rows(r["distribution"]):
                writer.writerow([*head, r["round"], answer, mistake, count])
    return out.getvalue()


def _rows(distribution: dict[str, Any]) -> list[tuple[str, str, int]]:
    if distribution["options"] is not None:
        return [(o["label"], o["mistake"] or "", o["count"]) for o in distribution["options"]]
    rows = []
    for g in distribution["groups"]:
        shown = g["name"] if g["value"] is None else f"{g['name']} ({g['value']:.6g})"
        mistake = "" if g["name"] in (RIGHT, "other") else g["name"]
        rows.append((shown, mistake, g["count"]))
    return rows
