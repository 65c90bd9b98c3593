"""Class questions: the instructor asks, closes, reopens and reveals (by session id); the
followers read the latest question and answer (by join code).

Every change reaches the followers on every process as a class event: `question` (asked,
or a new round), `close` and `reveal` (app.classroom.events).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from app.classroom.codes import join_code
from app.classroom.events import EventKind
from app.classroom.questions import Asked, QuestionStore, Status, new_question_id
from app.classroom.store import ClassStore
from app.errors import InvalidRequestError, NotFoundError
from app.http.deps import ClassStoreDep, QuestionStoreDep, StoreDep
from app.http.openapi import BODY, FOLLOWER, SESSION, link, responses
from app.http.reads import Code, SessionId
from app.http.respond import json_response
from app.sessions.session import Session
from app.sessions.store import SessionStore
from app.spec.questions import FOLLOWER_PATTERN, AnswerGiven, QuestionAsk, QuestionId
from app.wire.convert import dumps
from app.wire.questions import (
    AnswerAccepted,
    ClassQuestion,
    QuestionResult,
    follower_question,
    public_question,
    question_result,
    results_csv,
)
from engine.questions import pose

__all__ = ["router"]

router = APIRouter(tags=["questions"])
Follower = Annotated[
    str | None,
    Query(
        pattern=FOLLOWER_PATTERN,
        description="the follower id this page answers with: the answer then carries its own "
        "answer to the current round",
    ),
]
_BASE = "/api/v1/sessions/{session_id}/class/questions"

# What an asked question opens (OpenAPI links): its routes by the session id and its id.
_IDS = {"session_id": "$request.path.session_id", "question_id": "$response.body#/question_id"}
_LINKS = {
    "get_question": link("GET", _BASE + "/{question_id}", **_IDS),
    "close_question": link("POST", _BASE + "/{question_id}/close", **_IDS),
    "revote_question": link("POST", _BASE + "/{question_id}/revote", **_IDS),
    "reveal_question": link("POST", _BASE + "/{question_id}/reveal", **_IDS),
    "question_results": link("GET", _BASE + ".csv", session_id="$request.path.session_id"),
}


def _class_code(classes: ClassStore, session_id: str) -> str:
    code = classes.code_for(session_id)
    if code is None:
        raise NotFoundError("this session has no live class: start one before asking")
    return code


def _result(questions: QuestionStore, code: str, question_id: str) -> dict[str, Any]:
    asked, status = questions.get(code, question_id)
    rounds = [questions.answers(code, question_id, r) for r in range(1, status.round + 1)]
    return question_result(asked, status, rounds)


def _pose(session: Session, body: QuestionAsk) -> Asked:
    step = session.step_now
    phase = body.phase or step.phase
    layer = body.layer or step.layer
    trace, _ = session.trace()
    entry = None if body.entry is None else tuple(body.entry)
    choices = None if body.choices is None else tuple(body.choices)
    posed = pose(trace, body.kind, phase, layer, body.part, entry, choices)
    return Asked(new_question_id(), session.iteration, posed)


@router.post(
    _BASE,
    status_code=201,
    response_model=None,
    responses=responses(
        QuestionResult, *BODY, *SESSION, status=201, description="Asked", links=_LINKS
    ),
)
def ask(
    session_id: SessionId,
    body: QuestionAsk,
    store: StoreDep,
    classes: ClassStoreDep,
    questions: QuestionStoreDep,
) -> Response:
    """Ask the class about a step of the current iteration (default: the cursor's step):
    followers receive a `question` event, round 1 opens."""
    with store.open(session_id) as session:
        code = _class_code(classes, session_id)
        asked = _pose(session, body)
    status = questions.ask(code, asked)
    classes.publish(code, "question", dumps(public_question(asked, status)))
    return json_response(question_result(asked, status, [[]]), status_code=201)


def _instructors_code(store: SessionStore, classes: ClassStore, session_id: str) -> str:
    with store.open(session_id):
        return _class_code(classes, session_id)


@router.get(
    _BASE + "/{question_id}",
    response_model=None,
    responses=responses(QuestionResult, *SESSION),
)
def get_question(
    session_id: SessionId,
    question_id: QuestionId,
    store: StoreDep,
    classes: ClassStoreDep,
    questions: QuestionStoreDep,
) -> Response:
    """The question, its right answer, how many answered, and every round's distribution."""
    code = _instructors_code(store, classes, session_id)
    return json_response(_result(questions, code, question_id))


@router.post(
    _BASE + "/{question_id}/close",
    response_model=None,
    responses=responses(QuestionResult, *SESSION),
)
def close(
    session_id: SessionId,
    question_id: QuestionId,
    store: StoreDep,
    classes: ClassStoreDep,
    questions: QuestionStoreDep,
) -> Response:
    """Close the round: answers stop; followers receive a `close` event."""
    code = _instructors_code(store, classes, session_id)
    return _announce(classes, questions, code, question_id, "close", questions.close)


@router.post(
    _BASE + "/{question_id}/revote",
    response_model=None,
    responses=responses(QuestionResult, *SESSION),
)
def revote(
    session_id: SessionId,
    question_id: QuestionId,
    store: StoreDep,
    classes: ClassStoreDep,
    questions: QuestionStoreDep,
) -> Response:
    """Discuss and vote again: the round closes and the next opens (at most 3); followers
    receive the question again (`question`, with its new round)."""
    code = _instructors_code(store, classes, session_id)
    return _announce(classes, questions, code, question_id, "question", questions.revote)


@router.post(
    _BASE + "/{question_id}/reveal",
    response_model=None,
    responses=responses(QuestionResult, *SESSION),
)
def reveal(
    session_id: SessionId,
    question_id: QuestionId,
    store: StoreDep,
    classes: ClassStoreDep,
    questions: QuestionStoreDep,
) -> Response:
    """Close the round and reveal: the session steps to the step whose result was asked
    about (when it is still at that iteration), and followers receive a `reveal` event
    with the right answer."""
    with store.open(session_id) as session:
        code = _class_code(classes, session_id)
        asked, _ = questions.get(code, question_id)
        if session.iteration == asked.iteration:
            posed = asked.posed
            steps = [(str(s.phase), s.layer) for s in session.steps]
            session.seek(steps.index((posed.phase, posed.layer)))
    status = questions.reveal(code, question_id)
    result = _result(questions, code, question_id)
    event = {**public_question(asked, status), "answer": result["answer"]}
    event["cost_before"], event["cost_after"] = result["cost_before"], result["cost_after"]
    classes.publish(code, "reveal", dumps(event))
    return json_response(result)


def _announce(
    classes: ClassStore,
    questions: QuestionStore,
    code: str,
    question_id: str,
    kind: EventKind,
    change: Callable[[str, str], Status],
) -> Response:
    """Change the question's round (close, revote), tell the followers (`kind`) and
    answer with the instructor's view of it."""
    status = change(code, question_id)
    asked, _ = questions.get(code, question_id)
    classes.publish(code, kind, dumps(public_question(asked, status)))
    return json_response(_result(questions, code, question_id))


@router.get(
    "/api/v1/sessions/{session_id}/class/questions.csv",
    response_model=None,
    responses={
        200: {"content": {"text/csv": {}}, "description": "Every question, round and answer"},
        **responses(None, *SESSION),
    },
)
def results(
    session_id: SessionId, store: StoreDep, classes: ClassStoreDep, questions: QuestionStoreDep
) -> Response:
    """The class's results as CSV: one row per question, round and answer (an option, or
    for numbers: right, each known mistake, other), with its count."""
    code = _instructors_code(store, classes, session_id)
    rows = [_result(questions, code, qid) for qid in questions.question_ids(code)]
    return Response(
        results_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="class-{code}-questions.csv"'},
    )


@router.get(
    "/api/v1/classes/{code}/question",
    response_model=None,
    responses=responses(ClassQuestion, *FOLLOWER),
)
def class_question(
    code: Code, classes: ClassStoreDep, questions: QuestionStoreDep, follower: Follower = None
) -> Response:
    """The class's latest question as followers see it (no answer until it is revealed),
    or null: a page that opens late shows it at once. With `follower`, that follower's own
    answer to the current round: a page that reloads or reconnects shows it again."""
    code = join_code(code)
    classes.session_for(code)  # 404 for no such class
    ids = questions.question_ids(code)
    if not ids:
        return json_response(follower_question(None, None, None))
    asked, status = questions.get(code, ids[-1])
    yours = None
    if follower is not None:
        yours = questions.answer_of(code, asked.question_id, status.round, follower)
    return json_response(follower_question(asked, status, yours))


_ANSWER_RESPONSES = responses(AnswerAccepted, *BODY, *FOLLOWER, 409)
_ANSWER_RESPONSES[409] = {
    **_ANSWER_RESPONSES[409],
    "description": "The round is closed, or full (code `conflict`)",
}
_ANSWER_RESPONSES[429] = {
    **_ANSWER_RESPONSES[429],
    "description": "Too many unknown join codes from this address, or too many answers from "
    "this follower in this round (code `too_many_requests`)",
}


@router.post(
    "/api/v1/classes/{code}/answers",
    response_model=None,
    responses=_ANSWER_RESPONSES,
)
def answer(code: Code, body: AnswerGiven, questions: QuestionStoreDep) -> Response:
    """A follower's answer to the open round (anonymous; the follower id only makes it count
    once per round: a later answer replaces an earlier one). 409 when the round is closed,
    429 past 20 answers of one follower in one round."""
    code = join_code(code)
    asked, _ = questions.get(code, body.question_id)
    kept = _valid_answer(asked, body.answer)
    round = questions.answer(code, body.question_id, body.follower, kept)
    return json_response({"question_id": body.question_id, "round": round, "answer": body.answer})


def _valid_answer(asked: Asked, answer: float | str) -> str:
    posed = asked.posed
    if posed.kind == "number":
        if isinstance(answer, str):
            raise InvalidRequestError("answer: a number question takes a number", "answer")
        return repr(float(answer))
    keys = [o.key for o in posed.options]
    if not isinstance(answer, str) or answer not in keys:
        raise InvalidRequestError(
            f"answer: must be one of this question's option keys ({', '.join(keys)}), "
            f"got {answer!r}",
            "answer",
        )
    return answer
