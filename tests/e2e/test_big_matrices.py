"""Big matrices stay readable: 64-32-10 with a batch of 32 is drawn as heatmaps and elided
tables that fit the equation panel in about two screen heights at 1440×900; a heatmap's
cell shows its exact API value when focused (arrow keys) or tapped; the user can switch
between full, elided and heatmap (remembered per page); Z zooms it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import Lens, explicit_config

pytestmark = pytest.mark.e2e

WIDTH, HEIGHT = 1440, 900


def big_config() -> dict[str, Any]:
    """64-32-10, tanh then softmax, 64 fixed samples of 64 inputs, batch 32."""
    return explicit_config([64, 32, 10], 32)


@pytest.fixture
def big(browser: Any, base_url: str, request: pytest.FixtureRequest) -> Iterator[Lens]:
    """The step page at 1440×900 (a touch screen too, for taps) showing 64-32-10."""
    context = browser.new_context(
        viewport={"width": WIDTH, "height": HEIGHT}, base_url=base_url, has_touch=True
    )
    lens = Lens(context.new_page(), name=request.node.name)
    try:
        lens.open()
        lens.page.evaluate("cfg => window.backpropLens.actions.createSession(cfg)", big_config())
        lens.wait_idle()
        assert lens.state()["network"]["layers"] == [64, 32, 10]
        yield lens
    finally:
        context.close()


def api_trace(api: httpx.Client, index: int) -> dict[str, Any]:
    """The API's own session with the same configuration, at step `index`."""
    created = api.post("/sessions", json=big_config())
    assert created.status_code == 201, created.text
    sid = created.json()["id"]
    state = api.post(f"/sessions/{sid}/seek", json={"index": index}).json()
    api.delete(f"/sessions/{sid}")
    trace: dict[str, Any] = state["trace"]
    return trace


def displays(lens: Lens) -> dict[str, str]:
    shown: dict[str, str] = lens.page.evaluate(
        """() => Object.fromEntries(
                [...document.querySelectorAll("[data-view='equation'] [data-matrix]")]
                    .map(f => [f.dataset.matrix, f.dataset.display]))"""
    )
    return shown


def seek(lens: Lens, index: int) -> None:
    lens.page.locator(f"[data-step-index='{index}']").click()
    lens.wait_idle()


def test_a_big_network_fits_two_screens_as_heatmaps_and_elided_tables(
    big: Lens, api: httpx.Client
) -> None:
    page = big.page
    assert page.locator("[data-control='matrices']").input_value() == "auto"
    for index in range(8):
        seek(big, index)
        equation = page.locator("[data-view='equation']").bounding_box()
        assert equation is not None
        assert equation["height"] <= 2 * HEIGHT, f"step {index}: {equation}"
        overflow = page.evaluate(
            """() => Math.max(...[...document.querySelectorAll('.eq-line')]
                     .map(l => l.scrollWidth - l.clientWidth))"""
        )
        assert overflow <= 0, f"step {index}: lines scroll sideways by {overflow}px"
        assert "heatmap" in displays(big).values(), index
        # the explanation is still on the first screen, right above the equation
        explanation = page.locator("[data-view='explanation']").bounding_box()
        assert explanation is not None
        assert explanation["y"] + explanation["height"] <= HEIGHT
    # forward, layer 1: W¹ (32×64), a⁰ (64×32), z¹ and a¹ (32×32) are heatmaps; b¹ is elided
    seek(big, 0)
    assert displays(big) == {
        "weights": "heatmap",
        "a_prev": "heatmap",
        "biases": "elided",
        "z": "heatmap",
        "a": "heatmap",
    }
    big.screenshot("forward", full_page=True)
    # every value is still in the page, at full precision, the API's
    trace = api_trace(api, 0)
    assert big.matrix_values("z", "result") == trace["forward"][0]["z"]
    assert big.matrix_values("weights") == trace["network"]["weights"][0]
    assert big.matrix_values("biases") == [[b] for b in trace["network"]["biases"][0]]
    # backward, layer 1: (W²)ᵀ is 32×10, elided to its first and last rows around a gap
    seek(big, 3)
    weights_t = big.matrix("weights_T")
    assert weights_t.get_attribute("data-display") == "elided"
    shown_rows = weights_t.locator("table.matrix tbody th[scope='row']").all_text_contents()
    assert shown_rows == ["0", "1", "2", "3", "28", "29", "30", "31"]
    assert weights_t.locator("table.matrix .gap-row").count() == 1
    w2 = api_trace(api, 3)["network"]["weights"][1]
    cell = weights_t.locator("table.matrix td[data-row='30'][data-col='7']")
    assert float(cell.get_attribute("data-value") or "nan") == w2[7][30]
    assert big.console == []


