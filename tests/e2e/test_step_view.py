"""The step view in a real browser: numbers, stepping, keyboard, hover."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import Lens, display

pytestmark = pytest.mark.e2e


def _session(api: httpx.Client) -> dict[str, Any]:
    response = api.post("/sessions", json={"preset": "worked_example"})
    assert response.status_code == 201, response.text
    state: dict[str, Any] = response.json()
    return state


def _by_layer(entries: list[dict[str, Any]], layer: int) -> dict[str, Any]:
    return next(e for e in entries if e["layer"] == layer)


def test_page_loads_with_no_console_messages_and_a_strict_csp(lens: Lens, base_url: str) -> None:
    response = httpx.get(f"{base_url}/")
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "'unsafe-eval'" not in csp
    # the inline import map is allowed by its hash, and nothing else inline
    imap = re.search(r'<script type="importmap">(.*?)</script>', response.text, re.S)
    assert imap is not None
    digest = base64.b64encode(hashlib.sha256(imap.group(1).encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp
    assert "script-src 'self' 'sha256-" in csp

    page = lens.page
    assert page.title().startswith("Backprop Lens")
    assert page.locator("[data-formula] .katex").count() == 1
    assert page.locator("[data-step-index]").count() == 8
    assert lens.cursor_index() == 0
    assert page.locator("svg[data-diagram] [data-neuron]").count() == 6
    assert page.locator("[data-view='network'] [data-edge]").count() == 8
    page.wait_for_timeout(300)  # late font or resource errors would show up here
    lens.screenshot("loaded")
    assert lens.console == []


def test_a_whole_iteration_shows_the_api_numbers(lens: Lens, api: httpx.Client) -> None:
    """δ², δ¹, ∂C/∂W² and the new W² on the page equal the API's, exactly and as printed."""
    expected = _session(api)["trace"]
    page = lens.page
    seen: set[str] = set()
    for index in range(8):
        step = page.locator("[data-view='equation']")
        phase, layer = step.get_attribute("data-phase"), int(step.get_attribute("data-layer"))
        lens.screenshot(f"step{index}-{phase}{layer}", full_page=True)
        if phase == "output_error":
            delta2 = expected["output_error"]["delta"]
            assert lens.matrix_values("delta", "result") == delta2
            assert lens.matrix_text("delta", "result") == [[display(v) for v in r] for r in delta2]
            assert lens.matrix_values("grad_a") == expected["output_error"]["grad_a"]
            cost = page.locator("[data-view='timeline'] [data-cost]")
            assert float(cost.get_attribute("data-value")) == expected["cost"]
            seen.add("delta2")
        if phase == "backward":
            delta1 = _by_layer(expected["backward"], 1)["delta"]
            assert lens.matrix_values("delta", "result") == delta1
            assert lens.matrix_text("delta", "result") == [[display(v) for v in r] for r in delta1]
            w2 = expected["network"]["weights"][1]
            assert lens.matrix_values("weights_T") == [list(c) for c in zip(*w2, strict=True)]
            seen.add("delta1")
        if phase == "gradients" and layer == 2:
            grad = _by_layer(expected["gradients"], 2)["weights"]
            assert lens.matrix_values("grad_weights", "result") == grad
            shown = lens.matrix_text("grad_weights", "result")
            assert shown == [[display(v) for v in r] for r in grad]
            seen.add("grad_w2")
        if phase == "update" and layer == 2:
            update = _by_layer(expected["update"], 2)
            assert lens.matrix_values("new_weights", "result") == update["weights"]
            assert lens.matrix_values("eta_grad_weights") == update["eta_grad_weights"]
            assert lens.matrix_values("weights") == expected["network"]["weights"][1]
            shown = lens.matrix_text("new_weights", "result")
            assert shown == [[display(v) for v in r] for r in update["weights"]]
            # the update view lists every entry with before / step / after
            row = page.locator("[data-view='update'] tr[data-param='W²[1][0]']")
            assert (
                float(row.locator("[data-cell='after']").get_attribute("data-value"))
                == (update["weights"][1][0])
            )
            assert float(row.locator("[data-cell='before']").get_attribute("data-value")) == 0.5
            # the diagram names edges like W²[1][0] and shows the change
            edge = page.locator("[data-view='network'] [data-edge='2:1:0']")
            edge.dispatch_event("mouseover")  # titles are written on first hover
            assert "W²[1][0]" in edge.locator("title").text_content()
            assert float(edge.get_attribute("data-value")) == -update["eta_grad_weights"][1][0]
            seen.add("new_w2")
        lens.press("ArrowRight")
    assert seen == {"delta2", "delta1", "grad_w2", "new_w2"}
    # stepping past the last step applies the update: iteration 1 starts from the new weights
    assert lens.cursor_index() == 0
    assert lens.page.locator("[data-iteration]").text_content() == "1"
    new_w2 = _by_layer(expected["update"], 2)["weights"]
    lens.press("ArrowRight")
    assert lens.state()["trace"]["network"]["weights"][1] == new_w2
    assert lens.matrix_values("weights") == new_w2
    assert lens.console == []


