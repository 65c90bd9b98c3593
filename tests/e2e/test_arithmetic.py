"""Every entry traced to its operands, in numbers: the expansion panel, its links to the
equation and the diagram, by mouse, touch and keyboard, checked against the engine's
own terms (GET …/terms, asked by the test)."""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import ARTIFACTS, TABLET_TOUCH, Lens, display, opened

pytestmark = pytest.mark.e2e

Node = dict[str, Any]

# One result entry per step of the worked example: (matrix key, row, column), and the
# terms query that names the same entry.
WORKED_STEPS = [
    ("z", 1, 0, {"phase": "forward", "layer": 1, "quantity": "z", "row": 1, "column": 0}),
    ("a", 0, 0, {"phase": "forward", "layer": 2, "quantity": "a", "row": 0, "column": 0}),
    (
        "delta",
        1,
        0,
        {"phase": "output_error", "layer": 2, "quantity": "delta", "row": 1, "column": 0},
    ),
    ("delta", 0, 0, {"phase": "backward", "layer": 1, "quantity": "delta", "row": 0, "column": 0}),
    (
        "grad_weights",
        1,
        0,
        {"phase": "gradients", "layer": 2, "quantity": "weights", "row": 1, "column": 0},
    ),
    ("grad_biases", 1, 0, {"phase": "gradients", "layer": 1, "quantity": "biases", "row": 1}),
    (
        "new_weights",
        0,
        1,
        {"phase": "update", "layer": 2, "quantity": "weights", "row": 0, "column": 1},
    ),
    ("new_biases", 0, 0, {"phase": "update", "layer": 1, "quantity": "biases", "row": 0}),
]


def shown(value: float, digits: int = 4) -> str:
    """A number as the expansion writes it: the page's digits, no "+"."""
    return display(value, digits).removeprefix("+")


def ref_key(leaf: Node) -> str:
    layer = "" if leaf["layer"] is None else str(leaf["layer"])
    return f"{leaf['quantity']}:{layer}:{','.join(map(str, leaf['index']))}"


def walk(node: Node) -> Iterator[Node]:
    yield node
    for arg in node.get("args", []):
        yield from walk(arg)


def entries(expression: Node) -> dict[str, float]:
    """The entries the engine's expression reads: its leaves and the nodes that equal one."""
    out: dict[str, float] = {}
    for node in walk(expression):
        if "op" not in node and node["quantity"] != "const":
            out[ref_key(node)] = node["value"]
        if node.get("equals"):
            out[ref_key(node["equals"])] = node["equals"]["value"]
    return out


def marked(page: Any, cls: str) -> list[str]:
    """The equation's cells with a pick class, as "matrix[row][col]", sorted."""
    cells: list[str] = page.evaluate(
        """(cls) => [...document.querySelectorAll(`[data-view='equation'] td.${cls}`)]
            .map(td => `${td.closest('[data-matrix]').dataset.matrix}`
                       + `[${td.dataset.row}][${td.dataset.col}]`)""",
        cls,
    )
    return sorted(cells)


# A quarter of the way along an edge, on screen (the diagram's two middle edges
# cross at their centres).
EDGE_POINT = """(edge) => {
    const line = document.querySelector(`[data-edge='${edge}']`);
    const [x1, y1, x2, y2] = ["x1", "y1", "x2", "y2"].map((k) => line[k].baseVal.value);
    const p = new DOMPoint(x1 + 0.25 * (x2 - x1), y1 + 0.25 * (y2 - y1));
    const at = p.matrixTransform(line.ownerSVGElement.getScreenCTM());
    return [at.x, at.y];
}"""


def click_edge(page: Any, edge: str) -> None:
    x, y = page.evaluate(EDGE_POINT, edge)
    page.mouse.click(x, y)


def terms(api: httpx.Client, session_id: str, query: dict[str, Any]) -> Node:
    answer = api.get(f"/sessions/{session_id}/terms", params=query)
    assert answer.status_code == 200, answer.text
    out: Node = answer.json()
    return out


