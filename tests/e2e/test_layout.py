"""The page fits 1024 px to 1920 px wide without horizontal scrolling."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.helpers import Lens

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("width", "height"), [(1024, 768), (1280, 720), (1920, 1080)])
def test_page_fits_the_viewport(browser: Any, base_url: str, width: int, height: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=base_url)
    try:
        lens = Lens(context.new_page(), name=f"layout-{width}x{height}")
        lens.open()
        page = lens.page
        for index in (0, 3, 6):  # forward, backward and update look different
            page.locator(f"[data-step-index='{index}']").click()
            lens.wait_idle()
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{overflow}px of horizontal scroll at step {index}"
            for view in ("controls", "timeline", "network", "equation"):
                box = page.locator(f"[data-view='{view}']").bounding_box()
                assert box is not None
                assert box["x"] >= 0
                assert box["x"] + box["width"] <= width + 0.5, view
            lens.screenshot(f"step{index}")
        # the step controls and the first equation line are on the first screen
        assert page.locator("[data-action='step-forward']").is_visible()
        eq = page.locator("[data-view='equation'] [data-line='0']").bounding_box()
        assert eq is not None
        assert eq["y"] < height
        assert lens.console == []
    finally:
        context.close()
