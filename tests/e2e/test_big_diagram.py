"""A big network's diagram: 64-256-256-10 with a batch of 32 steps through a whole
iteration with its diagram drawn (dense layer pairs painted on canvases, 256-wide layers
as strips of cells), and what is painted is still picked by a click or a tap: an edge
clicked on a canvas lights up its cells in the equation, with the API's number."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.helpers import Lens, explicit_config, opened

pytestmark = pytest.mark.e2e

LAYERS = [64, 256, 256, 10]
NETWORK = "[data-view='network']"


@pytest.fixture
def big(browser: Any, base_url: str, request: pytest.FixtureRequest) -> Iterator[Lens]:
    """The step page at 1440×900 showing 64-256-256-10, batch 32."""
    with opened(
        browser, base_url, request.node.name, viewport={"width": 1440, "height": 900}
    ) as lens:
        config = explicit_config(LAYERS, 32)
        lens.page.evaluate("cfg => window.backpropLens.actions.createSession(cfg)", config)
        lens.wait_idle()
        assert lens.state()["network"]["layers"] == LAYERS
        yield lens


def painted(lens: Lens, layer: int) -> tuple[int, int]:
    """Layer pair `layer`'s canvas: how many of its pixels are painted, and a checksum of them."""
    count, checksum = lens.page.evaluate(
        """(l) => { const c = document.querySelector(`canvas[data-edge-layer='${l}']`);
                    // read through a copy: reading the page's own canvas again and again
                    // makes Chromium warn (willReadFrequently) on the console
                    const copy = Object.assign(document.createElement('canvas'),
                                               {width: c.width, height: c.height});
                    const ctx = copy.getContext('2d', {willReadFrequently: true});
                    ctx.drawImage(c, 0, 0);
                    const d = ctx.getImageData(0, 0, c.width, c.height).data;
                    let n = 0, sum = 0;
                    for (let i = 0; i < d.length; i += 4) {
                      if (d[i + 3]) n += 1;
                      const pixel = d[i] + 7 * d[i + 1] + 13 * d[i + 2] + d[i + 3];
                      sum = (sum * 31 + pixel) % 1000000007;
                    }
                    return [n, sum]; }""",
        layer,
    )
    return int(count), int(checksum)


def pick(lens: Lens) -> dict[str, Any]:
    """The store's pick (what was clicked), once it is there."""
    lens.page.wait_for_function("() => window.backpropLens.store.state.pick !== null")
    chosen: dict[str, Any] = lens.page.evaluate(
        "() => JSON.parse(JSON.stringify(window.backpropLens.store.state.pick))"
    )
    return chosen


def marked_cells(lens: Lens, cls: str) -> list[tuple[str, int, int, str]]:
    """The equation's cells with a pick class, table cells and heatmap cells alike:
    (matrix, row, column, full value)."""
    cells: list[list[Any]] = lens.page.evaluate(
        """(cls) => [...document.querySelectorAll(`[data-view='equation'] [data-col].${cls}`)]
            .map(c => [c.closest('[data-matrix]').dataset.matrix, Number(c.dataset.row),
                       Number(c.dataset.col), c.dataset.value])""",
        cls,
    )
    return sorted((m, r, c, v) for m, r, c, v in cells)


def screen_line(lens: Lens, selector: str) -> list[float]:
    """An SVG line's ends on screen: [x1, y1, x2, y2]."""
    ends: list[float] = lens.page.locator(selector).evaluate(
        """(line) => { const m = line.ownerSVGElement.getScreenCTM();
            const at = (x, y) => new DOMPoint(x, y).matrixTransform(m);
            const [a, b] = [at(line.x1.baseVal.value, line.y1.baseVal.value),
                            at(line.x2.baseVal.value, line.y2.baseVal.value)];
            return [a.x, a.y, b.x, b.y]; }"""
    )
    return ends


def distance(x: float, y: float, ends: list[float]) -> float:
    x1, y1, x2, y2 = ends
    dx, dy = x2 - x1, y2 - y1
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - (x1 + t * dx), y - (y1 + t * dy))


def subscript(n: int) -> str:
    return "".join("₀₁₂₃₄₅₆₇₈₉"[int(d)] for d in str(n))


def test_a_big_network_steps_with_its_diagram_drawn(big: Lens) -> None:
    page = big.page
    # every pair is dense enough for a canvas; the 256-wide layers are strips
    assert page.locator(f"{NETWORK} canvas[data-edge-layer]").count() == 3
    assert page.locator(f"{NETWORK} [data-edge]").count() == 0
    assert page.locator(f"{NETWORK} [data-neuron]").count() == 0
    assert all(painted(big, layer)[0] > 1000 for layer in (1, 2, 3))
    counts = page.locator(f"{NETWORK} .layer-count").all_text_contents()
    assert counts == ["64 neurons", "256 neurons", "256 neurons", "10 neurons"]
    caption = page.locator("[data-diagram-caption]").text_content() or ""
    assert "its 256 largest |values| are drawn" in caption
    # a whole iteration, and into the next: the diagram follows every step
    for index in range(1, 13):
        before = painted(big, 2)
        big.press("ArrowRight")
        assert big.cursor_index() == index % 12
        if index in (7, 10):  # ∂C/∂W² (gradients, layer 2), then its change (update, layer 2)
            assert painted(big, 2) != before
        if index in (2, 3, 4):  # forward into layer 3, the output error, δ²: still the weights
            assert painted(big, 2) == before
    assert page.locator("[data-iteration]").text_content() == "1"
    big.screenshot("diagram")
    assert big.console == []


