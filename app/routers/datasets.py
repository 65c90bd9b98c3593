"""GET /api/v1/datasets: the synthetic data sets, what suits them and their parameters."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.convert import catalogue_datasets, json_response
from app.deps import SettingsDep
from app.openapi import responses
from app.schemas import MAX_NOISE, DatasetOut

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["catalogue"])


@router.get("/datasets", response_model=None, responses=responses(list[DatasetOut]))
def datasets(settings: SettingsDep) -> Response:
    return json_response(catalogue_datasets(settings.max_samples, MAX_NOISE))
