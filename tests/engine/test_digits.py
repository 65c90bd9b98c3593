"""The shipped digits file: its checksum, shape and labels, and the data set made from it."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import numpy as np
import pytest

import engine
from engine import DATASETS, make_dataset
from engine.digits import DIGITS_SHA256, digits

FILE = Path(engine.__file__).parent / "data" / "digits.csv.gz"


def test_the_file_is_the_one_its_source_note_names() -> None:
    assert hashlib.sha256(FILE.read_bytes()).hexdigest() == DIGITS_SHA256
    note = (FILE.parent / "SOURCE.md").read_text(encoding="utf-8")
    assert DIGITS_SHA256 in note
    assert "CC BY 4.0" in note


def test_the_file_has_1797_rows_of_64_pixels_and_a_digit() -> None:
    rows = [line.split(",") for line in gzip.decompress(FILE.read_bytes()).decode().splitlines()]
    table = np.array(rows, dtype=np.int64)
    assert table.shape == (1797, 65)
    assert table[:, :64].min() == 0
    assert table[:, :64].max() == 16
    counts = np.bincount(table[:, 64])
    assert counts.tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert table[:3, 64].tolist() == [0, 1, 2]  # the file starts 0, 1, 2, …


def test_inputs_are_pixels_over_16_and_targets_one_hot() -> None:
    x, y = digits()
    assert x.shape == (64, 1797)
    assert y.shape == (10, 1797)
    assert x.min() == 0.0
    assert x.max() == 1.0
    np.testing.assert_array_equal(y.sum(axis=0), 1.0)
    np.testing.assert_array_equal(y.argmax(axis=0)[:3], [0, 1, 2])
    # the first image's top row, as the file has it: 0,0,5,13,9,1,0,0
    np.testing.assert_array_equal(16 * x[:8, 0], [0, 0, 5, 13, 9, 1, 0, 0])


def test_the_data_set_declares_a_softmax_over_ten_classes() -> None:
    spec = DATASETS["digits"]
    assert (spec.input_size, spec.output_size) == (64, 10)
    assert (spec.output_activation, spec.cost) == ("softmax", "softmax_cross_entropy")
    assert spec.default_size == spec.max_size == 1797


def test_fewer_samples_are_a_seeded_subset_in_file_order() -> None:
    x, _ = digits()
    subset = make_dataset("digits", size=50, seed=3)
    again = make_dataset("digits", size=50, seed=3)
    np.testing.assert_array_equal(subset.x, again.x)
    columns = [int(np.flatnonzero((x == subset.x[:, [k]]).all(axis=0))[0]) for k in range(50)]
    assert columns == sorted(columns)
    assert not np.array_equal(subset.x, make_dataset("digits", size=50, seed=4).x)


def test_more_samples_than_the_file_has_are_refused() -> None:
    with pytest.raises(engine.DefinitionError, match="digits has 1797 samples") as info:
        make_dataset("digits", size=1798)
    assert info.value.field == "dataset.size"
