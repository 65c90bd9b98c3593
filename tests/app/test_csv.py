"""POST /api/v1/datasets/csv: a spreadsheet's CSV defines the problem — its columns say n₀
and n_L, its targets the output layer and cost — and anything else is named by line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.wire.responses import CsvResponse
from tests.app.helpers import assert_error

ROUTE = "/api/v1/datasets/csv"
IRIS = (Path(__file__).parent.parent / "fixtures" / "iris30.csv").read_text()
WHAT_TO_DO = "tick the column as the target if it holds class labels, or encode it as numbers"


def post(client: TestClient, text: str, **fields: Any) -> Any:
    return client.post(ROUTE, json={"text": text, **fields})


def ok(client: TestClient, text: str, **fields: Any) -> dict[str, Any]:
    response = post(client, text, **fields)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    CsvResponse.model_validate(body)
    return body


def test_quoted_values_and_trailing_separators_load(client: TestClient) -> None:
    body = ok(client, '"x1","x2","y",\n"0","1","1",\n"2",3,"0",,\n')
    assert body["header"] == ["x1", "x2", "y"]
    assert body["inputs"] == [[0.0, 1.0], [2.0, 3.0]]
    assert body["targets"] == [[1.0], [0.0]]


def test_a_decimal_comma_is_read_where_semicolons_separate(client: TestClient) -> None:
    body = ok(client, "a;b;y\n1,5;-0,25;3,75\n2;,5;1e-1\n")
    assert body["inputs"] == [[1.5, -0.25], [2.0, 0.5]]
    assert body["targets"] == [[3.75], [0.1]]
    assert body["proposal"] == {
        "task": "regression",
        "output_activation": "linear",
        "cost": "quadratic",
    }


def test_a_decimal_comma_elsewhere_gets_a_hint(client: TestClient) -> None:
    message = (
        "text: line 2, column 'b': '2,5' is not a number (a decimal comma? write '2.5', or "
        "separate the values with ;)"
    )
    assert_error(post(client, 'a,b,y\n1,"2,5",0\n'), 422, "invalid_request", message, "text")


def test_the_header_names_the_targets_and_the_file_sets_the_sizes(client: TestClient) -> None:
    text = "y_cat,petal,sepal,y_dog,width\n1,0.1,0.2,0,3\n0,0.3,0.4,1,4\n"
    body = ok(client, text)
    assert body["target_columns"] == [0, 3]
    assert (body["input_size"], body["output_size"]) == (3, 2)
    assert body["inputs"] == [[0.1, 0.2, 3.0], [0.3, 0.4, 4.0]]
    assert body["targets"] == [[1.0, 0.0], [0.0, 1.0]]
    assert body["proposal"]["output_activation"] == "softmax"
    assert body["proposal"]["cost"] == "softmax_cross_entropy"


def test_without_a_header_the_last_column_is_the_target(client: TestClient) -> None:
    body = ok(client, "1 2 3 0\n4 5 6 1\n")
    assert body["header"] is None
    assert body["columns"] == ["column 1", "column 2", "column 3", "column 4"]
    assert body["target_columns"] == [3]
    assert (body["input_size"], body["output_size"]) == (3, 1)
    assert body["proposal"]["cost"] == "cross_entropy"
    assert body["suggest_standardise"] is True  # 6 saturates a tanh neuron


def test_the_user_picks_the_target_columns(client: TestClient) -> None:
    body = ok(client, "a,b,c\n1,0,0.5\n2,1,0.25\n", target_columns=[1])
    assert body["target_columns"] == [1]
    assert body["inputs"] == [[1.0, 0.5], [2.0, 0.25]]
    assert body["targets"] == [[0.0], [1.0]]
    message = "target_columns: the file has 3 columns (0 … 2), got [1, 5]"
    response = post(client, "a,b,c\n1,0,0.5\n", target_columns=[1, 5])
    assert_error(response, 422, "invalid_request", message, "target_columns")
    message = (
        "target_columns: needs at least one input column and one target column; the file has 3"
    )
    response = post(client, "a,b,c\n1,0,0.5\n", target_columns=[0, 1, 2])
    assert_error(response, 422, "invalid_request", message, "target_columns")


def test_inputs_are_standardised_on_request(client: TestClient) -> None:
    body = ok(client, "a,b,y\n0,10,0\n2,10,1\n4,10,0\n", standardise=True)
    assert body["standardised"] == {"mean": [2.0, 10.0], "std": [pytest.approx(1.632993), 1.0]}
    assert [row[0] for row in body["inputs"]] == pytest.approx([-1.224745, 0.0, 1.224745])
    assert [row[1] for row in body["inputs"]] == [0.0, 0.0, 0.0]  # constant: 0, not NaN


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a,b,c\n1,2,3\n4,5,6\n7,8\n",
         "text: line 4: expected 3 values (as line 2, the first sample, has), got 2"),
        ("1;2;3\n4;;6\n", "text: line 2, column 2: is empty (every column needs a number)"),
        ("# data\n1;2;3\n4;x;6\n", f"text: line 3, column 2: 'x' is not a number; {WHAT_TO_DO}"),
    ],
)  # fmt: skip
def test_problems_are_named_by_line(client: TestClient, text: str, message: str) -> None:
    assert_error(post(client, text), 422, "invalid_request", message, "text")


def test_a_single_column_has_no_input(client: TestClient) -> None:
    message = "text: needs at least one input column and one target column; the file has 1"
    assert_error(post(client, "y\n1\n2\n"), 422, "invalid_request", message, "text")


def test_a_column_of_words_is_one_hot_classes_in_sorted_order(client: TestClient) -> None:
    body = ok(client, IRIS)
    assert body["class_names"] == ["setosa", "versicolor", "virginica"]
    assert body["target_columns"] == [4]
    assert (body["input_size"], body["output_size"], body["rows"]) == (4, 3, 30)
    # the file's rows are virginica, setosa, versicolor, … over and over
    assert body["targets"][:4] == [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]]
    assert body["inputs"][0] == [6.6, 3.0, 5.5, 1.9]
    assert body["proposal"] == {
        "task": "classification",
        "output_activation": "softmax",
        "cost": "softmax_cross_entropy",
    }


def test_two_words_are_one_0_1_output_like_a_0_1_column(client: TestClient) -> None:
    body = ok(client, 'x;ok\n1,5;yes\n2;no\n3;"yes"\n')
    assert body["class_names"] == ["no", "yes"]
    assert body["targets"] == [[1.0], [0.0], [1.0]]
    assert body["inputs"] == [[1.5], [2.0], [3.0]]
    assert body["proposal"]["cost"] == "cross_entropy"
    assert body["output_size"] == 1


def test_whole_numbers_in_a_class_column_are_classes(client: TestClient) -> None:
    body = ok(client, "a,b,label\n0.5,1,2\n0.25,2,10\n0.75,3,0\n")
    assert body["class_names"] == ["0", "2", "10"]  # sorted as numbers
    assert body["targets"] == [[0, 1, 0], [0, 0, 1], [1, 0, 0]]
    # told they are numbers, they stay one target: a regression
    body = ok(client, "a,b,label\n0.5,1,2\n0.25,2,10\n0.75,3,0\n", classes=False)
    assert (body["class_names"], body["targets"]) == (None, [[2.0], [10.0], [0.0]])
    assert body["proposal"]["cost"] == "quadratic"
    message = (
        "text: line 2, column 'y': 'cat' is not a number; read the target as class labels "
        '(the Class labels box, or "classes": true), or encode it as numbers'
    )
    response = post(client, "a,y\n1,cat\n2,dog\n", classes=False)
    assert_error(response, 422, "invalid_request", message, "text")
    # a column not named like a class keeps its numbers unless told they are classes
    assert ok(client, "a,y\n1,2\n2,0\n3,1\n")["class_names"] is None
    body = ok(client, "a,y\n1,2\n2,0\n3,1\n", classes=True)
    assert (body["class_names"], body["output_size"]) == (["0", "1", "2"], 3)
    # 0/1 already is one class: one sigmoid output, as before
    assert ok(client, "a,label\n1,0\n2,1\n3,1\n")["class_names"] is None


def test_the_chosen_target_column_may_hold_the_words(client: TestClient) -> None:
    body = ok(client, "colour,x,y\nred,1,0.5\nblue,2,0.25\ngreen,3,1\n", target_columns=[0])
    assert body["class_names"] == ["blue", "green", "red"]
    assert body["inputs"] == [[1.0, 0.5], [2.0, 0.25], [3.0, 1.0]]
    assert body["targets"] == [[0, 0, 1], [1, 0, 0], [0, 1, 0]]


@pytest.mark.parametrize(
    ("text", "fields", "message"),
    [
        ("colour,x,y\n1,1,0\n2,2,1\nred,3,1\n", {},
         f"text: line 4, column 'colour': 'red' is not a number; {WHAT_TO_DO}"),
        ("x,y\n1,cat\n2,cat\n", {},
         "text: column 'y' has only one class, 'cat': a class column needs two"),
        ("y,x\ncat,1\n,2\n", {},
         "text: line 3, column 'y': is empty (every sample needs its class)"),
        ("x,y,z\n1,cat,0\n2,dog,1\n", {"target_columns": [1, 2]},
         "target_columns: column 'y' holds class labels, so it must be the only target column "
         "(2 were chosen)"),
        ("x,y\n" + "".join(f"{i},w{i}\n" for i in range(257)), {},
         "text: column 'y' has 257 different labels, more than the 256 outputs a layer may "
         "have; is it a column of classes?"),
        ('a,b,y\n1,2,"0,5"\n', {},
         "text: line 2, column 'y': '0,5' is not a number (a decimal comma? write '0.5', or "
         "separate the values with ;)"),
    ],
)  # fmt: skip
def test_labels_where_they_cannot_be_classes_are_named(
    client: TestClient, text: str, fields: dict[str, Any], message: str
) -> None:
    field = "target_columns" if "target_columns" in fields else "text"
    assert_error(post(client, text, **fields), 422, "invalid_request", message, field)


def test_the_class_names_travel_with_the_session(client: TestClient) -> None:
    parsed = ok(client, IRIS)
    data = {k: parsed[k] for k in ("inputs", "targets", "class_names")}
    config = {
        "network": {"layers": [4, 5, 3], "activations": ["tanh", "softmax"]},
        "cost": "softmax_cross_entropy",
        "data": data,
        "batch_size": 30,
    }
    response = client.post("/api/v1/sessions", json=config)
    assert response.status_code == 201, response.text
    assert response.json()["config"]["data"]["class_names"] == parsed["class_names"]
    config["data"] = {**data, "class_names": ["setosa", "versicolor"]}
    message = "data.class_names: names 2 classes, but targets with n_L = 3 have 3"
    response = client.post("/api/v1/sessions", json=config)
    assert_error(response, 422, "invalid_request", message, "data.class_names")


def test_a_name_that_only_starts_like_a_target_is_an_input(client: TestClient) -> None:
    body = ok(client, "year,classic,price\n2020,1,3.5\n2021,0,4.25\n")
    assert body["target_columns"] == [2]  # year is no y, classic no class: the last column
    assert ok(client, "y_cat,y2,x\n1,0,5\n0,1,6\n")["target_columns"] == [0, 1]
