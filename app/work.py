"""Heavy work (training, gradient checks, output fields): in slices, shortest first.

A large /train keeps a core busy for seconds. Three things keep it from
starving everyone else:

- It runs on one thread per core, of lower CPU priority (Linux sets a nice value
  per thread), so the kernel serves the event loop and light requests first.
  BLAS gets one thread (`one_blas_thread`): OpenBLAS's own threads would run
  the products of a niced worker at normal priority, and the workers already
  keep every core busy.
- It is cut into slices (engine.slices: a generator that does a bounded part per
  resumption and returns the bits of doing it in one go), each about SLICE_WORK
  multiply-adds, and a worker runs one slice of a job at a time.
- Between slices, a worker takes the queued job with the least work left
  (its estimate is known up front: iterations × batch × parameters and the
  like), the first queued on a tie. A small job therefore waits at most for the
  slices already running, however many big ones are queued, and a big job
  still runs whenever no smaller one waits. Ordering by size, not by client
  address, also serves fairly the 200 students of a classroom behind one NAT
  address; what one address may ask for at all is bounded by app.limits.

`Scheduler` runs jobs on its own threads; `ShortestFirst` is its queue, without
threads, so the order is testable by itself.
"""

from __future__ import annotations

import contextlib
import functools
import heapq
import itertools
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

from threadpoolctl import threadpool_limits

from engine.slices import Sliced, finish

__all__ = [
    "INLINE_WORK",
    "LAYER_OVERHEAD",
    "NICE",
    "SLICE_WORK",
    "Job",
    "Scheduler",
    "ShortestFirst",
    "field_work",
    "gradcheck_work",
    "one_blas_thread",
    "run",
    "slice_count",
    "train_work",
]

R = TypeVar("R")

NICE = 10
# About 60 ms of one core here (a float64 multiply-add of a large product takes about 1 ns
# with the BLAS kernel this machine selects): the largest iteration the limits allow
# (2-256-256-1, batch 256: 51 M) is one slice.
SLICE_WORK = 64_000_000
# Work of at most one slice runs at once on the request's own thread, at normal priority
# like any light request (a step): it never waits for a worker. Longer work is queued.
INLINE_WORK = SLICE_WORK
# numpy's fixed cost of one layer's share of an iteration, in multiply-adds (measured: an
# iteration of 2-4-1 on 4 samples takes about 60 µs, nearly all of it overhead).
LAYER_OVERHEAD = 25_000


def train_work(batch: int, parameters: int, layers: int) -> int:
    """Multiply-adds of one training iteration: forward, backward and gradients."""
    return 3 * batch * parameters + LAYER_OVERHEAD * layers


def gradcheck_work(samples: int, parameters: int, layers: int) -> int:
    """Multiply-adds of checking one parameter: two forward passes."""
    return 2 * (samples * parameters + LAYER_OVERHEAD // 4 * layers)


def field_work(parameters: int) -> int:
    """Multiply-adds of one grid point of an output field."""
    return parameters


def slice_count(work_per_unit: int) -> int:
    """How many units (iterations, parameters) make a slice: at least one."""
    return max(1, SLICE_WORK // max(1, work_per_unit))


@dataclass(eq=False)
class Job(Generic[R]):
    """A sliced computation, its estimate of work left, and, once done, its outcome."""

    sliced: Sliced[R]
    remaining: float  # multiply-adds left (an estimate)
    per_unit: float  # multiply-adds per unit a slice yields
    done: threading.Event = field(default_factory=threading.Event)
    result: R | None = None
    error: BaseException | None = None

    def step(self) -> bool:
        """Run one slice; True when the job has finished (its result or error is set)."""
        try:
            units = next(self.sliced)
        except StopIteration as stop:
            self.result = stop.value
            return True
        except BaseException as exc:  # handed to the waiting caller, who raises it
            self.error = exc
            return True
        self.remaining = max(0.0, self.remaining - units * self.per_unit)
        return False


class ShortestFirst:
    """Queued jobs, the one with the least work left first; the earliest queued on a tie."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Job[Any]]] = []
        self._order = itertools.count()

    def __len__(self) -> int:
        return len(self._heap)

    def push(self, job: Job[Any]) -> None:
        heapq.heappush(self._heap, (job.remaining, next(self._order), job))

    def pop(self) -> Job[Any]:
        return heapq.heappop(self._heap)[2]


@functools.cache
def one_blas_thread() -> None:
    """Limit BLAS (numpy's matrix products) to the calling thread, for the whole process."""
    threadpool_limits(limits=1, user_api="blas")


def _lower_priority() -> None:
    with contextlib.suppress(OSError, AttributeError):  # not Linux, or not permitted
        thread = threading.get_native_id()
        os.setpriority(
            os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + NICE)
        )


class Scheduler:
    """`workers` threads that run queued jobs a slice at a time, shortest first."""

    def __init__(self, workers: int, initializer: Callable[[], None] = _lower_priority) -> None:
        self.workers = workers
        self.initializer = initializer
        self._queue = ShortestFirst()
        self._ready = threading.Condition()
        self._threads: list[threading.Thread] = []

    def queued(self) -> int:
        with self._ready:
            return len(self._queue)

    def run(self, sliced: Sliced[R], work: float, per_unit: float) -> R:
        """The result of `sliced` (whose slices yield units of `per_unit` multiply-adds each,
        `work` in all), computed on the workers; the caller waits."""
        job: Job[R] = Job(sliced, float(work), float(per_unit))
        with self._ready:
            self._start_workers()
            self._queue.push(job)
            self._ready.notify()
        job.done.wait()
        if job.error is not None:
            raise job.error
        return cast(R, job.result)  # set: the job ended without an error

    def _start_workers(self) -> None:  # under self._ready
        while len(self._threads) < self.workers:
            thread = threading.Thread(
                target=self._work, name=f"heavy-{len(self._threads)}", daemon=True
            )
            self._threads.append(thread)
            thread.start()

    def _work(self) -> None:
        self.initializer()
        while True:
            with self._ready:
                while not self._queue:
                    self._ready.wait()
                job = self._queue.pop()
            if job.step():
                job.done.set()
                continue
            with self._ready:
                self._queue.push(job)
                self._ready.notify()


# One worker per core: a slice then has a core to itself, and the job picked next starts as
# soon as one slice ends.
_scheduler = Scheduler(workers=max(1, os.cpu_count() or 1))


def run(sliced: Sliced[R], work: float, per_unit: float) -> R:
    """`sliced`'s result, computed by the process's heavy-work scheduler (or at once, when
    it is at most INLINE_WORK)."""
    if work <= INLINE_WORK:
        return finish(sliced)
    return _scheduler.run(sliced, work, per_unit)
