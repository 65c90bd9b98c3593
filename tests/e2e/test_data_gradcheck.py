"""The user's own CSV data (pasted or uploaded, checked by the server with clear messages)
and the gradient-check panel, in the browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.helpers import Lens

pytestmark = pytest.mark.e2e

XOR_NET = "/?layers=2-3-1&act=tanh.sigmoid&cost=cross_entropy&lr=0.5&data=xor&batch=4"


def use_csv(lens: Lens, text: str) -> str:
    page = lens.page
    page.locator("[data-csv] summary").click()
    page.locator("[data-csv-text]").fill(text)
    page.locator("[data-action='use-csv']").click()
    result = page.locator("[data-csv-result]")
    result.wait_for(state="visible")
    lens.wait_idle()
    text_shown: str = result.inner_text()
    return text_shown


def test_pasted_csv_becomes_the_data_set(lens: Lens) -> None:
    lens.open(XOR_NET)
    shown = use_csv(lens, "x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n0.5,0.5,1\n")
    assert shown == (
        "5 samples loaded: 2 inputs (x1, x2) → 1 target (y); 0/1 classes: sigmoid output, "
        "cross_entropy."
    )
    assert lens.page.locator("[data-csv-result]").get_attribute("data-kind") == "ok"
    s = lens.state()
    assert s["config"]["data"] == {
        "inputs": [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.5, 0.5]],
        "targets": [[0.0], [1.0], [1.0], [0.0], [1.0]],
    }
    assert s["config"]["batch_size"] == 5  # batches of 32, at most the file's rows
    assert s["network"]["layers"] == [2, 3, 1]  # the file's sizes around the hidden layer
    # the data controls of a synthetic set do not apply to one's own data
    assert lens.page.locator("[data-data='noise']").is_disabled()
    lens.page.locator("[data-view='data']").screenshot(
        path=str(lens.screenshot("page").with_name(f"{lens.name}-data.png"))
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0,0,0\n0,1\n", "line 2: expected 3 values (as line 1, the first sample, has), got 2"),
        ("0,0,0\n0,abc,1\n", "line 2, column 2: 'abc' is not a number; tick the column as the "
         "target if it holds class labels, or encode it as numbers"),
        ("0,0,0\n" * 2001, "2001 rows is more than the limit of 2000 samples"),
        ("0;0;0\n1;;1\n", "line 2, column 2: is empty (every column needs a number)"),
    ],
)  # fmt: skip
def test_bad_csv_is_refused_with_the_reason(lens: Lens, text: str, message: str) -> None:
    lens.open(XOR_NET)
    before = lens.state()["id"]
    shown = use_csv(lens, text)
    assert shown == message
    assert lens.page.locator("[data-csv-result]").get_attribute("data-kind") == "error"
    assert lens.state()["id"] == before  # the session is left as it was
    assert [m for m in lens.console if "status of 422" not in m] == []


def test_an_uploaded_csv_file_is_used(lens: Lens, tmp_path: Path) -> None:
    lens.open(XOR_NET)
    path = tmp_path / "mine.csv"
    path.write_text("# four points\n0 0 1\n1 1 1\n0 1 0\n1 0 0\n")
    page = lens.page
    page.locator("[data-csv] summary").click()
    page.locator("[data-csv-file]").set_input_files(str(path))
    page.locator("[data-csv-result][data-kind='ok']").wait_for()
    lens.wait_idle()
    assert page.locator("[data-csv-result]").inner_text() == (
        "4 samples loaded: 2 inputs (column 1, column 2) → 1 target (column 3); 0/1 classes: "
        "sigmoid output, cross_entropy."
    )
    assert lens.state()["config"]["data"]["targets"] == [[1.0], [1.0], [0.0], [0.0]]


def test_gradient_check_agrees_with_backprop(lens: Lens) -> None:
    lens.open(
        "/?layers=2-8-8-1&act=tanh.tanh.sigmoid&cost=cross_entropy&lr=0.3"
        "&data=spiral&size=200&batch=32&t=7"
    )
    page = lens.page
    page.locator("[data-action='gradcheck']").click()
    # (the card's code may still be on its way: the press is replayed when it arrives)
    page.wait_for_selector("[data-view='gradcheck'][data-state='done']")
    view = page.locator("[data-view='gradcheck']")
    rows = page.locator("[data-view='gradcheck'] .gradcheck__table tbody tr")
    assert rows.count() == 3
    errors = [
        float(e)
        for e in page.locator("[data-view='gradcheck'] [data-relative-error]").evaluate_all(
            "cells => cells.map(c => c.dataset.relativeError)"
        )
    ]
    assert len(errors) == 3
    assert all(0 <= e < 1e-6 for e in errors), errors
    summary = page.locator("[data-max-error]")
    assert float(summary.get_attribute("data-max-error")) < 1e-6
    assert "Iteration 7" in summary.inner_text()
    # the matrices side by side, in the equation panel's tables
    page.locator("[data-view='gradcheck'] details summary").first.click()
    assert page.locator("[data-view='gradcheck'] [data-matrix='analytic_w']").count() == 3
    view.scroll_into_view_if_needed()
    view.screenshot(path=str(lens.screenshot("page").with_name(f"{lens.name}-panel.png")))
    assert lens.console == []


def test_the_cards_at_the_foot_load_their_code_when_needed(lens: Lens) -> None:
    page = lens.page
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url.rsplit("/js/", 1)[-1]))
    lens.open(XOR_NET)
    page.wait_for_timeout(300)
    assert "views/gradcheck.js" not in scripts  # not with the page: the first load is smaller
    assert "views/race.js" not in scripts
    # a press that comes before the code (a script, a jump to the card) is not lost
    page.evaluate("() => document.querySelector(\"[data-action='gradcheck']\").click()")
    page.wait_for_selector("[data-view='gradcheck'][data-state='done']")
    assert "views/gradcheck.js" in scripts
    assert float(page.locator("[data-max-error]").get_attribute("data-max-error")) < 1e-6
    assert lens.console == []
