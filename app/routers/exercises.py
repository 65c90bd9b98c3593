"""Exercises for autograders and notebooks: a problem to do by hand, and an answer checked.

Stateless, like /backprop: POST /api/v1/exercises draws a problem from a seed (the
same for the same seed), in /backprop's request shape; POST /api/v1/exercises/check
takes such a body with a learner's answer to one step, and says per entry what is
right, and which known mistake gives each wrong number (engine.mistakes).
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.http.deps import SettingsDep
from app.http.openapi import BODY, responses
from app.http.respond import json_response
from app.spec.compute import run_check, run_exercise
from app.spec.requests import CheckRequest, ExerciseRequest
from app.wire.convert import diagnosis_json, exercise_json
from app.wire.responses import CheckResponse, ExerciseOut

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/exercises", tags=["practice"])


@router.post("", response_model=None, responses=responses(ExerciseOut, *BODY))
def exercise(body: ExerciseRequest) -> Response:
    """A problem to do by hand: a small network whose numbers have one or two decimals."""
    return json_response(exercise_json(run_exercise(body), body.seed))


@router.post("/check", response_model=None, responses=responses(CheckResponse, *BODY))
def check(body: CheckRequest, settings: SettingsDep) -> Response:
    """A learner's answer to one step of the body's iteration, checked entry by entry."""
    diagnosis, part = run_check(body, settings)
    return json_response(diagnosis_json(diagnosis, body.phase, body.layer, part))
