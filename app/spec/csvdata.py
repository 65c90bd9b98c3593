"""The user's own data as CSV text → samples, with messages that say which line is wrong.

One sample per line, its values separated by semicolons, tabs, commas or spaces
(each line's own: the first of `;`, tab, `,` that it holds, else spaces), the way
spreadsheets write them: values may be quoted ("0"), a line may end with separators,
and where `;` separates the values a decimal comma is a decimal point (1,5 = 1.5).
Blank lines and lines starting with `#` are skipped; a first line with no number in
it is a header. Every other line must hold as many finite numbers as the first one
(or as `input_size` + `output_size`), and there may be at most `max_rows` of them.

Which columns are targets: `target_columns` (0-based) if given; else the last
`output_size` (or all but the first `input_size`) if given; else the header's
columns named like targets (y, y1, y_2, target, label, class, species, …); else the
last column. The file thus defines n₀ and n_L. A target column of words is class labels,
one-hot encoded by engine.tabular.class_targets (sorted; two labels are one 0/1 output),
as are 3 or more whole numbers in a column named like a class, or any values when the
client says `classes`; a word in an input column is named with what to do about it.
Given the cost the data is for, the targets must suit it too (cross_entropy: between 0
and 1), named by line.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from engine import DefinitionError, target_problem
from engine.activations import Array
from engine.tabular import (
    ClassTargets,
    OutputChoice,
    class_targets,
    standardise,
    suited_output,
    wants_standardising,
)

__all__ = ["CsvData", "CsvLayout", "parse_csv"]

_SEPARATORS = (";", "\t", ",")
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?|[+-]?\d+,")
_CLASS_WORDS = r"labels?|class(es)?|categor(y|ies)|species"
# y1, y_2, class name, label.3, y_cat; a bare word goes on: year and classic are no targets
_SUFFIX = r"(\d+|[ _.\-]\w+)?"
_TARGET_NAME = re.compile(rf"(y|targets?|outputs?|{_CLASS_WORDS}){_SUFFIX}", re.IGNORECASE)
_CLASS_NAME = re.compile(rf"({_CLASS_WORDS}){_SUFFIX}", re.IGNORECASE)


@dataclass(frozen=True)
class CsvLayout:
    """What the client says of the columns (each may be None: the file decides)."""

    input_size: int | None = None
    output_size: int | None = None
    target_columns: Sequence[int] | None = None


@dataclass(frozen=True)
class CsvData:
    inputs: list[list[float]]  # m × n₀ (standardised when asked)
    targets: list[list[float]]  # m × n_L
    header: list[str] | None
    columns: list[str]  # each column's name: the header's, else "column 1" …
    target_columns: list[int]  # 0-based, in the file's order
    class_names: list[str] | None  # a label column's classes, in the order of their numbers
    proposal: OutputChoice  # the output layer and cost the targets suit
    suggest_standardise: bool  # an input is large enough to saturate tanh or sigmoid
    mean: list[float] | None  # μ of each input column, when standardised
    std: list[float] | None  # s of each input column, when standardised


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based, as an editor shows it
    values: list[str]
    separator: str


def _split(number: int, line: str) -> _Line:
    for separator in _SEPARATORS:
        if separator in line:
            row = next(csv.reader([line], delimiter=separator, skipinitialspace=True))
            values = [v.strip() for v in row]
            while values and values[-1] == "":  # a spreadsheet's trailing separators
                values.pop()
            return _Line(number, values, separator)
    return _Line(number, next(csv.reader([line], delimiter=" ", skipinitialspace=True)), " ")


def _number(text: str, separator: str) -> float | None:
    if separator == ";" and _DECIMAL_COMMA.fullmatch(text):
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def _looks_decimal(text: str) -> bool:
    return bool(_DECIMAL_COMMA.fullmatch(text))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _data_lines(text: str) -> list[_Line]:
    return [
        _split(number, line.strip())
        for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1)
        if line.strip() and not line.strip().startswith("#")
    ]


def _column_name(column: int, header: list[str] | None) -> str:
    if header is not None and len(header) > column and header[column]:
        return repr(header[column])
    return str(column + 1)


class _NotANumberError(ValueError):
    """A word where a number belongs: the caller names the column and what to do."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _value(line: _Line, column: int, header: list[str] | None, field: str) -> float:
    value = line.values[column]
    where = f"line {line.number}, column {_column_name(column, header)}"
    if value == "":
        raise DefinitionError(field, f"{where}: is empty (every column needs a number)")
    x = _number(value, line.separator)
    if x is None and _looks_decimal(value):
        point = value.replace(",", ".")
        hint = f"(a decimal comma? write {point!r}, or separate the values with ;)"
        raise DefinitionError(field, f"{where}: {value[:40]!r} is not a number {hint}")
    if x is None:
        raise _NotANumberError(value[:40])
    if not math.isfinite(x):
        raise DefinitionError(field, f"{where}: {value!r} is not a finite number")
    return x


