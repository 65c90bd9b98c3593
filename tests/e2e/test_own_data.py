"""Your own problem and real data, in the browser: a CSV with 3 features defines the
network, trains and shows its confusion matrix; its target columns can be chosen; the
digits show their weights as images; hidden widths can be typed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import PHONE_TOUCH, Lens, opened

pytestmark = pytest.mark.e2e


def three_features() -> str:
    """40 samples of 3 features as a spreadsheet writes them (quoted, ;, decimal commas,
    a trailing separator); the label is 1 where height + weight > age."""
    lines = ['"height";"weight";"age";"label";']
    for i in range(40):
        a, b, c = ((i * 7) % 11) / 5 - 1, ((i * 5) % 13) / 6 - 1, ((i * 3) % 7) / 3 - 1
        label = 1 if a + b > c else 0
        lines.append(f'"{a:.2f}";{b:.2f};{c:.2f};{label};'.replace(".", ","))
    return "\n".join(lines) + "\n"


def use_csv(lens: Lens, text: str) -> str:
    page = lens.page
    if page.locator("[data-csv]").get_attribute("open") != "":
        page.locator("[data-csv] summary").click()
    page.locator("[data-csv-text]").fill(text)
    page.locator("[data-action='use-csv']").click()
    page.locator("[data-csv-result]").wait_for(state="visible")
    lens.wait_idle()
    shown: str = page.locator("[data-csv-result]").inner_text()
    return shown


def confusion(lens: Lens) -> list[list[int]]:
    rows: list[list[str]] = lens.page.locator("[data-view='class-report'] table").evaluate(
        "t => [...t.tBodies[0].rows].map(r => [...r.cells].slice(1).map(c => c.textContent))"
    )
    return [[int(v) for v in row] for row in rows]


def wait_predictions(lens: Lens, iteration: int) -> None:
    lens.page.wait_for_function(
        """(t) => { const s = window.backpropLens.store.state;
                    return s.predictions && s.session && s.predictions.id === s.session.id
                      && s.predictions.iteration === t; }""",
        arg=iteration,
        timeout=60000,
    )


def test_a_3_feature_csv_defines_the_network_trains_and_shows_its_confusion_matrix(
    lens: Lens, api: httpx.Client
) -> None:
    shown = use_csv(lens, three_features())
    assert shown == (
        "40 samples loaded: 3 inputs (height, weight, age) → 1 target (label); 0/1 classes: "
        "sigmoid output, cross_entropy."
    )
    state = lens.state()
    assert state["network"]["layers"] == [3, 2, 1]  # the worked example's hidden layer stays
    assert state["network"]["activations"] == ["sigmoid", "sigmoid"]
    assert state["config"]["cost"] == "cross_entropy"
    assert state["config"]["data"]["inputs"][0] == [-1.0, -1.0, -1.0]
    page = lens.page
    report = page.locator("[data-view='class-report']")
    assert report.is_visible()
    assert page.locator("[data-view='boundary']").is_hidden()  # 3 inputs: no plane to draw
    assert page.locator("[data-projection]").is_visible()
    page.locator("[data-control='train-count']").select_option("1000")
    page.locator("[data-action='train']").click()
    lens.wait_trained()
    iteration = lens.state()["cursor"]["iteration"]
    assert iteration == 1000
    wait_predictions(lens, iteration)
    expected: dict[str, Any] = api.get(f"/sessions/{lens.state()['id']}/predictions").json()
    assert confusion(lens) == expected["train"]["confusion"]
    assert sum(map(sum, confusion(lens))) == 40
    accuracy = page.locator("[data-class-accuracy='1']").inner_text()
    assert accuracy.startswith(f"{100 * expected['train']['per_class_accuracy'][1]:.1f}%")
    right = confusion(lens)[0][0] + confusion(lens)[1][1]
    assert right >= 36, confusion(lens)  # it learned the rule
    mistakes = page.locator("[data-mistakes] li")
    assert mistakes.count() == min(12, 40 - right)
    report.screenshot(path=str(lens.screenshot("page").with_name(f"{lens.name}-report.png")))
    assert lens.console == []


def test_the_target_columns_are_chosen_and_inputs_standardised(lens: Lens) -> None:
    text = "a,b,c,d\n" + "".join(f"{i},{(i * 3) % 7},{i % 2},{10 * i}\n" for i in range(12))
    use_csv(lens, text)
    state = lens.state()
    # d reaches 110: the page standardised the inputs at once and says so
    assert state["network"]["layers"][0] == 3
    assert state["config"]["cost"] == "quadratic"  # d is no class
    page = lens.page
    chooser = page.locator("[data-csv-chooser]")
    assert chooser.is_visible()
    assert page.locator("[data-csv-standardise]").is_checked()
    assert page.locator("[data-csv-target]:checked").evaluate_all("bs => bs.map(b => b.value)") == [
        "3"
    ]
    page.locator("[data-csv-target='3']").uncheck()
    page.locator("[data-csv-target='2']").check()  # c: 0/1
    page.locator("[data-action='use-csv-again']").click()
    page.locator("[data-csv-result][data-kind='ok']").wait_for()
    lens.wait_idle()
    state = lens.state()
    assert state["network"]["layers"][0] == 3
    assert state["config"]["cost"] == "cross_entropy"
    assert state["config"]["data"]["targets"][:3] == [[0.0], [1.0], [0.0]]
    inputs = state["config"]["data"]["inputs"]
    assert abs(sum(row[2] for row in inputs)) < 1e-9  # d, standardised: mean 0
    assert "Inputs standardised" in page.locator("[data-csv-result]").inner_text()
    assert lens.console == []


def test_digits_show_samples_and_first_layer_weights_as_images(lens: Lens) -> None:
    lens.load_preset("digits")
    page = lens.page
    images = page.locator("[data-view='images']")
    images.wait_for(state="visible")
    assert page.locator("[data-weight-image]").count() == 32
    assert page.locator("[data-sample-images] canvas").count() == 24
    assert page.locator("[data-weight-image] canvas").first.get_attribute("width") == "8"

    def weight_pixels() -> list[int]:
        data: list[int] = page.locator("[data-weight-image='0'] canvas").evaluate(
            "c => Array.from(c.getContext('2d').getImageData(0, 0, 8, 8).data)"
        )
        return data

    before = weight_pixels()
    page.locator("[data-action='train']").click()  # 100 iterations
    lens.wait_trained()
    assert page.locator("[data-weight-images]").get_attribute("data-weights-iteration") == "100"
    assert weight_pixels() != before  # the image follows the weights as they train
    wait_predictions(lens, 100)
    matrix = confusion(lens)
    assert len(matrix) == 10
    assert sum(map(sum, matrix)) == 359  # the 20% test split
    mistakes = sum(map(sum, matrix)) - sum(matrix[i][i] for i in range(10))
    assert page.locator("[data-mistake-images] canvas").count() == min(24, mistakes)
    images.screenshot(path=str(lens.screenshot("page").with_name(f"{lens.name}-images.png")))
    assert lens.console == []


def test_hidden_widths_are_typed_in_the_settings(lens: Lens) -> None:
    page = lens.page
    page.locator("[data-action='toggle-config']").click()
    width = page.locator("[data-field='width-1']")
    width.fill("17")
    width.press("Enter")
    page.locator("[data-field='wider-1']").click()  # and one more with +
    assert page.locator("[data-field='width-1']").input_value() == "18"
    page.locator("[data-field='apply']").click()
    lens.wait_idle()
    assert lens.state()["network"]["layers"] == [2, 18, 2]
    assert lens.console == []


def test_a_follower_sees_the_classes_and_pictures_of_a_digits_class(
    browser: Any, base_url: str, api: httpx.Client
) -> None:
    sid = api.post("/sessions", json={"preset": "digits"}).json()["id"]
    assert api.post(f"/sessions/{sid}/train", json={"iterations": 40}).status_code == 200
    code = api.post(f"/sessions/{sid}/class").json()["code"]
    expected = api.get(f"/classes/{code}/predictions").json()
    with opened(browser, base_url, "digits-follower", f"/class/{code}", **PHONE_TOUCH) as follower:
        follower.page.locator("[data-view='images']").wait_for(state="visible")
        assert follower.page.locator("[data-weight-image]").count() == 32
        follower.page.locator("[data-view='class-report'] table").first.wait_for()
        assert confusion(follower) == expected["test"]["confusion"]  # the held-out part's
        follower.screenshot("report", full_page=True)
        assert follower.console == []


IRIS = Path(__file__).parent.parent / "fixtures" / "iris30.csv"
IRIS_CLASSES = ["setosa", "versicolor", "virginica"]


def class_headings(lens: Lens) -> tuple[list[str], list[str]]:
    """The confusion matrix's column and row headings."""
    table = lens.page.locator("[data-view='class-report'] table")
    columns: list[str] = table.evaluate(
        "t => [...t.tHead.rows[0].cells].slice(1).map(c => c.textContent)"
    )
    rows: list[str] = table.evaluate("t => [...t.tBodies[0].rows].map(r => r.cells[0].textContent)")
    return columns, rows


