"""Requests → engine objects, and the configurable limits (app.settings) checked on them.

Every problem is an engine.DefinitionError naming the field at fault, which
app.http.errors turns into a 422. The engine checks the math (shapes, activations
that suit a cost); this module checks sizes, so no request can ask for
unbounded work or memory.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from app.settings import Settings
from app.spec.requests import (
    DataIn,
    DatasetDataIn,
    NetworkIn,
    OptimizerIn,
    OptimizerStateIn,
    Problem,
    SampleDataIn,
)
from engine import (
    DATASETS,
    DefinitionError,
    Network,
    OptimizerState,
    Updater,
    check_architecture,
    check_cost,
    check_targets,
    init_network,
    make_dataset,
    make_network,
    updater,
)
from engine.activations import Array
from engine.optimizers import SGD

__all__ = [
    "ProblemData",
    "build_data",
    "build_network",
    "build_optimizer_state",
    "build_updater",
    "check_batch_size",
    "check_iterations",
    "check_network_limits",
    "check_trace_size",
    "explicit_data",
    "fit_data",
    "problem_data",
    "samples_to_columns",
]


def check_network_limits(
    layers: Sequence[int], settings: Settings, field: str = "network.layers"
) -> int:
    """Raise unless the architecture fits the limits; return its parameter count."""
    L = len(layers) - 1
    if settings.max_layers < L:
        raise DefinitionError(
            field,
            f"{L} weight layers ({len(layers)} sizes) is more than the limit of "
            f"{settings.max_layers} weight layers",
        )
    for i, n in enumerate(layers):
        if n > settings.max_width:
            raise DefinitionError(
                f"{field}[{i}]",
                f"{n} neurons is more than the limit of {settings.max_width} per layer",
            )
    parameters = sum(n * (n_prev + 1) for n_prev, n in itertools.pairwise(layers))
    if parameters > settings.max_parameters:
        raise DefinitionError(
            field,
            f"{layers} has {parameters} weights and biases, more than the limit of "
            f"{settings.max_parameters}",
        )
    return parameters


def build_network(spec: NetworkIn, settings: Settings, field: str = "network") -> Network:
    """An engine Network from explicit weights and biases, or from `init` (default xavier, 0)."""
    check_network_limits(spec.layers, settings, f"{field}.layers")
    check_architecture(spec.layers, spec.activations)
    if (spec.weights is None) != (spec.biases is None):
        given, missing = ("weights", "biases") if spec.biases is None else ("biases", "weights")
        raise DefinitionError(
            f"{field}.{missing}",
            f"is required when {field}.{given} is given (give both, or neither and use init)",
        )
    if spec.weights is not None and spec.biases is not None:
        return make_network(spec.layers, spec.activations, spec.weights, spec.biases)
    method, seed = ("xavier", 0) if spec.init is None else (spec.init.method, spec.init.seed)
    return _init_network(tuple(spec.layers), tuple(spec.activations), method, seed)


@functools.lru_cache(maxsize=64)
def _init_network(
    layers: tuple[int, ...], activations: tuple[str, ...], method: str, seed: int
) -> Network:
    # Initial parameters are a pure function of these four values, and the engine
    # never writes into a Network's arrays, so recent draws can be shared.
    return init_network(layers, activations, method, seed)


def samples_to_columns(rows: Sequence[Sequence[float]], field: str) -> Array:
    """m samples of n values (m × n, as requests carry them) → an (n, m) array of columns."""
    try:
        return np.ascontiguousarray(np.array(rows, dtype=np.float64).T)  # (n, m)
    except ValueError:  # ragged: find the first row that differs, to name it
        pass
    width = len(rows[0])
    for i, row in enumerate(rows):
        if len(row) != width:
            raise DefinitionError(
                f"{field}[{i}]",
                f"every sample needs the same number of values: sample 0 has {width}, "
                f"sample {i} has {len(row)}",
            )
    raise DefinitionError(field, "must be numbers in a rectangular array")


def _check_samples(m: int, settings: Settings, field: str) -> None:
    if m > settings.max_samples:
        raise DefinitionError(
            field, f"{m} samples is more than the limit of {settings.max_samples}"
        )


def build_data(data: DataIn, settings: Settings, field: str = "data") -> tuple[Array, Array]:
    """x (n₀, m) and y (n_L, m) from a named data set or explicit samples."""
    if isinstance(data, DatasetDataIn):
        spec = DATASETS[data.dataset]
        size = spec.default_size if data.size is None else data.size
        _check_samples(size, settings, f"{field}.size")
        try:
            drawn = make_dataset(data.dataset, size, data.noise, data.seed)
        except DefinitionError as exc:  # the engine says "dataset.size"; we say "data.size"
            raise DefinitionError(f"{field}.{exc.field.rsplit('.', 1)[-1]}", exc.message) from exc
        return drawn.x, drawn.y
    assert isinstance(data, SampleDataIn)
    x, y = explicit_data(data.inputs, data.targets, settings, field + ".")
    if data.class_names is not None:
        _check_class_names(data.class_names, y.shape[0], f"{field}.class_names")
    return x, y


def _check_class_names(names: Sequence[str], n_L: int, field: str) -> None:
    """One name per class: k = n_L, or 2 for one 0/1 output (engine.classes)."""
    k = 2 if n_L == 1 else n_L
    if len(names) != k:
        raise DefinitionError(
            field, f"names {len(names)} classes, but targets with n_L = {n_L} have {k}"
        )
    if len(set(names)) != len(names):
        raise DefinitionError(field, "names a class twice: each class needs its own name")


def explicit_data(
    inputs: Sequence[Sequence[float]],
    targets: Sequence[Sequence[float]],
    settings: Settings,
    prefix: str = "",
) -> tuple[Array, Array]:
    _check_samples(len(inputs), settings, f"{prefix}inputs")
    if len(targets) != len(inputs):
        raise DefinitionError(
            f"{prefix}targets",
            f"needs one row per input sample: {len(inputs)} inputs, {len(targets)} targets",
        )
    return samples_to_columns(inputs, f"{prefix}inputs"), samples_to_columns(
        targets, f"{prefix}targets"
    )


def fit_data(network: Network, x: Array, y: Array, prefix: str = "") -> None:
    """Raise unless the data's widths match the network's input and output layers."""
    n0, nL = network.layers[0], network.layers[-1]
    if x.shape[0] != n0:
        raise DefinitionError(
            f"{prefix}inputs",
            f"each sample needs {n0} input values (the network's n0), got {x.shape[0]}",
        )
    if y.shape[0] != nL:
        raise DefinitionError(
            f"{prefix}targets",
            f"each sample needs {nL} target values (the output layer has {nL} neurons), "
            f"got {y.shape[0]}",
        )


def check_batch_size(batch: int, settings: Settings, field: str = "batch_size") -> None:
    if batch > settings.max_batch_size:
        raise DefinitionError(
            field, f"{batch} is more than the limit of {settings.max_batch_size} samples per batch"
        )


def check_trace_size(network: Network, m: int, settings: Settings, field: str) -> None:
    """A trace keeps about six (nₗ × m) arrays per layer: bound batch × (n₁ + … + n_L)."""
    values = m * sum(network.layers[1:])
    if values > settings.max_trace_values:
        raise DefinitionError(
            field,
            f"a batch of {m} samples through layers {list(network.layers)} makes a trace of "
            f"{values} values per quantity (batch × (n1 + … + nL)), more than the limit of "
            f"{settings.max_trace_values}; use a smaller batch or network",
        )


def check_iterations(
    iterations: int,
    batch: int,
    parameters: int,
    settings: Settings,
    field: str = "iterations",
    most_iterations: int | None = None,
) -> None:
    """Bound iterations (by `most_iterations`, default max_iterations) and their work."""
    limit = settings.max_iterations if most_iterations is None else most_iterations
    if iterations > limit:
        raise DefinitionError(field, f"{iterations} is more than the limit of {limit} per call")
    work = iterations * batch * parameters
    if work > settings.max_train_work:
        most = max(1, settings.max_train_work // max(1, batch * parameters))
        raise DefinitionError(
            field,
            f"{iterations} iterations × batch {batch} × {parameters} parameters is more work "
            f"than one call may do ({settings.max_train_work}); at most {most} iterations "
            f"with this batch and network",
        )


@dataclass(frozen=True, eq=False)
class ProblemData:
    """A problem's data as columns, and how the request named it (for messages)."""

    x: Array  # (n₀, m)
    y: Array  # (n_L, m)
    prefix: str  # "data." when given as `data`, "" when as top-level inputs/targets

    @property
    def size_field(self) -> str:
        """The field that sets how many samples there are."""
        return "data.size" if self.prefix else "inputs"


