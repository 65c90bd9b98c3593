"""The settings panel: editing the network starts a new session; errors show inline."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.helpers import SPIRAL, Lens

pytestmark = pytest.mark.e2e


def _open_settings(lens: Lens) -> None:
    toggle = lens.page.locator("[data-action='toggle-config']")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    assert lens.page.locator("form[data-config-form]").is_visible()


def _apply(lens: Lens) -> None:
    lens.page.locator("[data-field='apply']").click()
    lens.wait_idle()


def test_editing_the_network_starts_a_new_session(lens: Lens) -> None:
    page = lens.page
    first_id = lens.state()["id"]
    _open_settings(lens)
    page.select_option("[data-field='dataset']", "xor")
    page.locator("[data-field='wider-1']").click()  # 2 → 3 hidden neurons
    page.select_option("[data-field='activation-1']", "tanh")
    page.locator("[data-field='add-layer']").click()  # a second hidden layer
    page.locator("[data-field='narrower-2']").click()  # 3 → 2
    page.fill("[data-field='learning-rate']", "0.25")
    page.locator("[data-field='learning-rate']").dispatch_event("change")
    lens.screenshot("edited")
    _apply(lens)

    state = lens.state()
    assert state["id"] != first_id
    assert state["network"]["layers"] == [2, 3, 2, 1]
    assert state["network"]["activations"] == ["tanh", "tanh", "sigmoid"]
    assert state["trace"]["learning_rate"] == 0.25
    assert page.locator("[data-config-error]").is_hidden()
    # the views follow: 3 weight layers → 12 steps, 3 + 3 + 2 + 1 neurons
    assert page.locator("[data-step-index]").count() == 12
    assert page.locator("svg[data-diagram] [data-neuron]").count() == 8
    assert page.locator("svg[data-diagram] [data-neuron^='1:']").count() == 3
    assert lens.matrix("weights").locator("[data-shape]").text_content() == "3×2"
    lens.screenshot("new-session")
    assert lens.console == []


def test_an_edit_keeps_the_settings_the_panel_does_not_show(lens: Lens) -> None:
    lens.open(SPIRAL)  # a test split of 0.2, which the data panel sets, not this one
    _open_settings(lens)
    lens.page.locator("[data-field='wider-1']").click()
    _apply(lens)
    config = lens.state()["config"]
    assert config["network"]["layers"] == [2, 9, 8, 1]
    assert config["test_split"] == 0.2
    assert lens.console == []


def test_a_preset_loads_at_once(lens: Lens) -> None:
    _open_settings(lens)
    lens.page.select_option("[data-field='preset']", "xor")
    lens.wait_idle()
    state = lens.state()
    assert state["network"]["layers"][0] == 2
    assert state["network"]["layers"][-1] == 1
    assert lens.console == []


def test_invalid_configuration_shows_the_server_message_inline(
    lens: Lens, api: httpx.Client
) -> None:
    page = lens.page
    first_id = lens.state()["id"]
    _open_settings(lens)
    page.fill("[data-field='learning-rate']", "-1")
    page.locator("[data-field='learning-rate']").dispatch_event("change")
    _apply(lens)
    # the same configuration, posted by the test, gives the message the page must show
    preset = next(p for p in api.get("/presets").json() if p["name"] == "worked_example")
    answer = api.post("/sessions", json={**preset["config"], "learning_rate": -1})
    assert answer.status_code == 422
    message = answer.json()["error"]["message"]
    box = page.locator("[data-config-error]")
    assert box.is_visible()
    assert box.text_content() == message
    assert box.get_attribute("role") == "alert"
    assert page.locator("[data-field='learning-rate']").get_attribute("aria-invalid") == "true"
    assert lens.state()["id"] == first_id  # the old session stays
    lens.screenshot("invalid")
    # the only console line is the browser's own note of the 422 response
    assert all("422" in line for line in lens.console), lens.console
    # fixing it clears the message
    page.fill("[data-field='learning-rate']", "0.5")
    page.locator("[data-field='learning-rate']").dispatch_event("change")
    _apply(lens)
    assert box.is_hidden()
    assert lens.state()["id"] != first_id


def test_invalid_combinations_are_prevented(lens: Lens) -> None:
    page = lens.page
    _open_settings(lens)
    # softmax is only offered for the output layer
    hidden = page.locator("[data-field='activation-1'] option").all_text_contents()
    assert "softmax" not in hidden
    output = page.locator("[data-field='activation-output'] option").all_text_contents()
    assert "softmax" in output
    # with a tanh output, the costs that need outputs in (0, 1) or softmax are disabled
    page.select_option("[data-field='activation-output']", "tanh")
    disabled = page.locator("[data-field='cost'] option:disabled").evaluate_all(
        "opts => opts.map(o => o.value)"
    )
    assert sorted(disabled) == ["cross_entropy", "softmax_cross_entropy"]
    assert page.locator("[data-field='cost']").input_value() == "quadratic"


def test_a_batch_of_four_shows_four_columns(lens: Lens) -> None:
    page = lens.page
    _open_settings(lens)
    page.select_option("[data-field='dataset']", "xor")
    page.fill("[data-field='batch-size']", "4")
    page.locator("[data-field='batch-size']").dispatch_event("change")
    _apply(lens)
    state = lens.state()
    assert len(state["trace"]["batch"]["a0"][0]) == 4
    z = lens.matrix("z", "result")
    assert z.locator("thead th[scope='col']").count() == 5  # the corner + 4 samples
    assert z.locator("tbody tr").first.locator("td").count() == 4
    assert lens.matrix_values("z", "result") == state["trace"]["forward"][0]["z"]
    # one sample can be focused: the others are dimmed, the diagram shows it
    focus = page.locator("[data-control='focus']")
    assert focus.is_visible()
    assert focus.locator("option").count() == 5
    page.select_option("[data-control='focus']", "2")
    rows = len(state["trace"]["forward"][0]["z"])
    assert z.locator("td.dim").count() == rows * 3
    assert z.locator("td[data-col='2'].dim").count() == 0
    neuron = page.locator("svg[data-diagram] [data-neuron='0:0']")
    assert float(neuron.get_attribute("data-value")) == state["trace"]["batch"]["a0"][0][2]
    lens.screenshot("batch4-forward")
    # the gradient step shows the 1/m average explicitly
    page.locator("[data-view='timeline'] button[data-phase='gradients']").first.click()
    lens.wait_idle()
    assert page.locator("[data-scalar='inv_m']").first.get_attribute("aria-label") == "1/4"
    assert "4 samples" in page.locator("[data-fact='batch']").text_content()
    lens.screenshot("batch4-gradients", full_page=True)
    assert lens.console == []
