"""Rendering speed of one step in headless Chromium (figures, not a test).

Steps through whole iterations of three networks in the real page and reads
the page's own timing: from a parsed API response to every view updated and
laid out (performance.now() around the store update in static/js/main.js,
exposed as window.backpropLens.renderTimes), the time to just after the next
frame is painted (frameTimes, which includes waiting for that frame) and the
whole round trip of a step as the user sees it (request, render and that
frame). The networks and their goals (median round trip):

    small   4-16-16-16-3, batch 8      ≤ 50 ms
    medium  64-32-10, batch 32         ≤ 80 ms
    large   64-256-256-10, batch 32    ≤ 300 ms

Timings on a shared machine wander, so two baselines run in the same page
after every step, and the ratios to them are the figures to compare between
machines and runs:
- render baseline: building and laying out as many bare <td>s (no CSS, no
  diagram) as the step's matrices hold values (counted from the API's trace,
  so it does not depend on how the page draws them);
- round-trip baseline: the same state fetched again (GET) and parsed, with
  nothing drawn: the floor a step cannot go below.

    .venv/bin/python bench/render.py [--network small|medium|large|all]
        [--iterations 4] [--width 1440 --height 900] [--worked-example]
        [--without-diagram]

--without-diagram hides the network diagram (display: none), which tells its
share of a step from the rest's: the browser then skips its style, layout and
paint (its script still runs).

Then, on the worked example, every entry of every step's result is opened in
turn (a click, as a learner does) and the page's own measure "bpl:expansion"
is read: from the click to the expansion laid out with its numbers, the terms
request included. Goal: median ≤ 50 ms. Its baseline, in the same run, is
that request alone (the browser's resource timing of the same GET …/terms).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.chromium import CHROMIUM_ARGS, chromium_path  # noqa: E402
from tests.e2e.helpers import explicit_config  # noqa: E402
from tests.servers import AppProcess  # noqa: E402


@dataclass(frozen=True)
class Network:
    name: str
    layers: list[int]
    batch: int
    goal_ms: float  # median step round trip

    @property
    def label(self) -> str:
        return f"{'-'.join(map(str, self.layers))}, batch {self.batch}"


NETWORKS = {
    "small": Network("small", [4, 16, 16, 16, 3], 8, 50),
    "medium": Network("medium", [64, 32, 10], 32, 80),
    "large": Network("large", [64, 256, 256, 10], 32, 300),
}


def config(net: Network) -> dict[str, Any]:
    """tanh hidden layers, softmax output, fixed samples (2 batches' worth)."""
    return explicit_config(net.layers, net.batch)


def chromium() -> str:
    path = chromium_path()
    if path is None:
        raise SystemExit("Chromium is not installed (apt-get install chromium)")
    return path


def metrics(cdp: Any) -> dict[str, float]:
    """Chromium's cumulative main-thread timings (seconds), via the DevTools protocol."""
    answer = cdp.send("Performance.getMetrics")
    return {m["name"]: float(m["value"]) for m in answer["metrics"]}


def summary(name: str, values: list[float]) -> str:
    ordered = sorted(values)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]

    return (
        f"{name:<38} n={len(values):>4}  median {statistics.median(values):7.2f} ms  "
        f"p90 {pct(0.9):7.2f}  max {ordered[-1]:7.2f}  mean {statistics.fmean(values):7.2f}"
    )


STEP_JS = """async () => {
  const lens = window.backpropLens;
  const frames = lens.frameTimes.length;
  const t0 = performance.now();
  await lens.actions.step('forward', 'step');
  while (lens.frameTimes.length === frames) {
    await new Promise(r => setTimeout(r, 1));
  }
  const total = performance.now() - t0;
  const s = lens.store.state.session;
  const step = s.steps[s.cursor.index];
  // Render baseline, same page and moment: as many bare <td>s as the step's
  // matrices hold values, built and laid out with no styling at all.
  const { equationLines } = await import('/static/js/equation.js');
  let values = 0;
  for (const line of equationLines(step, s.trace)) {
    for (const t of line.terms) {
      if (t.kind === 'matrix') values += t.data.length * (t.data[0]?.length ?? 0);
    }
  }
  const host = document.createElement('div');
  host.style.cssText = 'position: absolute; left: -20000px; top: 0';
  document.body.append(host);
  void document.body.offsetHeight;
  const b0 = performance.now();
  const table = document.createElement('table');
  const tbody = document.createElement('tbody');
  let tr = null;
  for (let i = 0; i < values; i++) {
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
  // Round-trip baseline: the same state fetched and parsed, nothing drawn.
  const f0 = performance.now();
  const answer = await fetch(`/api/v1/sessions/${s.id}`, {headers: {Accept: 'application/json'}});
  await answer.json();
  const fetched = performance.now() - f0;
  const cells = document.querySelectorAll(
    "[data-view='equation'] table:not([hidden]) td, [data-view='update'] td").length;
  return {total, phase: step.phase,
          render: lens.renderTimes[lens.renderTimes.length - 1],
          frame: lens.frameTimes[lens.frameTimes.length - 1], baseline, fetched, values, cells};
}"""


