"""Phones and tablets: the step page, a follower's page and a copied session at 390×844
(a phone, touch): nothing wider than the screen, stepping by taps, text ≥ 14 px (matrix
entries ≥ 12 px), touch targets ≥ 44 px; screenshots at the sizes people use."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import Lens
from tests.e2e.test_accessibility import live_class

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
MIN_TEXT_PX = 14
MIN_ENTRY_PX = 12  # matrix entries and their row and column labels
MIN_TARGET_PX = 44
# the controls a phone user taps: the step bar, the top bar, the timeline, the follower's copy
MAIN_CONTROLS = (
    ".topbar button:not([hidden]), .topbar select, .topbar a, "
    "[data-view='timeline'] button, [data-view='equation'] select"
)

# Every visible text's font size, and whether it is a matrix's (entries, labels, shapes).
_TEXT_SIZES = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.textContent.trim()) continue;
    if (el.closest('.sr-only, [hidden], dialog:not([open]), option, svg, .katex')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const matrix = Boolean(el.closest('.matrix, .heatmap, .operand__shape, .matrix-probe'));
    out.push({text: n.textContent.trim().slice(0, 30), cls: String(el.className),
              size: parseFloat(getComputedStyle(el).fontSize), matrix});
  }
  return out;
}"""


@pytest.fixture
def phone(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(
        viewport=PHONE, base_url=base_url, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    try:
        yield context
    finally:
        context.close()


def overflow(page: Any) -> int:
    width: int = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return width


def assert_fits_a_phone(lens: Lens, where: str) -> None:
    assert overflow(lens.page) <= 0, f"{where}: {overflow(lens.page)} px of horizontal scroll"
    small = [
        t
        for t in lens.page.evaluate(_TEXT_SIZES)
        if t["size"] < (MIN_ENTRY_PX if t["matrix"] else MIN_TEXT_PX)
    ]
    assert small == [], f"{where}: text too small: {small[:8]}"
    boxes = lens.page.locator(MAIN_CONTROLS).evaluate_all(
        """els => els.filter(e => e.getClientRects().length).map(e => {
             const r = e.getBoundingClientRect();
             return {what: e.dataset.action || e.dataset.control || e.dataset.stepIndex
                           || e.textContent.trim(), width: r.width, height: r.height}; })"""
    )
    assert boxes, where
    tiny = [b for b in boxes if min(b["width"], b["height"]) < MIN_TARGET_PX - 0.5]
    assert tiny == [], f"{where}: touch targets under {MIN_TARGET_PX} px: {tiny}"


def in_view(page: Any, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    size = page.viewport_size
    return bool(
        box
        and box["x"] >= 0
        and box["x"] + box["width"] <= size["width"] + 0.5
        and box["y"] >= 0
        and box["y"] < size["height"]
    )


def tap_through_an_iteration(lens: Lens, where: str) -> None:
    """Step by tapping the step bar, and by tapping a step of the timeline."""
    page = lens.page
    start = lens.cursor_index()
    for k in range(1, 4):
        page.locator("[data-action='step-forward']").tap()
        lens.wait_idle()
        assert lens.cursor_index() == start + k, where
        assert overflow(page) <= 0, f"{where}, step {start + k}"
        assert in_view(page, "[data-action='step-forward']"), where
        assert in_view(page, "[data-view='timeline'] [aria-current='step']"), where
    page.locator("[data-view='timeline'] [data-step-index='6']").tap()
    lens.wait_idle()
    assert lens.cursor_index() == 6
    assert_fits_a_phone(lens, f"{where}, the update step")
    page.locator("[data-action='step-back']").tap()
    lens.wait_idle()
    assert lens.cursor_index() == 5


def test_the_step_page_on_a_phone(phone: Any) -> None:
    lens = Lens(phone.new_page(), name="phone-step-page")
    lens.open("/")
    page = lens.page
    assert_fits_a_phone(lens, "/")
    # the step bar and the current equation on the first screen
    assert in_view(page, "[data-action='step-forward']")
    assert in_view(page, "[data-view='equation'] [data-formula]")
    assert in_view(page, "[data-view='equation'] [data-line='0']")
    lens.screenshot("390x844")
    tap_through_an_iteration(lens, "/")
    # the settings open above the page and fit it too
    page.locator("[data-action='toggle-config']").tap()
    assert page.locator("[data-view='config']").is_visible()
    assert_fits_a_phone(lens, "the settings open")
    lens.screenshot("settings-390x844", full_page=True)
    assert lens.console == [], lens.console


def test_a_follower_and_a_copy_on_a_phone(phone: Any, api: httpx.Client) -> None:
    code = live_class(api)
    lens = Lens(phone.new_page(), name="phone-follower")
    lens.open(f"/class/{code}")
    page = lens.page
    assert_fits_a_phone(lens, "/class/")
    # the current step first: its equation right under the timeline, on the first screen
    equation = page.locator("[data-view='equation']").bounding_box()
    network = page.locator("[data-view='network']").bounding_box()
    assert equation is not None
    assert network is not None
    assert equation["y"] < network["y"]
    assert in_view(page, "[data-view='equation'] [data-line='0']")
    assert in_view(page, "[data-action='take-copy']")
    lens.screenshot("390x844")

    page.locator("[data-action='take-copy']").tap()
    page.wait_for_url("**/", timeout=10000)
    lens.wait_ready()
    assert_fits_a_phone(lens, "a copied session")
    lens.screenshot("copy-390x844")
    tap_through_an_iteration(lens, "a copied session")
    assert lens.console == [], lens.console


@pytest.mark.parametrize(
    ("width", "height", "present"),
    [
        (390, 844, False),
        (844, 390, False),
        (768, 1024, False),
        (1440, 900, False),
        (1920, 1080, True),
    ],
    ids=["phone", "phone-landscape", "tablet", "desktop", "presenting-1080p"],
)
def test_screenshots_at_every_size(
    browser: Any, base_url: str, width: int, height: int, present: bool
) -> None:
    touch = width < 1000
    context = browser.new_context(
        viewport={"width": width, "height": height}, base_url=base_url,
        is_mobile=touch, has_touch=touch,
    )  # fmt: skip
    try:
        lens = Lens(context.new_page(), name=f"sizes-{width}x{height}")
        lens.open("/")
        if present:
            lens.page.keyboard.press("p")
        lens.seek(3)
        assert overflow(lens.page) <= 0
        assert in_view(lens.page, "[data-action='step-forward']")
        assert in_view(lens.page, "[data-view='equation'] [data-formula]")
        lens.screenshot("present" if present else "step")
        assert lens.console == [], lens.console
    finally:
        context.close()
