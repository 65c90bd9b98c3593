"""The user's own data as CSV text → samples, with messages that say which line is wrong.

One sample per line: `input_size` inputs, then `output_size` targets, separated
by commas (or semicolons, tabs or spaces). Blank lines and lines starting with
`#` are skipped; a first line with no number in it is a header. Every other
line must hold exactly input_size + output_size finite numbers, and there may
be at most `max_rows` of them. Given the cost the data is for, the targets
must suit it too (cross_entropy: between 0 and 1), named by line.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from engine import DefinitionError, target_problem

__all__ = ["CsvData", "parse_csv"]

_SPLIT = re.compile(r"\s*[,;\t]\s*|\s+")


@dataclass(frozen=True)
class CsvData:
    inputs: list[list[float]]  # m × input_size
    targets: list[list[float]]  # m × output_size
    header: list[str] | None


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def parse_csv(
    text: str,
    input_size: int,
    output_size: int,
    max_rows: int,
    field: str = "text",
    cost: str | None = None,
) -> CsvData:
    width = input_size + output_size
    layout = f"{_plural(input_size, 'input')}, then {_plural(output_size, 'target')}"
    lines = [
        (number, line.strip())
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.strip().startswith("#")
    ]
    header: list[str] | None = None
    if lines and all(_number(v) is None for v in _SPLIT.split(lines[0][1])):
        header = [v.strip().strip('"') for v in _SPLIT.split(lines[0][1])]
        lines = lines[1:]
    if not lines:
        raise DefinitionError(
            field, f"has no data rows: give one sample per line, {layout} ({width} values)"
        )
    if len(lines) > max_rows:
        raise DefinitionError(
            field, f"{len(lines)} rows is more than the limit of {max_rows} samples"
        )
    inputs: list[list[float]] = []
    targets: list[list[float]] = []
    for number, line in lines:
        values = _SPLIT.split(line)
        if len(values) != width:
            raise DefinitionError(
                field,
                f"line {number}: expected {width} values ({layout}, as the network has "
                f"n0 = {input_size} and nL = {output_size}), got {len(values)}",
            )
        row: list[float] = []
        for column, value in enumerate(values, start=1):
            x = _number(value)
            if x is None:
                raise DefinitionError(
                    field, f"line {number}, column {column}: {value[:40]!r} is not a number"
                )
            if not math.isfinite(x):
                raise DefinitionError(
                    field, f"line {number}, column {column}: {value!r} is not a finite number"
                )
            row.append(x)
        inputs.append(row[:input_size])
        targets.append(row[input_size:])
    if cost is not None:
        problem = target_problem(cost, np.array(targets, dtype=np.float64).T)  # (n_L, m)
        if problem is not None:
            number = lines[problem.sample][0]
            raise DefinitionError(
                field, f"line {number}: {problem.rule}; this sample {problem.found}"
            )
    return CsvData(inputs, targets, header)
