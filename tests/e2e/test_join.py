"""The join page (/join): a typed code opens its class, in any case and with spaces;
an unknown code or an ended class says so and lets the user try another; the step
page links to it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import Lens
from tests.e2e.test_accessibility import live_class

pytestmark = pytest.mark.e2e


@pytest.fixture
def join(browser: Any, base_url: str) -> Iterator[Any]:
    """The join page at a phone's size, ready."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=base_url, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    try:
        page.goto("/join")
        page.wait_for_function("() => document.body.dataset.ready === 'true'")
        yield page
    finally:
        # (the one console error a refused code may leave: the browser reports the 404)
        assert all("404" in line for line in console), console
        context.close()


def type_code(page: Any, text: str) -> None:
    page.fill("[data-join-code]", text)
    page.locator("[data-join-submit]").tap()


def problem(page: Any) -> str:
    error = page.locator("[data-join-error]")
    error.wait_for(state="visible", timeout=10000)
    return str(error.inner_text())


def spaced_lower(code: str) -> str:
    return f" {code[:3].lower()} {code[3:].lower()} "


@pytest.mark.parametrize("typed", [str.upper, spaced_lower], ids=["as-shown", "lower-with-spaces"])
def test_a_live_code_opens_its_class(join: Any, api: httpx.Client, typed: Any) -> None:
    code = live_class(api)
    type_code(join, typed(code))
    join.wait_for_url(f"**/class/{code}", timeout=10000)
    join.wait_for_function("() => document.body.dataset.ready === 'true'", timeout=30000)
    assert join.locator("[data-follow-state]").inner_text() == "Live"


def test_an_unknown_code_says_so_and_another_can_be_tried(join: Any, api: httpx.Client) -> None:
    type_code(join, "zz zzz4")
    assert problem(join).startswith("No live class ZZZZZ4")
    assert join.url.endswith("/join")
    code_box = join.locator("[data-join-code]")
    assert code_box.get_attribute("aria-invalid") == "true"
    assert join.evaluate("() => document.activeElement.dataset.joinCode !== undefined")
    Lens(join, name="join-unknown").screenshot("390x844")
    code = live_class(api)
    type_code(join, code)  # the next try
    join.wait_for_url(f"**/class/{code}", timeout=10000)


def test_an_empty_code_asks_for_one(join: Any) -> None:
    type_code(join, "  ")
    assert problem(join).startswith("Type the join code first")


def test_an_ended_class_says_so(join: Any, api: httpx.Client) -> None:
    session = api.post("/sessions", json={"preset": "worked_example"}).json()["id"]
    code = api.post(f"/sessions/{session}/class").json()["code"]
    assert api.delete(f"/sessions/{session}/class").status_code == 204
    type_code(join, code)
    assert problem(join).startswith(f"No live class {code}")


def test_the_step_page_links_to_it(lens: Lens) -> None:
    page = lens.page
    page.locator("[data-action='live-class']").click()
    page.locator("dialog[data-view='live-class'] [data-link='join']").click()
    page.wait_for_url("**/join")
    assert page.locator("[data-join-code]").is_visible()