def test_a_heatmap_cell_shows_its_api_value_on_focus_and_on_tap(
    big: Lens, api: httpx.Client
) -> None:
    page = big.page
    z = api_trace(api, 0)["forward"][0]["z"]
    figure = big.matrix("z", "result")
    grid = figure.locator(".heatmap__grid")
    readout = figure.locator("[data-readout]")
    # keyboard: Tab reaches the heatmap; the arrow keys move inside it and do not step
    grid.focus()
    for key in ("ArrowDown", "ArrowDown", "ArrowRight", "End", "ArrowLeft"):
        page.keyboard.press(key)
    assert big.cursor_index() == 0
    assert (readout.get_attribute("data-row"), readout.get_attribute("data-col")) == ("2", "30")
    assert float(readout.get_attribute("data-value") or "nan") == z[2][30]
    assert (readout.text_content() or "").startswith("z¹[2][30] = ")
    assert repr(z[2][30]) in (readout.text_content() or "")
    status = page.locator("[data-cell-status]").text_content() or ""
    assert status == f"z¹[2][30] = {z[2][30]!r}"
    # the operands it came from light up: row 2 of W¹, column 30 of a⁰, b¹[2]
    line = page.locator("[data-line='0']")
    assert line.locator("[data-matrix='weights'] .heatmap__mark").count() == 1
    assert line.locator("[data-matrix='a_prev'] .heatmap__mark").count() == 1
    assert line.locator("[data-matrix='biases'] td.hl-source[data-row='2']").count() == 1
    # a tap (no hover on a touch screen) on the cell in row 5, column 9
    box = grid.bounding_box()
    assert box is not None
    cell = box["width"] / 32
    opened = big.expansions()
    grid.tap(position={"x": 9.5 * cell, "y": 5.5 * cell})
    assert (readout.get_attribute("data-row"), readout.get_attribute("data-col")) == ("5", "9")
    assert float(readout.get_attribute("data-value") or "nan") == z[5][9]
    big.wait_expanded(opened)  # a tap on a heatmap cell opens its expansion too
    assert big.expansion().get_attribute("data-entry-value") in (None, repr(z[5][9]))
    assert any("z¹₅" in line for line in big.expansion_lines())
    big.screenshot("tapped")
    # the arrow keys still move inside the focused heatmap; the Step button steps
    page.keyboard.press("ArrowRight")
    assert readout.get_attribute("data-col") == "10"
    assert big.cursor_index() == 0
    big.click_action("step-forward")
    assert big.cursor_index() == 1
    assert big.console == []


def test_the_display_can_be_switched_and_is_remembered(big: Lens, api: httpx.Client) -> None:
    page = big.page
    trace = api_trace(api, 0)
    page.select_option("[data-control='matrices']", "full")
    big.wait_idle()
    assert set(displays(big).values()) == {"full"}
    z = big.matrix("z", "result")
    assert z.locator("table.matrix tbody td").count() == 32 * 32
    assert big.matrix_values("z", "result") == trace["forward"][0]["z"]
    page.select_option("[data-control='matrices']", "elided")
    assert set(displays(big).values()) == {"elided"}
    assert z.locator("table.matrix tbody td[data-value]").count() == 8 * 8
    assert big.matrix_values("z", "result") == trace["forward"][0]["z"]  # all of them kept
    page.select_option("[data-control='matrices']", "heatmap")
    assert set(displays(big).values()) == {"heatmap"}
    big.screenshot("heatmaps", full_page=True)
    # remembered for this page: a reload (a new session: the worked example) keeps it
    big.open()
    assert page.locator("[data-control='matrices']").input_value() == "heatmap"
    assert set(displays(big).values()) == {"heatmap"}
    page.select_option("[data-control='matrices']", "auto")
    assert set(displays(big).values()) == {"full"}  # the worked example's 2×2 fits
    assert big.console == []


