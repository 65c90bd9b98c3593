"""Class questions in real browsers: an instructor's page and two followers (one a phone).

The instructor asks from the live-class panel; both followers see the question at once
and answer by tapping; the instructor sees the count, closes, sees each option's bar
(the API's counts), opens a second round and reveals; the followers then show the answer
and the step the question was about. axe-core finds nothing on the phone's page with the
question open.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.axe import violations
from tests.e2e.helpers import Lens

pytestmark = pytest.mark.e2e

PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}


@pytest.fixture
def room(browser: Any, base_url: str, request: pytest.FixtureRequest) -> Iterator[list[Lens]]:
    """The instructor's page with a live class, a desktop follower and a phone follower."""
    contexts = [
        browser.new_context(viewport={"width": 1440, "height": 900}, base_url=base_url),
        browser.new_context(viewport={"width": 1280, "height": 720}, base_url=base_url),
        browser.new_context(base_url=base_url, bypass_csp=True, **PHONE),  # (axe runs there)
    ]
    try:
        names = ("teacher", "laptop", "phone")
        lenses = [
            Lens(c.new_page(), name=f"{request.node.name}-{n}")
            for c, n in zip(contexts, names, strict=True)
        ]
        lenses[0].open()
        code = lenses[0].start_live_class()
        for follower in lenses[1:]:
            follower.open(f"/class/{code}")
        yield lenses
    finally:
        for c in contexts:
            c.close()


def asked(teacher: Lens) -> dict[str, Any]:
    result: dict[str, Any] = teacher.page.evaluate(
        "() => JSON.parse(JSON.stringify(window.backpropLens.store.state.askedQuestion))"
    )
    return result


def wait_count(teacher: Lens, text: str) -> None:
    teacher.page.wait_for_function(
        "(text) => document.querySelector('[data-asked-count]').textContent.startsWith(text)",
        arg=text,
        timeout=10000,
    )


def bar_counts(teacher: Lens, round: int) -> dict[str, int]:
    items = teacher.page.locator(f".question-round[data-round='{round}'] .question-bars__item")
    return {
        items.nth(i).locator(".question-bars__label").inner_text(): int(
            items.nth(i).locator(".question-bars__count").inner_text()
        )
        for i in range(items.count())
    }


