"""Rendering speed of one step in headless Chromium (figures, not a test).

For a 4-16-16-16-3 network with a batch of 8, steps through whole iterations
in the real page and reads the page's own timing: from a parsed API response
to every view updated and laid out (performance.now() around the store update
in static/js/main.js, exposed as window.backpropLens.renderTimes). Also prints
the time to just after the next frame is painted (frameTimes, which includes
waiting for that frame) and the whole round trip of a step as the user sees it
(request, render and that frame). Goal: median render ≤ 16 ms per step.

Timings on a shared machine wander, so a baseline runs in the same page after
every step: building and laying out as many bare <td>s (no CSS, no diagram)
as the step shows; the ratio render / baseline is the figure to compare
between machines and runs.

    .venv/bin/python bench/render.py [--iterations 5] [--width 1280 --height 720]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.chromium import CHROMIUM_ARGS, chromium_path  # noqa: E402

UVICORN = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]


def config() -> dict[str, Any]:
    """4-16-16-16-3, tanh hidden layers, softmax output, 8 fixed samples, batch 8."""
    inputs = [[((i * 7 + j * 3) % 11) / 10 - 0.5 for j in range(4)] for i in range(8)]
    targets = [[1.0 if k == i % 3 else 0.0 for k in range(3)] for i in range(8)]
    return {
        "network": {
            "layers": [4, 16, 16, 16, 3],
            "activations": ["tanh", "tanh", "tanh", "softmax"],
            "init": {"method": "xavier", "seed": 0},
        },
        "cost": "softmax_cross_entropy",
        "learning_rate": 0.1,
        "data": {"inputs": inputs, "targets": targets},
        "batch_size": 8,
        "seed": 0,
    }


def chromium() -> str:
    path = chromium_path()
    if path is None:
        raise SystemExit("Chromium is not installed (apt-get install chromium)")
    return path


def metrics(cdp: Any) -> dict[str, float]:
    """Chromium's cumulative main-thread timings (seconds), via the DevTools protocol."""
    answer = cdp.send("Performance.getMetrics")
    return {m["name"]: float(m["value"]) for m in answer["metrics"]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def summary(name: str, values: list[float]) -> str:
    ordered = sorted(values)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]

    return (
        f"{name:<34} n={len(values):>4}  median {statistics.median(values):6.2f} ms  "
        f"p90 {pct(0.9):6.2f}  p99 {pct(0.99):6.2f}  max {ordered[-1]:6.2f}  "
        f"mean {statistics.fmean(values):6.2f}"
    )


STEP_JS = """async () => {
  const lens = window.backpropLens;
  const frames = lens.frameTimes.length;
  const t0 = performance.now();
  await lens.actions.step('forward', 'step');
  while (lens.frameTimes.length === frames) {
    await new Promise(r => setTimeout(r, 1));
  }
  const s = lens.store.state.session;
  // Baseline, same page and moment: as many bare <td>s as the step shows
  // (equation and update view), built and laid out with no styling at all.
  const cells = document.querySelectorAll(
    "[data-view='equation'] td, [data-view='update'] td").length;
  const host = document.createElement('div');
  host.style.cssText = 'position: absolute; left: -20000px; top: 0';
  document.body.append(host);
  void document.body.offsetHeight;
  const b0 = performance.now();
  const table = document.createElement('table');
  const tbody = document.createElement('tbody');
  let tr = null;
  for (let i = 0; i < cells; i++) {
    if (i % 8 === 0) { tr = document.createElement('tr'); tbody.append(tr); }
    const td = document.createElement('td');
    td.textContent = (Math.random() - 0.5).toPrecision(4);
    tr.append(td);
  }
  table.append(tbody);
  host.append(table);
  void document.body.offsetHeight;
  const baseline = performance.now() - b0;
  host.remove();
  return {total: performance.now() - t0, phase: s.steps[s.cursor.index].phase,
          render: lens.renderTimes[lens.renderTimes.length - 1],
          frame: lens.frameTimes[lens.frameTimes.length - 1], baseline, cells};
}"""


def run(iterations: int, width: int, height: int, worked: bool = False) -> None:
    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*UVICORN, "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
    )
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": width, "height": height})
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")
            page.goto(url)
            page.wait_for_function("() => document.body.dataset.ready === 'true'")
            chosen = {"preset": "worked_example"} if worked else config()
            page.evaluate("cfg => window.backpropLens.actions.createSession(cfg)", chosen)
            layers = page.evaluate("() => window.backpropLens.store.state.session.network.layers")
            assert layers == ([2, 2, 2] if worked else [4, 16, 16, 16, 3]), layers
            steps_per_iteration = 4 * (len(layers) - 1)
            first: list[float] = []
            render: list[float] = []
            frame: list[float] = []
            baseline: list[float] = []
            cells: list[int] = []
            total: list[float] = []
            by_phase: dict[str, list[float]] = {}
            metrics_before: dict[str, float] = {}
            for i in range(iterations * steps_per_iteration):
                if i == steps_per_iteration:
                    metrics_before = metrics(cdp)
                r = page.evaluate(STEP_JS)
                (first if i < steps_per_iteration else render).append(r["render"])
                if i >= steps_per_iteration:
                    total.append(r["total"])
                    frame.append(r["frame"])
                    baseline.append(r["baseline"])
                    cells.append(r["cells"])
                    by_phase.setdefault(r["phase"], []).append(r["render"])
            metrics_after = metrics(cdp)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)

    net = "2-2-2 worked example, batch 1" if worked else "4-16-16-16-3, batch 8"
    print(f"Backprop Lens render bench: {net}, viewport {width}×{height}")
    print(f"Chromium headless, {iterations} iterations × {steps_per_iteration} steps")
    print(summary("render, first iteration (cold)", first))
    print(summary("render, later iterations", render))
    for phase, values in by_phase.items():
        print(summary(f"  render, {phase}", values))
    print(summary("response → after next frame painted", frame))
    print(summary("step round trip (API + render + frame)", total))
    n = len(total)
    split = ", ".join(
        f"{name} {(metrics_after[key] - metrics_before[key]) * 1000 / n:.1f} ms"
        for name, key in (
            ("script", "ScriptDuration"),
            ("style", "RecalcStyleDuration"),
            ("layout", "LayoutDuration"),
            ("all main-thread tasks", "TaskDuration"),
        )
    )
    print(f"Chromium's own per-step split (later iterations, whole round trip): {split}")
    print(f"load average while running: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(summary("baseline: as many bare <td>s", baseline))
    ratio = statistics.median(render) / statistics.median(baseline)
    print(
        f"matrix cells per step: median {statistics.median(cells):.0f}, max {max(cells)}; "
        f"render / baseline (medians): {ratio:.2f}"
    )
    median = statistics.median(render)
    print(f"goal median render ≤ 16 ms: {'met' if median <= 16 else 'NOT met'} ({median:.2f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=6)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=720)
    parser.add_argument(
        "--worked-example", action="store_true", help="the 2-2-2 preset instead (a reference)"
    )
    args = parser.parse_args()
    if args.iterations < 2:
        parser.error("--iterations must be at least 2: the first one is timed apart (cold)")
    run(args.iterations, args.width, args.height, args.worked_example)


if __name__ == "__main__":
    main()
