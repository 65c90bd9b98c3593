"""Presenting in class: presentation mode (button and P) enlarges type and hides editing,
the keyboard still drives the steps, Z zooms the equation to the screen; light and dark
themes (and presentation mode in both) meet WCAG AA contrast, computed here."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.helpers import Lens, opened

pytestmark = pytest.mark.e2e


@pytest.fixture
def big(browser: Any, base_url: str, request: pytest.FixtureRequest) -> Iterator[Lens]:
    """The page at 1920×1080, a projector's resolution."""
    with opened(
        browser, base_url, request.node.name, viewport={"width": 1920, "height": 1080}
    ) as lens:
        yield lens


def cell_font_px(lens: Lens) -> float:
    size: str = lens.page.evaluate(
        """() => getComputedStyle(
                 document.querySelector("[data-view='equation'] .matrix td")).fontSize"""
    )
    return float(size.removesuffix("px"))


def test_presentation_mode_enlarges_type_and_hides_editing(big: Lens) -> None:
    page = big.page
    normal = cell_font_px(big)
    assert page.locator("[data-view='config']").is_visible()  # open at 1920 px
    assert page.locator("[data-view='data']").is_visible()
    big.screenshot("normal")
    page.keyboard.press("p")
    assert page.evaluate("() => document.documentElement.dataset.present") == "true"
    assert page.locator("[data-action='present']").get_attribute("aria-pressed") == "true"
    assert cell_font_px(big) >= 24 > normal
    for hidden in ("config", "data", "share", "gradcheck", "neurons"):
        assert page.locator(f"[data-view='{hidden}']").is_hidden(), hidden
    assert page.locator("[data-action='toggle-config']").is_hidden()
    # the keyboard still drives the steps
    big.press("ArrowRight")
    assert big.cursor_index() == 1
    assert cell_font_px(big) >= 24
    # the diagram keeps its neurons (hiding the neuron maps' card must not hide them)
    for neuron in ("0:0", "1:1", "2:0"):
        assert page.locator(f"[data-neuron='{neuron}'] circle").is_visible(), neuron
    big.screenshot("presenting")
    # Z: the equation panel of the current step fills the screen; Esc ends it
    cell = page.locator("[data-view='equation'] [data-role='result'] td").first
    before = cell.bounding_box()
    page.keyboard.press("z")
    box = page.locator("[data-view='equation']").bounding_box()
    assert box is not None
    assert box["width"] >= 1900
    assert box["height"] >= 1070
    assert cell_font_px(big) >= 28
    # the small worked example grows to fill it, and all of it stays on the screen
    after = cell.bounding_box()
    assert before is not None
    assert after is not None
    assert after["height"] >= 1.8 * before["height"]
    body = page.locator("[data-view='equation'] [data-equation-body]").bounding_box()
    assert body is not None
    assert body["x"] >= 0
    assert body["x"] + body["width"] <= 1920
    assert body["y"] + body["height"] <= 1080
    big.press("ArrowRight")  # still steps while zoomed
    assert big.cursor_index() == 2
    big.screenshot("zoomed")
    page.keyboard.press("Escape")
    assert page.evaluate("() => document.documentElement.dataset.zoom") is None
    page.locator("[data-action='present']").click()  # the button toggles it too
    assert page.evaluate("() => document.documentElement.dataset.present") is None
    assert page.locator("[data-view='data']").is_visible()
    assert big.console == []


# Every visible text element: its colour, the colour it is drawn on (the nearest
# ancestor with an opaque background, composited over lighter layers), its size.
_TEXTS = """() => {
  const parse = (c) => { const m = c.match(/[\\d.]+/g); return m ? m.map(Number) : [0, 0, 0, 0]; };
  const over = (top, below) => { const a = top.length > 3 ? top[3] : 1;
    return [0, 1, 2].map(i => top[i] * a + below[i] * (1 - a)); };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      const alpha = c.length > 3 ? c[3] : 1;
      if (alpha > 0) { layers.push(c); if (alpha >= 1) break; }
    }
    let colour = [255, 255, 255];
    for (const l of layers.reverse()) colour = over(l, colour);
    return colour;
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || seen.has(el) || !n.textContent.trim()) continue;
    seen.add(el);
    if (el.closest('svg, .sr-only, [hidden], .katex, option, dialog:not([open])')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    let faded = false;
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (Number(s.opacity) < 1 || s.visibility === 'hidden') { faded = true; break; }
    }
    if (faded || el.closest(':disabled')) continue;  // disabled and dimmed: WCAG exempts
    const s = getComputedStyle(el);
    out.push({ text: n.textContent.trim().slice(0, 40), cls: el.className?.baseVal ?? el.className,
               tag: el.tagName, colour: over(parse(s.color), background(el)), bg: background(el),
               size: parseFloat(s.fontSize), bold: Number(s.fontWeight) >= 700 });
  }
  return out;
}"""


def _luminance(rgb: list[float]) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: list[float], b: list[float]) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula() -> None:
    assert contrast([0, 0, 0], [255, 255, 255]) == pytest.approx(21)
    assert contrast([118, 118, 118], [255, 255, 255]) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(
    ("theme", "present"), [("light", False), ("dark", False), ("light", True), ("dark", True)]
)
def test_themes_meet_wcag_aa(big: Lens, theme: str, present: bool) -> None:
    page = big.page
    page.evaluate("t => window.backpropLens.actions.setTheme(t)", theme)
    if present:
        page.keyboard.press("p")
    for index in (0, 3, 6):  # forward, backward, update: different panels show
        page.locator(f"[data-step-index='{index}']").click()
        big.wait_idle()
        page.wait_for_timeout(100)
        failures = []
        texts = page.evaluate(_TEXTS)
        assert len(texts) > 50
        for t in texts:
            large = t["size"] >= 24 or (t["bold"] and t["size"] >= 18.66)
            need = 3.0 if large else 4.5
            ratio = contrast(t["colour"], t["bg"])
            if ratio < need:
                failures.append(f"{t['tag']}.{t['cls']} {t['text']!r}: {ratio:.2f} < {need}")
        assert failures == [], "\n".join(failures[:30])
    big.screenshot(f"{theme}{'-present' if present else ''}", full_page=True)


def test_a_step_too_large_for_the_zoom_wraps_instead(big: Lens) -> None:
    page = big.page
    page.evaluate(
        """() => window.backpropLens.actions.createSession({
            network: {layers: [4, 16, 16, 3], activations: ['tanh', 'tanh', 'softmax'],
                      init: {method: 'xavier', seed: 0}},
            cost: 'softmax_cross_entropy', learning_rate: 0.1, batch_size: 8, seed: 0,
            data: {inputs: [...Array(8).keys()].map(i => [i / 8, 0.5, -i / 8, 0.25]),
                   targets: [...Array(8).keys()].map(
                       i => [0, 1, 2].map(k => k === i % 3 ? 1 : 0))}})"""
    )
    big.wait_idle()
    page.locator("[data-step-index='1']").click()  # 16 × 16 weights, 16 × 8 activations
    big.wait_idle()
    page.keyboard.press("z")
    equation = page.locator("[data-view='equation']")
    assert equation.get_attribute("data-fit") is None
    overflow = equation.evaluate("el => el.scrollWidth - el.clientWidth")
    assert overflow <= 0  # the lines wrap inside the screen instead of running off it
    assert big.console == []
