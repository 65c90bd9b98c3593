"""axe-core finds no violation of WCAG 2.0/2.1 A and AA or of its best practices on the
step page, presenting, in the dark theme, on a follower's page, on the join page and on
the page of a code with no class; and none with an entry's expansion open."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.axe import axe_source, violations
from tests.e2e.helpers import Lens

pytestmark = pytest.mark.e2e


@pytest.fixture
def context(browser: Any, base_url: str) -> Iterator[Any]:
    axe_source()  # before anything else: skip (or fail in CI) without axe-core
    ctx = browser.new_context(
        viewport={"width": 1440, "height": 900}, base_url=base_url, bypass_csp=True
    )
    try:
        yield ctx
    finally:
        ctx.close()


def live_class(api: httpx.Client) -> str:
    """A live class on a new worked-example session, started through the API: its code."""
    session = api.post("/sessions", json={"preset": "worked_example"})
    assert session.status_code == 201, session.text
    started = api.post(f"/sessions/{session.json()['id']}/class")
    assert started.status_code == 201, started.text
    code: str = started.json()["code"]
    return code


def assert_no_violations(lens: Lens, where: str) -> None:
    found = violations(lens.page)
    said = "\n".join(f"{v['id']} ({v['impact']}): {v['nodes']}" for v in found)
    assert found == [], f"{where}: {said}"


def open_an_expansion(lens: Lens) -> None:
    before = lens.expansions()
    lens.page.locator("[data-view='equation'] [data-role='result'] td").first.click()
    lens.wait_expanded(before)
    assert lens.expansion().is_visible()


@pytest.mark.parametrize("state", ["step page", "presenting", "dark theme", "follower"])
def test_no_violations(context: Any, api: httpx.Client, state: str) -> None:
    lens = Lens(context.new_page(), name=f"axe-{state.replace(' ', '-')}")
    if state == "follower":
        lens.open(f"/class/{live_class(api)}")
    else:
        lens.open("/")
    if state == "presenting":
        lens.page.keyboard.press("p")
        assert lens.page.evaluate("() => document.documentElement.dataset.present") == "true"
    if state == "dark theme":
        lens.page.locator("[data-action='theme']").click()
        assert lens.page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    assert_no_violations(lens, state)
    open_an_expansion(lens)
    assert_no_violations(lens, f"{state}, an expansion open")
    lens.screenshot("expansion")
    assert lens.console == [], lens.console


def test_no_violations_on_the_join_page_and_for_a_code_with_no_class(context: Any) -> None:
    page = context.new_page()
    lens = Lens(page, name="axe-join")
    page.goto("/join")
    page.wait_for_function("() => document.body.dataset.ready === 'true'")
    page.fill("[data-join-code]", "zzzzz3")
    page.locator("[data-join-submit]").click()
    page.locator("[data-join-error]").wait_for(state="visible")
    assert_no_violations(lens, "/join with an error")
    page.goto("/class/ZZZZZ3")
    page.wait_for_function(
        "() => document.querySelector('[data-follow-state]').dataset.state === 'missing'"
    )
    assert_no_violations(lens, "/class/ of an unknown code")


def test_no_violations_in_the_live_class_panel(context: Any) -> None:
    lens = Lens(context.new_page(), name="axe-live-class")
    lens.open("/")
    page = lens.page
    page.locator("[data-action='live-class']").click()
    assert_no_violations(lens, "the live-class panel, before a class")
    page.locator("[data-action='start-class']").click()
    page.locator("[data-class-code]").wait_for(state="visible")
    assert_no_violations(lens, "the live-class panel, a class live")


def test_no_violations_with_classes_pictures_and_a_csv_chooser(context: Any) -> None:
    """The digits' confusion matrix, per-class accuracy, images and principal plane, and
    the data panel's column chooser after a CSV has loaded."""
    lens = Lens(context.new_page(), name="axe-digits")
    lens.open("/")
    lens.load_preset("digits")
    page = lens.page
    page.locator("[data-view='images'] [data-mistake-images] canvas").first.wait_for()
    assert page.locator("[data-view='class-report'] table").is_visible()
    assert_no_violations(lens, "digits")
    page.locator("[data-csv] summary").click()
    page.locator("[data-csv-text]").fill("a,b,c,y\n1,2,3,0\n4,5,6,1\n7,8,9,1\n")
    page.locator("[data-action='use-csv']").click()
    page.locator("[data-csv-chooser]").wait_for()
    lens.wait_idle()
    assert_no_violations(lens, "a CSV's column chooser")