def test_zoom_shows_the_big_equation_on_the_whole_screen(big: Lens, api: httpx.Client) -> None:
    page = big.page
    page.keyboard.press("z")
    equation = page.locator("[data-view='equation']")
    box = equation.bounding_box()
    assert box is not None
    assert box["width"] >= WIDTH - 1
    assert box["height"] >= HEIGHT - 1
    assert equation.evaluate("el => el.scrollWidth - el.clientWidth") <= 0
    assert set(displays(big).values()) >= {"heatmap"}
    # a cell still shows its value when tapped
    grid = big.matrix("z", "result").locator(".heatmap__grid")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    grid.tap(position={"x": box["width"] * 3.5 / 32, "y": box["height"] * 1.5 / 32})
    readout = big.matrix("z", "result").locator("[data-readout]")
    assert (readout.get_attribute("data-row"), readout.get_attribute("data-col")) == ("1", "3")
    z = api_trace(api, 0)["forward"][0]["z"]
    assert float(readout.get_attribute("data-value") or "nan") == z[1][3]
    big.screenshot("zoomed")
    page.keyboard.press("Escape")  # first the tapped cell's expansion closes …
    assert big.expansion().is_hidden()
    page.keyboard.press("Escape")  # … then the zoom
    assert page.evaluate("() => document.documentElement.dataset.zoom") is None
    assert big.console == []


def test_zoomed_heatmaps_grow_as_the_tables_do(big: Lens) -> None:
    page = big.page

    def sizes() -> tuple[float, float]:
        """z²'s heatmap width and b²'s table font size (px)."""
        grid = big.matrix("z", "result").locator(".heatmap__grid").bounding_box()
        font = (
            big.matrix("biases")
            .locator("td")
            .first.evaluate("td => parseFloat(getComputedStyle(td).fontSize)")
        )
        assert grid is not None
        return grid["width"], font

    width, font = sizes()
    page.keyboard.press("z")
    zoomed_width, zoomed_font = sizes()
    assert zoomed_font > 2 * font
    # the step is now too wide to fit the screen: no CSS zoom on top (views/present.js)
    assert page.locator("[data-view='equation']").get_attribute("data-fit") is None
    assert abs(zoomed_width / width - zoomed_font / font) < 0.02 * zoomed_font / font
    readout = big.matrix("z", "result").locator("[data-readout]")
    assert readout.evaluate("p => parseFloat(getComputedStyle(p).fontSize)") > 2 * 0.78 * 16
    assert big.console == []


def test_an_elided_result_is_walked_from_the_keyboard_across_its_gap(
    big: Lens, api: httpx.Client
) -> None:
    page = big.page
    seek(big, 5)  # gradients, layer 1: ∂C/∂b¹ has 32 entries, elided
    grad_b = big.matrix("grad_biases", "result")
    assert grad_b.get_attribute("data-display") == "elided"
    table = grad_b.locator("table.matrix")
    table.focus()
    for _ in range(4):
        page.keyboard.press("ArrowDown")
    assert big.cursor_index() == 5  # the keys moved inside the table, not the iteration
    active = grad_b.locator("td.hl")
    assert active.get_attribute("data-row") == "28"  # 0, 1, 2, 3, then over the gap
    expected = api_trace(api, 5)["gradients"][1]["biases"][28]
    assert float(active.get_attribute("data-value") or "nan") == expected
    assert page.locator("[data-cell-status]").text_content() == f"∂C/∂b¹[28] = {expected!r}"
    page.keyboard.press("End")
    assert grad_b.locator("td.hl").get_attribute("data-row") == "28"  # a vector: one column
    page.keyboard.press("PageDown")
    assert grad_b.locator("td.hl").get_attribute("data-row") == "31"
    assert big.console == []
