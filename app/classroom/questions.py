"""Class questions: the instructor asks, each follower answers once per round.

A question (engine.questions.Posed, with its id and the iteration it is about) belongs
to a live class. It has rounds 1, 2 … (at most MAX_ROUNDS: "discuss and vote again"
opens the next); in an open round each follower (a random id its page keeps) has one
answer, which it may replace until the round closes. Answers are anonymous: the id
only makes a follower count once, and gives a follower's page (reloaded, or reconnected)
its own answer back. Questions end with their class (`forget`), or after
the session TTL without use.

Limits, so that memory stays bounded and one follower cannot flood a round:
MAX_QUESTIONS per class, MAX_ANSWERS per round, MAX_CHANGES answers per follower per round.

QuestionStore has two implementations: InMemoryQuestionStore (here, one process) and
RedisQuestionStore (app.classroom.questions_redis, any number of processes).
"""

from __future__ import annotations

import secrets
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import orjson

from app.errors import ConflictError, NotFoundError, TooManyRequestsError
from engine.questions import Option, Posed

__all__ = [
    "MAX_ANSWERS",
    "MAX_CHANGES",
    "MAX_QUESTIONS",
    "MAX_ROUNDS",
    "Asked",
    "InMemoryQuestionStore",
    "QuestionStore",
    "Status",
    "new_question_id",
]

MAX_ROUNDS = 3
MAX_QUESTIONS = 200  # per class
MAX_ANSWERS = 5000  # followers answering one round
MAX_CHANGES = 20  # one follower's answers (the first and its changes) in one round


def new_question_id() -> str:
    return secrets.token_hex(6)


@dataclass(frozen=True)
class Asked:
    """A question as kept: the posed question, its id and the iteration it is about."""

    question_id: str
    iteration: int
    posed: Posed

    def to_bytes(self) -> bytes:
        return orjson.dumps(asdict(self))

    @classmethod
    def from_bytes(cls, data: bytes) -> Asked:
        raw: dict[str, Any] = orjson.loads(data)
        p = raw["posed"]
        posed = Posed(
            kind=p["kind"],
            phase=p["phase"],
            layer=p["layer"],
            part=p["part"],
            entry=None if p["entry"] is None else tuple(p["entry"]),
            answer=p["answer"],
            options=tuple(Option(**o) for o in p["options"]),
            mistakes=tuple((name, value) for name, value in p["mistakes"]),
            floor=p["floor"],
            cost_before=p["cost_before"],
            cost_after=p["cost_after"],
        )
        return cls(raw["question_id"], raw["iteration"], posed)


@dataclass(frozen=True)
class Status:
    round: int  # 1, 2 …: the current (or last) round
    open: bool  # answers are taken
    revealed: bool


def no_question(code: str, question_id: str) -> NotFoundError:
    return NotFoundError(
        f"no question {question_id!r} in live class {code!r}: it was never asked, or the "
        "class has ended"
    )


def round_closed(status: Status) -> ConflictError:
    return ConflictError(
        f"round {status.round} of this question is closed: answers are taken only while a "
        "round is open"
    )


TOO_MANY_CHANGES = (
    f"this follower has answered {MAX_CHANGES} times in this round: the last answer counts"
)
ROUND_FULL = f"this round has its {MAX_ANSWERS} answers: no more followers can answer it"
NO_MORE_ROUNDS = f"a question has at most {MAX_ROUNDS} rounds: ask it again as a new question"
TOO_MANY_QUESTIONS = (
    f"this class has asked {MAX_QUESTIONS} questions: end it and start another for more"
)


class QuestionStore(ABC):
    """The questions of every live class, their rounds and their answers."""

    @abstractmethod
    def ask(self, code: str, asked: Asked) -> Status:
        """Keep a new question of class `code`, its round 1 open."""

    @abstractmethod
    def get(self, code: str, question_id: str) -> tuple[Asked, Status]:
        """The question and its status; NotFoundError if there is none."""

    @abstractmethod
    def status(self, code: str, question_id: str) -> Status: ...

    @abstractmethod
    def question_ids(self, code: str) -> list[str]:
        """The class's questions, oldest first (the last is the current one)."""

    @abstractmethod
    def answer(self, code: str, question_id: str, follower: str, answer: str) -> int:
        """Keep (or replace) a follower's answer in the open round; the round's number."""

    @abstractmethod
    def answers(self, code: str, question_id: str, round: int) -> list[str]:
        """Every follower's answer of one round (in no order)."""

    @abstractmethod
    def count(self, code: str, question_id: str, round: int) -> int:
        """How many followers answered one round."""

    @abstractmethod
    def answer_of(self, code: str, question_id: str, round: int, follower: str) -> str | None:
        """One follower's answer in one round (what its page shows after a reload), if any."""

    @abstractmethod
    def close(self, code: str, question_id: str) -> Status: ...

    @abstractmethod
    def revote(self, code: str, question_id: str) -> Status:
        """Close the round (if open) and open the next."""

    @abstractmethod
    def reveal(self, code: str, question_id: str) -> Status:
        """Close the round (if open) and mark the question revealed."""

    @abstractmethod
    def forget(self, code: str) -> None:
        """The class has ended: drop its questions and answers."""


