"""The explanation sits next to the equation, on the first screen: at 1440×900, and in
presentation mode at 1920×1080 and 1280×720; presenting at 1024×768 the equation comes
right under the timeline."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.helpers import Lens

pytestmark = pytest.mark.e2e


def _box(lens: Lens, selector: str) -> dict[str, float]:
    box = lens.page.locator(selector).bounding_box()
    assert box is not None, selector
    return dict(box)


@pytest.fixture
def screen(browser: Any, base_url: str, request: pytest.FixtureRequest) -> Iterator[Lens]:
    width, height, present = request.param
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=base_url)
    lens = Lens(context.new_page(), name=f"{request.node.name}")
    try:
        lens.open()
        if present:
            lens.page.keyboard.press("p")
            assert lens.page.evaluate("() => document.documentElement.dataset.present") == "true"
        yield lens
    finally:
        context.close()


@pytest.mark.parametrize(
    "screen",
    [(1440, 900, False), (1920, 1080, True), (1280, 720, True)],
    ids=["1440x900", "1920x1080-presenting", "1280x720-presenting"],
    indirect=True,
)
def test_the_explanation_is_on_the_first_screen_next_to_the_equation(screen: Lens) -> None:
    page = screen.page
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    for index in range(8):  # every step of the worked example: the texts differ in length
        page.locator(f"[data-step-index='{index}']").click()
        screen.wait_idle()
        assert page.evaluate("() => window.scrollY") == 0
        explanation = _box(screen, "[data-view='explanation']")
        equation = _box(screen, "[data-view='equation']")
        where = f"step {index}: explanation {explanation}"
        assert explanation["x"] >= 0, where
        assert explanation["y"] >= 0, where
        assert explanation["x"] + explanation["width"] <= width, where
        assert explanation["y"] + explanation["height"] <= height, where
        # next to the equation: right above it, in the same column
        assert explanation["x"] == equation["x"], where
        assert 0 <= equation["y"] - (explanation["y"] + explanation["height"]) <= 24, where
        # and the equation's first line of numbers starts on the same screen
        assert _box(screen, "[data-view='equation'] [data-line='0']")["y"] < height, where
        assert (page.locator("[data-explanation] p").first.text_content() or "").strip()
    screen.screenshot("explanation")
    assert screen.console == []


@pytest.mark.parametrize("screen", [(1024, 768, True)], ids=["1024x768-presenting"], indirect=True)
def test_presenting_on_a_small_screen_the_equation_starts_high(screen: Lens) -> None:
    timeline = _box(screen, "[data-view='timeline']")
    equation = _box(screen, "[data-view='equation']")
    assert equation["y"] < 0.35 * 768, equation
    assert 0 <= equation["y"] - (timeline["y"] + timeline["height"]) <= 24
    assert _box(screen, "[data-view='equation'] [data-line='0']")["y"] < 768 / 2
    # the diagram and the explanation follow, side by side
    network = _box(screen, "[data-view='network']")
    explanation = _box(screen, "[data-view='explanation']")
    assert network["y"] == explanation["y"] > equation["y"]
    screen.screenshot("presenting")
    assert screen.console == []
