"""Practice mode, the guided lesson, new problems and the worksheet, in Chromium.

Every number typed or compared here is the API's (POST /backprop on the worked example or
on the exercise), written as the page writes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

import httpx
import pytest

from tests.app.helpers import worked_example
from tests.e2e.axe import axe_source, violations
from tests.e2e.helpers import Lens, display, explicit_config
from tests.e2e.test_phone import MIN_TARGET_PX, MIN_TEXT_PX, PHONE, overflow

pytestmark = pytest.mark.e2e

OUTPUT_ERROR, BACKWARD = 2, 3  # the worked example's steps (2-2-2: 8 steps)
PRACTICE = "[data-view='practice']"


def column(matrix: list[list[float]]) -> list[float]:
    return [row[0] for row in matrix]


@pytest.fixture
def trace(api: httpx.Client) -> dict[str, Any]:
    answer = api.post("/backprop", json=worked_example())
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def practise(lens: Lens, index: int) -> None:
    lens.page.locator("[data-action='practice']").click()
    assert lens.page.locator("[data-action='practice']").get_attribute("aria-checked") == "true"
    lens.seek(index)
    lens.page.locator(f"{PRACTICE} [data-practice-form]").wait_for()


def type_and_check(lens: Lens, values: Sequence[float | None]) -> None:
    """Type each value as the page writes it (None: leave the box empty), then Enter."""
    boxes = lens.page.locator(f"{PRACTICE} input[data-part]")
    assert boxes.count() == len(values)
    for k, value in enumerate(values):
        boxes.nth(k).fill("" if value is None else display(value))
    boxes.last.press("Enter")
    lens.wait_idle()
    lens.page.locator(f"{PRACTICE} [data-score]").wait_for()


def marks(lens: Lens) -> list[str]:
    texts: list[str] = lens.page.locator(f"{PRACTICE} [data-mark]").all_inner_texts()
    return texts


def result_shown(lens: Lens, key: str) -> bool:
    shown: bool = lens.matrix(key, "result").locator("td[data-row]").first.is_visible()
    return shown


def test_sigma_prime_left_out_is_named_the_right_answer_is_correct_and_reveal_shows(
    lens: Lens, trace: dict[str, Any]
) -> None:
    page = lens.page
    practise(lens, OUTPUT_ERROR)
    assert not result_shown(lens, "delta")  # the stepper stopped before δ²
    assert page.locator("body").get_attribute("data-practice") == "ask"
    # ∇ₐC typed as δ²: σ′(z²) left out
    type_and_check(lens, column(trace["output_error"]["grad_a"]))
    assert page.locator(f"{PRACTICE} [data-score]").get_attribute("data-score") == "0/2"
    assert marks(lens) == ["✗ wrong", "✗ wrong"]
    mistake = page.locator(f"{PRACTICE} [data-mistake='missing_sigma_prime']")
    assert mistake.locator(".practice__words").inner_text() == (
        "Looks like σ′(zᴸ) (or the Jacobian) was left out."
    )
    assert mistake.locator(".practice__compare dt").all_inner_texts() == ["You computed", "Right"]
    assert mistake.locator(".katex").count() == 2  # the two formulas, typeset
    assert page.locator("[data-practice-status]").inner_text().startswith("0 of 2 right.")
    assert not result_shown(lens, "delta")
    # the hint opens the entry's expansion (the engine's terms), with its value
    page.locator(f"{PRACTICE} [data-hint='0,0']").click()
    expansion = page.locator("[data-view='expansion']")
    expansion.wait_for(state="visible")
    assert f"exact value: {trace['output_error']['delta'][0][0]!r}" in expansion.inner_text()
    # the right numbers, as the page rounds them, are correct, and the result shows
    type_and_check(lens, column(trace["output_error"]["delta"]))
    assert page.locator(f"{PRACTICE} [data-score]").get_attribute("data-score") == "2/2"
    assert marks(lens) == ["✓ right", "✓ right"]
    assert page.locator(f"{PRACTICE} [data-mistake]").count() == 0
    assert result_shown(lens, "delta")
    # Reveal at the next step shows δ¹ with the API's numbers, unanswered
    lens.seek(BACKWARD)
    assert not result_shown(lens, "delta")
    page.locator(f"{PRACTICE} [data-action='reveal']").click()
    assert result_shown(lens, "delta")
    assert lens.matrix_values("delta", "result") == trace["backward"][0]["delta"]
    assert page.locator("body").get_attribute("data-practice") == "on"
    assert lens.console == [], lens.console


def test_type_tab_enter_and_the_iterations_tally(lens: Lens, trace: dict[str, Any]) -> None:
    page = lens.page
    practise(lens, 0)  # z¹ and a¹, four boxes
    forward = trace["forward"][0]
    values = [*column(forward["z"]), forward["a"][0][0], 0.5]  # the last a¹ entry wrong
    page.locator(f"{PRACTICE} input[data-part]").first.focus()
    for k, value in enumerate(values):
        page.keyboard.type(display(value))
        if k < len(values) - 1:
            page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.part") == "a"
    page.keyboard.press("Enter")  # checks: it does not finish the iteration
    lens.wait_idle()
    page.locator(f"{PRACTICE} [data-score]").wait_for()
    assert lens.cursor_index() == 0
    assert marks(lens) == ["✓ right", "✓ right", "✓ right", "✗ wrong"]
    assert page.evaluate("() => document.activeElement.dataset.index") == "1,0"
    # the next iteration starts with the tally of this one (only this step was answered)
    lens.click_action("finish")
    summary = page.locator(f"{PRACTICE} [data-practice-summary='0']")
    assert summary.inner_text() == (
        "Iteration 0: 3 of 4 entries right at the first check; no known mistake came up."
    )


def test_a_new_problem_and_its_worksheet_with_the_key_on_its_own_page(
    lens: Lens, api: httpx.Client
) -> None:
    page = lens.page
    page.locator("[data-action='new-problem']").click()
    page.wait_for_function("() => window.backpropLens.store.state.problem !== null")
    lens.wait_idle()
    seed = page.evaluate("() => window.backpropLens.store.state.problem.seed")
    problem = api.post("/exercises", json={"seed": seed}).json()
    network = lens.state()["network"]
    assert network["weights"] == problem["network"]["weights"]
    assert network["biases"] == problem["network"]["biases"]
    link = page.locator("[data-worksheet-link]")
    assert link.get_attribute("href") == f"/worksheet?seed={seed}"
    assert page.locator("[data-problem-note]").inner_text().startswith(f"Problem {seed}: ")

    page.goto(f"/worksheet?seed={seed}")
    page.wait_for_function("() => document.body.dataset.ready === 'true'")
    body = {k: v for k, v in problem.items() if k != "seed"}
    key = api.post("/backprop", json=body).json()
    shown = page.locator("[data-worksheet-answers] [data-label='δ¹'] td").evaluate_all(
        "tds => tds.map(td => Number(td.dataset.value))"
    )
    assert shown == [row[0] for row in key["backward"][0]["delta"]]
    cost = page.locator("[data-worksheet-cost]").get_attribute("data-value")
    assert float(cost or "nan") == key["cost"]
    blanks = page.locator("[data-worksheet-tasks] td")
    assert blanks.count() > 0
    assert set(blanks.all_inner_texts()) == {""}  # the problem's boxes are empty
    page.emulate_media(media="print")
    assert (
        page.locator("[data-worksheet-key]").evaluate("el => getComputedStyle(el).breakBefore")
        == "page"
    )
    assert not page.locator("[data-action='print']").is_visible()
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 2, f"the problem on one page and the key on the next, not {pages} pages"
    assert lens.console == [], lens.console


def test_the_lesson_fades_and_resumes(lens: Lens, browser: Any, base_url: str) -> None:
    page = lens.page
    page.locator("[data-action='learn']").click()
    page.locator("[data-lesson]").wait_for()
    lens.wait_idle()
    assert page.locator("[data-lesson-level]").get_attribute("data-lesson-level") == "0"
    assert page.locator("[data-lesson-note]").inner_text().startswith("Worked example")
    assert page.locator(f"{PRACTICE} [data-practice-form]").count() == 0  # fully worked
    lens.click_action("finish")  # the first iteration, worked: the update is now the learner's
    assert page.locator("[data-lesson-level]").get_attribute("data-lesson-level") == "1"
    lens.seek(6)  # update, layer 2
    assert page.locator("[data-lesson-note]").inner_text().startswith("Your turn")
    assert page.locator(f"{PRACTICE} [data-practice-form]").count() == 1
    # left (a new tab, no session to reopen) and resumed: the same iteration and step
    other = Lens(page.context.new_page(), name="lesson-resumed")
    other.open("/")
    learn = other.page.locator("[data-action='learn']")
    assert learn.inner_text() == "Resume lesson (iteration 1)"
    learn.click()
    other.page.locator(f"{PRACTICE} [data-practice-form]").wait_for()
    other.wait_idle()
    cursor = other.state()["cursor"]
    assert (cursor["iteration"], cursor["phase"], cursor["layer"]) == (1, "update", 2)
    assert other.page.locator("[data-lesson-level]").get_attribute("data-lesson-level") == "1"
    # a reload of that page goes on with the lesson too
    other.page.reload()
    other.wait_ready()
    assert other.page.locator("[data-lesson-level]").get_attribute("data-lesson-level") == "1"
    assert other.state()["cursor"]["index"] == 6
    assert other.console == [], other.console


@pytest.fixture
def axe_context(browser: Any, base_url: str) -> Iterator[Any]:
    axe_source()
    ctx = browser.new_context(
        viewport={"width": 1440, "height": 900}, base_url=base_url, bypass_csp=True
    )
    try:
        yield ctx
    finally:
        ctx.close()


def test_no_accessibility_violations_with_practice_on(
    axe_context: Any, trace: dict[str, Any]
) -> None:
    lens = Lens(axe_context.new_page(), name="axe-practice")
    lens.open("/")
    practise(lens, OUTPUT_ERROR)
    assert violations(lens.page) == []
    type_and_check(lens, column(trace["output_error"]["grad_a"]))
    found = violations(lens.page)
    assert found == [], found
    lens.page.locator("[data-action='learn']").click()
    lens.page.locator("[data-lesson]").wait_for()
    lens.wait_idle()
    assert violations(lens.page) == []


def test_practice_on_a_phone(browser: Any, base_url: str, trace: dict[str, Any]) -> None:
    context = browser.new_context(
        viewport=PHONE, base_url=base_url, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    try:
        lens = Lens(context.new_page(), name="practice-phone")
        lens.open("/")
        page = lens.page
        page.locator("[data-action='practice']").tap()
        page.locator("[data-view='timeline'] [data-step-index='2']").tap()
        lens.wait_idle()
        boxes = page.locator(f"{PRACTICE} input[data-part]")
        boxes.first.wait_for()
        assert boxes.evaluate_all("els => els.map(e => e.inputMode)") == ["decimal", "decimal"]
        for k, value in enumerate(column(trace["output_error"]["delta"])):
            boxes.nth(k).tap()
            boxes.nth(k).fill(display(value))
        page.locator(f"{PRACTICE} [data-action='check']").tap()
        lens.wait_idle()
        page.locator(f"{PRACTICE} [data-score='2/2']").wait_for()
        assert overflow(page) <= 0
        targets = page.locator(
            f"{PRACTICE} input, {PRACTICE} button, [data-view='practice-bar'] button"
        ).evaluate_all(
            """els => els.filter(e => e.getClientRects().length)
                        .map(e => Math.min(e.getBoundingClientRect().width,
                                           e.getBoundingClientRect().height))"""
        )
        assert targets
        assert min(targets) >= MIN_TARGET_PX - 0.5, targets
        sizes = page.locator(f"{PRACTICE} :is(p, legend, input, [data-mark])").evaluate_all(
            "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
        )
        assert min(sizes) >= MIN_TEXT_PX, sizes
        lens.screenshot("practice-390x844")
        assert lens.console == [], lens.console
    finally:
        context.close()


def test_a_big_result_asks_for_a_few_named_entries(lens: Lens) -> None:
    page = lens.page
    config = explicit_config([6, 6, 3], batch=4)  # z¹ and a¹ are 6 × 4: 24 entries each
    page.evaluate("(c) => window.backpropLens.actions.createSession(c)", config)
    lens.wait_idle()
    practise(lens, 0)
    forward = lens.state()["trace"]["forward"][0]
    asked = [(0, 0), (2, 0), (4, 0), (5, 3)]  # first, last and two between, row-major
    labels = page.locator(f"{PRACTICE} .practice__named > span:first-child").all_inner_texts()
    assert labels == [f"z¹[{r}][{c}]" for r, c in asked] + [f"a¹[{r}][{c}]" for r, c in asked]
    legend = page.locator(f"{PRACTICE} legend").first.inner_text()
    assert legend == "z¹ (6×4): the 4 highlighted entries"
    assert not result_shown(lens, "z")
    assert page.locator("[data-view='equation'] [data-matrix='z'][data-role='result']").evaluate(
        "fig => fig.inert"
    )  # not reachable by keyboard either
    type_and_check(lens, [forward["z"][r][c] for r, c in asked] + [0.5, None, None, None])
    assert page.locator(f"{PRACTICE} [data-score]").get_attribute("data-score") == "4/8"
    assert marks(lens)[4:] == ["✗ wrong", "– not answered", "– not answered", "– not answered"]