def _targets_named(header: list[str] | None) -> list[int]:
    return [i for i, name in enumerate(header or []) if _TARGET_NAME.fullmatch(name)]


def _choose_targets(
    layout: CsvLayout, width: int, header: list[str] | None, field: str
) -> list[int]:
    if layout.target_columns is not None:
        chosen = sorted(set(layout.target_columns))
        if any(c >= width for c in chosen):
            raise DefinitionError(
                "target_columns", f"the file has {width} columns (0 … {width - 1}), got {chosen}"
            )
    elif layout.output_size is not None:
        chosen = list(range(width - layout.output_size, width))
    elif layout.input_size is not None:
        chosen = list(range(layout.input_size, width))
    else:
        chosen = _targets_named(header) or [width - 1]
    if not chosen or len(chosen) >= width or min(chosen) < 0:
        raise DefinitionError(
            "target_columns" if layout.target_columns is not None else field,
            f"needs at least one input column and one target column; the file has {width}",
        )
    return chosen


def _width_message(line: _Line, layout: CsvLayout, width: int, first: _Line) -> str:
    if layout.input_size is not None and layout.output_size is not None:
        why = (
            f"{_plural(layout.input_size, 'input')}, then {_plural(layout.output_size, 'target')},"
            f" as the network has n0 = {layout.input_size} and nL = {layout.output_size}"
        )
    else:
        why = f"as line {first.number}, the first sample, has"
    return f"line {line.number}: expected {width} values ({why}), got {len(line.values)}"


def _expected_width(layout: CsvLayout, first: _Line) -> int:
    if layout.input_size is not None and layout.output_size is not None:
        return layout.input_size + layout.output_size
    return len(first.values)


def _layout_text(layout: CsvLayout) -> str:
    if layout.input_size is not None and layout.output_size is not None:
        n0, nL = layout.input_size, layout.output_size
        return (
            f"one sample per line, {_plural(n0, 'input')}, then {_plural(nL, 'target')} "
            f"({n0 + nL} values)"
        )
    return "one sample per line, its inputs and then its targets"


def _checked_width(lines: list[_Line], layout: CsvLayout, field: str) -> int:
    """The values per line, checked line by line: the first short or long line is named."""
    width = _expected_width(layout, lines[0])
    for line in lines:
        if len(line.values) != width:
            raise DefinitionError(field, _width_message(line, layout, width, lines[0]))
    return width


_INPUT_WORD = "tick the column as the target if it holds class labels, or encode it as numbers"
_TARGET_WORD = (
    'read the target as class labels (the Class labels box, or "classes": true), '
    "or encode it as numbers"
)


def _numbers(
    lines: list[_Line], column: int, header: list[str] | None, field: str, what_to_do: str
) -> list[float]:
    """One column's numbers; a word in it is named with what to do about it."""
    numbers = []
    for line in lines:
        try:
            numbers.append(_value(line, column, header, field))
        except _NotANumberError as word:
            name = _column_name(column, header)
            raise DefinitionError(
                field,
                f"line {line.number}, column {name}: {word.text!r} is not a number; {what_to_do}",
            ) from None
    return numbers


def _labels(lines: list[_Line], column: int, header: list[str] | None, field: str) -> list[str]:
    labels = [line.values[column] for line in lines]
    for line, label in zip(lines, labels, strict=True):
        if label == "":
            where = f"line {line.number}, column {_column_name(column, header)}"
            raise DefinitionError(field, f"{where}: is empty (every sample needs its class)")
    return labels


