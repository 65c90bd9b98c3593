"""POST /api/v1/train: n iterations on the fast path; the final network and the costs."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app import build, heavy
from app.convert import divergence_json, json_response, network_json
from app.deps import SettingsDep
from app.openapi import responses
from app.schemas import TrainRequest, TrainResponse
from engine import batch_indices, select_batch, trace_iteration, train

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["stateless"])


@router.post("/train", response_model=None, responses=responses(TrainResponse, 400, 413, 422))
def train_network(body: TrainRequest, settings: SettingsDep) -> Response:
    """Train from a network and data; the work (iterations × batch × parameters) is bounded."""
    network = build.build_network(body.network, settings)
    x, y = build.build_data(body.data, settings)
    build.fit_data(network, x, y, "data.")
    build.check_batch_size(body.batch_size, settings)
    m = x.shape[1]
    build.check_iterations(
        body.iterations, min(body.batch_size, m), network.parameter_count, settings
    )
    result = heavy.run(
        train,
        network, body.cost, x, y, body.learning_rate, body.iterations, body.batch_size, body.seed,
    )  # fmt: skip
    divergence = None
    if result.diverged_at is not None:
        # Trace the iteration that diverged (from its start, the returned network) to say where.
        indices = batch_indices(m, body.batch_size, body.seed, result.diverged_at)
        xb, yb = select_batch(x, y, indices)
        trace = trace_iteration(result.network, body.cost, xb, yb, body.learning_rate)
        divergence = divergence_json(trace.divergence)
    costs = [c if c == c and abs(c) != float("inf") else None for c in result.costs]
    return json_response(
        {
            "network": network_json(result.network),
            "cost_history": costs,
            "diverged": result.diverged_at is not None,
            "divergence": divergence,
            "diverged_at": result.diverged_at,
        }
    )
