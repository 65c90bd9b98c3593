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


def end_class(teacher: Lens, follower: Lens) -> None:
    """End the class from the instructor's panel; the follower's page says it has ended."""
    page = teacher.page
    page.locator("[data-action='live-class']").click()
    page.locator("[data-action='end-class']").click()
    page.locator("[data-live-off]").wait_for(state="visible")
    follower.page.wait_for_function(
        "() => document.querySelector('[data-follow-state]').textContent === 'Ended'",
        timeout=5000,
    )
    assert "ended" in follower.page.locator("[data-status]").inner_text()


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

    # A new configuration is a new session: the class follows it under the same code,
    # and then the old session is deleted (deleting it first would end the class).
    old = teacher.state()["id"]
    page.evaluate("() => window.backpropLens.actions.loadPreset('xor')")
    teacher.wait_idle()
    page.wait_for_function(
        "() => { const s = window.backpropLens.store.state; "
        "return s.liveClass && s.liveClass.sessionId === s.session.id; }",
        timeout=5000,
    )
    deleted = False
    for _ in range(50):  # (the page deletes it without waiting for the answer)
        deleted = page.request.get(f"/api/v1/sessions/{old}").status == 404
        if deleted:
            break
        page.wait_for_timeout(100)
    assert deleted
    assert page.request.get(f"/api/v1/classes/{code}").status == 200
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
    end_class(teacher, follower)
    for lens in (teacher, student, follower):
        assert lens.console == [], lens.console


@pytest.mark.parametrize("code", ["ZZZZZ2", "not-a-code"])
def test_an_unknown_class_says_so_and_offers_the_join_page(
    browser: Any, base_url: str, code: str
) -> None:
    context = browser.new_context(viewport=VIEWPORT, base_url=base_url)
    try:
        page = context.new_page()
        page.goto(f"/class/{code}")
        page.wait_for_function(
            "() => document.querySelector('[data-follow-state]').dataset.state === 'missing'",
            timeout=10000,
        )
        assert page.locator("[data-follow-state]").inner_text() == "No class"
        missing = page.locator("[data-class-missing]")
        assert missing.is_visible()
        assert "No live class" in missing.inner_text()
        assert page.locator("[data-class-stage]").is_hidden()  # no empty stage under it
        assert page.locator("[data-action='take-copy']").is_hidden()
        missing.locator("[data-link='join']").click()
        page.wait_for_url("**/join?code=*")
        assert page.locator("[data-join-code]").input_value() == code.upper()
    finally:
        context.close()


def test_the_instructor_sees_the_followers_come_and_go(pages: tuple[Lens, Any]) -> None:
    teacher, student_context = pages
    page = teacher.page
    code = teacher.start_live_class()
    count = page.locator("[data-live-count]")
    assert count.is_visible()
    assert count.get_attribute("title") == "0 students following"
    followers = [Lens(student_context.new_page(), name=f"{teacher.name}-{i}") for i in range(2)]
    for n, follower in enumerate(followers, start=1):
        follower.open(f"/class/{code}")
        page.wait_for_function(
            "(n) => document.querySelector('[data-live-count]').title === "
            "`${n} ${n === 1 ? 'student' : 'students'} following`",
            arg=n,
            timeout=15000,
        )
    page.locator("[data-action='live-class']").click()
    assert page.locator("[data-class-followers]").inner_text() == "2 students following"
    teacher.screenshot("followers")
    followers[0].page.close()
    page.wait_for_function(
        "() => document.querySelector('[data-class-followers]').textContent "
        "=== '1 student following'",
        timeout=15000,
    )
    assert teacher.console == [], teacher.console


def test_after_the_class_ends_a_follower_keeps_the_last_step_and_copies_it(
    pages: tuple[Lens, Any],
) -> None:
    teacher, student_context = pages
    code = teacher.start_live_class()
    for key in ["ArrowRight"] * 3:
        teacher.press(key)
    last = teacher.state()
    student = Lens(student_context.new_page(), name=f"{teacher.name}-student")
    student.open(f"/class/{code}")
    follower_shows(student, last["cursor"])
    # the copy must come from the end event: the server forgets the class, and is not asked
    asked: list[str] = []
    student.page.on(
        "request", lambda r: asked.append(r.url) if f"/classes/{code}" in r.url else None
    )
    end_class(teacher, student)
    # the last step stays on the screen, with its numbers
    assert student.state()["cursor"] == last["cursor"]
    assert student.page.locator("[data-view='equation'] [data-line='0']").is_visible()
    assert student.cursor_index() == last["cursor"]["index"]
    copy = student.page.locator("[data-action='take-copy']")
    assert copy.is_enabled()
    copy.click()
    student.page.wait_for_url("**/", timeout=10000)
    student.wait_ready()
    copied = student.state()
    assert copied["id"] != last["id"]
    assert copied["cursor"] == last["cursor"]
    assert copied["network"] == last["network"]
    assert asked == [], asked
    student.press("ArrowRight")  # a session of its own
    assert student.state()["cursor"]["index"] == last["cursor"]["index"] + 1
    for lens in (teacher, student):
        assert lens.console == [], lens.console


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

    # The session is deleted meanwhile (another tab, a script): its class ends with it, the
    # follower is told why, and the reload starts a replacement from the address bar's state.
    teacher.share_link()  # the address bar has caught up with the last step
    gone = teacher.state()
    status = page.evaluate(
        "(id) => fetch(`/api/v1/sessions/${id}`, {method: 'DELETE'}).then((r) => r.status)",
        gone["id"],
    )
    assert status == 204
    student.page.wait_for_function(
        "() => document.querySelector('[data-follow-state]').textContent === 'Ended'",
        timeout=5000,
    )
    assert "session was deleted" in student.page.locator("[data-status]").inner_text()
    page.reload()
    teacher.wait_ready()
    replaced = teacher.state()
    assert replaced["id"] != gone["id"]
    assert replaced["cursor"] == gone["cursor"]
    page.wait_for_function(
        "() => { const s = window.backpropLens.store.state; "
        "return !s.liveClass && /has ended/.test(s.liveClassError ?? ''); }",
        timeout=5000,
    )
    # (the console lines: the browser reports the requests that found the session gone)
    assert all("404" in line for line in teacher.console), teacher.console
    assert student.console == [], student.console


def test_a_link_followed_into_the_tab_is_not_a_reload(pages: tuple[Lens, Any]) -> None:
    teacher, _ = pages
    teacher.start_live_class()
    first = teacher.state()["id"]
    teacher.open("/")  # a navigation, not a reload: a new session, no class
    assert teacher.state()["id"] != first
    assert live_class_of(teacher) is None


def test_the_join_code_and_link_stay_on_one_line_at_every_width(pages: tuple[Lens, Any]) -> None:
    teacher, _ = pages
    page = teacher.page
    teacher.start_live_class()
    page.locator("[data-action='live-class']").click()
    for width, height in [(360, 740), (390, 844), (768, 1024), (1280, 720), (1920, 1080)]:
        page.set_viewport_size({"width": width, "height": height})
        lines = page.evaluate(
            """() => ['[data-class-code]', '[data-class-url]'].map((s) => {
                 const el = document.querySelector(s);
                 const range = document.createRange();
                 range.selectNodeContents(el);
                 const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
                 return {lines: tops.size, fits: el.scrollWidth <= el.clientWidth + 1}; })"""
        )
        assert lines == [{"lines": 1, "fits": True}] * 2, (width, lines)
        teacher.screenshot(f"live-class-{width}x{height}")
