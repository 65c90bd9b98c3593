"""The configured bounds of request fields, as the OpenAPI schema publishes them.

A request model's field carries its hard ceiling (app.spec.requests); the
settings set a limit below it, checked after parsing (app.spec.build). A field
that a setting bounds is marked `bound(keyword=name)`; app.http.openapi writes
`published_bounds(settings)[name]` there (or the ceiling, if lower), so the
schema says what this server accepts, not what any server could.
"""

from __future__ import annotations

from collections.abc import Callable

from app.settings import Settings
from app.spec.requests import MAX_SEED
from engine import iteration_steps

__all__ = ["BOUNDS", "published_bounds"]

BOUNDS: dict[str, Callable[[Settings], int]] = {
    "max_layers": lambda s: s.max_layers,
    # n₀ … n_L: one size more than there are weight layers
    "max_layer_sizes": lambda s: s.max_layers + 1,
    "max_width": lambda s: s.max_width,
    "max_samples": lambda s: s.max_samples,
    "max_batch_size": lambda s: s.max_batch_size,
    # the columns of a trace's arrays: a batch's samples, or a weight matrix's inputs
    "max_columns": lambda s: max(s.max_batch_size, s.max_width),
    # /backprop and /gradcheck take all their samples as one batch
    "max_batch_samples": lambda s: min(s.max_samples, s.max_batch_size),
    "max_iterations": lambda s: s.max_iterations,
    "max_fast_forward": lambda s: s.max_fast_forward,
    "max_cost_history": lambda s: s.max_cost_history,
    "max_grid_resolution": lambda s: s.max_grid_resolution,
    # the last step of an iteration of the deepest network allowed
    "max_step_index": lambda s: len(iteration_steps(s.max_layers)) - 1,
    # Not a setting: FastAPI's OpenAPI model writes bounds as floats, and the float
    # nearest 2⁶³ − 1 is 2⁶³, which the models refuse. Published as the exact integer.
    "max_seed": lambda s: MAX_SEED,
}


def published_bounds(settings: Settings) -> dict[str, int]:
    return {name: value(settings) for name, value in BOUNDS.items()}
