"""Optimizers on the page: chosen in the settings, shown step by step in the update."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.helpers import Lens

pytestmark = pytest.mark.e2e


def test_adam_from_the_settings_shows_its_moments_with_the_api_numbers(lens: Lens) -> None:
    page = lens.page
    lens.load_preset("xor")
    session = lens.state()["id"]
    page.locator("[data-action='toggle-config']").click()
    page.select_option("[data-field='optimizer']", "adam")
    assert page.locator("[data-field='opt-beta1']").input_value() == "0.9"  # the API's defaults
    assert page.locator("[data-field='opt-beta2']").input_value() == "0.999"
    page.fill("[data-field='weight-decay']", "0.01")
    page.locator("[data-field='weight-decay']").dispatch_event("change")
    lens.wait_idle()
    assert lens.state()["id"] == session  # changed in place (PATCH), not a new session
    config = lens.state()["config"]
    assert config["optimizer"] == {"name": "adam", "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    assert config["weight_decay"] == 0.01

    lens.click_action("finish")  # a whole iteration: the moments are not zero any more
    steps = lens.state()["steps"]
    lens.seek(next(i for i, s in enumerate(steps) if s["phase"] == "gradients"))
    trace = lens.state()["trace"]
    L = len(trace["network"]["layers"]) - 1
    assert lens.matrix_values("l2") == trace["gradients"][0]["l2"]  # λW of layer L
    lens.seek(next(i for i, s in enumerate(steps) if s["phase"] == "update"))
    update = next(u for u in trace["update"] if u["layer"] == L)
    assert trace["optimizer"]["t"] == 2
    for key in ("m", "v", "m_hat", "v_hat"):
        assert lens.matrix_values(f"{key}_weights") == update["optimizer_weights"][key]
        column = [[b] for b in update["optimizer_biases"][key]]
        assert lens.matrix_values(f"{key}_biases") == column
    assert lens.matrix_values("eta_grad_weights") == update["eta_grad_weights"]
    assert "η·m̂ / (√v̂ + ε)" in page.locator("[data-view='equation']").inner_text()
    assert (
        "t = 2 is the number of updates so far" in page.locator("[data-explanation]").inner_text()
    )
    headings = page.locator(".update-table thead th").all_inner_texts()
    assert headings == [
        "parameter",
        "before",
        "m",
        "v",
        "m̂",
        "v̂",
        "η·m̂ / (√v̂ + ε)",
        "after",
        "change",
    ]
    lens.screenshot("adam-update")
    assert lens.console == []


def test_stepping_back_past_a_change_of_eta_shows_the_eta_that_iteration_ran_with(
    lens: Lens,
) -> None:
    page = lens.page
    lens.load_preset("xor")
    first_eta = lens.state()["config"]["learning_rate"]
    lens.click_action("finish")
    before = lens.state()["trace"]
    page.locator("[data-action='toggle-config']").click()
    field = page.locator("[data-field='learning-rate']")
    field.fill("0.25")
    field.dispatch_event("change")
    decay = page.locator("[data-field='weight-decay']")
    decay.fill("0.01")
    decay.dispatch_event("change")
    lens.wait_idle()
    assert lens.state()["trace"]["learning_rate"] == 0.25
    assert lens.state()["trace"]["weight_decay"] == 0.01
    lens.click_action("step-back")  # into iteration 0, which ran with the preset's η
    lens.wait_idle()
    state = lens.state()
    assert state["cursor"]["iteration"] == 0
    assert state["config"]["learning_rate"] == state["trace"]["learning_rate"] == first_eta
    assert float(field.input_value()) == first_eta
    assert float(decay.input_value()) == 0  # the settings follow the iteration
    lens.click_action("finish")
    assert lens.state()["trace"] == before  # iteration 1 replayed as it first ran
    assert lens.console == []


ADAM_LINK = (
    "/?layers=2-4-1&act=tanh.sigmoid&init=xavier&iseed=1&cost=cross_entropy&lr=0.05"
    "&data=xor&dseed=0&batch=4&seed=0&opt=adam&beta1=0.9&beta2=0.999&eps=1e-8&wd=0.01"
    "&t=3&phase=update&layer=2"
)


def test_a_link_with_adam_opens_its_update_on_a_phone(browser: Any, base_url: str) -> None:
    from tests.e2e.test_phone import PHONE, assert_fits_a_phone

    context = browser.new_context(
        viewport=PHONE, base_url=base_url, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    try:
        lens = Lens(context.new_page(), name="adam-phone")
        lens.open(ADAM_LINK)
        state = lens.state()
        assert state["cursor"]["iteration"] == 3
        assert state["trace"]["optimizer"]["t"] == 4
        assert_fits_a_phone(lens, "adam's update step")
        lens.screenshot("update")  # the first screen: the timeline and the equation
        assert lens.console == []
    finally:
        context.close()


def test_a_link_with_adam_at_1440(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=base_url)
    try:
        lens = Lens(context.new_page(), name="adam-desktop")
        lens.open(ADAM_LINK)
        update = next(u for u in lens.state()["trace"]["update"] if u["layer"] == 2)
        assert lens.matrix_values("v_hat_weights") == update["optimizer_weights"]["v_hat"]
        lens.screenshot("update", full_page=True)
        assert lens.console == []
    finally:
        context.close()


def test_the_race_draws_each_rules_costs_from_the_api(lens: Lens, api: Any) -> None:
    page = lens.page
    lens.load_preset("xor")
    race = page.locator("[data-view='race']")
    race.scroll_into_view_if_needed()  # (the card's code loads as it comes near)
    race.locator("[data-race-optimizer='1']").select_option("rmsprop")
    race.locator("[data-race-eta='1']").fill("0.05")
    race.locator("[data-race-iterations]").fill("120")
    race.locator("[data-action='race']").click()
    lens.wait_idle()
    page.wait_for_selector("[data-view='race'][data-state='done']")
    config = lens.state()["config"]
    lanes = [("sgd", config["learning_rate"]), ("rmsprop", 0.05), ("adam", 0.01)]
    results = race.locator("[data-race-result]")
    assert results.count() == 3
    for i, (name, eta) in enumerate(lanes):
        body = {key: config[key] for key in ("network", "cost", "data", "batch_size", "seed")} | {
            "learning_rate": eta,
            "iterations": 120,
        }
        if name != "sgd":
            body["optimizer"] = {"name": name}
        costs = api.post("/train", json=body).json()["cost_history"]
        assert results.nth(i).get_attribute("data-value") == repr(costs[-1])
        assert race.locator(f"[data-race-line='{i}']").count() >= 1
    assert "Adam (η = 0.01): cost after 120 iterations" in results.nth(2).inner_text()
    race.scroll_into_view_if_needed()
    lens.screenshot("race")
    assert lens.console == []
