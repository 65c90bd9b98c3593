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

pytestmark = pytest.mark.e2e

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


def live_class_of(teacher: Lens) -> dict[str, Any] | None:
    live: dict[str, Any] | None = teacher.page.evaluate(
        "() => window.backpropLens.store.state.liveClass"
    )
    return live


def test_a_reload_keeps_the_instructors_session_and_class(pages: tuple[Lens, Any]) -> None:
    teacher, student_context = pages
    page = teacher.page
    code = teacher.start_live_class()
    for _ in range(3):
        teacher.press("ArrowRight")
    before = teacher.state()
    student = Lens(student_context.new_page(), name=f"{teacher.name}-student")
    student.open(f"/class/{code}")
    follower_shows(student, before["cursor"])

    # A reload: the same session, at the same step, still the class's.
    page.reload()
    teacher.wait_ready()
    after = teacher.state()
    assert (after["id"], after["cursor"]) == (before["id"], before["cursor"])
    live = live_class_of(teacher)
    assert live is not None
    assert (live["code"], live["sessionId"]) == (code, before["id"])
    assert page.locator("[data-live-label]").inner_text() == f"Live · {code}"
    page.locator("#main").focus()
    teacher.press("ArrowRight")
    follower_shows(student, teacher.state()["cursor"])
    assert teacher.console == [], teacher.console

    # The server forgot the session meanwhile: a replacement session from the address
    # bar's state, and the class moves over to it under the same code.
    teacher.share_link()  # the address bar has caught up with the last step
    gone = teacher.state()
    status = page.evaluate(
        "(id) => fetch(`/api/v1/sessions/${id}`, {method: 'DELETE'}).then((r) => r.status)",
        gone["id"],
    )
    assert status == 204
    page.reload()
    teacher.wait_ready()
    page.wait_for_function(
        "() => { const s = window.backpropLens.store.state; "
        "return s.liveClass && s.liveClass.sessionId === s.session.id; }",
        timeout=5000,
    )
    replaced = teacher.state()
    assert replaced["id"] != gone["id"]
    assert replaced["cursor"] == gone["cursor"]
    assert live_class_of(teacher)["code"] == code  # type: ignore[index]
    page.locator("#main").focus()
    teacher.press("ArrowRight")
    follower_shows(student, teacher.state()["cursor"])
    # (the one console line: the browser reports the GET that found the session gone)
    assert all("404" in line for line in teacher.console), teacher.console
    assert student.console == [], student.console


def test_a_link_followed_into_the_tab_is_not_a_reload(pages: tuple[Lens, Any]) -> None:
    teacher, _ = pages
    teacher.start_live_class()
    first = teacher.state()["id"]
    teacher.open("/")  # a navigation, not a reload: a new session, no class
    assert teacher.state()["id"] != first
    assert live_class_of(teacher) is None
