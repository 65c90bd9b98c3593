"""Continuous training in headless Chromium against the fast path alone (figures, not a test).

Spiral (200 samples, noise 0.02), 2-8-8-1 tanh/tanh/sigmoid, cross-entropy,
batch 32. The page trains continuously ("Run": the fast path in chunks, with
the decision boundary redrawn after every chunk) for --seconds; the page's own
figures are read back, and the boundary's redraws are counted independently
with a MutationObserver on its data-drawn-iteration attribute.

In the same run, as bench/engine.py does, the baselines:
  engine   engine.train in this process, one BLAS thread, blocks of 2,000
           iterations (before and after the browser run; the median)
  server   POST /api/v1/sessions/{id}/train with 10,000 iterations a call,
           on the same uvicorn (the fast path plus one HTTP round trip per call)
Figures: iterations/s in the browser with ≥ 10 boundary updates/s, and the
ratio browser / engine (goal ≥ 0.5) and browser / server.

    .venv/bin/python bench/training.py [--seconds 8]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

from engine import init_network, make_dataset, train  # noqa: E402
from tests.e2e.chromium import CHROMIUM_ARGS, chromium_path  # noqa: E402
from tests.servers import AppProcess  # noqa: E402

CONFIG: dict[str, Any] = {
    "network": {
        "layers": [2, 8, 8, 1],
        "activations": ["tanh", "tanh", "sigmoid"],
        "init": {"method": "xavier", "seed": 0},
    },
    "cost": "cross_entropy",
    "learning_rate": 0.3,
    "data": {"dataset": "spiral", "size": 200, "noise": 0.02, "seed": 0},
    "batch_size": 32,
    "seed": 0,
}
PAGE = (
    "/?layers=2-8-8-1&act=tanh.tanh.sigmoid&init=xavier&iseed=0&cost=cross_entropy&lr=0.3"
    "&data=spiral&size=200&noise=0.02&dseed=0&batch=32&seed=0"
)


def chromium() -> str:
    path = chromium_path()
    if path is None:
        raise SystemExit("Chromium is not installed (apt-get install chromium)")
    return path


def engine_rate(seconds: float = 2.0) -> float:
    """Iterations/s of engine.train on the spiral set, one BLAS thread, blocks of 2,000."""
    data = make_dataset("spiral", 200, 0.02, 0)
    net = init_network([2, 8, 8, 1], ["tanh", "tanh", "sigmoid"], "xavier", 0)
    rates = []
    with threadpool_limits(1):
        end = time.perf_counter() + seconds
        first = 0
        while time.perf_counter() < end:
            t0 = time.perf_counter()
            result = train(
                net, "cross_entropy", data.x, data.y, 0.3, 2000, 32, 0, first_iteration=first
            )
            rates.append(2000 / (time.perf_counter() - t0))
            net, first = result.network, first + 2000
    return statistics.median(rates)


def server_rate(client: httpx.Client, seconds: float = 3.0) -> float:
    """Iterations/s of the session train route in calls of 10,000 iterations."""
    sid = client.post("/api/v1/sessions", json=CONFIG).json()["id"]
    rates = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t0 = time.perf_counter()
        r = client.post(f"/api/v1/sessions/{sid}/train", json={"iterations": 10000})
        r.raise_for_status()
        rates.append(10000 / (time.perf_counter() - t0))
    client.delete(f"/api/v1/sessions/{sid}")
    return statistics.median(rates)


def browser_run(url: str, seconds: float) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(url + PAGE)
            page.wait_for_function("() => document.body.dataset.ready === 'true'")
            page.wait_for_function(
                "() => document.querySelector(\"[data-view='boundary']\").dataset.drawnIteration"
            )
            page.evaluate(
                """() => { window.__redraws = [];
                    new MutationObserver(() => window.__redraws.push(performance.now()))
                      .observe(document.querySelector("[data-view='boundary']"),
                               {attributes: true, attributeFilter: ['data-drawn-iteration']}); }"""
            )
            t0 = page.evaluate("() => performance.now()")
            page.locator("[data-action='run']").click()
            page.wait_for_timeout(seconds * 1000)
            page.locator("[data-action='run']").click()
            page.wait_for_function(
                """() => { const s = window.backpropLens.store.state;
                           return !s.training && !s.busy && !s.live; }"""
            )
            result: dict[str, Any] = page.evaluate(
                """t0 => { const s = window.backpropLens.store.state;
                           return { run: s.lastRun, iteration: s.session.cursor.iteration,
                                    redraws: window.__redraws.map(t => t - t0) }; }""",
                t0,
            )
            return result
        finally:
            browser.close()


def blas_kernel() -> str:
    infos = threadpool_info()
    return ", ".join(
        f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')}" for i in infos
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    with (
        AppProcess({"OPENBLAS_NUM_THREADS": "1"}) as app,
        httpx.Client(base_url=app.url, timeout=60) as client,
    ):
        print(f"BLAS: {blas_kernel()}")
        engine_before = engine_rate()
        server_before = server_rate(client)
        page = browser_run(app.url, args.seconds)
        engine_after = engine_rate()
        server_after = server_rate(client)
    run = page["run"]
    redraws = [t for t in page["redraws"] if t > 0]
    span = run["seconds"]
    # boundary updates per second over the run, and the longest gap between two
    gaps = [b - a for a, b in itertools.pairwise(redraws)]
    engine = statistics.median([engine_before, engine_after])
    server = statistics.median([server_before, server_after])
    browser = run["iterations"] / span
    print("spiral 2-8-8-1, batch 32, continuous training in headless Chromium")
    print(f"  browser      {browser:9.0f} it/s  ({run['iterations']} iterations in {span:.2f} s)")
    print(
        f"  boundary     {len(redraws) / span:9.1f} redraws/s (observed), "
        f"median gap {statistics.median(gaps):.0f} ms, longest {max(gaps):.0f} ms"
    )
    print(
        f"  engine alone {engine:9.0f} it/s  (before {engine_before:.0f}, after {engine_after:.0f})"
    )
    print(
        f"  server alone {server:9.0f} it/s  (before {server_before:.0f}, after {server_after:.0f})"
    )
    print(f"  ratio browser / engine  {browser / engine:.2f}   (goal ≥ 0.5)")
    print(f"  ratio browser / server  {browser / server:.2f}")


if __name__ == "__main__":
    main()
