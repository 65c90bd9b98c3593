"""A stepping session: plain data, and the moves of the cursor over DESIGN.md's 4L steps.

A session holds its configuration, its data, the network at the start of each
kept iteration (with the learning rate, batch size, optimizer and weight decay
that iteration runs with, and what the optimizer carries into it), the
current iteration and cursor index, the costs of completed iterations, and
whole-set evaluations at the iterations it stopped at. The current
iteration's trace is recomputed from those on demand and cached: a trace is a
pure function of its start and its batch (the batch of iteration t is a pure
function of the seed and t), so stepping forward and back gives identical
numbers.

JSON is built elsewhere (app.wire.state); a session only moves and computes.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from app import work
from app.errors import ConflictError
from app.settings import Settings
from app.spec.build import build_updater, check_batch_size, check_iterations, check_trace_size
from app.spec.requests import PatchRequest, SessionConfig, optimizer_in
from engine import (
    DefinitionError,
    Evaluation,
    Network,
    OptimizerState,
    Step,
    Trace,
    Updater,
    batch_indices,
    evaluate,
    iteration_steps,
    select_batch,
    trace_iteration,
    train_in_slices,
)
from engine.activations import Array
from engine.optimizers import SGD

__all__ = ["EVALUATIONS_KEPT", "EvaluationLog", "EvaluationRow", "Session", "Start", "same_mark"]

EVALUATIONS_KEPT = 500  # iterations whose whole-set evaluation a session remembers

# (iteration, train cost, test cost, train accuracy, test accuracy)
EvaluationRow = tuple[int, float, float | None, float | None, float | None]


@dataclass(frozen=True, eq=False)
class Start:
    """The start of one iteration: the network and the hyper-parameters it runs with,
    and what the optimizer carries into it (None: nothing yet, as at iteration 0)."""

    network: Network
    learning_rate: float
    batch_size: int
    optimizer_state: OptimizerState | None = None
    optimizer: Updater = SGD
    weight_decay: float = 0.0

    def carried_on(self, network: Network, state: OptimizerState | None) -> Start:
        """The next start: the same hyper-parameters, from `network` and `state`."""
        return Start(
            network, self.learning_rate, self.batch_size, state, self.optimizer, self.weight_decay
        )


@dataclass(eq=False)
class EvaluationLog:
    """Whole-set evaluations at the iterations a session stopped at, oldest first.

    `version` grows with every change, so a reader can keep what it built from
    the rows until they change (app.wire.state keeps their JSON).
    """

    rows: deque[EvaluationRow] = field(default_factory=lambda: deque(maxlen=EVALUATIONS_KEPT))
    version: int = 0

    def record(self, row: EvaluationRow) -> None:
        """Keep `row` as the latest, forgetting rows of later iterations (stepped back)."""
        rows = self.rows
        while rows and rows[-1][0] > row[0]:
            rows.pop()
            self.version += 1
        if not rows or rows[-1][0] != row[0]:
            rows.append(row)
            self.version += 1


@dataclass(eq=False)
class Session:
    config: SessionConfig  # as given (data always in `data`), without `state`; PATCH updates it
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
    evaluations: EvaluationLog = field(default_factory=EvaluationLog)
    # Whether the configuration, trained `iteration` times from its own network,
    # gives this iteration's start: false once a PATCH changed the learning rate
    # or batch size after iteration 0, or when the session began at a later
    # iteration. A share link can only replay a replayable session.
    replayable: bool = True
    # Derived, never part of the session's state: a shared store would drop it.
    _trace: tuple[int, Start, Trace, NDArray[np.intp] | None] | None = field(
        default=None, repr=False
    )
    _evaluation: tuple[Start, Evaluation, Evaluation | None] | None = field(
        default=None, repr=False
    )

    # ------------------------------------------------------------ reading

    @property
    def steps(self) -> tuple[Step, ...]:
        return iteration_steps(self.initial.L)

    @property
    def step_now(self) -> Step:
        return self.steps[self.index]

    @property
    def start(self) -> Start:
        return self.starts[self.iteration]

    @property
    def oldest_iteration(self) -> int:
        return next(iter(self.starts))

    @property
    def can_step_back(self) -> bool:
        return self.index > 0 or self.iteration > self.oldest_iteration

    def trace(self) -> tuple[Trace, NDArray[np.intp] | None]:
        """The current iteration's trace and its batch's sample indices (None: all)."""
        start = self.start
        cached = self._trace
        if cached is not None and cached[0] == self.iteration and cached[1] is start:
            return cached[2], cached[3]
        indices = batch_indices(self.x.shape[1], start.batch_size, self.config.seed, self.iteration)
        xb, yb = select_batch(self.x, self.y, indices)
        trace = trace_iteration(
            start.network,
            self.config.cost,
            xb,
            yb,
            start.learning_rate,
            start.optimizer,
            start.optimizer_state,
            start.weight_decay,
        )
        self._trace = (self.iteration, start, trace, indices)
        return trace, indices

    def evaluate(self) -> tuple[Evaluation, Evaluation | None]:
        """The whole train and test sets through the current iteration's start network."""
        start = self.start
        cached = self._evaluation
        if cached is not None and cached[0] is start:
            return cached[1], cached[2]
        cost = self.config.cost
        train_set = evaluate(start.network, cost, self.x, self.y)
        test = None
        if self.x_test is not None and self.y_test is not None and self.x_test.shape[1]:
            test = evaluate(start.network, cost, self.x_test, self.y_test)
        self._evaluation = (start, train_set, test)
        return train_set, test

    def all_inputs(self) -> Array:
        """Every sample's inputs, training and test, (n₀, m + k)."""
        if self.x_test is None:
            return self.x
        return np.concatenate([self.x, self.x_test], axis=1)

    def nbytes(self) -> int:
        """An estimate of the memory this session holds (for the store's budget)."""
        net0 = self.initial
        params = sum(W.nbytes + b.nbytes for W, b in zip(net0.weights, net0.biases, strict=True))
        # each kept start: its parameters, and what the optimizer carries (v; s; m and v)
        carried = len(self.start.optimizer.optimizer.state_names)
        total = self.x.nbytes + self.y.nbytes + params * (len(self.starts) * (1 + carried) + 1)
        if self.x_test is not None and self.y_test is not None:
            total += self.x_test.nbytes + self.y_test.nbytes
        total += 80 * len(self.evaluations.rows)
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

    def mark(self) -> tuple[Any, ...]:
        """What a change replaces: compare marks before and after a request with same_mark."""
        return (
            self.iteration,
            self.index,
            len(self.cost_history),
            self.config,
            self.starts,
            *self.starts.values(),
        )

    # ------------------------------------------------------------ moving

    def record_evaluation(self) -> None:
        """Remember the whole-set evaluation at the current iteration (the cost curves)."""
        train_set, test = self.evaluate()
        self.evaluations.record(
            (
                self.iteration,
                train_set.cost,
                None if test is None else test.cost,
                train_set.accuracy,
                None if test is None else test.accuracy,
            )
        )

    def _trim(self) -> None:
        oldest = self.iteration - self.history_iterations
        for t in [t for t in self.starts if t < oldest or t > self.iteration]:
            del self.starts[t]

    def _finish_iteration(self) -> None:
        """Apply the current iteration's update; the cursor lands on the next iteration's step 0."""
        trace, _ = self.trace()
        if trace.divergence is not None:
            d = trace.divergence
            raise ConflictError(
                f"iteration {self.iteration} diverged (a non-finite {d.quantity} in {d.phase}, "
                f"layer {d.layer}), so its update cannot be applied; reset the session or "
                "lower the learning rate",
            )
        self.cost_history.append(float(trace.cost))
        start = self.start
        self.iteration += 1
        self.starts[self.iteration] = start.carried_on(trace.updated_network, trace.optimizer_state)
        self.index = 0
        self._trim()

    def _back_to_previous_iteration(self, index: int) -> None:
        if self.iteration - 1 not in self.starts:
            raise ConflictError(
                f"cannot step back before iteration {self.oldest_iteration}: only the last "
                f"{self.history_iterations} iterations are kept",
            )
        del self.starts[self.iteration]
        self.iteration -= 1
        if self.cost_history:
            self.cost_history.pop()
        self.index = index
        self._config_from_start()

    def _config_from_start(self) -> None:
        """Say the hyper-parameters the current iteration runs with.

        Stepping back past a PATCH lands on an iteration that ran with the old
        values; going forward again replays it with them (the same numbers as
        before), so the configuration must say so too, not the newer values.
        """
        start, config = self.start, self.config
        update: dict[str, object] = {}
        if start.learning_rate != config.learning_rate:
            update["learning_rate"] = start.learning_rate
        if start.batch_size != config.batch_size:
            update["batch_size"] = start.batch_size
        if start.weight_decay != (config.weight_decay or 0.0):
            update["weight_decay"] = start.weight_decay or None
        if start.optimizer.settings() != build_updater(config.optimizer).settings():
            rule = start.optimizer.settings()
            update["optimizer"] = None if rule["name"] == "sgd" else optimizer_in(rule)
        if update:
            self.config = self.config.model_copy(update=update)

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
        if direction == "forward":
            self._forward(unit)
        else:
            self._back(unit)
        self.record_evaluation()

    def _forward(self, unit: Literal["step", "phase", "iteration"]) -> None:
        last = len(self.steps) - 1
        if unit == "step" and self.index < last:
            self.index += 1
        elif unit == "phase":
            steps, phase = self.steps, self.steps[self.index].phase
            following = [i for i in range(self.index + 1, last + 1) if steps[i].phase != phase]
            if following:
                self.index = following[0]
            else:
                self._finish_iteration()
        else:
            self._finish_iteration()

    def _back(self, unit: Literal["step", "phase", "iteration"]) -> None:
        last = len(self.steps) - 1
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
        check_iterations(
            iterations,
            min(start.batch_size, m),
            start.network.parameter_count,
            settings,
            field,
            most_iterations,
        )
        batch = min(start.batch_size, m)
        per_iteration = work.train_work(batch, start.network.parameter_count, start.network.L)
        sliced = train_in_slices(
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
            optimizer=start.optimizer,
            state=start.optimizer_state,
            weight_decay=start.weight_decay,
            slice_iterations=work.slice_count(per_iteration),
        )
        result = work.run(sliced, iterations * per_iteration, per_iteration)
        attempted = iterations if result.diverged_at is None else result.diverged_at + 1
        completed = iterations if result.diverged_at is None else result.diverged_at
        first_kept = self.iteration + attempted - len(result.starts)
        kept = zip(result.starts, result.start_states, strict=True)
        for k, (network, state) in enumerate(kept):
            self.starts[first_kept + k] = start.carried_on(network, state)
        self.cost_history.extend(float(c) for c in result.costs[:completed])
        self.iteration += completed
        if self.iteration not in self.starts or result.diverged_at is None:
            self.starts[self.iteration] = start.carried_on(result.network, result.state)
        self.starts = dict(sorted(self.starts.items()))
        self.index = 0
        self._trim()
        self.record_evaluation()

    def patch(self, change: PatchRequest, settings: Settings) -> None:
        """New hyper-parameters from the current iteration on (earlier ones keep theirs)."""
        update: dict[str, object] = change.model_dump(exclude_none=True, exclude={"optimizer"})
        if change.batch_size is not None:
            batch_size = change.batch_size
            check_batch_size(batch_size, settings)
            check_trace_size(self.initial, min(batch_size, self.x.shape[1]), settings, "batch_size")
        if change.optimizer is not None:  # plain descent is always written as null
            update["optimizer"] = None if change.optimizer.name == "sgd" else change.optimizer
        if change.weight_decay == 0.0:  # as is no weight decay
            update["weight_decay"] = None
        if all(getattr(self.config, k) == v for k, v in update.items()):
            return
        if self.iteration > 0:  # earlier iterations ran with the old values
            self.replayable = False
        self.config = self.config.model_copy(update=update)
        start, rule = self.start, build_updater(self.config.optimizer)
        # Another rule carries other arrays: it starts from nothing, as PyTorch would.
        same_rule = rule.optimizer is start.optimizer.optimizer
        self.starts[self.iteration] = Start(
            start.network,
            self.config.learning_rate,
            self.config.batch_size,
            start.optimizer_state if same_rule else None,
            rule,
            self.config.weight_decay or 0.0,
        )

    def first_start(self, network: Network, state: OptimizerState | None = None) -> Start:
        """A start with the configuration's hyper-parameters (a new or reset session's)."""
        config = self.config
        return Start(
            network,
            config.learning_rate,
            config.batch_size,
            state,
            build_updater(config.optimizer),
            config.weight_decay or 0.0,
        )

    def reset(self) -> None:
        self.iteration = 0
        self.index = 0
        self.starts = {0: self.first_start(self.initial)}
        self.cost_history.clear()
        self.replayable = True
        self.record_evaluation()


def same_mark(before: tuple[Any, ...], after: tuple[Any, ...]) -> bool:
    """Whether a session's marks (Session.mark) show no change: the same objects throughout."""
    return len(before) == len(after) and all(
        a is b or (isinstance(a, int) and a == b) for a, b in zip(before, after, strict=True)
    )