def test_step_back_restores_the_previous_view_exactly(lens: Lens) -> None:
    for _ in range(3):
        lens.press("ArrowRight")
    before = lens.view_html()
    lens.click_action("step-forward")
    assert lens.view_html() != before
    lens.click_action("step-back")
    assert lens.view_html() == before
    # across the iteration boundary as well (Enter on a focused button clicks it, so blur)
    lens.page.evaluate("() => document.activeElement.blur()")
    lens.press("Enter")
    lens.press("ArrowLeft")
    assert lens.page.locator("[data-iteration]").text_content() == "0"
    assert lens.cursor_index() == 7
    assert lens.console == []


def test_keyboard_shortcuts(lens: Lens) -> None:
    page = lens.page
    page.locator("body").focus()
    lens.press("ArrowRight")
    assert lens.cursor_index() == 1
    lens.press("Shift+ArrowRight")  # next phase: output_error
    assert lens.cursor_index() == 2
    lens.press("Shift+ArrowRight")  # backward
    assert lens.cursor_index() == 3
    lens.press("ArrowLeft")
    assert lens.cursor_index() == 2
    lens.press("Shift+ArrowLeft")  # back to the first step of the previous phase (forward)
    assert lens.cursor_index() == 0
    lens.press("Enter")  # finish the iteration
    assert page.locator("[data-iteration]").text_content() == "1"
    assert page.locator("[data-last-cost]").text_content() != "—"
    lens.press("r")  # reset
    assert page.locator("[data-iteration]").text_content() == "0"
    assert lens.cursor_index() == 0

    lens.press("?")
    dialog = page.locator("dialog[data-view='shortcuts']")
    assert dialog.is_visible()
    lens.screenshot("shortcuts")
    page.keyboard.press("Escape")
    assert not dialog.is_visible()

    lens.press(" ")  # play
    state = page.evaluate(
        "() => [document.activeElement.outerHTML.slice(0, 80),"
        " window.backpropLens.store.state.message]"
    )
    assert page.locator("[data-action='play']").get_attribute("aria-pressed") == "true", state
    page.wait_for_function(
        "() => Number(document.querySelector(\"[aria-current='step']\").dataset.stepIndex) >= 1",
        timeout=5000,
    )
    page.keyboard.press(" ")  # pause
    assert page.locator("[data-action='play']").get_attribute("aria-pressed") == "false"
    lens.wait_idle()
    assert lens.console == []


def test_a_key_right_after_the_dialog_closes_belongs_to_the_page(lens: Lens) -> None:
    """Focus can stay on the dialog's Close button until the next rendering
    update; Space pressed in that gap must still play, not click the button."""
    page = lens.page
    lens.press("?")
    playing = page.evaluate(
        """() => {
            const dialog = document.querySelector("dialog[data-view='shortcuts']");
            const close = dialog.querySelector('[data-close]');
            close.focus();
            dialog.close();
            const key = {key: ' ', bubbles: true, cancelable: true};
            close.dispatchEvent(new KeyboardEvent('keydown', key));
            return window.backpropLens.store.state.playing;
        }"""
    )
    assert playing is True
    lens.press(" ")  # pause (the body has the focus by now)
    assert page.locator("[data-action='play']").get_attribute("aria-pressed") == "false"
    lens.wait_idle()
    assert lens.console == []


def test_timeline_buttons_seek(lens: Lens, api: httpx.Client) -> None:
    page = lens.page
    page.locator("[data-step-index='5']").click()
    lens.wait_idle()
    assert lens.cursor_index() == 5
    eq = page.locator("[data-view='equation']")
    assert (eq.get_attribute("data-phase"), eq.get_attribute("data-layer")) == ("gradients", "1")
    expected = _by_layer(_session(api)["trace"]["gradients"], 1)["weights"]
    assert lens.matrix_values("grad_weights", "result") == expected
    page.locator("[data-step-index='0']").click()
    lens.wait_idle()
    assert lens.cursor_index() == 0


