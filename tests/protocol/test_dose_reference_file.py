"""A dose reference file is read and checked by the cohort reader's machinery: every problem
at once, each located by file, row, column and value, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from jdmtrack.errors import InputError
from jdmtrack.protocol.dose_reference import (
    DOSE_REFERENCE_COLUMNS,
    load_dose_reference,
    parse_dose_reference,
)

HEADER = ",".join(DOSE_REFERENCE_COLUMNS)
GOOD = "tofacitinib,,25,,,yes,5,15,,,Ding 2021"


def problems(text: str) -> list[tuple[int | None, str | None, str | None, str]]:
    with pytest.raises(InputError) as caught:
        parse_dose_reference(text, "ref.csv")
    assert all(p.file == "ref.csv" for p in caught.value.problems)
    return [(p.row, p.column, p.value, p.expected) for p in caught.value.problems]


def test_a_good_table_reads_with_blank_rows_keeping_spreadsheet_row_numbers() -> None:
    reference = parse_dose_reference(f"{HEADER}\n\n{GOOD}\n", "ref.csv")
    (band,) = reference.bands
    assert (band.row, band.drug, band.weight_max_kg, band.maximum_mg_day) == (
        3, "tofacitinib", 25.0, 15.0)


def test_cells_are_checked_as_cohort_cells_are_and_every_problem_is_listed() -> None:
    found = problems(f"{HEADER}\n"
                     "Tofacitinib,,25,,,Yes,5;5,-1,,,a\n"   # drug case, comma-less list, negative
                     "ruxolitinib,,nan,,,yes,5,15,,,\n")    # 'nan', no source
    assert [row for row, *_ in found] == sorted(row for row, *_ in found)  # reading order
    assert set(found) == {
        (2, "drug", "Tofacitinib",
         "one of 'tofacitinib', 'ruxolitinib', 'baricitinib' (did you mean 'tofacitinib'?)"),
        (2, "reference_mg_day", "5;5", "a number >= 0"),
        (2, "maximum_mg_day", "-1", "a number >= 0"),
        (3, "weight_max_kg", "nan",
         "a number >= 0 (leave the cell empty when the value is missing)"),
        (3, "source", None, "text (this column is required; the cell is empty)"),
    }


def test_columns_missing_unknown_or_twice_are_named() -> None:
    header = HEADER.replace(",source", ",sauce")
    found = problems(f"{header}\n{GOOD}\n")
    assert (1, "sauce", "sauce", "one of the columns " + ", ".join(DOSE_REFERENCE_COLUMNS)) \
        in found
    assert (1, "source", None, "a column 'source' (every column of the dose reference table "
                               "must be present)") in found
    twice = problems(f"{HEADER},drug\n{GOOD},x\n")
    assert twice == [(1, "drug", "drug", "each column once (also in column 1)")]


def test_a_row_with_too_many_cells_is_located_not_a_traceback() -> None:
    found = problems(f"{HEADER}\n{GOOD}\n{GOOD},extra\n")
    assert [(row, column) for row, column, _, _ in found] == [(3, None)]
    assert found[0][3].startswith(f"at most {len(DOSE_REFERENCE_COLUMNS)} cells")


def test_a_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(f"{HEADER}\n{GOOD}\n".encode() + "tofacitinib,,,,,yes,5,15,,,Müller\n"
                     .encode("latin-1"))
    with pytest.raises(InputError) as caught:
        load_dose_reference(path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.row) == (str(path), 3)
    assert problem.expected.startswith("UTF-8 text (line 3")


def test_an_empty_table_has_no_band() -> None:
    assert problems(f"{HEADER}\n") == [(None, None, None, "at least one band")]
