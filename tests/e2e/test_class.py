"""A live class in a real browser: an instructor's page and a follower's page, two contexts.

The follower's page must show the instructor's step after each key press,
follow a configuration change (a new session), take a private copy, and say
when the class has ended. Neither page logs a console error under the CSP.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.helpers import Lens

VIEWPORT = {"width": 1280, "height": 720}


@pytest.fixture
def pages(
    browser: Any, base_url: str, request: pytest.FixtureRequest
) -> Iterator[tuple[Lens, Any]]:
    """The instructor's step page (ready) and a second, separate browser context."""
    teacher_context = browser.new_context(viewport=VIEWPORT, base_url=base_url)
    student_context = browser.new_context(viewport=VIEWPORT, base_url=base_url)
    try:
        teacher = Lens(teacher_context.new_page(), name=f"{request.node.name}-teacher")
        teacher.open()
        yield teacher, student_context
    finally:
        teacher_context.close()
        student_context.close()


def follower_shows(student: Lens, cursor: dict[str, int]) -> None:
    student.page.wait_for_function(
        """([index, iteration]) => {
            const s = window.backpropLens && window.backpropLens.store.state.session;
            return s && s.cursor.index === index && s.cursor.iteration === iteration;
        }""",
        arg=[cursor["index"], cursor["iteration"]],
        timeout=5000,
    )


def test_the_follower_shows_each_step_of_the_instructor(pages: tuple[Lens, Any]) -> None:
    teacher, student_context = pages
    page = teacher.page
    page.locator("[data-action='live-class']").click()
    page.locator("[data-action='start-class']").click()
    code_box = page.locator("[data-class-code]")
    code_box.wait_for(state="visible")
    code = code_box.inner_text().replace(" ", "")
    assert len(code) == 6
    assert page.locator("[data-class-url]").get_attribute("href").endswith(f"/class/{code}")
    page.wait_for_function(
        "() => document.querySelector('[data-class-qr]').naturalWidth > 0", timeout=5000
    )
    assert page.locator("[data-live-label]").inner_text() == f"Live · {code}"
    teacher.screenshot("live-class-panel")
    page.locator("dialog[data-view='live-class'] [data-close]").click()
    page.locator("#main").focus()  # (focus returns to the opener, where Enter would open it again)

    student = Lens(student_context.new_page(), name=f"{teacher.name}-student")
    student.open(f"/class/{code.lower()}")
    assert student.page.locator(".follow__code").inner_text() == code
    follower_shows(student, teacher.state()["cursor"])

    for key in ["ArrowRight"] * 4 + ["Shift+ArrowRight", "Enter", "ArrowRight", "ArrowLeft"]:
        teacher.press(key)
        cursor = teacher.state()["cursor"]
        follower_shows(student, cursor)
        assert student.cursor_index() == teacher.cursor_index() == cursor["index"]
        formula = "[data-view='equation'] [data-formula]"
        assert student.page.locator(formula).inner_text() == page.locator(formula).inner_text()
        shown = "[data-view='timeline'] [data-iteration]"
        assert student.page.locator(shown).inner_text() == page.locator(shown).inner_text()
    assert student.page.locator("[data-follow-state]").inner_text() == "Live"

    # A new configuration is a new session: the class follows it under the same code.
    page.evaluate("() => window.backpropLens.actions.loadPreset('xor')")
    teacher.wait_idle()
    page.wait_for_function(
        "() => { const s = window.backpropLens.store.state; "
        "return s.liveClass && s.liveClass.sessionId === s.session.id; }",
        timeout=5000,
    )
    teacher.press("ArrowRight")
    follower_shows(student, teacher.state()["cursor"])
    layers = student.page.evaluate("() => window.backpropLens.store.state.session.network.layers")
    assert layers == teacher.state()["network"]["layers"]

    # Take a copy: a private session at the same place, on the step page.
    student.page.locator("[data-action='take-copy']").click()
    student.page.wait_for_url("**/", timeout=10000)
    student.wait_ready()
    copy = student.state()
    assert copy["id"] != teacher.state()["id"]
    assert copy["cursor"] == teacher.state()["cursor"]
    assert copy["network"] == teacher.state()["network"]

    # The copy moves alone; a second follower page sees the class end.
    follower = Lens(student_context.new_page(), name=f"{teacher.name}-follower")
    follower.open(f"/class/{code}")
    student.press("ArrowRight")
    assert teacher.state()["cursor"] != student.state()["cursor"]
    page.locator("[data-action='live-class']").click()
    page.locator("[data-action='end-class']").click()
    page.locator("[data-live-off]").wait_for(state="visible")
    follower.page.wait_for_function(
        "() => document.querySelector('[data-follow-state]').textContent === 'Ended'",
        timeout=5000,
    )
    assert "ended" in follower.page.locator("[data-status]").inner_text()
    for lens in (teacher, student, follower):
        assert lens.console == [], lens.console


def test_an_unknown_class_says_so(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport=VIEWPORT, base_url=base_url)
    try:
        page = context.new_page()
        page.goto("/class/ZZZZZ2")
        page.wait_for_function(
            "() => document.querySelector('[data-follow-state]').textContent === 'Ended'",
            timeout=10000,
        )
        assert "no live class" in page.locator("[data-status]").inner_text()
    finally:
        context.close()