def _is_label_column(
    lines: list[_Line], column: int, header: list[str] | None, classes: bool | None, k_max: int
) -> bool:
    """Class labels: words (not decimal commas), or told so, or 3 … k_max whole numbers in
    a column named like a class (0/1 already are classes, as one sigmoid output)."""
    if classes is not None:
        return classes
    values = [line.values[column] for line in lines]
    numbers = [_number(value, line.separator) for value, line in zip(values, lines, strict=True)]
    words = [v for v, x in zip(values, numbers, strict=True) if x is None and v != ""]
    if words:
        return not any(_looks_decimal(v) for v in words)
    named = header is not None and bool(_CLASS_NAME.fullmatch(header[column]))
    whole = all(x is not None and math.isfinite(x) and x.is_integer() for x in numbers)
    return named and whole and 2 < len(set(numbers)) <= k_max


@dataclass(frozen=True)
class _Fields:
    text: str  # the field holding the file
    targets: str  # the field that chose the target columns (the file's, or target_columns)
    k_max: int  # the most classes: a layer's width limit


def _class_targets(
    lines: list[_Line], targets_at: list[int], header: list[str] | None, fields: _Fields
) -> ClassTargets:
    """The one target column's labels as one-hot (or 0/1) targets, within the width limit."""
    column = targets_at[0]
    name = _column_name(column, header)
    if len(targets_at) > 1:
        raise DefinitionError(
            fields.targets,
            f"column {name} holds class labels, so it must be the only target column "
            f"({len(targets_at)} were chosen)",
        )
    labels = _labels(lines, column, header, fields.text)
    k = len(set(labels))
    field, max_width = fields.text, fields.k_max
    if k < 2:
        raise DefinitionError(
            field, f"column {name} has only one class, {labels[0]!r}: a class column needs two"
        )
    if k > max_width:
        raise DefinitionError(
            field,
            f"column {name} has {k} different labels, more than the {max_width} outputs a "
            "layer may have; is it a column of classes?",
        )
    return class_targets(labels)


def _targets(
    lines: list[_Line],
    targets_at: list[int],
    header: list[str] | None,
    classes: bool | None,
    fields: _Fields,
) -> tuple[Array, list[str] | None]:
    """y (n_L, m) from the target columns, and the class names when they hold labels."""
    if any(_is_label_column(lines, c, header, classes, fields.k_max) for c in targets_at):
        encoded = _class_targets(lines, targets_at, header, fields)
        return encoded.y, encoded.names
    columns = [_numbers(lines, c, header, fields.text, _TARGET_WORD) for c in targets_at]
    return np.array(columns), None  # (n_L, m)


def parse_csv(
    text: str,
    layout: CsvLayout,
    max_rows: int,
    max_classes: int,
    field: str = "text",
    cost: str | None = None,
    standardise_inputs: bool = False,
    classes: bool | None = None,
) -> CsvData:
    lines = _data_lines(text)
    header: list[str] | None = None
    if lines and all(_number(v, lines[0].separator) is None for v in lines[0].values):
        header = lines[0].values
        lines = lines[1:]
    if not lines:
        raise DefinitionError(field, f"has no data rows: give {_layout_text(layout)}")
    if len(lines) > max_rows:
        raise DefinitionError(
            field, f"{len(lines)} rows is more than the limit of {max_rows} samples"
        )
    width = _checked_width(lines, layout, field)
    targets_at = _choose_targets(layout, width, header, field)
    inputs_at = [c for c in range(width) if c not in targets_at]
    x = np.array([_numbers(lines, c, header, field, _INPUT_WORD) for c in inputs_at])  # (n₀, m)
    chose = field if layout.target_columns is None else "target_columns"
    y, class_names = _targets(
        lines, targets_at, header, classes, _Fields(field, chose, max_classes)
    )
    if cost is not None:
        problem = target_problem(cost, y)
        if problem is not None:
            number = lines[problem.sample].number
            raise DefinitionError(
                field, f"line {number}: {problem.rule}; this sample {problem.found}"
            )
    names = header if header is not None and len(header) == width else None
    mean = std = None
    suggest = wants_standardising(x)
    if standardise_inputs:
        x, mu, s = standardise(x)
        mean, std = mu.tolist(), s.tolist()
    return CsvData(
        inputs=x.T.tolist(),
        targets=y.T.tolist(),
        header=header,
        columns=names or [f"column {c + 1}" for c in range(width)],
        target_columns=targets_at,
        class_names=class_names,
        proposal=suited_output(y),
        suggest_standardise=suggest,
        mean=mean,
        std=std,
    )