def test_ask_answer_distribution_vote_again_and_reveal(room: list[Lens]) -> None:
    teacher, laptop, phone = room
    page = teacher.page
    page.locator("[data-action='live-class']").click()
    page.locator("[data-ask-kind]").select_option("sign")
    page.locator("[data-ask-row]").fill("1")
    page.locator("[data-ask-column]").fill("0")
    page.locator("[data-action='ask-question']").click()
    page.locator("[data-asked]").wait_for(state="visible")
    question = asked(teacher)
    assert question["question"]["phase"] == "forward"  # the coming step: index 1
    assert question["question"]["entry"] == [1, 0]
    right = question["answer"]
    wrong = "zero" if right != "zero" else "negative"
    labels = {o["key"]: o["label"] for o in question["question"]["options"]}
    assert page.locator("[data-asked-prompt]").inner_text() == question["question"]["prompt"]

    for follower in (laptop, phone):
        card = follower.page.locator("[data-view='class-question']")
        card.wait_for(state="visible", timeout=10000)
        assert card.locator("[data-question-prompt]").inner_text() == question["question"]["prompt"]
    assert phone.page.locator("[data-question-options] button").count() == 3
    for box in (phone.page.locator(f"[data-key='{k}']").bounding_box() for k in labels):
        assert box is not None
        assert box["height"] >= 44
    found = violations(phone.page)
    assert found == [], found
    phone.screenshot("question-390x844")

    laptop.page.locator(f"[data-key='{right}']").click()
    phone.page.locator(f"[data-key='{wrong}']").tap()
    phone.page.wait_for_function(
        "(label) => document.querySelector('[data-question-status]').textContent"
        ".startsWith('Your answer: ' + label)",
        arg=labels[wrong],
        timeout=10000,
    )
    assert phone.page.locator(f"[data-key='{wrong}']").get_attribute("aria-pressed") == "true"
    wait_count(teacher, "2 answers · round 1 open")

    page.locator("[data-action='close-question']").click()
    wait_count(teacher, "2 answers · round 1 closed")
    assert bar_counts(teacher, 1) == {labels[k]: (1 if k in (right, wrong) else 0) for k in labels}
    phone.page.wait_for_function(
        "() => document.querySelector(\"[data-key='zero']\").disabled", timeout=10000
    )

    page.locator("[data-action='revote-question']").click()
    wait_count(teacher, "0 answers · round 2 open")
    phone.page.wait_for_function(
        "() => !document.querySelector(\"[data-key='zero']\").disabled", timeout=10000
    )
    for follower in (laptop, phone):
        follower.page.locator(f"[data-key='{right}']").click()
    wait_count(teacher, "2 answers · round 2 open")
    page.locator("[data-action='reveal-question']").click()
    wait_count(teacher, "2 answers · round 2 closed")
    assert bar_counts(teacher, 1)[labels[right]] == 1  # the rounds side by side
    assert bar_counts(teacher, 2)[labels[right]] == 2
    assert page.locator("[data-asked-answer]").inner_text() == f"The answer: {labels[right]}"
    page.locator("[data-asked-rounds]").scroll_into_view_if_needed()
    teacher.screenshot("question-distribution")

    for follower in (laptop, phone):
        follower.page.wait_for_function(
            "() => document.querySelector('[data-question-status]').textContent"
            ".startsWith('The answer: ')",
            timeout=10000,
        )
        status = follower.page.locator("[data-question-status]").inner_text()
        assert status == f"The answer: {labels[right]}. Your answer: {labels[right]}."
        follower.page.wait_for_function(
            "() => window.backpropLens.store.state.session.cursor.index === 1", timeout=10000
        )
    assert teacher.state()["cursor"]["index"] == 1
    phone.screenshot("revealed-390x844")
    laptop.screenshot("revealed")
    for lens in (teacher, laptop, phone):
        assert lens.console == [], lens.console


def bar_rows(teacher: Lens, round: int) -> list[tuple[str, int, bool]]:
    items = teacher.page.locator(f".question-round[data-round='{round}'] .question-bars__item")
    return [
        (
            items.nth(i).locator(".question-bars__label").inner_text(),
            int(items.nth(i).locator(".question-bars__count").inner_text()),
            items.nth(i).get_attribute("data-right") == "true",
        )
        for i in range(items.count())
    ]


def ask_number(teacher: Lens) -> dict[str, Any]:
    page = teacher.page
    page.locator("[data-action='live-class']").click()
    page.locator("[data-ask-kind]").select_option("number")
    page.locator("[data-action='ask-question']").click()
    page.locator("[data-asked]").wait_for(state="visible")
    return asked(teacher)


def answer_number(follower: Lens, value: str) -> None:
    follower.page.locator("[data-question-value]").wait_for(state="visible", timeout=10000)
    follower.page.locator("[data-question-value]").fill(value)
    follower.page.locator("[data-question-number] button").click()


