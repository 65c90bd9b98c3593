"""GET /api/v1/datasets: the synthetic data sets, what suits them and their parameters;
POST /api/v1/datasets/csv: the user's own CSV data, checked and turned into samples."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.http.deps import SettingsDep
from app.http.openapi import BODY, responses
from app.http.respond import json_response
from app.spec.csvdata import parse_csv
from app.spec.requests import MAX_NOISE, CsvRequest
from app.wire.convert import catalogue_datasets
from app.wire.responses import CsvResponse, DatasetOut

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["catalogue"])


@router.get("/datasets", response_model=None, responses=responses(list[DatasetOut]))
def datasets(settings: SettingsDep) -> Response:
    return json_response(catalogue_datasets(settings.max_samples, MAX_NOISE))


@router.post("/datasets/csv", response_model=None, responses=responses(CsvResponse, *BODY))
def csv_data(body: CsvRequest, settings: SettingsDep) -> Response:
    """CSV text (a sample per line: inputs, then targets) → `inputs` and `targets` rows for a
    SessionConfig's `data`; a wrong column count, a non-number or too many rows → 422."""
    parsed = parse_csv(
        body.text, body.input_size, body.output_size, settings.max_samples, cost=body.cost
    )
    return json_response(
        {
            "inputs": parsed.inputs,
            "targets": parsed.targets,
            "rows": len(parsed.inputs),
            "header": parsed.header,
        }
    )