def assert_expansion_is(lens: Lens, expected: Node) -> None:
    """The panel writes the engine's expression: every operand's number is its entry's,
    every other number one of the expression's values, and the result the entry."""
    lines = lens.expansion_lines()
    assert lines[-1] == f"= {shown(expected['value'])}", lines
    exact = lens.expansion().locator("[data-expansion-exact]").text_content() or ""
    assert exact.startswith("exact value: ")
    assert float(exact.removeprefix("exact value: ")) == expected["value"]
    operands = entries(expected["expression"])
    refs = lens.expansion_refs()
    on_page = {key for key, _, _ in refs}
    # every entry the engine names is a button on the page, and one more: the entry itself
    assert set(operands) <= on_page, (set(operands) - on_page, lines)
    [entry] = on_page - set(operands)
    for key, kind, text in refs:
        if kind in ("symbols", "sample") and not re.match(r"^−?\d", text):
            continue  # a symbol (W²₀₀): its number is on the next line
        value = expected["value"] if key == entry else operands[key]
        assert text == shown(value), (key, text, value)
    # every number written, an operand's or not, is one of the engine's values
    values = {shown(n["value"]) for n in walk(expected["expression"])} | {shown(expected["value"])}
    consts = {
        str(n["value"]).removesuffix(".0")
        for n in walk(expected["expression"])
        if n.get("quantity") == "const"
    }
    numbers: list[str] = (
        lens.expansion().locator(".xp-num").evaluate_all("ns => ns.map(n => n.textContent)")
    )
    assert numbers
    for number in numbers:
        assert number in values | consts, (number, lines)


def test_every_step_opens_an_entry_with_the_engines_numbers(lens: Lens, api: httpx.Client) -> None:
    session_id = lens.state()["id"]
    for index, (key, row, col, query) in enumerate(WORKED_STEPS):
        lens.seek(index)
        lens.open_entry(key, row, col, "result")
        assert_expansion_is(lens, terms(api, session_id, query))
        lens.screenshot(f"step{index}-{key}")
    # the one the issue writes out, as it reads
    lens.seek(3)
    lens.open_entry("delta", 0, 0, "result")
    assert lens.expansion_lines() == [
        "δ¹₀ = (W²₀₀·δ²₀ + W²₁₀·δ²₁) · σ′(z¹₀)",
        "= (0.4000·0.1385 + 0.5000·(−0.03810)) · 0.2413",
        "= (0.05540 + (−0.01905)) · 0.2413",
        "= 0.03635·0.2413",
        "= 0.008771",
    ]
    # from the click to the expansion laid out, request included (performance measures)
    times: list[float] = lens.page.evaluate(
        "() => performance.getEntriesByName('bpl:expansion').map(e => e.duration)"
    )
    assert len(times) == 9, times
    assert all(t > 0 for t in times), times
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    summary = {"median_ms": statistics.median(times), "max_ms": max(times), "ms": times}
    (ARTIFACTS / "expansion-times.json").write_text(json.dumps(summary, indent=1))
    assert lens.console == []


def test_digits_and_folding(lens: Lens, api: httpx.Client) -> None:
    lens.seek(3)
    lens.open_entry("delta", 0, 0, "result")
    lens.page.select_option("[data-control='digits']", "6")
    assert lens.expansion_lines()[1] == "= (0.400000·0.138499 + 0.500000·(−0.0380982)) · 0.241301"
    # a batch of 32: ∂C/∂W lists three samples, folds the rest, and unfolds on demand
    lens.open(
        "/?layers=2-8-8-1&act=tanh.tanh.sigmoid&cost=cross_entropy&lr=0.3"
        "&data=spiral&size=200&noise=0.02&dseed=0&batch=32&seed=0"
    )
    lens.seek(
        7
    )  # gradients of layer 2 (steps: forward ×3, output error, backward ×2, gradients 3, 2, 1 …)
    lens.open_entry("grad_weights", 0, 3, "result")
    samples = lens.expansion().locator("[data-xp-line='sample']")
    assert samples.count() == 4
    assert "… 28 more samples …" in lens.expansion_lines()
    before = len(lens.expansion_lines())
    lens.expansion().locator("[data-action='unfold-expansion']").first.click()
    lens.page.wait_for_function(
        "(n) => document.querySelectorAll(\"[data-view='expansion'] [data-xp-line]\").length > n",
        arg=before,
    )
    assert samples.count() == 32
    expected = terms(
        api,
        lens.state()["id"],
        {"phase": "gradients", "layer": 2, "quantity": "weights", "row": 0, "column": 3},
    )
    assert_expansion_is(lens, expected)
    lens.screenshot("batch-mean-unfolded")
    assert lens.console == []