def test_an_edge_clicked_on_the_canvas_lights_up_its_cells(big: Lens) -> None:
    page = big.page
    big.seek(6)  # gradients, layer 3: the edges into the output show ∂C/∂W³
    trace = big.state()["trace"]
    grad = next(g for g in trace["gradients"] if g["layer"] == 3)["weights"]
    box = page.locator("canvas[data-edge-layer='3']").bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.4
    page.mouse.click(x, y)
    chosen = pick(big)
    layer, j, k = chosen["diagram"]["edge"]
    assert layer == 3
    # its cell in ∂C/∂W³ (a heatmap: every value stays in the page as a cell) is the entry
    assert marked_cells(big, "pick-entry") == [("grad_weights", j, k, str(grad[j][k]))]
    assert float(marked_cells(big, "pick-entry")[0][3]) == grad[j][k]
    # the edge is marked in the diagram (a stand-in over the canvas), where the click was
    stand_in = f"{NETWORK} line[data-edge='3:{j}:{k}']"
    assert "pick-entry" in (page.locator(stand_in).get_attribute("class") or "")
    assert distance(x, y, screen_line(big, stand_in)) <= 10.5
    sep = "," if max(j, k) > 9 else ""  # the expansion's names: W²₁₀, W²₁₂,₃
    assert big.expansion().locator("[data-expansion-title]").text_content() == (
        f"∂C/∂W³{subscript(j)}{sep}{subscript(k)}"
    )
    # a neuron of a strip, the one nearest to the click: its a² in (a²)ᵀ (sample 0's row)
    box = page.locator("canvas.diagram-canvas--strips").bounding_box()
    assert box is not None
    label = page.locator(f"{NETWORK} .layer-count").nth(2).bounding_box()  # layer 2's strip
    assert label is not None
    page.mouse.click(label["x"] + label["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => window.backpropLens.store.state.pick?.diagram?.neuron?.[0] === 2")
    chosen = pick(big)
    neuron = chosen["diagram"]["neuron"][1]
    a2 = next(f for f in trace["forward"] if f["layer"] == 2)["a"]
    assert marked_cells(big, "pick-entry") == [("a_prev_T", 0, neuron, str(a2[neuron][0]))]
    assert page.locator(f"{NETWORK} [data-neuron='2:{neuron}']").count() == 1
    big.screenshot("diagram-picked")
    # the equation's hover lights up an edge on the canvas too
    page.keyboard.press("Escape")  # (the expansion may cover the heatmap)
    big.matrix("grad_weights").locator(".heatmap__grid").hover(position={"x": 1, "y": 1})
    hovered = page.locator(f"{NETWORK} line[data-edge='3:0:0']")
    hovered.wait_for(state="attached")
    assert "hover" in (hovered.get_attribute("class") or "")
    assert big.console == []


def test_a_picked_delta_marks_every_edge_it_came_back_along(big: Lens) -> None:
    page = big.page
    big.seek(5)  # backward, layer 1: δ¹ⱼ = ((W²)ᵀδ²)ⱼ σ′(z¹ⱼ)
    label = page.locator(f"{NETWORK} .layer-count").nth(1).bounding_box()  # layer 1's strip
    box = page.locator("canvas.diagram-canvas--strips").bounding_box()
    assert label is not None
    assert box is not None
    before = big.expansions()
    page.mouse.click(label["x"] + label["width"] / 2, box["y"] + box["height"] * 0.3)
    big.wait_expanded(before)
    layer, j = pick(big)["diagram"]["neuron"]
    assert layer == 1
    assert ("delta", j, 0) in {(m, r, c) for m, r, c, _ in marked_cells(big, "pick-entry")}
    # every edge from layer 2 back into neuron j, each W²ᵢⱼ, stands over the canvas
    operands = page.locator(f"{NETWORK} line.pick-operand").evaluate_all(
        "ls => ls.map(l => l.dataset.edge)"
    )
    assert sorted(operands) == sorted(f"2:{i}:{j}" for i in range(256))
    classes = page.locator(f"{NETWORK} [data-neuron='1:{j}']").get_attribute("class") or ""
    assert {"neuron", "neuron--error", "pick-entry"} <= set(classes.split())
    big.screenshot("delta-operands")
    # closing the pick takes the stand-ins away again
    page.keyboard.press("Escape")
    page.wait_for_function("() => window.backpropLens.store.state.pick === null")
    assert page.locator(f"{NETWORK} .stand-ins > *").count() == 0
    assert big.console == []
