"""POST /api/v1/gradcheck: backprop's gradients against central finite differences."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app import build, heavy
from app.convert import gradcheck_json, json_response
from app.deps import SettingsDep
from app.openapi import responses
from app.schemas import GradcheckRequest, GradcheckResponse
from engine import DefinitionError, gradcheck
from engine.gradcheck import DEFAULT_STEP

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["stateless"])


@router.post(
    "/gradcheck", response_model=None, responses=responses(GradcheckResponse, 400, 413, 422)
)
def check_gradients(body: GradcheckRequest, settings: SettingsDep) -> Response:
    """Per layer: ∂C/∂Wˡ, ∂C/∂bˡ by backprop and by (C(θ+h) − C(θ−h)) / 2h, and their
    relative error. Give `inputs` and `targets`, or `data`."""
    network = build.build_network(body.network, settings)
    if network.parameter_count > settings.max_gradcheck_parameters:
        raise DefinitionError(
            "network.layers",
            f"{network.parameter_count} parameters is more than gradcheck's limit of "
            f"{settings.max_gradcheck_parameters} (it runs two forward passes per parameter)",
        )
    if body.data is not None:
        if body.inputs is not None or body.targets is not None:
            raise DefinitionError("data", "give either data or inputs and targets, not both")
        x, y = build.build_data(body.data, settings)
        build.fit_data(network, x, y, "data.")
    elif body.inputs is not None and body.targets is not None:
        x, y = build.explicit_data(body.inputs, body.targets, settings)
        build.fit_data(network, x, y)
    else:
        missing = "targets" if body.inputs is not None else "inputs"
        raise DefinitionError(missing, "is required (give inputs and targets, or data)")
    field = "inputs" if body.data is None else "data.size"
    build.check_batch_size(x.shape[1], settings, field)
    work = network.parameter_count**2 * x.shape[1]
    if work > settings.max_gradcheck_work:
        most = max(1, settings.max_gradcheck_work // network.parameter_count**2)
        raise DefinitionError(
            field,
            f"{x.shape[1]} samples × {network.parameter_count}² parameters is more work than "
            f"one gradcheck may do ({settings.max_gradcheck_work}); at most {most} samples "
            "with this network",
        )
    checks = heavy.run(gradcheck, network, body.cost, x, y)
    return json_response(gradcheck_json(checks, DEFAULT_STEP))