@dataclass(eq=False)
class _Question:
    asked: Asked
    status: Status
    answers: list[dict[str, str]] = field(default_factory=lambda: [{}])  # per round
    changes: list[dict[str, int]] = field(default_factory=lambda: [{}])


@dataclass(eq=False)
class _ClassQuestions:
    last_used: float
    questions: dict[str, _Question] = field(default_factory=dict)


class InMemoryQuestionStore(QuestionStore):
    def __init__(
        self, ttl_seconds: float, max_classes: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl_seconds
        self.max_classes = max_classes
        self.clock = clock
        self._classes: dict[str, _ClassQuestions] = {}  # least recently used first
        self._lock = threading.Lock()

    def _expire(self) -> None:
        now = self.clock()
        for code, held in list(self._classes.items()):
            if now - held.last_used > self.ttl:
                del self._classes[code]
        while len(self._classes) > self.max_classes:
            del self._classes[next(iter(self._classes))]

    def _question(self, code: str, question_id: str) -> _Question:
        self._expire()
        held = self._classes.get(code)
        question = None if held is None else held.questions.get(question_id)
        if held is None or question is None:
            raise no_question(code, question_id)
        held.last_used = self.clock()
        self._classes[code] = self._classes.pop(code)  # most recently used last
        return question

    def ask(self, code: str, asked: Asked) -> Status:
        with self._lock:
            self._expire()
            held = self._classes.pop(code, None) or _ClassQuestions(self.clock())
            self._classes[code] = held
            if len(held.questions) >= MAX_QUESTIONS:
                raise ConflictError(TOO_MANY_QUESTIONS)
            status = Status(1, True, False)
            held.questions[asked.question_id] = _Question(asked, status)
            held.last_used = self.clock()
            self._expire()
            return status

    def get(self, code: str, question_id: str) -> tuple[Asked, Status]:
        with self._lock:
            question = self._question(code, question_id)
            return question.asked, question.status

    def status(self, code: str, question_id: str) -> Status:
        return self.get(code, question_id)[1]

    def question_ids(self, code: str) -> list[str]:
        with self._lock:
            self._expire()
            held = self._classes.get(code)
            return [] if held is None else list(held.questions)

    def answer(self, code: str, question_id: str, follower: str, answer: str) -> int:
        with self._lock:
            question = self._question(code, question_id)
            status = question.status
            if not status.open:
                raise round_closed(status)
            answers = question.answers[status.round - 1]
            changes = question.changes[status.round - 1]
            changes[follower] = changes.get(follower, 0) + 1
            if changes[follower] > MAX_CHANGES:
                raise TooManyRequestsError(TOO_MANY_CHANGES)
            if follower not in answers and len(answers) >= MAX_ANSWERS:
                raise ConflictError(ROUND_FULL)
            answers[follower] = answer
            return status.round

    def answers(self, code: str, question_id: str, round: int) -> list[str]:
        with self._lock:
            question = self._question(code, question_id)
            if not 1 <= round <= len(question.answers):
                return []
            return list(question.answers[round - 1].values())

    def count(self, code: str, question_id: str, round: int) -> int:
        return len(self.answers(code, question_id, round))

    def answer_of(self, code: str, question_id: str, round: int, follower: str) -> str | None:
        with self._lock:
            question = self._question(code, question_id)
            if not 1 <= round <= len(question.answers):
                return None
            return question.answers[round - 1].get(follower)

    def close(self, code: str, question_id: str) -> Status:
        with self._lock:
            question = self._question(code, question_id)
            old = question.status
            question.status = Status(old.round, False, old.revealed)
            return question.status

    def revote(self, code: str, question_id: str) -> Status:
        with self._lock:
            question = self._question(code, question_id)
            old = question.status
            if old.round >= MAX_ROUNDS:
                raise ConflictError(NO_MORE_ROUNDS)
            question.answers.append({})
            question.changes.append({})
            question.status = Status(old.round + 1, True, old.revealed)
            return question.status

    def reveal(self, code: str, question_id: str) -> Status:
        with self._lock:
            question = self._question(code, question_id)
            question.status = Status(question.status.round, False, True)
            return question.status

    def forget(self, code: str) -> None:
        with self._lock:
            self._classes.pop(code, None)