@dataclass
class Figures:
    first: list[float]
    render: list[float]
    frame: list[float]
    total: list[float]
    baseline: list[float]
    fetched: list[float]
    values: list[int]
    cells: list[int]
    by_phase: dict[str, list[float]]
    split: str


def measure(page: Any, cdp: Any, chosen: dict[str, Any], iterations: int) -> Figures:
    """Step through `iterations` whole iterations of a new session made from `chosen`."""
    page.evaluate("cfg => window.backpropLens.actions.createSession(cfg)", chosen)
    page.wait_for_function("() => !window.backpropLens.store.state.busy")
    layers = page.evaluate("() => window.backpropLens.store.state.session.network.layers")
    assert layers == chosen.get("network", {}).get("layers", [2, 2, 2]), layers
    steps_per_iteration = 4 * (len(layers) - 1)
    f = Figures([], [], [], [], [], [], [], [], {}, "")
    metrics_before: dict[str, float] = {}
    for i in range(iterations * steps_per_iteration):
        if i == steps_per_iteration:
            metrics_before = metrics(cdp)
        r = page.evaluate(STEP_JS)
        if i < steps_per_iteration:
            f.first.append(r["render"])
            continue
        f.render.append(r["render"])
        f.total.append(r["total"])
        f.frame.append(r["frame"])
        f.baseline.append(r["baseline"])
        f.fetched.append(r["fetched"])
        f.values.append(r["values"])
        f.cells.append(r["cells"])
        f.by_phase.setdefault(r["phase"], []).append(r["total"])
    after = metrics(cdp)
    n = len(f.total)
    f.split = ", ".join(
        f"{name} {(after[key] - metrics_before[key]) * 1000 / n:.1f} ms"
        for name, key in (
            ("script", "ScriptDuration"),
            ("style", "RecalcStyleDuration"),
            ("layout", "LayoutDuration"),
            ("all main-thread tasks", "TaskDuration"),
        )
    )
    return f


def report(title: str, f: Figures, goal_ms: float | None) -> None:
    med = statistics.median
    print(f"\n== {title}")
    print(summary("render, first iteration (cold)", f.first))
    print(summary("render, later iterations", f.render))
    print(summary("response → after next frame painted", f.frame))
    print(summary("step round trip (API + render + frame)", f.total))
    for phase, values in f.by_phase.items():
        print(summary(f"  round trip, {phase}", values))
    print(f"Chromium's per-step split (later iterations, whole round trip): {f.split}")
    print(summary("baseline: bare <td>s, one per value", f.baseline))
    print(summary("baseline: GET the same state, parse", f.fetched))
    print(
        f"values per step: median {med(f.values):.0f}, max {max(f.values)}; "
        f"shown table cells: median {med(f.cells):.0f}, max {max(f.cells)}"
    )
    print(
        f"ratios (medians): render / bare-<td> baseline {med(f.render) / med(f.baseline):.2f}; "
        f"round trip / GET-and-parse baseline {med(f.total) / med(f.fetched):.2f}"
    )
    if goal_ms is not None:
        total = med(f.total)
        verdict = "met" if total <= goal_ms else "NOT met"
        print(f"goal: median round trip ≤ {goal_ms:.0f} ms: {verdict} ({total:.1f} ms)")


HIDE_DIAGRAM = "[data-view='network'] .diagram { display: none !important; }"
EXPANSION_GOAL_MS = 50.0
RESULT_CELLS = "[data-view='equation'] [data-role='result'] td[data-row]"


