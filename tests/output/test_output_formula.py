"""Nothing jdmtrack writes runs as a formula (issue 12, item 3).

Text beginning with = + - @ tab or carriage return is a string cell in .xlsx (openpyxl reads
it back with data_type 's'), and in CSV gets one leading quote (OWASP CSV-injection advice);
numbers stay numbers, a negative number included.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from jdmtrack.cli import main
from jdmtrack.demo import path as demo_path
from jdmtrack.io.formula import csv_safe_column, csv_safe_text, original_text
from jdmtrack.io.write import write_csv, write_table

HOSTILE = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x", "=HYPERLINK(\"http://e\")",
           "'=already", "-", "+", "@"]
HARMLESS = ["plain", "a=b", "-3.5", "+2", "1e-3", "-1E+5", ".5", "", "'quoted'"]


def _frame() -> pd.DataFrame:
    n = len(HOSTILE) + len(HARMLESS)
    return pd.DataFrame({
        "patient_id": [f"P{i:02d}" for i in range(n)],
        "x_note": HOSTILE + HARMLESS,
        "cmas_total": [-3.5] + [float(i) for i in range(1, n)],
        "week": np.arange(n, dtype=np.int64) - 2,
    })


def test_csv_cells_that_would_run_get_one_quote_and_nothing_else_changes(tmp_path: Path) -> None:
    path = write_table(_frame(), tmp_path / "out.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    notes = [r["x_note"] for r in rows]
    assert notes[: len(HOSTILE)] == ["'" + h for h in HOSTILE]
    assert notes[len(HOSTILE):] == HARMLESS
    assert rows[0]["cmas_total"] == "-3.5"  # a negative number is a number
    assert rows[0]["week"] == "-2"
    assert [original_text(x) for x in notes] == HOSTILE + HARMLESS


def test_xlsx_text_is_a_string_cell_never_a_formula(tmp_path: Path) -> None:
    path = write_table(_frame(), tmp_path / "out.xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    notes = [c for (c,) in sheet.iter_rows(min_row=2, min_col=2, max_col=2)]
    for cell, text in zip(notes, HOSTILE + HARMLESS, strict=True):
        if text == "":
            assert cell.value is None
            continue
        assert cell.data_type == "s", (text, cell.data_type)
        assert cell.value == text  # unchanged: a string cell needs no quote
    first_total = sheet.cell(row=2, column=3)
    assert first_total.data_type == "n" and first_total.value == -3.5
    assert sheet.cell(row=2, column=4).value == -2


def test_score_output_of_a_cohort_with_a_hostile_note(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort"
    cohort.mkdir()
    for name in ("patients.csv", "visits.csv"):
        (cohort / name).write_bytes((demo_path("baricitinib") / name).read_bytes())
    visits = pd.read_csv(cohort / "visits.csv", dtype=str, keep_default_na=False)
    visits["x_note"] = "=cmd|' /C calc'!A0"
    visits.loc[1, "x_note"] = "-1"
    visits.to_csv(cohort / "visits.csv", index=False)
    for suffix in ("csv", "xlsx"):
        out = tmp_path / f"scored.{suffix}"
        result = CliRunner().invoke(main, ["score", str(cohort), "-o", str(out)])
        assert result.exit_code == 0, result.output
    written = pd.read_csv(tmp_path / "scored.csv", dtype=str, keep_default_na=False)
    assert written.loc[0, "x_note"] == "'=cmd|' /C calc'!A0"
    assert written.loc[1, "x_note"] == "-1"
    sheet = openpyxl.load_workbook(tmp_path / "scored.xlsx").active
    assert sheet is not None
    column = [c.value for c in sheet[1]].index("x_note") + 1
    cell = sheet.cell(row=2, column=column)
    assert (cell.data_type, cell.value) == ("s", "=cmd|' /C calc'!A0")


def test_write_csv_guards_any_frame(tmp_path: Path) -> None:
    frame = pd.DataFrame({"message": ["=bad", "fine", None], "count": [-1, 2, 3]})
    text = write_csv(frame, tmp_path / "w.csv").read_text(encoding="utf-8")
    assert text == "message,count\n'=bad,-1\nfine,2\n,3\n"


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet="=+-@\t\r'a1.eE ", max_size=6))
def test_the_rule_round_trips_and_leaves_nothing_runnable(text: str) -> None:
    safe = csv_safe_text(text)
    assert original_text(safe) == text
    runnable = safe[:1] in ("=", "+", "-", "@", "\t", "\r")
    if runnable:  # only a plain number may start so
        assert float(safe) == float(text) and safe == text
    assert csv_safe_column(np.array([text, text], dtype=object)).tolist() == [safe, safe]


def test_score_output_and_warnings_file_quote_a_hostile_patient_id(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort"
    cohort.mkdir()
    for source in demo_path("baricitinib").glob("*.csv"):
        table = pd.read_csv(source, dtype=str, keep_default_na=False)
        if "patient_id" in table:
            table["patient_id"] = table["patient_id"].replace({"B01": "=HYPERLINK(1)"})
        table.to_csv(cohort / source.name, index=False)
    out, log = tmp_path / "scored.csv", tmp_path / "warnings.csv"
    result = CliRunner().invoke(main, ["score", str(cohort), "-o", str(out),
                                       "--warnings-file", str(log)])
    assert result.exit_code == 0, result.output
    for path in (out, log):
        ids = pd.read_csv(path, dtype=str, keep_default_na=False)["patient_id"]
        assert "'=HYPERLINK(1)" in set(ids), path.name
        assert not ids.str.startswith("=").any(), path.name
