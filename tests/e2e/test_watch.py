"""Training you can watch, and changing η as you go (issue 14, parts 3 and 4): η changed
mid-run keeps the iteration, the divergence banner and the controls that say why they
are off, the training speed, the cost curve's scale, and the boundary's markers."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.helpers import SPIRAL, TRAINING_TIMEOUT_MS, Lens

pytestmark = pytest.mark.e2e

# A 1-2-1 linear network whose weights blow up within a few iterations at η = 100.
EXPLODING: dict[str, Any] = {
    "network": {
        "layers": [1, 2, 1],
        "activations": ["linear", "linear"],
        "init": {"method": "xavier", "seed": 0},
    },
    "cost": "quadratic",
    "learning_rate": 100,
    "data": {"inputs": [[1.0], [2.0], [-1.0]], "targets": [[0.5], [1.0], [-0.5]]},
    "batch_size": 3,
    "seed": 0,
}


def create(lens: Lens, config: dict[str, Any]) -> None:
    lens.page.evaluate("c => window.backpropLens.actions.createSession(c)", config)
    lens.wait_idle()


def wait_for(lens: Lens, predicate: str, arg: Any = None) -> None:
    """Until `predicate(state, arg)` holds for the store's state (a JS function's body)."""
    lens.page.wait_for_function(
        f"arg => {{ const s = window.backpropLens.store.state; return {predicate}; }}",
        arg=arg,
        timeout=TRAINING_TIMEOUT_MS,
    )


def test_eta_changed_mid_run_keeps_the_iteration_and_each_iteration_its_own_eta(
    lens: Lens,
) -> None:
    lens.open(SPIRAL)
    page = lens.page
    sid = lens.state()["id"]
    page.locator("[data-control='train-speed']").select_option("25")
    page.locator("[data-view='train-controls'] [data-action='run']").click()
    wait_for(lens, "s.session.cursor.iteration >= 6")
    page.locator("[data-action='toggle-config']").click()
    rate = page.locator("[data-field='learning-rate']")
    rate.fill("0.05")
    rate.press("Tab")  # a number field changes when it is left
    wait_for(lens, "s.session.config.learning_rate === 0.05")
    patched_at = lens.state()["cursor"]["iteration"]  # (or a little later: the run goes on)
    assert patched_at >= 6  # not back at iteration 0
    wait_for(lens, "s.session.cursor.iteration >= arg + 3", patched_at)
    page.locator("[data-view='train-controls'] [data-action='run']").click()
    lens.wait_trained()
    state = lens.state()
    assert state["id"] == sid  # the same session, not a new one
    assert state["trace"]["learning_rate"] == 0.05
    assert state["history"]["replayable"] is False
    status = page.locator("[data-status]").inner_text()
    assert "η = 0.05 from iteration" in status
    # stepping back, each iteration shows the η it ran with: 0.05 from the change on, 0.3 before
    seen: dict[int, float] = {}
    while 0.3 not in seen.values() and state["cursor"]["iteration"] > 0:
        page.evaluate("() => window.backpropLens.actions.step('back', 'iteration')")
        lens.wait_idle()
        state = lens.state()
        if state["cursor"]["index"] == 0:
            seen[state["cursor"]["iteration"]] = state["trace"]["learning_rate"]
    changed = min(t for t, eta in seen.items() if eta == 0.05)
    assert 6 <= changed <= patched_at
    assert seen == {t: 0.05 if t >= changed else 0.3 for t in range(changed - 1, max(seen) + 1)}
    # the update view says the η of the iteration shown
    lens.seek(len(state["steps"]) - 1)
    assert "(η = 0.3)" in page.locator("[data-view='update']").inner_text()
    assert lens.console == []


def test_divergence_banner_says_where_and_controls_say_why(lens: Lens) -> None:
    create(lens, EXPLODING)
    page = lens.page
    page.locator("[data-control='train-count']").select_option("100")
    page.keyboard.press("t")
    lens.wait_trained()
    state = lens.state()
    t = state["cursor"]["iteration"]
    assert state["diverged"] is True
    assert 0 < t < 100
    banner = page.locator("[data-view='divergence']")
    assert banner.is_visible()
    text = banner.locator("[data-divergence-text]").inner_text()
    d = state["divergence"]
    words = {
        ("forward", "z"): "the weighted input z²",
        ("output_error", "cost"): "the cost C",
    }[(d["phase"], d["quantity"])]
    where = {"forward": "the forward pass", "output_error": "the output error"}[d["phase"]]
    assert text == (
        f"Iteration {t} diverged in {where}: {words} became infinite or undefined (shown as —). "
        f"Training stopped there, {t} iterations into this run."
    )
    assert "output_error" not in text
    train = page.locator("[data-view='train-controls'] [data-action='train']")
    run = page.locator("[data-view='train-controls'] [data-action='run']")
    finish = page.locator("[data-view='controls'] [data-action='finish']")
    for button in (train, run, finish):
        assert button.get_attribute("aria-disabled") == "true"
        assert button.get_attribute("aria-describedby") == "divergence-text"
    # T, G and Enter say why they do nothing, and the banner stays
    status = page.locator("[data-status]")
    for key, what in (("t", "Training"), ("g", "Training"), ("Enter", "Finishing the iteration")):
        page.locator("#main").focus()
        page.keyboard.press(key)
        lens.wait_idle()
        assert status.inner_text() == (
            f"{what} is off while iteration {t}'s numbers are not finite: "
            "try η = 10 (above), step back, or reset."
        )
        assert banner.is_visible()
        assert lens.state()["cursor"]["iteration"] == t
        assert page.evaluate("() => window.backpropLens.store.state.training") is None
    # the offer: back to where this run began, η ten times smaller, in the same session
    smaller = banner.locator("[data-action='smaller-rate']")
    assert smaller.inner_text() == "Try η = 10 from iteration 0"
    smaller.click()
    wait_for(lens, "s.session.config.learning_rate === 10 && !s.busy")
    after = lens.state()
    assert after["id"] == state["id"]
    assert after["cursor"]["iteration"] == 0
    assert after["trace"]["learning_rate"] == 10
    assert "η = 10 from iteration 0 on" in status.inner_text()
    lens.screenshot("diverged-then-smaller")
    assert lens.console == []


RECORD = """() => { const store = window.backpropLens.store; window.seen = [];
  store.addEventListener("change", (e) => {
    if (!e.detail.keys.includes("session") || !store.state.training) return;
    const c = store.state.session.cursor;
    window.seen.push([c.iteration, c.index, document.querySelector("[data-iteration]").textContent,
                      document.querySelector("[data-view='equation']").dataset.iteration ?? null]);
  }); }"""


# Every text the iteration counter shows while a run trains.
COUNTER = """() => { window.counted = []; const el = document.querySelector("[data-iteration]");
  new MutationObserver(() => { if (window.backpropLens.store.state.training)
    window.counted.push(el.textContent); }).observe(el, {childList: true, characterData: true,
    subtree: true}); }"""


def seen(lens: Lens) -> list[list[Any]]:
    states: list[list[Any]] = lens.page.evaluate("() => window.seen")
    return states


def test_one_iteration_a_second_walks_every_step(lens: Lens) -> None:
    lens.open()  # the worked example: 2-2-2, 8 steps an iteration
    page = lens.page
    page.evaluate(RECORD)
    page.locator("[data-control='train-speed']").select_option("1")
    page.keyboard.press("g")
    wait_for(lens, "s.session.cursor.iteration >= 2")
    page.keyboard.press("g")
    lens.wait_trained()
    states = seen(lens)
    walked = [(t, i) for t, i, _, _ in states if t < 2]
    # every step of iterations 0 and 1, in order, each shown with its iteration
    assert walked == [(0, i) for i in range(1, 8)] + [(1, i) for i in range(8)]
    assert all(text == str(t) for t, _, text, _ in states)
    assert lens.console == []


def test_a_paced_run_shows_every_iteration_and_full_speed_follows(lens: Lens) -> None:
    lens.open(SPIRAL)
    page = lens.page
    page.evaluate(RECORD)
    page.locator("[data-control='train-speed']").select_option("5")
    page.keyboard.press("g")
    wait_for(lens, "s.session.cursor.iteration >= 4")
    page.keyboard.press("g")
    lens.wait_trained()
    shown = [t for t, _, _, _ in seen(lens)]
    # one iteration a chunk, each state shown (the counter too): 1, 2, 3, 4 …
    assert shown[:4] == [1, 2, 3, 4]
    assert shown == sorted(set(shown))
    assert all(text == str(t) for t, _, text, _ in seen(lens))
    paused = lens.state()["cursor"]["iteration"]  # the last chunk lands as the run stops
    assert paused in (shown[-1], shown[-1] + 1)
    # full speed: the iteration counter follows every chunk during the run
    page.evaluate(COUNTER)
    page.locator("[data-control='train-speed']").select_option("full")
    page.locator("[data-control='train-count']").select_option("1000")
    page.keyboard.press("t")
    lens.wait_trained()
    counted = [int(t) for t in page.evaluate("() => window.counted")]
    assert len([t for t in counted if paused < t < paused + 1000]) >= 2, counted
    assert counted == sorted(counted)
    assert lens.state()["cursor"]["iteration"] == paused + 1000
    assert page.locator("[data-iteration]").inner_text() == str(paused + 1000)
    assert lens.console == []


def path_ys(lens: Lens) -> list[float]:
    d: str = lens.page.locator("[data-curve] [data-series='train']").get_attribute("d")
    return [float(p.split(",")[1]) for p in d.replace("M", "L").split("L") if p]


def test_cost_curve_fits_the_kept_costs_says_what_was_dropped_and_reads_on_log(
    lens: Lens, api: Any
) -> None:
    lens.open(SPIRAL)
    page = lens.page
    sid = lens.state()["id"]
    # trained past what the server keeps: evaluations at 0, 10, 10,010 and 12,010
    for n in (10, 10000, 2000):
        assert api.post(f"/sessions/{sid}/train", json={"iterations": n}).status_code == 200
    page.reload()  # the page reopens the same session
    lens.wait_ready()
    state = lens.state()
    assert state["id"] == sid
    assert state["cursor"]["iteration"] == 12010
    assert len(state["cost_history"]) == 10000
    assert state["evaluations"]["iteration"][:2] == [0, 10]
    curve = page.locator("[data-view='cost-curve']")
    assert curve.locator("[data-curve-note]").inner_text() == (
        "Costs before iteration 2,010 were dropped: the server keeps the last 10,000."
    )
    ticks = [int(t) for t in curve.locator("[data-tick='iteration']").all_text_contents()]
    assert ticks[0] >= 2010  # the axis spans the kept costs
    assert ticks[-1] <= 12010
    # the test costs of iterations 0 and 10 are left out: the curve fills its height
    assert curve.locator(".curve__test-dot").count() == 2
    ys = path_ys(lens)
    assert max(ys) - min(ys) > 0.3 * (170 - 8 - 22), (min(ys), max(ys))
    page.locator("[data-scale='log']").click()
    labels = curve.locator("[data-tick='value']")
    assert labels.count() >= 3
    box = page.locator("[data-curve]").bounding_box()
    values = []
    for i in range(labels.count()):
        label = labels.nth(i)
        b = label.bounding_box()
        assert b["x"] >= box["x"]  # the whole label inside the chart
        assert b["x"] + b["width"] <= box["x"] + box["width"]
        assert b["y"] >= box["y"]
        assert b["y"] + b["height"] <= box["y"] + box["height"]
        values.append(float(label.text_content()))
    costs = [c for c in state["cost_history"] if c is not None]
    assert values == sorted(values)
    assert values[0] <= 10 * min(costs)
    assert values[-1] >= max(costs) / 10
    curve.screenshot(path=str(lens.screenshot("log").parent / f"{lens.name}-curve.png"))
    assert lens.console == []


def test_boundary_fills_training_samples_rings_test_samples_has_axes_and_is_sharp(
    browser: Any, base_url: str
) -> None:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, device_scale_factor=2, base_url=base_url
    )
    lens = Lens(context.new_page(), name="boundary-hidpi")
    try:
        lens.open(SPIRAL)
        page = lens.page
        page.wait_for_function(
            "() => document.querySelector('[data-view=boundary]').dataset.drawnIteration === '0'"
        )
        canvas = page.locator("[data-boundary]")
        pixels, css = canvas.evaluate("c => [c.width, c.clientWidth]")
        assert pixels == 2 * css  # as many pixels as the screen shows
        plot = canvas.evaluate("c => c.parentElement.dataset.plot")
        x0, y0, w, h = (int(v) for v in plot.split(","))
        field = page.evaluate("() => window.backpropLens.store.state.field.extent")
        data = page.evaluate("() => window.backpropLens.store.state.sessionData")
        (xlo, xhi), (ylo, yhi) = field["x"], field["y"]

        def place(p: list[float]) -> tuple[float, float]:
            return x0 + (p[0] - xlo) / (xhi - xlo) * w, y0 + h - (p[1] - ylo) / (yhi - ylo) * h

        every = [place(p) for part in ("train", "test") for p in data[part]["inputs"]]

        def alone(at: tuple[float, float]) -> bool:
            near = [q for q in every if abs(q[0] - at[0]) < 30 and abs(q[1] - at[1]) < 30]
            inside = x0 + 30 < at[0] < x0 + w - 30 and y0 + 30 < at[1] < y0 + h - 30
            return len(near) == 1 and inside

        def pixel(x: float, y: float) -> list[int]:
            rgba: list[int] = page.evaluate(
                """([x, y]) => Array.from(document.querySelector('[data-boundary]')
                     .getContext('2d').getImageData(x, y, 1, 1).data.slice(0, 3))""",
                [round(x), round(y)],
            )
            return rgba

        def far(a: list[int], b: list[int]) -> bool:
            return sum(abs(u - v) for u, v in zip(a, b, strict=True)) > 60

        r = 2 * max(3.5, (w / 2) / 80)  # the dot's radius in canvas pixels
        found = 0
        for cls in (0.0, 1.0):
            trains = [
                place(p)
                for p, t in zip(data["train"]["inputs"], data["train"]["targets"], strict=True)
                if t[0] == cls and alone(place(p))
            ]
            tests = [
                place(p)
                for p, t in zip(data["test"]["inputs"], data["test"]["targets"], strict=True)
                if t[0] == cls and alone(place(p))
            ]
            if not trains or not tests:
                continue
            found += 1
            fill = pixel(*trains[0])  # a training sample: filled with its class's colour
            cx, cy = tests[0]
            ring = pixel(cx + 1.5 * r, cy)  # a test sample: a ring of that colour …
            assert not far(fill, ring), (fill, ring)
            assert far(pixel(cx, cy), fill), (pixel(cx, cy), fill)  # … hollow inside
        assert found >= 1
        # axes: tick labels below and left of the plot, on white
        below = [pixel(x0 + i, y0 + h + 14) for i in range(0, w, 3)]
        assert any(sum(p) < 300 for p in below)  # dark label ink under the plot
        assert (
            "Filled dots: training samples; rings: test samples."
            in page.locator("[data-boundary-caption]").inner_text()
        )
        lens.screenshot("hidpi")
        assert lens.console == []
    finally:
        context.close()


def test_a_follower_sees_the_divergence_and_that_the_instructor_decides(
    lens: Lens, browser: Any, base_url: str
) -> None:
    create(lens, EXPLODING)
    code = lens.start_live_class()
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=base_url)
    try:
        student = Lens(context.new_page(), name="diverged-follower")
        student.open(f"/class/{code}")
        lens.page.locator("[data-control='train-count']").select_option("100")
        lens.page.keyboard.press("t")
        lens.wait_trained()
        t = lens.state()["cursor"]["iteration"]
        banner = student.page.locator("[data-view='divergence']")
        banner.wait_for(state="visible")
        text = banner.locator("[data-divergence-text]").inner_text()
        assert text.startswith(f"Iteration {t} diverged in the ")
        assert text.endswith("The instructor can recompute it with a smaller η, or reset.")
        assert banner.locator("button").count() == 0  # nothing here changes the class
        student.screenshot("diverged-follower-phone")
        lens.page.locator("[data-view='divergence'] [data-action='smaller-rate']").click()
        banner.wait_for(state="hidden")  # finite again, for everyone
        assert student.console == []
    finally:
        context.close()
    assert lens.console == []
