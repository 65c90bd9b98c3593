"""GET /api/v1/datasets: the synthetic data sets, what suits them and their parameters;
POST /api/v1/datasets/csv: the user's own CSV data, checked and turned into samples."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.http.deps import SettingsDep
from app.http.openapi import BODY, responses
from app.http.respond import json_response
from app.spec.csvdata import CsvLayout, parse_csv
from app.spec.requests import MAX_NOISE, CsvRequest
from app.wire.convert import catalogue_datasets, csv_json
from app.wire.responses import CsvResponse, DatasetOut

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["catalogue"])


@router.get("/datasets", response_model=None, responses=responses(list[DatasetOut]))
def datasets(settings: SettingsDep) -> Response:
    return json_response(catalogue_datasets(settings.max_samples, MAX_NOISE))


@router.post("/datasets/csv", response_model=None, responses=responses(CsvResponse, *BODY))
def csv_data(body: CsvRequest, settings: SettingsDep) -> Response:
    """CSV text (a sample per line: its inputs and its targets) → `inputs` and `targets` rows
    for a SessionConfig's `data`, the sizes n₀ and n_L the file defines, and the output layer
    and cost its targets suit; a column of class labels becomes one-hot targets (its names in
    `class_names`); a wrong column count, a word in an input column, more labels than a
    layer's width or too many rows → 422."""
    layout = CsvLayout(body.input_size, body.output_size, body.target_columns)
    parsed = parse_csv(
        body.text,
        layout,
        settings.max_samples,
        settings.max_width,
        cost=body.cost,
        standardise_inputs=body.standardise,
        classes=body.classes,
    )
    return json_response(csv_json(parsed))
