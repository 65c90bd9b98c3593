"""Training in the browser: train N and continuous runs, the cost curve, the decision
boundary (2-D, three classes, the 1-D fit), the hidden neurons, split and accuracy."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.helpers import SPIRAL, TRAINING_TIMEOUT_MS, Lens

pytestmark = pytest.mark.e2e


def wait_field(lens: Lens, iteration: int) -> None:
    lens.page.wait_for_function(
        """it => { const f = window.backpropLens.store.state.field;
                   const shown = document.querySelector("[data-view='boundary']").dataset;
                   return f && f.iteration === it && shown.drawnIteration === String(it); }""",
        arg=iteration,
        timeout=15000,
    )


def state(lens: Lens) -> Any:
    return lens.state()


def test_training_lowers_the_cost_curve_and_moves_the_boundary(lens: Lens) -> None:
    lens.open(SPIRAL)
    wait_field(lens, 0)
    page = lens.page
    before = lens.boundary_pixels()
    assert page.locator("[data-view='cost-curve']").get_attribute("data-points") == "0"
    lens.screenshot("before")
    page.locator("[data-control='train-count']").select_option("10000")
    page.locator("[data-action='train']").click()
    page.wait_for_function(
        "() => (window.backpropLens.store.state.training?.done ?? 0) > 0",
        timeout=TRAINING_TIMEOUT_MS,
    )
    assert page.locator("[data-train-progress]").is_visible()
    lens.wait_trained()
    wait_field(lens, 10000)
    s = state(lens)
    assert s["cursor"] == {"iteration": 10000, "phase": "forward", "layer": 1, "index": 0}
    costs = s["cost_history"]
    assert len(costs) == 10000
    assert sum(costs[-100:]) / 100 < 0.8 * sum(costs[:100]) / 100
    ev = s["evaluations"]
    assert ev["iteration"][0] == 0
    assert ev["iteration"][-1] == 10000
    assert ev["test_cost"][-1] < ev["test_cost"][0]
    curve = page.locator("[data-view='cost-curve']")
    assert curve.get_attribute("data-points") == "10000"
    assert float(curve.get_attribute("data-curve-last")) == costs[-1]
    assert page.locator("[data-curve] [data-series='train']").count() == 1
    assert page.locator("[data-curve] [data-series='test']").count() == 1
    after = lens.boundary_pixels()
    changed = sum(1 for a, b in zip(before, after, strict=True) if abs(a - b) > 8)
    assert changed > len(before) // 10, f"only {changed} of {len(before)} samples changed"
    train_acc = page.locator("[data-accuracy='train']").inner_text()
    assert train_acc.endswith("%")
    accuracy = 100 * s["evaluation"]["train"]["accuracy"]
    assert float(train_acc[:-1]) == pytest.approx(accuracy, abs=0.05)
    assert page.locator("[data-accuracy='test']").inner_text().endswith("%")
    # the stepper resumes at the start of iteration 10000 with the trained weights
    lens.press("ArrowRight")
    assert lens.cursor_index() == 1
    page.locator("[data-view='training']").scroll_into_view_if_needed()
    lens.screenshot("after")
    assert lens.console == []


def test_continuous_training_runs_pauses_and_hands_back_to_the_stepper(lens: Lens) -> None:
    lens.open(SPIRAL)
    wait_field(lens, 0)
    page = lens.page
    page.keyboard.press("g")
    page.wait_for_function(
        "() => (window.backpropLens.store.state.training?.done ?? 0) > 200",
        timeout=TRAINING_TIMEOUT_MS,
    )
    run = page.locator("[data-action='run']")
    assert run.get_attribute("aria-pressed") == "true"
    page.wait_for_timeout(600)
    # the boundary keeps up while training
    shown = page.locator("[data-view='boundary']").get_attribute("data-drawn-iteration")
    assert int(shown) > 0
    page.keyboard.press("g")
    lens.wait_trained()
    assert run.get_attribute("aria-pressed") == "false"
    s = state(lens)
    assert s["cursor"]["index"] == 0
    assert s["cursor"]["iteration"] > 200
    assert len(s["cost_history"]) == min(s["cursor"]["iteration"], 10000)
    # the step view shows the trained network: W¹ on the page is the session's
    assert lens.matrix_values("weights") == s["network"]["weights"][0]
    last_run = page.evaluate("() => window.backpropLens.store.state.lastRun")
    assert last_run["updates"] >= 3
    lens.press("ArrowRight")
    assert lens.cursor_index() == 1
    assert lens.console == []


def test_cost_curve_scale_and_hover(lens: Lens) -> None:
    lens.open(SPIRAL)
    page = lens.page
    page.locator("[data-action='train']").click()  # 100
    lens.wait_trained()
    page.locator("[data-scale='log']").click()
    assert page.locator("[data-scale='log']").get_attribute("aria-pressed") == "true"
    assert page.locator("[data-view='cost-curve']").get_attribute("data-curve-scale") == "log"
    labels = page.locator("[data-curve] .curve__axes text").all_text_contents()
    assert all(float(t) > 0 for t in labels[:-3])  # cost ticks: a log axis has no zero
    box = page.locator("[data-curve]").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] / 2)
    readout = page.locator("[data-curve-readout]").inner_text()
    assert readout.startswith("iteration ")
    iteration = int(readout.split()[1].rstrip(":"))
    costs = state(lens)["cost_history"]
    shown = readout.split("train cost ")[1].split()[0]
    assert float(shown) == pytest.approx(costs[iteration], rel=1e-3)
    assert "test cost" in readout
    page.locator("[data-view='training']").screenshot(
        path=str(lens.screenshot("page").with_name(f"{lens.name}-curve-log.png"))
    )


def test_three_blobs_colour_each_class_and_sine_draws_the_fit(lens: Lens) -> None:
    page = lens.page
    lens.open(
        "/?layers=2-6-3&act=tanh.softmax&cost=softmax_cross_entropy&lr=0.5"
        "&data=three_blobs&size=150&batch=32&test=0.2"
    )
    page.locator("[data-action='train']").click()
    lens.wait_trained()
    wait_field(lens, 100)
    assert page.locator("[data-view='boundary']").get_attribute("data-kind") == "classes"
    # the three corners of the plane nearest each blob take three different hues
    colours = page.evaluate(
        """() => { const c = document.querySelector('[data-boundary]');
                   const g = c.getContext('2d');
                   const at = (x, y) => Array.from(g.getImageData(x, y, 1, 1).data.slice(0, 3));
                   const [x, y, w, h] = document.querySelector("[data-view='boundary']")
                     .dataset.plot.split(",").map(Number);  // the plot, inside the axes
                   const bottom = y + h - 4;
                   return [at(x + w / 2, y + 4), at(x + 4, bottom), at(x + w - 4, bottom)]; }"""
    )
    assert len({tuple(round(v / 40) for v in c) for c in colours}) == 3, colours
    page.locator("[data-view='training']").scroll_into_view_if_needed()
    lens.screenshot("three-blobs")
    lens.open("/?layers=1-8-1&act=tanh.linear&cost=quadratic&lr=0.1&data=sine&size=50&batch=50")
    page.locator("[data-control='train-count']").select_option("1000")
    page.locator("[data-action='train']").click()
    lens.wait_trained()
    wait_field(lens, 1000)
    assert page.locator("[data-view='boundary']").get_attribute("data-kind") == "curve"
    # 1-D: each of the 8 hidden neurons is a curve over x
    assert page.locator("[data-view='neurons']").get_attribute("data-kind") == "curves"
    assert page.locator("[data-neurons] canvas").count() == 8
    assert page.locator("[data-accuracy='train']").inner_text() == "–"  # regression
    page.locator("[data-view='training']").scroll_into_view_if_needed()
    lens.screenshot("sine")
    assert lens.console == []


def test_each_hidden_neuron_has_a_heatmap(lens: Lens) -> None:
    lens.open(SPIRAL)
    wait_field(lens, 0)
    page = lens.page
    neurons = page.locator("[data-view='neurons']")
    neurons.wait_for(state="visible")
    assert page.locator("[data-neurons] canvas").count() == 16
    assert page.locator("[data-neuron-map='2:7']").count() == 1
    field = page.evaluate("() => window.backpropLens.store.state.field")
    assert [len(layer) for layer in field["neurons"]] == [8, 8]
    neurons.scroll_into_view_if_needed()
    neurons.screenshot(path=str(lens.screenshot("page").with_name(f"{lens.name}-neurons.png")))


def test_split_and_noise_controls_draw_the_data_again(lens: Lens) -> None:
    lens.open(
        "/?layers=2-4-1&act=tanh.sigmoid&cost=cross_entropy&lr=0.5&data=circle&size=100&batch=20"
    )
    page = lens.page
    assert state(lens)["evaluation"]["test"] is None
    assert page.locator("[data-accuracy='test']").inner_text() == "–"
    page.locator("[data-data='test_split']").select_option("0.3")
    page.locator("[data-data='noise']").fill("0.2")
    page.locator("[data-action='apply-data']").click()
    lens.wait_idle()
    s = state(lens)
    assert s["config"]["test_split"] == 0.3
    assert s["config"]["data"]["noise"] == 0.2
    assert s["evaluation"]["test"] is not None
    page.wait_for_function(
        "() => window.backpropLens.store.state.sessionData?.test?.inputs.length === 30"
    )
    assert page.locator("[data-accuracy='test']").inner_text().endswith("%")
    lens.share_link()  # the address bar follows with the link box
    assert "test=0.3" in page.url
    assert "noise=0.2" in page.url
