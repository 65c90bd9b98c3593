"""No value depends on hover alone: the update view's cells, the timeline's cost and the
cost curve give their full values to a tap, a click or the keyboard, with the API's
numbers; the highlighted cell stays visible in the dark theme."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import TABLET_TOUCH, Lens, opened

pytestmark = pytest.mark.e2e


@pytest.fixture
def touch(browser: Any, base_url: str, request: pytest.FixtureRequest) -> Iterator[Lens]:
    """The worked example on a tablet (touch, no mouse to hover with)."""
    with opened(browser, base_url, request.node.name, **TABLET_TOUCH) as lens:
        yield lens


def js4(x: float) -> str:
    """A cost as the curve's readout writes it (JavaScript's toPrecision(4))."""
    return f"{x:#.4g}"


def update_layer(lens: Lens, layer: int) -> dict[str, Any]:
    entry: dict[str, Any] = next(u for u in lens.state()["trace"]["update"] if u["layer"] == layer)
    return entry


def test_the_update_view_reads_out_a_cell_by_keyboard_and_by_tap(lens: Lens, touch: Lens) -> None:
    page = lens.page
    lens.seek(6)  # update, layer 2
    update = update_layer(lens, 2)
    readout = page.locator("[data-update-readout]")
    assert (readout.text_content() or "").startswith("Tap a number")
    page.locator("[data-view='update'] table").focus()
    w2 = lens.state()["trace"]["network"]["weights"][1]
    assert readout.text_content() == f"W²[0][0], before: {w2[0][0]}"
    page.keyboard.press("ArrowDown")  # W²[0][1]
    page.keyboard.press("ArrowRight")  # its η·∂C/∂w
    page.keyboard.press("ArrowRight")  # after
    assert lens.cursor_index() == 6  # the arrows moved in the table, not the iteration
    assert readout.text_content() == f"W²[0][1], after: {update['weights'][0][1]}"
    assert float(readout.get_attribute("data-value") or "nan") == update["weights"][0][1]
    outlined = page.locator("[data-view='update'] td.hl")
    assert outlined.get_attribute("data-cell") == "after"
    # a tap on another cell reads it out
    touch.seek(6)
    touch.page.locator("[data-view='update'] tr[data-param='b²[1]'] [data-cell='eta_grad']").tap()
    step = update_layer(touch, 2)["eta_grad_biases"][1]
    assert touch.page.locator("[data-update-readout]").text_content() == f"b²[1], η·∂C/∂w: {step}"
    touch.screenshot("update-readout")
    assert lens.console == []
    assert touch.console == []


def test_the_cost_shows_every_digit_on_tap_click_or_enter(lens: Lens, api: httpx.Client) -> None:
    page = lens.page
    cost = page.locator("[data-view='timeline'] [data-cost]")
    assert cost.text_content() == "— (known at δ²)"  # the worked example's output layer is 2
    lens.seek(2)  # the output error computes C
    exact = lens.state()["trace"]["cost"]
    assert cost.text_content() == "+0.298371"
    assert cost.get_attribute("aria-pressed") == "false"
    cost.click()
    assert cost.text_content() == str(exact)
    assert cost.get_attribute("aria-pressed") == "true"
    cost.focus()
    page.keyboard.press("Enter")  # the cost's toggle, not "finish the iteration"
    assert cost.text_content() == "+0.298371"
    assert lens.cursor_index() == 2
    page.keyboard.press(" ")  # nor "play"
    assert cost.text_content() == str(exact)
    assert page.locator("[data-action='play']").get_attribute("aria-pressed") == "false"
    assert lens.console == []


def test_the_cost_curve_reads_out_by_keyboard_and_by_tap(lens: Lens, touch: Lens) -> None:
    page = lens.page
    page.locator("[data-action='train']").click()  # 100 iterations
    lens.wait_trained()
    costs = lens.state()["cost_history"]
    curve = page.locator("[data-curve]")
    readout = page.locator("[data-curve-readout]")
    assert "arrow keys" in (readout.text_content() or "")
    curve.focus()
    assert readout.text_content() == f"iteration 99: train cost {js4(costs[99])}"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert readout.text_content() == f"iteration 97: train cost {js4(costs[97])}"
    assert curve.get_attribute("aria-valuenow") == "97"
    assert lens.state()["cursor"]["iteration"] == 100  # the arrows moved along the curve only
    page.keyboard.press("Home")
    assert curve.get_attribute("aria-valuetext") == f"iteration 0: train cost {js4(costs[0])}"
    # a tap on the curve reads the iteration under the finger
    touch.page.locator("[data-action='train']").tap()
    touch.wait_trained()
    touch_costs = touch.state()["cost_history"]
    touch.page.locator("[data-curve]").scroll_into_view_if_needed()
    box = touch.page.locator("[data-curve]").bounding_box()
    assert box is not None
    touch.page.touchscreen.tap(box["x"] + box["width"] * 0.6, box["y"] + box["height"] / 2)
    shown = touch.page.locator("[data-curve-readout]").text_content() or ""
    iteration = int(shown.split()[1].rstrip(":"))
    assert 40 < iteration < 80
    assert shown == f"iteration {iteration}: train cost {js4(touch_costs[iteration])}"
    assert lens.console == []
    assert touch.console == []


def test_the_highlighted_cell_is_outlined_in_the_themes_ink(lens: Lens) -> None:
    page = lens.page
    page.locator("[data-action='theme']").click()
    assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    cell = page.locator("[data-matrix='z'][data-role='result'] td[data-row='0'][data-col='0']")
    cell.hover()
    colours = cell.evaluate(
        "td => [getComputedStyle(td).outlineColor, getComputedStyle(document.body).color]"
    )
    assert colours[0] == colours[1]  # the dark theme's ink, light on the dark card
    lens.screenshot("dark-highlight")
    assert lens.console == []