def assert_mistakes_named(lens: Lens, part: dict[str, Any]) -> None:
    """The misclassified samples say their true and predicted species."""
    shown = lens.page.locator("[data-mistakes] li").all_inner_texts()
    wrong = part["misclassified"]
    assert len(shown) == min(12, len(wrong))
    for text, n in zip(shown, wrong, strict=False):
        actual, predicted = IRIS_CLASSES[part["actual"][n]], IRIS_CLASSES[part["predicted"][n]]
        assert text.startswith(f"sample {n} (")
        assert text.endswith(f"): {actual} → {predicted}")


def test_a_csv_of_species_words_has_one_output_per_class_named_in_the_report(
    lens: Lens, api: httpx.Client
) -> None:
    page = lens.page
    page.locator("[data-csv] summary").click()
    page.locator("[data-csv-file]").set_input_files(str(IRIS))
    page.locator("[data-csv-result][data-kind='ok']").wait_for()
    lens.wait_idle()
    assert page.locator("[data-csv-result]").inner_text() == (
        "30 samples loaded: 4 inputs (sepal_length, sepal_width, petal_length, petal_width) "
        "→ species, 3 classes (setosa, versicolor, virginica) as 3 outputs; softmax output, "
        "softmax_cross_entropy. Inputs standardised (mean 0, standard deviation 1)."
    )
    state = lens.state()
    assert state["network"]["layers"] == [4, 2, 3]  # n_L: one output per species
    assert state["network"]["activations"] == ["sigmoid", "softmax"]
    assert state["config"]["cost"] == "softmax_cross_entropy"
    assert state["config"]["data"]["class_names"] == IRIS_CLASSES
    assert state["config"]["data"]["targets"][:3] == [[0, 0, 1], [1, 0, 0], [0, 1, 0]]
    assert page.locator("[data-csv-classes]").is_checked()
    page.locator("[data-control='train-count']").select_option("1000")
    page.locator("[data-action='train']").click()
    lens.wait_trained()
    wait_predictions(lens, 1000)
    expected: dict[str, Any] = api.get(f"/sessions/{lens.state()['id']}/predictions").json()
    assert confusion(lens) == expected["train"]["confusion"]
    assert class_headings(lens) == (IRIS_CLASSES, IRIS_CLASSES)
    names = page.locator(".per-class__name").all_inner_texts()
    assert [n.strip() for n in names] == IRIS_CLASSES
    assert page.locator(".per-class__swatch").count() == 3  # the projection's colour key
    assert_mistakes_named(lens, expected["train"])
    page.locator("[data-view='class-report']").screenshot(
        path=str(lens.screenshot("page").with_name(f"{lens.name}-report.png"))
    )
    assert lens.console == []