def test_operands_light_up_in_the_equation_and_the_diagram(lens: Lens) -> None:
    page = lens.page
    lens.seek(3)  # backward, layer 1
    lens.open_entry("delta", 0, 0, "result")
    # W²₀₀ and W²₁₀ sit in column 0 of (W²)ᵀ's rows 0 and 1: (W²)ᵀ[0][0], (W²)ᵀ[0][1]
    assert marked(page, "pick-operand") == sorted(
        [
            "weights_T[0][0]",
            "weights_T[0][1]",
            "delta_next[0][0]",
            "delta_next[1][0]",
            "weighted_error[0][0]",
            "sigma_prime[0][0]",
        ]
    )
    entry = page.locator("[data-view='equation'] td.pick-entry")
    assert entry.count() == 1
    assert entry.evaluate("td => td.closest('[data-matrix]').dataset.matrix") == "delta"
    # the diagram: every edge from layer 2 back into neuron 0, and the δ² neurons
    diagram = page.locator("[data-view='network']")
    for edge in ("2:0:0", "2:1:0"):
        assert "pick-operand" in (
            diagram.locator(f"[data-edge='{edge}']").get_attribute("class") or ""
        )
    for edge in ("2:0:1", "2:1:1", "1:0:0"):
        assert "pick-operand" not in (
            diagram.locator(f"[data-edge='{edge}']").get_attribute("class") or ""
        )
    for neuron in ("2:0", "2:1"):
        assert "pick-operand" in (
            diagram.locator(f"[data-neuron='{neuron}']").get_attribute("class") or ""
        )
    assert "pick-entry" in (diagram.locator("[data-neuron='1:0']").get_attribute("class") or "")
    # one operand in focus: its cell and its edge, and its full value in words
    page.locator("[data-view='expansion'] [data-ref='W:2:1,0']").first.focus()
    assert page.locator("[data-matrix='weights_T'] td.hl-source").count() == 1
    assert (
        page.locator("[data-matrix='weights_T'] td.hl-source[data-row='0'][data-col='1']").count()
        == 1
    )
    assert "hover" in (diagram.locator("[data-edge='2:1:0']").get_attribute("class") or "")
    operand = lens.expansion().locator("[data-expansion-operand]").text_content() or ""
    assert operand.startswith("W²₁₀ = 0.5")
    lens.screenshot("operands")
    # an operand a step computes opens in turn: δ²₀ from the output error
    page.locator("[data-view='expansion'] [data-ref='delta:2:0,0']").first.focus()
    before = lens.expansions()
    lens.expansion().locator("[data-action='open-operand']").click()
    lens.wait_expanded(before)
    assert lens.expansion_lines()[0] == "δ²₀ = (∇ₐC)₀·σ′(z²₀)"
    assert marked(page, "pick-entry") == ["delta_next[0][0]"]
    assert lens.console == []


def test_the_diagram_picks_its_cells_in_the_equation(lens: Lens) -> None:
    page = lens.page
    lens.seek(3)
    before = lens.expansions()
    page.locator("[data-view='network'] [data-neuron='1:1'] circle").click()
    lens.wait_expanded(before)
    assert lens.expansion().locator("[data-expansion-title]").text_content() == "δ¹₁"
    assert marked(page, "pick-entry") == sorted(
        ["weighted_error[1][0]", "z[1][0]", "a[1][0]", "sigma_prime[1][0]", "delta[1][0]"]
    )

    click_edge(page, "2:0:1")  # W²₀₁: shown in (W²)ᵀ at [1][0]; no step computes it
    lens.expansion().locator("[data-expansion-title]", has_text="W²[0][1]").wait_for()
    assert lens.expansion_lines() == ["W²[0][1] = 0.4500"]
    assert "A weight" in (lens.expansion().locator("[data-expansion-notes]").text_content() or "")
    cell = page.locator("[data-matrix='weights_T'] td.pick-entry")
    assert (cell.get_attribute("data-row"), cell.get_attribute("data-col")) == ("1", "0")
    # at the gradients of layer 2 an edge is ∂C/∂W: its expansion opens
    lens.seek(4)
    before = lens.expansions()
    click_edge(page, "2:1:0")
    lens.wait_expanded(before)
    assert lens.expansion().locator("[data-expansion-title]").text_content() == "∂C/∂W²₁₀"
    cell = page.locator("[data-matrix='grad_weights'] td.pick-entry")
    assert (cell.get_attribute("data-row"), cell.get_attribute("data-col")) == ("1", "0")
    lens.screenshot("diagram-pick")
    assert lens.console == []


