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
columns named like targets (y, y1, y_2, target, label, class, …); else the last
column. The file thus defines n₀ and n_L. Given the cost the data is for, the
targets must suit it too (cross_entropy: between 0 and 1), named by line.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from engine import DefinitionError, target_problem
from engine.tabular import OutputChoice, standardise, suited_output, wants_standardising

__all__ = ["CsvData", "CsvLayout", "parse_csv"]

_SEPARATORS = (";", "\t", ",")
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?|[+-]?\d+,")
_TARGET_NAME = re.compile(r"(y|targets?|labels?|class(es)?|outputs?)([ _.\-]?\w*)?", re.IGNORECASE)


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


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _data_lines(text: str) -> list[_Line]:
    return [
        _split(number, line.strip())
        for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1)
        if line.strip() and not line.strip().startswith("#")
    ]


def _value(line: _Line, column: int, field: str) -> float:
    value = line.values[column]
    where = f"line {line.number}, column {column + 1}"
    if value == "":
        raise DefinitionError(field, f"{where}: is empty (every column needs a number)")
    x = _number(value, line.separator)
    if x is None:
        hint = ""
        if "," in value:
            point = value.replace(",", ".")
            hint = f" (a decimal comma? write {point!r}, or separate the values with ;)"
        raise DefinitionError(field, f"{where}: {value[:40]!r} is not a number{hint}")
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


def _rows(lines: list[_Line], layout: CsvLayout, field: str) -> list[list[float]]:
    """Each line's numbers, checked line by line: the first problem is the one named."""
    width = _expected_width(layout, lines[0])
    rows: list[list[float]] = []
    for line in lines:
        if len(line.values) != width:
            raise DefinitionError(field, _width_message(line, layout, width, lines[0]))
        rows.append([_value(line, c, field) for c in range(width)])
    return rows


def parse_csv(
    text: str,
    layout: CsvLayout,
    max_rows: int,
    field: str = "text",
    cost: str | None = None,
    standardise_inputs: bool = False,
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
    values = np.array(_rows(lines, layout, field))  # (m, columns)
    width = values.shape[1]
    targets_at = _choose_targets(layout, width, header, field)
    inputs_at = [c for c in range(width) if c not in targets_at]
    x = values[:, inputs_at].T  # (n₀, m)
    y = values[:, targets_at].T  # (n_L, m)
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
        proposal=suited_output(y),
        suggest_standardise=suggest,
        mean=mean,
        std=std,
    )