def problem_data(problem: Problem, network: Network, settings: Settings) -> ProblemData:
    """x, y of a problem, from `data` or from top-level `inputs`/`targets` (exactly one),
    checked against the network's widths, the limits and the cost's targets."""
    check_cost(problem.cost, network.activations[-1])
    given = problem.inputs is not None or problem.targets is not None
    if problem.data is not None and given:
        raise DefinitionError("data", "give either data or inputs and targets, not both")
    if problem.data is not None:
        x, y = build_data(problem.data, settings)
        prefix = "data."
    elif problem.inputs is not None and problem.targets is not None:
        x, y = explicit_data(problem.inputs, problem.targets, settings)
        prefix = ""
    else:
        missing = "data" if not given else "targets" if problem.targets is None else "inputs"
        raise DefinitionError(missing, "is required (give inputs and targets, or data)")
    fit_data(network, x, y, prefix)
    try:
        check_targets(problem.cost, y)
    except DefinitionError as exc:
        raise DefinitionError(prefix + exc.field, exc.message) from None
    return ProblemData(x, y, prefix)


def build_updater(spec: OptimizerIn | None) -> Updater:
    """The engine's update rule for a request's `optimizer` (None: plain descent)."""
    if spec is None or spec.name == "sgd":
        return SGD
    return updater(spec.name, spec.model_dump(exclude={"name"}))