def test_a_far_answer_gets_its_own_bar_and_the_rest_stay_apart(room: list[Lens], api: Any) -> None:
    teacher, laptop, phone = room
    question = ask_number(teacher)
    right, qid = question["answer"], question["question_id"]
    code = teacher.page.evaluate("() => window.backpropLens.store.state.liveClass.code")
    answer_number(laptop, repr(right))
    answer_number(phone, "12345")  # a typo far from the rest
    # seven more followers, through the API, near the right answer as a room types it
    step = max(abs(right), 1e-3) * 0.01
    for i, k in enumerate([-2, -1, -1, 0, 1, 1, 2]):
        body = {"question_id": qid, "follower": f"room-follower-{i}", "answer": right + k * step}
        assert api.post(f"/classes/{code}/answers", json=body).status_code == 200
    wait_count(teacher, "9 answers")
    teacher.page.locator("[data-action='close-question']").click()
    wait_count(teacher, "9 answers · round 1 closed")
    histogram = asked(teacher)["distribution"]["histogram"]
    bars = histogram["bars"]
    assert bars[-1]["low"] is not None  # "above …"
    assert bars[-1]["high"] is None
    assert bars[-1]["count"] == 1
    assert sum(b["count"] for b in bars) == 9
    assert sum(1 for b in bars if b["count"] > 0) >= 4  # the eight near answers are not one bar
    rows = bar_rows(teacher, 1)
    assert [(n, r) for _, n, r in rows] == [(b["count"], b["right"]) for b in bars]
    assert rows[-1][0].startswith("above ")
    assert sum(1 for _, _, r in rows if r) == 1
    assert teacher.page.locator(".question-bars__note", has_text="the right answer").count() == 1
    groups = {g["name"]: g["count"] for g in asked(teacher)["distribution"]["groups"]}
    assert groups["other"] >= 1
    teacher.page.locator("[data-asked-rounds]").scroll_into_view_if_needed()
    teacher.screenshot("number-histogram")
    # discuss and vote again: the second round is drawn on the first one's bins
    teacher.page.locator("[data-action='revote-question']").click()
    wait_count(teacher, "0 answers · round 2 open")
    answer_number(phone, repr(right))
    wait_count(teacher, "1 answer · round 2 open")
    teacher.page.locator("[data-action='close-question']").click()
    wait_count(teacher, "1 answer · round 2 closed")
    first, second = bar_rows(teacher, 1), bar_rows(teacher, 2)
    assert [label for label, _, _ in second] == [label for label, _, _ in first]
    assert sum(n for _, n, _ in second) == 1
    teacher.page.set_viewport_size({"width": 390, "height": 844})
    teacher.page.locator("[data-asked-rounds]").scroll_into_view_if_needed()
    overflow = teacher.page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    teacher.screenshot("number-histogram-390x844")
    for lens in (teacher, laptop, phone):
        assert lens.console == [], lens.console


def test_a_follower_who_reloads_sees_the_answer_it_gave(room: list[Lens]) -> None:
    teacher, _laptop, phone = room
    page = phone.page
    ask_number(teacher)
    answer_number(phone, "0.25")
    wait_count(teacher, "1 answer · round 1 open")
    page.reload()
    phone.wait_ready()
    field = page.locator("[data-question-value]")
    field.wait_for(state="visible", timeout=10000)
    page.wait_for_function(
        "() => document.querySelector('[data-question-value]').value === '0.25'", timeout=10000
    )
    status = page.locator("[data-question-status]")
    assert status.inner_text() == (
        "Your answer: 0.25 — received. You can change it until the round closes."
    )
    phone.screenshot("reloaded-answer-390x844")
    answer_number(phone, "0.5")  # changed after the reload: still one follower
    page.wait_for_function(
        "() => document.querySelector('[data-question-status]').textContent"
        ".startsWith('Your answer: 0.5 — received')",
        timeout=10000,
    )
    wait_count(teacher, "1 answer · round 1 open")
    result = asked(teacher)
    assert result["answers"] == 1
    # a choice among options: the one tapped is pressed again after a reload
    teacher.page.locator("[data-ask-kind]").select_option("sign")
    teacher.page.locator("[data-action='ask-question']").click()
    teacher.page.wait_for_function(
        "(old) => window.backpropLens.store.state.askedQuestion?.question_id !== old",
        arg=result["question_id"],
        timeout=10000,
    )
    page.locator("[data-key='zero']").wait_for(state="visible", timeout=10000)
    page.locator("[data-key='zero']").tap()
    wait_count(teacher, "1 answer · round 1 open")
    page.reload()
    phone.wait_ready()
    page.wait_for_function(
        "() => document.querySelector(\"[data-key='zero']\")?.getAttribute('aria-pressed')"
        " === 'true'",
        timeout=10000,
    )
    assert page.locator("[data-question-status]").inner_text().startswith("Your answer: zero")
    for lens in (teacher, phone):
        assert lens.console == [], lens.console
