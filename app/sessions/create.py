"""A new session from a configuration, checked against the limits; maybe resuming a state."""

from __future__ import annotations

from collections import deque

from app.sessions.session import Session, Start
from app.settings import Settings
from app.spec.build import (
    build_network,
    build_optimizer_state,
    build_updater,
    check_batch_size,
    check_trace_size,
    problem_data,
)
from app.spec.requests import ResumeState, SampleDataIn, SessionConfig
from engine import DefinitionError, iteration_steps, split_data
from engine.activations import Array

__all__ = ["new_session"]


def _stored_config(config: SessionConfig) -> SessionConfig:
    """The configuration a session keeps: samples always in `data`, no `state` to resume."""
    update: dict[str, object] = {"state": None, "fast_forward": None}
    if config.optimizer is not None and config.optimizer.name == "sgd":
        update["optimizer"] = None  # plain descent is always written as null
    if config.weight_decay == 0.0:
        update["weight_decay"] = None  # as is no weight decay
    if config.inputs is not None and config.targets is not None:
        update |= {"data": SampleDataIn(inputs=config.inputs, targets=config.targets)}
        update |= {"inputs": None, "targets": None}
    return config.model_copy(update=update)


def _cost_history(state: ResumeState, settings: Settings) -> deque[float]:
    if len(state.cost_history) > settings.max_cost_history:
        raise DefinitionError(
            "state.cost_history",
            f"{len(state.cost_history)} costs is more than the limit of "
            f"{settings.max_cost_history}",
        )
    if len(state.cost_history) > state.iteration:
        raise DefinitionError(
            "state.cost_history",
            f"holds one cost per completed iteration: at most {state.iteration} "
            f"(state.iteration), got {len(state.cost_history)}",
        )
    return deque(state.cost_history, maxlen=settings.max_cost_history)


def _step_index(L: int, state: ResumeState) -> int:
    steps = iteration_steps(L)
    for i, s in enumerate(steps):
        if (s.phase, s.layer) == (state.phase, state.layer):
            return i
    raise DefinitionError(
        "state.layer",
        f"this network (L = {L}) has no step ({state.phase}, layer {state.layer}); "
        f"its steps are {', '.join(f'{s.phase} {s.layer}' for s in steps)}",
    )


def new_session(config: SessionConfig, settings: Settings) -> Session:
    """A session from a configuration (checked against the limits), maybe resuming `state`."""
    network = build_network(config.network, settings)
    data = problem_data(config, network, settings)
    x, y = data.x, data.y
    x_test: Array | None = None
    y_test: Array | None = None
    if config.test_split:
        if x.shape[1] < 2:
            raise DefinitionError(
                "test_split", f"needs at least 2 samples to hold some out, got {x.shape[1]}"
            )
        x, y, x_test, y_test = split_data(x, y, config.test_split, config.seed)
    check_batch_size(config.batch_size, settings)
    check_trace_size(network, min(config.batch_size, x.shape[1]), settings, "batch_size")
    state = config.state or ResumeState()
    costs = _cost_history(state, settings)
    index = _step_index(network.L, state)
    rule = build_updater(config.optimizer)
    carried = build_optimizer_state(state.optimizer_state, rule, network, "state.optimizer_state")
    start = Start(
        network, config.learning_rate, config.batch_size, carried, rule, config.weight_decay or 0.0
    )
    session = Session(
        config=_stored_config(config),
        x=x,
        y=y,
        initial=network,
        iteration=state.iteration,
        index=index,
        starts={state.iteration: start},
        cost_history=costs,
        history_iterations=settings.history_iterations,
        x_test=x_test,
        y_test=y_test,
        replayable=state.iteration == 0,
    )
    if config.fast_forward:
        # The fast path is bit-identical to stepping: iteration t is reproduced exactly.
        session.train(config.fast_forward, settings, "fast_forward", settings.max_fast_forward)
        session.index = index
    else:
        session.record_evaluation()
    return session