def test_by_keyboard(lens: Lens) -> None:
    page = lens.page
    table = lens.matrix("z", "result").locator("table")
    table.focus()
    page.keyboard.press("ArrowDown")
    before = lens.expansions()
    page.keyboard.press("Enter")  # the cell's expansion, not "finish the iteration"
    lens.wait_expanded(before)
    assert lens.cursor_index() == 0
    assert lens.expansion_lines()[0] == "z¹₁ = W¹₁₀·a⁰₀ + W¹₁₁·a⁰₁ + b¹₁"
    page.keyboard.press("Escape")
    assert lens.expansion().is_hidden()
    assert (
        page.evaluate("() => document.activeElement.closest('[data-matrix]')?.dataset.matrix")
        == "z"
    )
    # Space too (not "play"), and an operand's value is read out when Tab reaches it
    before = lens.expansions()
    page.keyboard.press(" ")
    lens.wait_expanded(before)
    assert page.locator("[data-action='play']").get_attribute("aria-pressed") == "false"
    lens.expansion().locator("[data-ref='W:1:1,0']").first.focus()
    assert (lens.expansion().locator("[data-expansion-operand]").text_content() or "").startswith(
        "W¹₁₀ = 0.25"
    )
    page.keyboard.press("Escape")
    assert lens.expansion().is_hidden()
    # operand tables too: Tab, arrows, Enter
    lens.matrix("weights").locator("table").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    lens.expansion().wait_for(state="visible")
    assert lens.expansion_lines() == ["W¹[0][1] = 0.2000"]
    page.keyboard.press("Escape")
    # the diagram is one tab stop: arrows move between neurons, Enter picks one
    diagram = page.locator("svg[data-diagram]")
    diagram.focus()
    page.keyboard.press("ArrowDown")  # layer 1 (the step's), neuron 1
    before = lens.expansions()
    page.keyboard.press("Enter")
    lens.wait_expanded(before)
    assert lens.cursor_index() == 0
    assert lens.expansion().locator("[data-expansion-title]").text_content() == "a¹₁"
    assert lens.console == []


def test_by_touch(browser: Any, base_url: str) -> None:
    # a tablet: a phone's width needs the page's own narrow layout first
    with opened(browser, base_url, "touch", **TABLET_TOUCH) as lens:
        page = lens.page
        lens.page.locator("[data-view='timeline'] [data-step-index='3']").tap()
        lens.wait_idle()
        before = lens.expansions()
        lens.matrix("delta", "result").locator("td[data-row='1'][data-col='0']").tap()
        lens.wait_expanded(before)
        assert lens.expansion().locator("[data-expansion-title]").text_content() == "δ¹₁"
        # a tap on an operand reads its value out (no hover on a touch screen)
        lens.expansion().locator("[data-ref='delta:2:1,0']").first.tap()
        operand = lens.expansion().locator("[data-expansion-operand]").text_content() or ""
        assert operand.startswith("δ²₁ = -0.0380982365")
        assert page.locator("[data-matrix='delta_next'] td.hl-source[data-row='1']").count() == 1
        lens.screenshot("touch-open")
        # a tap on any cell shows its value, and the close button closes
        lens.matrix("weights_T").locator("td[data-row='1'][data-col='1']").tap()
        lens.expansion().locator("[data-expansion-title]").filter(has_text="W²[1][1]").wait_for()
        assert lens.expansion_lines() == ["W²[1][1] = 0.5500"]
        lens.expansion().locator("[data-action='close-expansion']").tap()
        assert lens.expansion().is_hidden()
        # a neuron of the diagram
        before = lens.expansions()
        page.locator("[data-view='network'] [data-neuron='2:0'] circle").tap()
        lens.wait_expanded(before)
        assert lens.expansion().locator("[data-expansion-title]").text_content() == "δ²₀"
        assert lens.console == []


