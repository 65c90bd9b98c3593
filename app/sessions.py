"""A stepping session: plain data, and the moves of the cursor over DESIGN.md's 4L steps.

A session holds its configuration, its data, the network at the start of each
kept iteration (with the learning rate and batch size that iteration runs
with), the current iteration and cursor index, and the costs of completed
iterations. The current iteration's trace is recomputed from those on demand
and cached: a trace is a pure function of its start network and its batch
(the batch of iteration t is a pure function of the seed and t), so stepping
forward and back gives identical numbers.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from app import build, heavy
from app.convert import JSON, network_json, payload_json, trace_json
from app.errors import ApiError
from app.schemas import ResumeState, SessionConfig
from app.settings import Settings
from engine import (
    DefinitionError,
    Evaluation,
    Network,
    Step,
    Trace,
    batch_indices,
    evaluate,
    iteration_steps,
    layer_outputs,
    predict,
    select_batch,
    split_data,
    step_payload,
    trace_iteration,
    train,
)
from engine.activations import Array

__all__ = ["Session", "new_session"]

_CHUNK = 2048  # grid points per forward pass of the field
EVALUATIONS_KEPT = 500  # iterations whose whole-set evaluation a session remembers

# (iteration, train cost, test cost, train accuracy, test accuracy)
EvaluationRow = tuple[int, float, float | None, float | None, float | None]


@dataclass(frozen=True, eq=False)
class Start:
    """The start of one iteration: the network and the hyper-parameters it runs with."""

    network: Network
    learning_rate: float
    batch_size: int


@dataclass(eq=False)
class Session:
    config: SessionConfig  # as given, without `state`; PATCH updates it
    x: Array  # the data set's inputs, (n₀, m)
    y: Array  # its targets, (n_L, m)
    initial: Network  # what reset returns to
    iteration: int
    index: int  # the cursor: steps[index] is being shown
    starts: dict[int, Start]  # iteration → its start; oldest first, the current one last
    cost_history: deque[float]  # the latest completed iterations' costs
    history_iterations: int
    # The held-out test split (config.test_split), None without one: (n₀, k), (n_L, k).
    x_test: Array | None = None
    y_test: Array | None = None
    # Whole-set evaluations at the iterations the session stopped at, oldest first.
    evaluations: deque[EvaluationRow] = field(
        default_factory=lambda: deque(maxlen=EVALUATIONS_KEPT)
    )
    # Whether the configuration, trained `iteration` times from its own network,
    # gives this iteration's start: false once a PATCH changed the learning rate
    # or batch size after iteration 0, or when the session began at a later
    # iteration. A share link can only replay a replayable session.
    replayable: bool = True
    # Derived, never part of the session's state: a shared store would drop it.
    _trace: tuple[int, Start, Trace, NDArray[np.intp] | None] | None = field(
        default=None, repr=False
    )
    _config_json: JSON | None = field(default=None, repr=False)
    _evaluation: tuple[Start, Evaluation, Evaluation | None] | None = field(
        default=None, repr=False
    )
    _evaluations_json: JSON | None = field(default=None, repr=False)  # of `evaluations`

    # ------------------------------------------------------------ reading

    @property
    def steps(self) -> tuple[Step, ...]:
        return iteration_steps(self.initial.L)

    @property
    def start(self) -> Start:
        return self.starts[self.iteration]

    def trace(self) -> tuple[Trace, NDArray[np.intp] | None]:
        """The current iteration's trace and its batch's sample indices (None: all)."""
        start = self.start
        cached = self._trace
        if cached is not None and cached[0] == self.iteration and cached[1] is start:
            return cached[2], cached[3]
        indices = batch_indices(self.x.shape[1], start.batch_size, self.config.seed, self.iteration)
        xb, yb = select_batch(self.x, self.y, indices)
        trace = trace_iteration(start.network, self.config.cost, xb, yb, start.learning_rate)
        self._trace = (self.iteration, start, trace, indices)
        return trace, indices

    def nbytes(self) -> int:
        """An estimate of the memory this session holds (for the store's budget)."""
        net0 = self.initial
        params = sum(W.nbytes + b.nbytes for W, b in zip(net0.weights, net0.biases, strict=True))
        total = self.x.nbytes + self.y.nbytes + params * (len(self.starts) + 1)
        if self.x_test is not None and self.y_test is not None:
            total += self.x_test.nbytes + self.y_test.nbytes
        total += 80 * len(self.evaluations)
        total += 32 * len(self.cost_history) + 2_000
        # Explicit numbers in the configuration are Python floats in lists (~32 bytes each).
        net, data = self.config.network, self.config.data
        if net.weights is not None:
            total += 32 * (params // 8)
        if not hasattr(data, "dataset"):
            total += 32 * (self.x.size + self.y.size)
        if self._trace is not None:
            trace = self._trace[2]
            neurons = sum(self.initial.layers[1:])
            total += 8 * 6 * neurons * trace.x.shape[1] + 3 * params + trace.x.nbytes
        return total

    def config_json(self) -> JSON:
        if self._config_json is None:
            self._config_json = self.config.model_dump(mode="json", exclude_none=True)
        return self._config_json

    def state_json(self, session_id: str) -> JSON:
        trace, indices = self.trace()
        steps = self.steps
        step = steps[self.index]
        return {
            "id": session_id,
            "config": self.config_json(),
            "network": network_json(self.start.network),
            "cursor": {
                "iteration": self.iteration,
                "phase": step.phase,
                "layer": step.layer,
                "index": self.index,
            },
            "steps": [{"phase": s.phase, "layer": s.layer} for s in steps],
            "step": payload_json(step, step_payload(trace, step)),
            "trace": trace_json(trace, indices, batch=True),
            "cost_history": list(self.cost_history),
            "history": {
                "oldest_iteration": self.oldest_iteration,
                "can_step_back": self.index > 0 or self.iteration > self.oldest_iteration,
                "replayable": self.replayable,
            },
            "diverged": trace.diverged,
            "divergence": trace_json_divergence(trace),
            **self.evaluation_json(),
        }

    def evaluate(self) -> tuple[Evaluation, Evaluation | None]:
        """The whole train and test sets through the current iteration's start network."""
        start = self.start
        cached = self._evaluation
        if cached is not None and cached[0] is start:
            return cached[1], cached[2]
        cost = self.config.cost
        train = evaluate(start.network, cost, self.x, self.y)
        test = None
        if self.x_test is not None and self.y_test is not None and self.x_test.shape[1]:
            test = evaluate(start.network, cost, self.x_test, self.y_test)
        self._evaluation = (start, train, test)
        return train, test

    def evaluation_json(self) -> JSON:
        """`evaluation` now and `evaluations` so far (recording this iteration's)."""
        train, test = self.evaluate()
        rows = self.evaluations
        while rows and rows[-1][0] > self.iteration:  # stepped back, or reset
            rows.pop()
            self._evaluations_json = None
        if not rows or rows[-1][0] != self.iteration:
            rows.append(
                (
                    self.iteration,
                    train.cost,
                    None if test is None else test.cost,
                    train.accuracy,
                    None if test is None else test.accuracy,
                )
            )
            self._evaluations_json = None
        # Up to 500 rows, unchanged while the cursor stays in one iteration: built once.
        if self._evaluations_json is None:
            self._evaluations_json = {
                "iteration": [r[0] for r in rows],
                "train_cost": [_finite(r[1]) for r in rows],
                "test_cost": [_finite(r[2]) for r in rows],
                "train_accuracy": [r[3] for r in rows],
                "test_accuracy": [r[4] for r in rows],
            }

        def one(e: Evaluation) -> JSON:
            return {"cost": _finite(e.cost), "accuracy": e.accuracy}

        return {
            "evaluation": {
                "iteration": self.iteration,
                "train": one(train),
                "test": None if test is None else one(test),
            },
            "evaluations": self._evaluations_json,
        }

    def data_json(self) -> JSON:
        """The training samples and the test samples, as rows (m × n₀, m × n_L)."""

        def rows(x: Array, y: Array) -> JSON:
            return {"inputs": np.ascontiguousarray(x.T), "targets": np.ascontiguousarray(y.T)}

        test = None
        if self.x_test is not None and self.y_test is not None and self.x_test.shape[1]:
            test = rows(self.x_test, self.y_test)
        return {"train": rows(self.x, self.y), "test": test}

    @property
    def oldest_iteration(self) -> int:
        return next(iter(self.starts))

    def export_json(self) -> JSON:
        step = self.steps[self.index]
        config = self.config.model_dump(mode="json", exclude_none=True)
        network = network_json(self.start.network)
        config["network"] = {
            "layers": network["layers"],
            "activations": network["activations"],
            "weights": [W.tolist() for W in self.start.network.weights],
            "biases": [b.tolist() for b in self.start.network.biases],
        }
        config["state"] = {
            "iteration": self.iteration,
            "phase": step.phase,
            "layer": step.layer,
            "cost_history": list(self.cost_history),
        }
        return config

    def field_json(self, resolution: int, hidden: bool = False) -> JSON:
        n0 = self.initial.layers[0]
        if n0 not in (1, 2):
            raise ApiError(
                409,
                "conflict",
                f"the output field is drawn over 1 or 2 inputs; this network has n0 = {n0}",
            )
        x_all = self.x if self.x_test is None else np.concatenate([self.x, self.x_test], axis=1)
        lo, hi = x_all.min(axis=1), x_all.max(axis=1)  # (n₀,)
        margin = np.where(hi > lo, 0.1 * (hi - lo), 0.5)
        lo, hi = lo - margin, hi + margin
        network = self.start.network
        if n0 == 1:
            xs = np.linspace(lo[0], hi[0], resolution)
            if hidden:
                layers = layer_outputs(network, xs[None, :])  # aˡ: (nₗ, N)
                return {
                    "resolution": resolution,
                    "extent": {"x": [float(lo[0]), float(hi[0])]},
                    "inputs": xs,
                    "outputs": layers[-1],
                    "hidden": [list(a) for a in layers[:-1]],
                }
            out = predict(network, xs[None, :])  # (n_L, N)
            return {
                "resolution": resolution,
                "extent": {"x": [float(lo[0]), float(hi[0])]},
                "inputs": xs,
                "outputs": out,
            }
        xs = np.linspace(lo[0], hi[0], resolution)
        ys = np.linspace(lo[1], hi[1], resolution)
        X, Y = np.meshgrid(xs, ys)  # X[i, j] = xs[j], Y[i, j] = ys[i]
        grid = np.stack([X.ravel(), Y.ravel()])  # (2, N²), row i of the picture first
        extent = {"x": [float(lo[0]), float(hi[0])], "y": [float(lo[1]), float(hi[1])]}
        if hidden:
            chunks = [
                layer_outputs(network, grid[:, i : i + _CHUNK])
                for i in range(0, grid.shape[1], _CHUNK)
            ]
            per_layer = [
                np.concatenate([c[k] for c in chunks], axis=1).reshape(-1, resolution, resolution)
                for k in range(network.L)
            ]  # aˡ over the grid: (nₗ, N, N)
            return {
                "resolution": resolution,
                "extent": extent,
                "outputs": np.ascontiguousarray(per_layer[-1]),
                "hidden": [[np.ascontiguousarray(n) for n in a] for a in per_layer[:-1]],
            }
        # In chunks of columns: the hidden layers never hold more than _CHUNK × nₗ values.
        out = np.concatenate(
            [predict(network, grid[:, i : i + _CHUNK]) for i in range(0, grid.shape[1], _CHUNK)],
            axis=1,
        )  # (n_L, N²)
        return {
            "resolution": resolution,
            "extent": {"x": [float(lo[0]), float(hi[0])], "y": [float(lo[1]), float(hi[1])]},
            "outputs": np.ascontiguousarray(out.reshape(-1, resolution, resolution)),
        }

    # ------------------------------------------------------------ moving

    def _trim(self) -> None:
        oldest = self.iteration - self.history_iterations
        for t in [t for t in self.starts if t < oldest or t > self.iteration]:
            del self.starts[t]

    def _finish_iteration(self) -> None:
        """Apply the current iteration's update; the cursor lands on the next iteration's step 0."""
        trace, _ = self.trace()
        if trace.divergence is not None:
            d = trace.divergence
            raise ApiError(
                409,
                "conflict",
                f"iteration {self.iteration} diverged (a non-finite {d.quantity} in {d.phase}, "
                f"layer {d.layer}), so its update cannot be applied; reset the session or "
                "lower the learning rate",
            )
        self.cost_history.append(float(trace.cost))
        self.iteration += 1
        self.starts[self.iteration] = Start(
            trace.updated_network, self.config.learning_rate, self.config.batch_size
        )
        self.index = 0
        self._trim()

    def _back_to_previous_iteration(self, index: int) -> None:
        if self.iteration - 1 not in self.starts:
            raise ApiError(
                409,
                "conflict",
                f"cannot step back before iteration {self.oldest_iteration}: only the last "
                f"{self.history_iterations} iterations are kept",
            )
        del self.starts[self.iteration]
        self.iteration -= 1
        if self.cost_history:
            self.cost_history.pop()
        self.index = index

    def _phase_start(self, index: int) -> int:
        steps = self.steps
        while index > 0 and steps[index - 1].phase == steps[index].phase:
            index -= 1
        return index

    def step(
        self,
        direction: Literal["forward", "back"],
        unit: Literal["step", "phase", "iteration"],
    ) -> None:
        last = len(self.steps) - 1
        if direction == "forward":
            if unit == "iteration":
                self._finish_iteration()
            elif unit == "step":
                if self.index < last:
                    self.index += 1
                else:
                    self._finish_iteration()
            else:
                steps, phase = self.steps, self.steps[self.index].phase
                following = [i for i in range(self.index + 1, last + 1) if steps[i].phase != phase]
                if following:
                    self.index = following[0]
                else:
                    self._finish_iteration()
            return
        if unit == "step":
            if self.index > 0:
                self.index -= 1
            else:
                self._back_to_previous_iteration(last)
        elif unit == "iteration":
            if self.index > 0:
                self.index = 0
            else:
                self._back_to_previous_iteration(0)
        else:
            first = self._phase_start(self.index)
            if first < self.index:
                self.index = first
            elif first > 0:
                self.index = self._phase_start(first - 1)
            else:
                self._back_to_previous_iteration(self._phase_start(last))

    def seek(self, index: int) -> None:
        count = len(self.steps)
        if index >= count:
            raise DefinitionError(
                "index",
                f"must be 0…{count - 1}: an iteration of this network has {count} steps, "
                f"got {index}",
            )
        self.index = index

    def train(
        self,
        iterations: int,
        settings: Settings,
        field: str = "iterations",
        most_iterations: int | None = None,
    ) -> None:
        """Run `iterations` iterations on the fast path from the current iteration's start."""
        start = self.start
        m = self.x.shape[1]
        build.check_iterations(
            iterations,
            min(start.batch_size, m),
            start.network.parameter_count,
            settings,
            field,
            most_iterations,
        )
        result = heavy.run(
            train,
            start.network,
            self.config.cost,
            self.x,
            self.y,
            start.learning_rate,
            iterations,
            start.batch_size,
            self.config.seed,
            first_iteration=self.iteration,
            keep_last=self.history_iterations + 1,
        )
        attempted = iterations if result.diverged_at is None else result.diverged_at + 1
        completed = iterations if result.diverged_at is None else result.diverged_at
        first_kept = self.iteration + attempted - len(result.starts)
        for k, network in enumerate(result.starts):
            self.starts[first_kept + k] = Start(network, start.learning_rate, start.batch_size)
        self.cost_history.extend(float(c) for c in result.costs[:completed])
        self.iteration += completed
        if self.iteration not in self.starts or result.diverged_at is None:
            self.starts[self.iteration] = Start(
                result.network, start.learning_rate, start.batch_size
            )
        self.starts = dict(sorted(self.starts.items()))
        self.index = 0
        self._trim()

    def patch(
        self, learning_rate: float | None, batch_size: int | None, settings: Settings
    ) -> None:
        update: dict[str, object] = {}
        if learning_rate is not None:
            update["learning_rate"] = learning_rate
        if batch_size is not None:
            build.check_batch_size(batch_size, settings)
            build.check_trace_size(
                self.initial, min(batch_size, self.x.shape[1]), settings, "batch_size"
            )
            update["batch_size"] = batch_size
        if all(getattr(self.config, k) == v for k, v in update.items()):
            return
        if self.iteration > 0:  # earlier iterations ran with the old values
            self.replayable = False
        self.config = self.config.model_copy(update=update)
        self._config_json = None
        start = self.start
        self.starts[self.iteration] = Start(
            start.network, self.config.learning_rate, self.config.batch_size
        )

    def reset(self) -> None:
        self.iteration = 0
        self.index = 0
        self.starts = {0: Start(self.initial, self.config.learning_rate, self.config.batch_size)}
        self.cost_history.clear()
        self.replayable = True


def _finite(v: float | None) -> float | None:
    """JSON has no NaN or infinity: those become null."""
    return v if v is not None and math.isfinite(v) else None


def trace_json_divergence(trace: Trace) -> JSON | None:
    d = trace.divergence
    return None if d is None else {"phase": d.phase, "layer": d.layer, "quantity": d.quantity}


def new_session(config: SessionConfig, settings: Settings) -> Session:
    """A session from a configuration (checked against the limits), maybe resuming `state`."""
    network = build.build_network(config.network, settings)
    x, y = build.build_data(config.data, settings)
    build.fit_data(network, x, y, "data.")
    x_test: Array | None = None
    y_test: Array | None = None
    if config.test_split:
        if x.shape[1] < 2:
            raise DefinitionError(
                "test_split", f"needs at least 2 samples to hold some out, got {x.shape[1]}"
            )
        x, y, x_test, y_test = split_data(x, y, config.test_split, config.seed)
    build.check_batch_size(config.batch_size, settings)
    build.check_trace_size(network, min(config.batch_size, x.shape[1]), settings, "batch_size")
    state = config.state or ResumeState()
    costs: deque[float] = deque(maxlen=settings.max_cost_history)
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
    costs.extend(state.cost_history)
    steps = iteration_steps(network.L)
    matching = [i for i, s in enumerate(steps) if (s.phase, s.layer) == (state.phase, state.layer)]
    if not matching:
        raise DefinitionError(
            "state.layer",
            f"this network (L = {network.L}) has no step ({state.phase}, layer {state.layer}); "
            f"its steps are {', '.join(f'{s.phase} {s.layer}' for s in steps)}",
        )
    initial_start = Start(network, config.learning_rate, config.batch_size)
    session = Session(
        config=config.model_copy(update={"state": None, "fast_forward": None}),
        x=x,
        y=y,
        initial=network,
        iteration=state.iteration,
        index=matching[0],
        starts={state.iteration: initial_start},
        cost_history=costs,
        history_iterations=settings.history_iterations,
        x_test=x_test,
        y_test=y_test,
        replayable=state.iteration == 0,
    )
    if config.fast_forward:
        # The fast path is bit-identical to stepping: iteration t is reproduced exactly.
        session.train(config.fast_forward, settings, "fast_forward", settings.max_fast_forward)
        session.index = matching[0]
    return session