def test_hover_highlights_the_operands_and_the_diagram(lens: Lens) -> None:
    page = lens.page
    # forward layer 1: z¹[1][0] comes from row 1 of W¹, column 0 of a⁰ and b¹[1]
    page.locator("[data-matrix='z'][data-role='result'] td[data-row='1'][data-col='0']").hover()
    line = page.locator("[data-line='0']")
    assert line.locator("[data-matrix='weights'] td.hl-source").count() == 2
    assert line.locator("[data-matrix='weights'] td.hl-source[data-row='1']").count() == 2
    assert line.locator("[data-matrix='a_prev'] td.hl-source[data-col='0']").count() == 2
    assert line.locator("[data-matrix='biases'] td.hl-source[data-row='1']").count() == 1
    assert "hover" in (page.locator("[data-neuron='1:1']").get_attribute("class") or "")
    lens.screenshot("hover-forward")
    # gradients layer 2: ∂C/∂W²[1][0] lights up its edge in the diagram
    lens.press("Shift+ArrowRight")
    lens.press("Shift+ArrowRight")
    lens.press("Shift+ArrowRight")
    cell = page.locator("[data-matrix='grad_weights'] td[data-row='1'][data-col='0']")
    cell.hover()
    assert "hover" in (page.locator("[data-edge='2:1:0']").get_attribute("class") or "")
    assert page.locator("[data-line='0'] [data-matrix='delta'] td.hl-source").count() == 1
    assert page.locator("[data-line='0'] [data-matrix='a_prev_T'] td.hl-source").count() == 1
    assert "∂C/∂W²[1][0]" in (cell.get_attribute("title") or "")
    lens.screenshot("hover-gradients")
    assert lens.console == []


def test_results_can_be_explored_from_the_keyboard(lens: Lens) -> None:
    page = lens.page
    table = page.locator("[data-matrix='z'][data-role='result'] table")
    assert table.get_attribute("tabindex") == "0"
    table.focus()
    page.keyboard.press("ArrowDown")  # moves inside the table, does not step
    assert lens.cursor_index() == 0
    cell = page.locator("[data-matrix='z'][data-role='result'] td.hl")
    assert (cell.get_attribute("data-row"), cell.get_attribute("data-col")) == ("1", "0")
    sources = page.locator("[data-line='0'] [data-matrix='weights'] td.hl-source[data-row='1']")
    assert sources.count() == 2
    status = page.locator("[data-cell-status]").text_content() or ""
    assert status.startswith("z¹[1][0] = ")
    assert lens.console == []


def test_significant_digits_are_adjustable(lens: Lens) -> None:
    page = lens.page
    page.select_option("[data-control='digits']", "6")
    lens.wait_idle()
    z = lens.matrix_values("z", "result")
    assert lens.matrix_text("z", "result") == [[display(v, 6) for v in r] for r in z]


def test_no_value_reads_as_minus_zero(lens: Lens) -> None:
    # ReLU's σ′ is 0 for a negative z, so δ¹ holds -0.0 where its weighted error was negative
    lens.open(
        "/?layers=2-4-1&act=relu.sigmoid&init=he&iseed=0&cost=cross_entropy&lr=0.5"
        "&data=xor&dseed=0&batch=4&seed=0"
    )
    assert lens.page.evaluate(  # (JSON, and so lens.state(), would drop the sign)
        """() => window.backpropLens.store.state.session.trace.backward
                   .find((e) => e.layer === 1).delta.flat().some((v) => Object.is(v, -0))"""
    )
    signed_zero = re.compile("\u22120(?![.\\d])")
    for index in range(len(lens.state()["steps"])):
        text = lens.page.locator("main").text_content() or ""
        assert not signed_zero.search(text), f"step {index}: {signed_zero.search(text)}"
        lens.press("ArrowRight")
    assert lens.console == []


def test_an_ended_session_is_replaced_with_the_same_settings(lens: Lens, api: httpx.Client) -> None:
    old = lens.state()
    assert api.delete(f"/sessions/{old['id']}").status_code == 204
    lens.press("ArrowRight")
    new = lens.state()
    assert new["id"] != old["id"]
    assert new["network"] == old["network"]
    assert new["cursor"]["index"] == 0
    status = lens.page.locator("[data-status]")
    assert status.is_visible()
    assert "new one started with the same settings" in (status.text_content() or "")
    # the only console line is the browser's own note of the 404 response
    assert all("404" in line for line in lens.console), lens.console