def test_softmax_shows_its_jacobian_with_the_traces_numbers(lens: Lens, api: httpx.Client) -> None:
    lens.load_preset("three_blobs")
    lens.seek(2)  # the output error
    page = lens.page
    jacobian_note = page.locator("[data-equation-note] [data-fact='jacobian']")
    assert "sample 0's Jacobian" in (jacobian_note.text_content() or "")
    page.select_option("[data-control='focus']", "3")
    assert jacobian_note.count() == 0  # the caption names the sample
    trace = lens.state()["trace"]
    J = lens.matrix("jacobian")
    assert J.locator("[data-shape]").text_content() == "3×3"
    assert (J.locator(".operand__symbol").text_content() or "") == "J (sample 3)"
    assert lens.matrix_values("jacobian") == trace["output_error"]["jacobian"][3]
    page.select_option("[data-control='focus']", "all")
    assert lens.matrix_values("jacobian") == trace["output_error"]["jacobian"][0]
    assert (J.locator(".operand__symbol").text_content() or "") == "J (sample 0)"
    page.select_option("[data-control='focus']", "3")
    # δ with softmax and its cross-entropy: a − y, said so
    lens.open_entry("delta", 2, 3, "result")
    expected = terms(
        api,
        lens.state()["id"],
        {"phase": "output_error", "layer": 2, "quantity": "delta", "row": 2, "column": 3},
    )
    assert expected["shortcut"] == "a_minus_y"
    assert_expansion_is(lens, expected)
    assert lens.expansion_lines()[0] == "δ²₂ = a²₂ − y₂"
    assert "simplifies to a − y" in (
        lens.expansion().locator("[data-expansion-notes]").text_content() or ""
    )
    assert "sample 3" in (lens.expansion().locator("[data-expansion-where]").text_content() or "")
    lens.screenshot("softmax")
    assert lens.console == []


def test_the_output_error_shows_a_and_y(lens: Lens) -> None:
    lens.seek(2)
    trace = lens.state()["trace"]
    line = lens.page.locator("[data-view='equation'] [data-line='0']")

    def values(key: str) -> list[list[float]]:
        texts: list[list[str]] = line.locator(f"[data-matrix='{key}'] tbody tr").evaluate_all(
            "trs => trs.map(tr => [...tr.querySelectorAll('td')].map(td => td.dataset.value))"
        )
        return [[float(v) for v in row] for row in texts]

    assert values("a") == trace["forward"][1]["a"]
    assert values("y") == trace["batch"]["y"]
    assert values("grad_a") == trace["output_error"]["grad_a"]
    assert "a² − y" in (line.text_content() or "")
    # σ′(z²) beside the z² and a² it comes from
    assert lens.matrix_values("z") == trace["forward"][1]["z"]
    lens.seek(3)
    assert lens.matrix_values("z") == trace["forward"][0]["z"]
    assert lens.matrix_values("a") == trace["forward"][0]["a"]
    assert lens.console == []


def test_the_diagram_labels_are_readable_and_follow_the_digits(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=base_url)
    try:
        lens = Lens(context.new_page(), name="diagram-labels")
        lens.open()
        page = lens.page
        sizes = page.evaluate(
            """() => [...document.querySelectorAll("[data-view='network'] svg text")]
                .filter(t => t.textContent)
                .map(t => [t.textContent, parseFloat(getComputedStyle(t).fontSize)
                                          * t.ownerSVGElement.getScreenCTM().a])"""
        )
        # three layer names, the flow, and the four neurons known at step 0 (a⁰ and a¹)
        assert len(sizes) == 3 + 1 + 4, sizes
        assert all(px >= 12 for _, px in sizes), sizes
        values = lens.state()["trace"]["forward"][0]["a"]
        label = page.locator("[data-neuron='1:0'] .neuron-value")
        assert label.text_content() == display(values[0][0])
        page.select_option("[data-control='digits']", "6")
        assert label.text_content() == display(values[0][0], 6)
        assert lens.console == []
    finally:
        context.close()


def test_a_follower_opens_the_same_expansion(browser: Any, base_url: str) -> None:
    viewport = {"width": 1280, "height": 720}
    teacher_context = browser.new_context(viewport=viewport, base_url=base_url)
    student_context = browser.new_context(viewport=viewport, base_url=base_url)
    try:
        teacher = Lens(teacher_context.new_page(), name="arith-teacher")
        teacher.open()
        code = teacher.start_live_class()
        teacher.seek(3)
        student = Lens(student_context.new_page(), name="arith-student")
        student.open(f"/class/{code}")
        student.page.wait_for_function(
            "() => window.backpropLens.store.state.session?.cursor.index === 3", timeout=10000
        )
        # the follower has no session id: the class's read-only route answers
        with student.page.expect_request(lambda r: f"/api/v1/classes/{code}/terms?" in r.url):
            student.open_entry("delta", 0, 0, "result")
        teacher.open_entry("delta", 0, 0, "result")
        assert student.expansion_lines() == teacher.expansion_lines()
        assert student.expansion_lines()[-1] == "= 0.008771"
        # the instructor's next step closes it (it belonged to that step)
        teacher.seek(4)
        student.page.wait_for_function(
            "() => window.backpropLens.store.state.session?.cursor.index === 4", timeout=10000
        )
        assert student.expansion().is_hidden()
        assert student.console == []
    finally:
        teacher_context.close()
        student_context.close()
