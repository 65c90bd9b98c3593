"""Long engine calls (training, gradient checks) on threads of lower CPU priority.

A large /train keeps the CPU busy for seconds. On the server's ordinary
threads it competes with the event loop as an equal, and every other client
waits for a core. Here it runs on a small pool of threads whose nice value is
raised (Linux sets priority per thread), so the kernel serves the event loop
first; the work itself is unchanged.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

__all__ = ["NICE", "run"]

P = ParamSpec("P")
R = TypeVar("R")

NICE = 10


def _lower_priority() -> None:
    with contextlib.suppress(OSError, AttributeError):  # not Linux, or not permitted
        thread = threading.get_native_id()
        os.setpriority(
            os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + NICE)
        )


_executor = ThreadPoolExecutor(
    max_workers=4, thread_name_prefix="heavy", initializer=_lower_priority
)


def run(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """fn(*args, **kwargs) on a low-priority thread; the caller waits for the result."""
    return _executor.submit(fn, *args, **kwargs).result()
