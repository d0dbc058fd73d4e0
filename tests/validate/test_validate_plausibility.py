"""Plausibility a clinician would expect, reported in the same pass as the cell checks."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest

from jdmtrack.errors import InputError
from jdmtrack.fields import VISIT_DATE_TOLERANCE_FRACTION, VISIT_DATE_TOLERANCE_WEEKS, field
from jdmtrack.pipeline import example_path, load_cohort


def _example(tmp_path: Path, changes: dict[tuple[str, int, str], str]) -> Path:
    """The example cohort with cells changed: (file, spreadsheet row, column) -> text."""
    folder = tmp_path / "cohort"
    shutil.copytree(example_path(), folder)
    for name in {file for file, _, _ in changes}:
        path = folder / name
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        for (file, row, column), text in changes.items():
            if file == name:
                if column not in rows[0]:
                    rows[0].append(column)
                    for r in rows[1:]:
                        r.append("")
                rows[row - 1][rows[0].index(column)] = text
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    return folder


def _warnings(cohort_path: Path, code: str) -> list[str]:
    return [w.message for w in load_cohort(cohort_path).warnings if w.code == code]


def test_steroid_dose_above_the_oral_maximum_is_a_located_warning(tmp_path: Path) -> None:
    """25 mg/kg/day is mg typed as mg/kg (or a pulse): warned with row, column and the
    field to use; 2 mg/kg/day, the SHARE maximum oral dose, is not."""
    path = _example(tmp_path, {("visits.csv", 2, "cs_mg_kg_day"): "25",
                               ("visits.csv", 3, "cs_mg_kg_day"): "2"})
    found = _warnings(path, "implausible_value")
    assert len(found) == 1
    message = found[0]
    assert message.startswith(f"{path / 'visits.csv'}, row 2, column 'cs_mg_kg_day': 25 mg/kg/day")
    assert "cs_mg_day" in message and "methylprednisolone" in message and "x_ivmp_mg_kg" in message
    assert field("visits", "cs_mg_kg_day").plausible_maximum == 2


def test_a_dose_beyond_the_hard_maximum_stays_an_error(tmp_path: Path) -> None:
    path = _example(tmp_path, {("visits.csv", 2, "cs_mg_kg_day"): "31"})
    with pytest.raises(InputError) as info:
        load_cohort(path)
    assert [(p.row, p.column) for p in info.value.problems] == [(2, "cs_mg_kg_day")]


def test_visit_date_contradicting_the_week_is_a_located_warning(tmp_path: Path) -> None:
    """SYN-001 started 2020-01-15. Row 3 is week 4: dated 2020-03-11 it is week 8.0, 4 weeks
    off, more than the 2-week tolerance; row 4 (week 12) dated 2020-04-15 is week 13.0, 1
    week off, within max(2, 0.25 x 12 = 3) weeks."""
    assert (VISIT_DATE_TOLERANCE_WEEKS, VISIT_DATE_TOLERANCE_FRACTION) == (2.0, 0.25)
    path = _example(tmp_path, {("visits.csv", 3, "visit_date"): "2020-03-11",
                               ("visits.csv", 4, "visit_date"): "2020-04-15"})
    found = _warnings(path, "visit_date_week_mismatch")
    assert found == [f"{path / 'visits.csv'}, row 3, column 'visit_date': 2020-03-11 is week 8.0 "
                     "after jaki_start_date (2020-01-15), but week is 4 (more than 2 weeks "
                     "apart): check the date or the week"]


def test_visit_after_today_is_an_error(tmp_path: Path) -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    path = _example(tmp_path, {("visits.csv", 5, "visit_date"): tomorrow})
    with pytest.raises(InputError) as info:
        load_cohort(path)
    (problem,) = info.value.problems
    assert (problem.row, problem.column) == (5, "visit_date")
    assert "not after today" in problem.expected


def test_cross_field_checks_run_with_cell_errors_on_other_rows(tmp_path: Path) -> None:
    """A bad cell on row 2 and a visit before the JAKi start on row 3: both at once; row 4,
    bad cell and dated before the start, gives its cell error only."""
    path = _example(tmp_path, {("visits.csv", 2, "cmas_01"): "9",
                               ("visits.csv", 3, "visit_date"): "2019-01-01",
                               ("visits.csv", 4, "weight_kg"): "heavy",
                               ("visits.csv", 4, "visit_date"): "2019-02-01"})
    with pytest.raises(InputError) as info:
        load_cohort(path)
    assert [(p.row, p.column) for p in info.value.problems] == [
        (2, "cmas_01"), (3, "visit_date"), (4, "weight_kg")]