def measure_expansions(page: Any) -> tuple[list[float], list[float]]:
    """Open every entry of every result of the worked example's first iteration: the
    page's timing of each expansion, and of its terms request alone."""
    opened: list[float] = []
    requests: list[float] = []
    steps = page.evaluate("() => window.backpropLens.store.state.session.steps.length")
    for index in range(steps):
        page.evaluate("i => window.backpropLens.actions.seek(i)", index)
        page.wait_for_function("() => !window.backpropLens.store.state.busy")
        cells = page.locator(RESULT_CELLS)
        for k in range(cells.count()):
            before = page.evaluate("() => performance.getEntriesByName('bpl:expansion').length")
            page.evaluate("() => performance.clearResourceTimings()")
            cells.nth(k).click()
            page.wait_for_function(
                "n => performance.getEntriesByName('bpl:expansion').length > n", arg=before
            )
            took, fetched = page.evaluate(
                """() => [performance.getEntriesByName('bpl:expansion').at(-1).duration,
                          performance.getEntriesByType('resource')
                            .filter(r => r.name.includes('/terms')).at(-1)?.duration ?? null]"""
            )
            opened.append(took)
            if fetched is not None:
                requests.append(fetched)
    return opened, requests


def report_expansions(opened: list[float], requests: list[float]) -> None:
    med = statistics.median
    print("\n== opening an entry's expansion (worked example, every entry of every step)")
    print(summary("click → expansion laid out", opened))
    print(summary("baseline: its GET …/terms alone", requests))
    print(f"ratio (medians): expansion / its request {med(opened) / med(requests):.2f}")
    verdict = "met" if med(opened) <= EXPANSION_GOAL_MS else "NOT met"
    print(f"goal: median ≤ {EXPANSION_GOAL_MS:.0f} ms: {verdict} ({med(opened):.1f} ms)")


def run(
    names: list[str], iterations: int, width: int, height: int, worked: bool, diagram: bool
) -> None:
    from playwright.sync_api import sync_playwright

    server = AppProcess().start()
    url = server.url
    results: list[tuple[str, Figures, float | None]] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
            jobs: list[tuple[str, dict[str, Any], float | None]] = (
                [("2-2-2 worked example, batch 1", {"preset": "worked_example"}, None)]
                if worked
                else [(NETWORKS[n].label, config(NETWORKS[n]), NETWORKS[n].goal_ms) for n in names]
            )
            for title, chosen, goal in jobs:
                # a fresh page per network: one network's caches do not help the next
                page = browser.new_page(viewport={"width": width, "height": height})
                cdp = page.context.new_cdp_session(page)
                cdp.send("Performance.enable")
                page.goto(url)
                page.wait_for_function("() => document.body.dataset.ready === 'true'")
                if not diagram:
                    page.add_style_tag(content=HIDE_DIAGRAM)
                results.append((title, measure(page, cdp, chosen, iterations), goal))
                page.close()
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(url)
            page.wait_for_function("() => document.body.dataset.ready === 'true'")
            expansions = measure_expansions(page)
            browser.close()
    finally:
        server.stop()

    hidden = "" if diagram else ", the network diagram hidden"
    print(f"Backprop Lens render bench, viewport {width}×{height}{hidden}, Chromium headless")
    print(f"{iterations} iterations per network; the first (cold) is reported apart")
    for title, figures, goal in results:
        report(title, figures, goal)
    report_expansions(*expansions)
    print(f"\nload average while running: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--network", choices=[*NETWORKS, "all"], default="all")
    parser.add_argument("--iterations", type=int, default=4)
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument(
        "--worked-example", action="store_true", help="the 2-2-2 preset instead (a reference)"
    )
    parser.add_argument(
        "--without-diagram",
        action="store_true",
        help="hide the network diagram, to tell its share of a step from the rest's",
    )
    args = parser.parse_args()
    if args.iterations < 2:
        parser.error("--iterations must be at least 2: the first one is timed apart (cold)")
    names = list(NETWORKS) if args.network == "all" else [args.network]
    diagram = not args.without_diagram
    run(names, args.iterations, args.width, args.height, args.worked_example, diagram)


if __name__ == "__main__":
    main()