def test_a_follower_on_a_phone_sees_the_class_names(
    browser: Any, base_url: str, api: httpx.Client
) -> None:
    parsed = api.post("/datasets/csv", json={"text": IRIS.read_text()}).json()
    config = {
        "network": {"layers": [4, 6, 3], "activations": ["tanh", "softmax"]},
        "cost": "softmax_cross_entropy",
        "learning_rate": 0.5,
        "data": {k: parsed[k] for k in ("inputs", "targets", "class_names")},
        "batch_size": 30,
    }
    sid = api.post("/sessions", json=config).json()["id"]
    assert api.post(f"/sessions/{sid}/train", json={"iterations": 50}).status_code == 200
    code = api.post(f"/sessions/{sid}/class").json()["code"]
    expected = api.get(f"/classes/{code}/predictions").json()
    assert len(expected["train"]["misclassified"]) > 0  # so the list below names some
    with opened(browser, base_url, "iris-follower", f"/class/{code}", **PHONE_TOUCH) as follower:
        follower.page.locator("[data-view='class-report'] table").first.wait_for()
        assert class_headings(follower) == (IRIS_CLASSES, IRIS_CLASSES)
        assert_mistakes_named(follower, expected["train"])
        width = follower.page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert width[0] == width[1]  # no sideways scrolling on a phone
        follower.screenshot("report", full_page=True)
        assert follower.console == []


def test_class_numbers_become_classes_when_the_box_is_ticked(lens: Lens) -> None:
    text = "a,b,kind\n" + "".join(f"{i % 5},{(i * 3) % 7},{i % 3}\n" for i in range(12))
    use_csv(lens, text)
    assert lens.state()["config"]["cost"] == "quadratic"  # kind: numbers, by its name
    page = lens.page
    assert not page.locator("[data-csv-classes]").is_checked()
    page.locator("[data-csv-classes]").check()
    page.locator("[data-action='use-csv-again']").click()
    page.locator("[data-csv-result][data-kind='ok']").wait_for()
    lens.wait_idle()
    config = lens.state()["config"]
    assert (config["network"]["layers"][-1], config["cost"]) == (3, "softmax_cross_entropy")
    assert config["data"]["class_names"] == ["0", "1", "2"]
    assert config["data"]["targets"][:4] == [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]]
    assert page.locator("[data-csv-classes]").is_checked()
    # a word among the inputs is refused, naming its line and column and what to do
    shown = use_csv(lens, "colour,x,y\n1,0.5,0\n2,0.25,1\nred,1,1\n")
    assert shown == (
        "line 4, column 'colour': 'red' is not a number; tick the column as the target if it "
        "holds class labels, or encode it as numbers"
    )
    assert [m for m in lens.console if "status of 422" not in m] == []
