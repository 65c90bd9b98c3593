"""Fairness in a crowd (figures, not a timed test): three goals of issue 16, one app process.

1. Training under load. A 1,000-iteration XOR train through a session
   (POST /api/v1/sessions/{id}/train), timed quiet and then while `--loaders`
   clients loop the largest /api/v1/train the limits allow (2-256-256-1, batch
   256, as many iterations as max_train_work allows). Printed: median and
   worst of `--repeats` runs each, and loaded / quiet. Goal: loaded ≤ 250 ms.
2. A flood of creations. An instructor creates a session and starts its live
   class, then one address asks for 1,001 sessions as fast as it can; then the
   instructor's session and class (idle meanwhile) are read. Printed: how many
   creations were made and refused (429), and both statuses. Goal: 200 and 200.
3. Memory. `--sessions` sessions created and used (a step, a 50-iteration
   train) one after another, each by another address, in the app's own store
   in this process, against a store budget of `--budget-mb`. Printed: the
   process's resident size before (the fixed overhead: modules, numpy, the
   app) and after, and (after − before) / budget. Goal: ≤ 1.

    .venv/bin/python bench/fairness.py [--loaders 6] [--repeats 5] [--sessions 10000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # the app's packages, not bench/engine.py, for `import engine`

from tests.servers import AppProcess  # noqa: E402

XOR_SESSION: dict[str, Any] = {
    "network": {
        "layers": [2, 4, 1],
        "activations": ["tanh", "sigmoid"],
        "init": {"method": "xavier", "seed": 0},
    },
    "cost": "cross_entropy",
    "learning_rate": 0.5,
    "data": {"dataset": "xor", "size": 4, "noise": 0.0, "seed": 0},
    "batch_size": 4,
}
BIG: dict[str, Any] = {
    "network": {
        "layers": [2, 256, 256, 1],
        "activations": ["tanh", "tanh", "sigmoid"],
        "init": {"method": "xavier", "seed": 0},
    },
    "cost": "cross_entropy",
    "learning_rate": 0.1,
    "data": {"dataset": "spiral", "size": 256, "seed": 0},
    "batch_size": 256,
}


def xor_train_ms(http: httpx.Client) -> float:
    sid = http.post("/api/v1/sessions", json=XOR_SESSION).json()["id"]
    began = time.perf_counter()
    answer = http.post(f"/api/v1/sessions/{sid}/train", json={"iterations": 1000})
    elapsed = (time.perf_counter() - began) * 1000
    answer.raise_for_status()
    http.delete(f"/api/v1/sessions/{sid}")
    return elapsed


def under_load(url: str, loaders: int, repeats: int) -> None:
    with httpx.Client(base_url=url, timeout=120) as http:
        limits = http.get("/api/v1/options").json()["limits"]
        parameters = 2 * 256 + 256 + 256 * 256 + 256 + 256 + 1
        iterations = min(limits["max_iterations"], limits["max_train_work"] // (256 * parameters))
        xor_train_ms(http)  # warm up
        quiet = [xor_train_ms(http) for _ in range(repeats)]
        stop = threading.Event()
        served = [0] * loaders

        def loop(k: int) -> None:
            with httpx.Client(base_url=url, timeout=600) as mine:
                while not stop.is_set():
                    mine.post("/api/v1/train", json={**BIG, "iterations": iterations})
                    served[k] += 1

        threads = [threading.Thread(target=loop, args=(k,)) for k in range(loaders)]
        for thread in threads:
            thread.start()
        time.sleep(2.0)  # every loader has a train running or queued
        loaded = [xor_train_ms(http) for _ in range(repeats)]
        stop.set()
        for thread in threads:
            thread.join()
    print(
        f"1. XOR 1,000 iterations through a session; {loaders} clients loop /train "
        f"2-256-256-1 batch 256 × {iterations} iterations ({sum(served)} served meanwhile)"
    )
    q, lo = statistics.median(quiet), statistics.median(loaded)
    print(f"   quiet:  median {q:6.0f} ms, worst {max(quiet):6.0f} ms")
    print(f"   loaded: median {lo:6.0f} ms, worst {max(loaded):6.0f} ms   (goal ≤ 250 ms)")
    print(f"   loaded / quiet: {lo / q:.2f} (median), {max(loaded) / q:.2f} (worst)")


def flood(url: str, creations: int) -> None:
    with httpx.Client(base_url=url, timeout=60) as http:
        sid = http.post("/api/v1/sessions", json={"preset": "worked_example"}).json()["id"]
        code = http.post(f"/api/v1/sessions/{sid}/class").json()["code"]
        statuses: dict[int, int] = {}
        for _ in range(creations):
            status = http.post("/api/v1/sessions", json=XOR_SESSION).status_code
            statuses[status] = statuses.get(status, 0) + 1
        session = http.get(f"/api/v1/sessions/{sid}").status_code
        klass = http.get(f"/api/v1/classes/{code}").status_code
    made, refused = statuses.get(201, 0), statuses.get(429, 0)
    others = {s: n for s, n in statuses.items() if s not in (201, 429)}
    more = f", others {others}" if others else ""
    print(f"2. {creations:,} creations from one address: {made} made, {refused} refused{more}")
    print(f"   the instructor's session: {session}, its class: {klass}   (goal: 200 and 200)")


def resident_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def memory(sessions: int, budget_mb: int) -> None:
    """In this process (the store's memory is the point, not HTTP): the app's own store,
    with sessions made and used as its routes do, each by another address."""
    from app.main import create_app
    from app.sessions.create import new_session
    from app.settings import Settings
    from app.spec.requests import SessionConfig

    settings = Settings(
        store_max_bytes=budget_mb * 1024 * 1024,
        max_sessions=100_000,  # the byte budget, not the count, is what binds
        session_pin_seconds=0,  # every session idle once used: eviction at work
    )
    store = create_app(settings).state.store
    # About 1 MB each once trained (51 kept iterations of 2,600 parameters): the budget,
    # not the count, decides how many stay.
    body: dict[str, Any] = {
        **XOR_SESSION,
        "network": {**XOR_SESSION["network"], "layers": [2, 48, 48, 1],
                    "activations": ["tanh", "tanh", "sigmoid"]},
        "data": {"dataset": "spiral", "size": 64, "seed": 0},
        "batch_size": 16,
    }  # fmt: skip
    config = SessionConfig.model_validate(body)

    def make_and_use(k: int) -> None:
        sid = store.add(
            new_session(config, settings), owner=f"10.{k // 65536 % 256}.{k // 256 % 256}.{k % 256}"
        )
        with store.open(sid) as session:
            session.step("forward", "step")
            session.train(50, settings)

    make_and_use(0)  # warm: code paths, caches
    before = peak = resident_bytes()
    began = time.perf_counter()
    for k in range(1, sessions + 1):
        make_and_use(k)
        if k % 250 == 0:
            peak = max(peak, resident_bytes())
    after = resident_bytes()
    peak = max(peak, after)
    inner = store.inner
    mb, budget = 1024 * 1024, budget_mb * 1024 * 1024
    seconds = time.perf_counter() - began
    print(f"3. {sessions:,} sessions created and used (2-48-48-1, 64 samples, a step and 50 "
          f"iterations each) in {seconds:.0f} s; store budget {budget_mb} MB")  # fmt: skip
    print(f"   kept: {len(inner)} sessions, {inner.bytes_used / mb:.1f} MB by the store's count")
    print(f"   resident: {before / mb:.0f} MB before (the fixed overhead: Python, numpy, the app), "
          f"{after / mb:.0f} MB after, {peak / mb:.0f} MB at most")  # fmt: skip
    print(f"   (after − before) / budget: {(after - before) / budget:.2f}, "
          f"(peak − before) / budget: {(peak - before) / budget:.2f}   (goal ≤ 1)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--loaders", type=int, default=6)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--creations", type=int, default=1001)
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--budget-mb", type=int, default=64)
    parser.add_argument("--only", choices=["load", "flood", "memory"])
    args = parser.parse_args()
    if args.only in (None, "load"):
        with AppProcess() as app:
            under_load(app.url, args.loaders, args.repeats)
    if args.only in (None, "flood"):
        with AppProcess() as app:
            flood(app.url, args.creations)
    if args.only in (None, "memory"):
        memory(args.sessions, args.budget_mb)


if __name__ == "__main__":
    main()
