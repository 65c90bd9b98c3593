"""Sharing and export in the browser: a copied link opened in a new browser context shows
the same numbers at the same step; session export/import round-trips; the step exports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.helpers import ARTIFACTS, Lens

pytestmark = pytest.mark.e2e

SPIRAL = (
    "/?layers=2-8-8-1&act=tanh.tanh.sigmoid&cost=cross_entropy&lr=0.3"
    "&data=spiral&size=200&noise=0.02&dseed=4&batch=32&seed=3&test=0.2"
)


def shown_numbers(lens: Lens) -> dict[str, Any]:
    """Everything the step shows as numbers: every matrix's full-precision cells, the facts."""
    numbers: dict[str, Any] = lens.page.evaluate(
        """() => ({
            matrices: [...document.querySelectorAll("[data-view='equation'] [data-matrix]")].map(
              fig => [fig.dataset.matrix,
                      [...fig.querySelectorAll('td')].map(td => td.dataset.value)]),
            iteration: document.querySelector('[data-iteration]').textContent,
            cost: document.querySelector('[data-cost]').textContent,
            accuracy: [...document.querySelectorAll('[data-accuracy]')].map(e => e.textContent),
            current: document.querySelector("[data-step-index][aria-current='step']")
              .dataset.stepIndex,
        })"""
    )
    return numbers


def test_a_copied_link_opens_the_same_numbers_at_the_same_step(
    lens: Lens, browser: Any, base_url: str
) -> None:
    lens.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    lens.open(SPIRAL)
    page = lens.page
    page.locator("[data-action='train']").click()  # 100 iterations on the fast path
    lens.wait_trained()
    page.evaluate("() => document.activeElement.blur()")  # Enter on the button would train
    lens.press("Enter")  # and one iteration by stepping
    for _ in range(5):
        lens.press("ArrowRight")
    before = shown_numbers(lens)
    assert before["current"] == "5"
    page.locator("[data-action='copy-link']").click()
    page.wait_for_function("() => window.backpropLens.store.state.sharedLink")
    link = page.evaluate("() => navigator.clipboard.readText()")
    assert link == lens.share_link()
    assert "t=101&phase=backward&layer=1" in link
    context = browser.new_context(viewport={"width": 1280, "height": 720}, base_url=base_url)
    try:
        other = Lens(context.new_page(), name=f"{lens.name}-opened")
        other.open(link)
        after = shown_numbers(other)
        assert after == before
        assert other.state()["network"] == lens.state()["network"]
        other.screenshot("opened")
        assert other.console == []
    finally:
        context.close()


def test_a_link_with_explicit_weights_travels_whole(
    lens: Lens, browser: Any, base_url: str
) -> None:
    # the worked example: weights given in the configuration
    lens.press("Enter")
    lens.press("ArrowRight")
    link = lens.share_link()
    assert "?cfg=" in link
    context = browser.new_context(viewport={"width": 1280, "height": 720}, base_url=base_url)
    try:
        other = Lens(context.new_page(), name=f"{lens.name}-opened")
        other.open(link)
        assert shown_numbers(other) == shown_numbers(lens)
    finally:
        context.close()


def test_a_damaged_link_says_so_and_shows_the_default(browser: Any, base_url: str) -> None:
    context = browser.new_context(base_url=base_url)
    try:
        lens = Lens(context.new_page(), name="damaged-link")
        lens.open("/?layers=2-x-1")
        status = lens.page.locator("[data-status]").inner_text()
        assert status.startswith('This link could not be read: layers: "x" is not a whole number')
        assert lens.state()["config"]["network"]["layers"] == [2, 2, 2]
    finally:
        context.close()


def test_session_export_and_import_round_trip(lens: Lens, tmp_path: Path) -> None:
    lens.open(SPIRAL)
    page = lens.page
    page.locator("[data-action='train']").click()
    lens.wait_trained()
    lens.press("Shift+ArrowRight")
    before = shown_numbers(lens)
    with page.expect_download() as info:
        page.locator("[data-action='export-session']").click()
    download = info.value
    assert download.suggested_filename == "backprop-lens-session-100.json"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    exported = json.loads(path.read_text())
    assert exported["state"]["iteration"] == 100
    assert exported["state"]["phase"] == "output_error"
    assert exported["test_split"] == 0.2
    # move on, then load the file back
    page.locator("[data-action='train']").click()
    lens.wait_trained()
    assert shown_numbers(lens) != before
    page.locator("[data-import-file]").set_input_files(str(path))
    lens.wait_idle()
    page.wait_for_function("() => window.backpropLens.store.state.session.cursor.iteration === 100")
    assert shown_numbers(lens) == before
    assert "imported" in page.locator("[data-status]").inner_text()
    # a file that is not a session says why
    bad = tmp_path / "bad.json"
    bad.write_text('{"network": {"layers": [2, 1]}}')
    page.locator("[data-import-file]").set_input_files(str(bad))
    page.wait_for_function(
        """() => document.querySelector('[data-status]').textContent
                 .startsWith('The file is not a session this server accepts:')"""
    )
    # the browser reports the refused request itself; nothing else
    assert [m for m in lens.console if "status of 422" not in m] == []