def build_optimizer_state(
    spec: OptimizerStateIn | None, rule: Updater, network: Network, field: str
) -> OptimizerState | None:
    """An exported optimizer state, checked against the rule and the network's shapes."""
    names = rule.optimizer.state_names
    if spec is None:
        return None
    given = {name for name in ("v", "s", "m", "t") if getattr(spec, name) is not None}
    if given != set(names):
        wanted = ", ".join(names) or "nothing"
        raise DefinitionError(
            field, f"{rule.optimizer.name} carries {wanted}; got {', '.join(sorted(given))}"
        )
    per_name: dict[str, list[Array]] = {}
    for name in names:
        if name in rule.optimizer.counters:
            per_name[name] = [np.array(float(spec.t or 0))] * (2 * network.L)
            continue
        arrays = getattr(spec, name)
        per_name[name] = _parameter_arrays(
            arrays.weights, arrays.biases, network, f"{field}.{name}"
        )
    return tuple(tuple(per_name[name][i] for name in names) for i in range(2 * network.L))


def _parameter_arrays(
    weights: Sequence[Sequence[Sequence[float]]],
    biases: Sequence[Sequence[float]],
    network: Network,
    field: str,
) -> list[Array]:
    """W¹, b¹, … Wᴸ, bᴸ-shaped arrays, in that order, each checked against its parameter."""
    if len(weights) != network.L or len(biases) != network.L:
        raise DefinitionError(field, f"needs {network.L} weights and {network.L} biases")
    out: list[Array] = []
    for i, pair in enumerate(zip(weights, biases, strict=True)):
        likes = (network.weights[i], network.biases[i])
        for given, like, what in zip(pair, likes, ("weights", "biases"), strict=True):
            try:
                array = np.array(given, dtype=np.float64)
            except ValueError:
                raise DefinitionError(f"{field}.{what}[{i}]", "rows of unequal length") from None
            if array.shape != like.shape:
                raise DefinitionError(
                    f"{field}.{what}[{i}]",
                    f"must be {'×'.join(map(str, like.shape))} like layer {i + 1}'s {what}, "
                    f"got {'×'.join(map(str, array.shape))}",
                )
            out.append(array)
    return out
