"""Request bodies of class questions: what the instructor asks, what a follower answers."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag

from app.spec.requests import INTEGRAL, MAX_WIDTH, LayerIndex, PhaseName, Request
from engine.questions import QuestionKind

__all__ = [
    "ANSWER_BOUND",
    "FOLLOWER_PATTERN",
    "PATTERN_WORDS",
    "QUESTION_ID_PATTERN",
    "AnswerGiven",
    "QuestionAsk",
    "QuestionId",
]

ANSWER_BOUND = 1e9  # a number answer's magnitude at most (no step here gives more)
FOLLOWER_PATTERN = r"^[A-Za-z0-9_-]{8,64}$"  # the random id a follower's page keeps

MistakeName = Literal[
    "missing_bias",
    "wrong_activation",
    "used_z_not_a",
    "missing_sigma_prime",
    "sign_flipped",
    "sigma_prime_of_a",
    "untransposed_weights",
    "wrong_layer_weights",
    "sum_not_mean",
    "wrong_activation_layer",
    "added_gradient",
    "missing_learning_rate",
    "updated_weights_used",
]
EntryIndex = Annotated[int, Field(ge=0, lt=MAX_WIDTH), INTEGRAL]
QUESTION_ID_PATTERN = r"^[0-9a-f]{12}$"
QuestionId = Annotated[str, Field(pattern=QUESTION_ID_PATTERN)]
# What a pattern asks for, in words: a 422 says this rather than the regular expression.
PATTERN_WORDS = {
    FOLLOWER_PATTERN: "must be 8–64 letters, digits, - or _ (the random id a follower's page "
    "keeps)",
    QUESTION_ID_PATTERN: "must be a question's id, 12 of 0–9 and a–f, as the question gives it",
}


NumberAnswer = Annotated[float, Field(ge=-ANSWER_BOUND, le=ANSWER_BOUND, allow_inf_nan=False)]
OptionKey = Annotated[str, Field(min_length=1, max_length=16)]


def _answer_kind(value: Any) -> str:
    return "option_answer" if isinstance(value, str) else "number_answer"


# Tagged so that a bad number is told as one (not as "not a string either").
GivenAnswer = Annotated[
    Annotated[NumberAnswer, Tag("number_answer")] | Annotated[OptionKey, Tag("option_answer")],
    Discriminator(_answer_kind),
]


class QuestionAsk(Request):
    """A question about a step of the session's current iteration (default: the cursor's)."""

    kind: QuestionKind
    phase: PhaseName | None = None
    layer: LayerIndex | None = None
    part: Literal["a", "z", "delta", "weights", "biases"] | None = Field(
        None,
        description="as in /check: forward a (default) or z; gradients, update weights or biases",
    )
    entry: list[EntryIndex] | None = Field(
        None,
        min_length=1,
        max_length=2,
        description="[row, column] of the step's result (a bias: [row]); number and sign need it",
    )
    choices: list[MistakeName] | None = Field(
        None,
        min_length=1,
        max_length=8,
        description="choice: the known mistakes to offer as wrong options (default: every one "
        "that gives other numbers at this step)",
    )


class AnswerGiven(Request):
    """A follower's answer to the open round of a question (a later one replaces it)."""

    question_id: QuestionId
    follower: str = Field(
        pattern=FOLLOWER_PATTERN,
        description="a random id the follower's page keeps (8–64 letters, digits, - or _)",
    )
    answer: GivenAnswer = Field(description="number: a number; any other kind: an option's key")