@pytest.mark.parametrize("index", [0, 3, 4, 6, 9])
def test_step_exports_reproduce_the_step(lens: Lens, tmp_path: Path, index: int) -> None:
    lens.open(SPIRAL)
    page = lens.page
    page.locator(f"[data-step-index='{index}']").click()
    lens.wait_idle()
    files: dict[str, str] = {}
    for fmt in ("csv", "json", "latex", "numpy"):
        with page.expect_download() as info:
            page.locator(f"[data-export='{fmt}']").click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        files[fmt] = path.read_text()
    cursor = lens.state()["cursor"]
    step = json.loads(files["json"])
    assert (step["phase"], step["layer"], step["iteration"]) == (
        cursor["phase"],
        cursor["layer"],
        cursor["iteration"],
    )
    result_keys = lens.page.evaluate(
        """() => [...document.querySelectorAll("[data-view='equation'] [data-role='result']")]
                 .map(f => f.dataset.matrix)"""
    )
    for key in result_keys:
        assert step["operands"][key] == lens.matrix_values(key, "result")
    assert files["csv"].startswith(f"# Backprop Lens: iteration 0, {cursor['phase']}")
    assert "\\begin{bmatrix}" in files["latex"]
    # the NumPy snippet recomputes the step from the shown matrices and checks it
    script = tmp_path / "step.py"
    script.write_text(files["numpy"])
    run = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=False
    )
    assert run.returncode == 0, run.stderr
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"step-{index}.py").write_text(files["numpy"])
    (ARTIFACTS / f"step-{index}.tex").write_text(files["latex"])


def test_a_link_after_a_long_run_carries_the_weights(
    lens: Lens, browser: Any, base_url: str
) -> None:
    lens.open(SPIRAL)
    page = lens.page
    page.evaluate("() => window.backpropLens.actions.trainCount(20001)")
    lens.wait_trained()
    lens.press("ArrowRight")
    link = lens.share_link()
    assert "?cfg=" in link  # replaying 20,001 iterations would open slowly
    context = browser.new_context(viewport={"width": 1280, "height": 720}, base_url=base_url)
    try:
        other = Lens(context.new_page(), name=f"{lens.name}-opened")
        other.open(link)
        assert other.state()["cursor"]["iteration"] == 20001
        assert shown_numbers(other) == shown_numbers(lens)
    finally:
        context.close()


def test_the_address_bar_follows_the_session_once_stepping_pauses(lens: Lens) -> None:
    page = lens.page
    lens.share_link()
    page.evaluate(
        """() => {
            window.replaced = [];
            const original = history.replaceState.bind(history);
            history.replaceState = (state, title, url) => {
                window.replaced.push(String(url));
                original(state, title, url);
            };
        }"""
    )
    for _ in range(4):  # steps come faster than the link's pause: fewer updates than steps
        page.keyboard.press("ArrowRight")
    lens.wait_idle()
    link = lens.share_link()
    replaced = page.evaluate("() => window.replaced")
    assert lens.cursor_index() == 4
    assert link == page.evaluate("() => window.backpropLens.actions.shareUrl()")
    assert link == page.url == replaced[-1]
    assert len(replaced) < 4, replaced


def test_a_state_too_large_for_a_link_says_to_export_instead(lens: Lens) -> None:
    page = lens.page
    # 1,500 explicit samples: their configuration is far longer than a link may be
    inputs = [[i / 1500, (i * 7 % 1500) / 1500 - 0.5] for i in range(1500)]
    targets = [[float(i % 2)] for i in range(1500)]
    page.evaluate(
        """([inputs, targets]) => window.backpropLens.actions.createSession({
            network: {layers: [2, 3, 1], activations: ['tanh', 'sigmoid'],
                      init: {method: 'xavier', seed: 1}},
            cost: 'cross_entropy', learning_rate: 0.5, batch_size: 16, seed: 0,
            data: {inputs, targets}})""",
        [inputs, targets],
    )
    lens.wait_idle()
    assert lens.state()["network"]["layers"] == [2, 3, 1]
    assert lens.share_link() == ""
    assert "?" not in page.url  # no address that claims to reproduce this state
    box = page.locator("[data-share-link]")
    assert "export the session" in (box.get_attribute("placeholder") or "")
    page.locator("[data-action='copy-link']").click()
    status = page.locator("[data-status]")
    assert "too large for a link" in status.inner_text()
    assert "Export session" in status.inner_text()
    assert page.evaluate("() => window.backpropLens.store.state.sharedLink") is None

    # A state that fits gets its link back.
    page.evaluate("() => window.backpropLens.actions.loadPreset('xor')")
    lens.wait_idle()
    assert "layers=" in lens.share_link()
    assert box.get_attribute("placeholder") == ""
    assert lens.console == []


def test_after_a_patch_past_iteration_0_the_link_carries_the_weights(
    lens: Lens, browser: Any, base_url: str
) -> None:
    lens.open(SPIRAL)
    page = lens.page
    page.locator("[data-action='train']").click()  # 100 iterations at η = 0.3
    lens.wait_trained()
    # A REST client (a notebook) changes the learning rate of the page's session.
    status = page.evaluate(
        """(id) => fetch(`/api/v1/sessions/${id}`, {method: 'PATCH',
              headers: {'content-type': 'application/json'},
              body: JSON.stringify({learning_rate: 0.05})}).then((r) => r.status)""",
        lens.state()["id"],
    )
    assert status == 200
    page.evaluate("() => document.activeElement.blur()")
    lens.press("Enter")  # iteration 100 runs with η = 0.05
    lens.press("ArrowRight")
    assert lens.state()["history"]["replayable"] is False
    link = lens.share_link()
    # replaying 101 iterations at η = 0.05 would not give these numbers: the weights travel
    assert "?cfg=" in link
    before = shown_numbers(lens)
    context = browser.new_context(viewport={"width": 1280, "height": 720}, base_url=base_url)
    try:
        other = Lens(context.new_page(), name=f"{lens.name}-opened")
        other.open(link)
        assert shown_numbers(other) == before
        assert other.state()["network"] == lens.state()["network"]
        assert other.state()["config"]["learning_rate"] == 0.05
    finally:
        context.close()
