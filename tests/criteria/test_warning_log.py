"""Aggregated data warnings: records per code x table x column x rule, built from masks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from click.testing import CliRunner

from jdmtrack.cli import main
from jdmtrack.cohort import Cohort
from jdmtrack.demo import path as demo_path
from jdmtrack.errors import DataWarning
from jdmtrack.fields import CMAS_ITEMS, MMT8_GROUPS
from jdmtrack.pipeline import score_cohort
from jdmtrack.warning_log import RowSource, WarningLog, summary_lines


def _source() -> RowSource:
    return RowSource("visits", np.array(["a", "a", "b", "c"], dtype=object),
                     np.array([0.0, 4.0, 0.0, 12.0]), np.array([2, 3, 4, 5]))


def test_a_mask_becomes_one_record_with_count_examples_and_rule() -> None:
    log = WarningLog()
    log.add_mask("item_missing", "rule A", _source(), np.array([True, True, True, True]),
                 column="cmas_04")
    (record,) = log
    assert (record.code, record.table, record.column, record.count) == (
        "item_missing", "visits", "cmas_04", 4)
    assert [e["row"] for e in record.examples] == [2, 3, 4]   # the first three rows only
    assert record.as_dict()["message"] == "rule A"


def test_records_merge_by_code_table_column_and_rule() -> None:
    first, second = WarningLog(), WarningLog()
    first.add_mask("x", "rule", _source(), np.array([True, False, False, False]), column="c")
    second.add_mask("x", "rule", _source(), np.array([False, True, True, False]), column="c")
    second.add_mask("x", "other rule", _source(), np.array([False, False, False, True]),
                    column="c")
    first += second
    assert [(r.message, r.count) for r in first] == [("rule", 3), ("other rule", 1)]
    assert first.total == 4
    rows = first.per_row()
    assert rows["row"].tolist() == [2, 3, 4, 5]
    assert rows["patient_id"].tolist() == ["a", "a", "b", "c"]


def test_data_warning_objects_convert_into_the_aggregate() -> None:
    log = WarningLog([
        DataWarning("unit_guess", "mm read as cm in row 3", patient_id="a", week=4.0,
                    column="phga_cm"),
        DataWarning("unit_guess", "mm read as cm in row 9", patient_id="b", week=0.0,
                    column="phga_cm"),
        DataWarning("file_note", "events.csv absent")])
    records = log.records()
    assert [(r.code, r.table, r.count) for r in records] == [
        ("unit_guess", "visits", 2), ("file_note", None, 1)]
    assert records[0].message == "mm read as cm in row 3"
    # Each converted row keeps its own message in the per-row list.
    assert log.per_row()["message"].tolist() == [
        "mm read as cm in row 3", "mm read as cm in row 9", "events.csv absent"]


def test_terminal_summary_is_at_most_a_screenful() -> None:
    log = WarningLog()
    for i in range(40):
        log.add_mask(f"code_{i}", "rule", _source(), np.ones(4, dtype=np.bool_))
    lines = summary_lines(log, 20)
    assert len(lines) == 20
    assert lines[-1] == "  ... 21 more kinds; use --warnings-file FILE for every row"


def _cohort(n_visits: int, seed: int = 7) -> Cohort:
    """Items-only cohort, 4 visits per patient, about 30 % of every item missing."""
    rng = np.random.default_rng(seed)
    n_patients = n_visits // 4
    ids = np.array([f"P{i:06d}" for i in range(n_patients)], dtype=object)
    index = pd.RangeIndex(2, n_visits + 2, name="row")
    columns: dict[str, object] = {
        "patient_id": pd.Series(np.repeat(ids, 4), dtype=object, index=index),
        "week": pd.Series(np.tile([0.0, 4.0, 12.0, 24.0], n_patients), index=index)}
    items = [(name, top) for name, _, top in CMAS_ITEMS] + [(name, 10) for name, _ in MMT8_GROUPS]
    for name, top in [*items, ("das_skin", 9), ("das_muscle", 11)]:
        values = rng.integers(0, top + 1, n_visits).astype(np.float64)
        values[rng.random(n_visits) < 0.3] = np.nan
        columns[name] = pd.Series(values, index=index)
    visits = pd.DataFrame(columns, index=index)
    patients = pd.DataFrame({"patient_id": pd.Series(ids, dtype=object)},
                            index=pd.RangeIndex(2, n_patients + 2, name="row"))
    empty = pd.DataFrame({"patient_id": pd.Series([], dtype=object)})
    return Cohort(patients, visits, empty, empty)


def test_50000_visits_give_a_bounded_number_of_records() -> None:
    """Many missing items, one record per code x table x column x rule, not per row."""
    cohort = _cohort(50_000)
    scored = score_cohort(cohort)
    log = scored.warnings
    codes = {r.code for r in log}
    columns = len(scored.visits.columns) + len(scored.patients.columns) + 1
    assert len(log) <= len(codes) * columns
    assert len(log) < 150
    assert log.total > 100_000          # what one-object-per-row would have created
    assert log.total == len(log.per_row())
    item = [r for r in log if r.code == "item_missing" and r.column == "cmas_04"]
    # cmas_04 is missing on ~30 % of rows, each of which also lacks others or not: every
    # visit missing cmas_04 with some other CMAS item recorded is one counted row.
    expected = int((cohort.visits["cmas_04"].isna()
                    & cohort.visits[[n for n, _, _ in CMAS_ITEMS]].notna().any(axis=1)).sum())
    assert [r.count for r in item] == [expected]


def test_cli_prints_a_screenful_and_writes_every_row_on_request(tmp_path: Path) -> None:
    out = tmp_path / "scored.csv"
    rows_file = tmp_path / "rows.csv"
    data = str(demo_path("baricitinib"))
    result = CliRunner().invoke(main, ["score", data, "-o", str(out),
                                       "--warnings-file", str(rows_file)])
    assert result.exit_code == 0, result.output
    warning_lines = [line for line in result.output.splitlines() if line.startswith("  ")]
    assert 0 < len(warning_lines) <= 19
    written = pd.read_csv(rows_file)
    assert list(written.columns) == ["code", "kind", "table", "row", "patient_id", "week",
                                     "column", "message"]
    header = next(line for line in result.output.splitlines() if "data warning(s)" in line)
    assert header.startswith(f"{len(written)} data warning(s)")
    assert f"Wrote {rows_file}: {len(written)} warning row(s)." in result.output
    without = CliRunner().invoke(main, ["score", data, "-o", str(out)])
    assert "warning row(s)" not in without.output
