"""Write the .xlsx malformed cases (``<case>/cohort.xlsx``); the outputs are committed.

Run from anywhere: ``python tests/data/malformed/make_xlsx_cases.py``. Each case's
``expected.txt`` is written by hand next to its workbook, not by this script.
Cells are written with the Python type Excel would hold: ``str`` for a text cell,
``int``/``float`` for a number, ``bool`` for TRUE/FALSE, ``datetime`` for a date.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

__all__ = ["CASES", "write_cases"]

HERE = Path(__file__).resolve().parent
# Fixed document timestamps, so that re-running the script changes as little as possible.
_STAMP = dt.datetime(2024, 1, 1)

Sheet = list[list[object]]

_PATIENTS: Sheet = [
    ["patient_id", "sex", "birth_date", "jaki_start_date", "ild", "followup_weeks"],
    ["007", "F", dt.datetime(2012, 3, 14), dt.datetime(2020, 1, 15), "no", 24],
    ["008", "M", dt.datetime(2015, 9, 30), dt.datetime(2020, 2, 3), True, 24],
]
_VISITS: Sheet = [
    ["patient_id", "week", "visit_date", "cmas_total", "rash"],
    ["007", 0, dt.datetime(2020, 1, 15), 30, "yes"],
    ["007", 12, dt.datetime(2020, 4, 8), 40, False],
    ["008", 0, dt.datetime(2020, 2, 3), 35, "YES"],
]


def _with(sheet: Sheet, row: int, column: str, value: object) -> Sheet:
    """A copy of ``sheet`` with one cell changed (``row`` as a spreadsheet numbers it)."""
    out = [list(r) for r in sheet]
    out[row - 1][sheet[0].index(column)] = value
    return out


CASES: dict[str, dict[str, Sheet]] = {
    "xlsx_missing_patients_sheet": {"Sheet1": [["note"], ["patients go here"]],
                                    "visits": _VISITS},
    "xlsx_empty_patients_sheet": {"patients": [], "visits": _VISITS},
    "xlsx_text_cell_in_numeric": {
        "patients": _PATIENTS, "visits": _with(_VISITS, 3, "cmas_total", "see notes")},
    "xlsx_bool_cell_in_numeric": {
        "patients": _PATIENTS, "visits": _with(_VISITS, 4, "cmas_total", True)},
    "xlsx_datetime_with_time": {
        "patients": _PATIENTS,
        "visits": _with(_VISITS, 3, "visit_date", dt.datetime(2020, 4, 8, 14, 30))},
    "xlsx_number_in_date_column": {
        "patients": _with(_PATIENTS, 2, "birth_date", 40982), "visits": _VISITS},
    "xlsx_id_lost_leading_zeros": {
        "patients": _with(_PATIENTS, 2, "patient_id", 7), "visits": _VISITS},
    "xlsx_value_under_blank_header": {
        "patients": _PATIENTS,
        "visits": [[*_VISITS[0], None], *[[*r, None] for r in _VISITS[1:3]],
                   [*_VISITS[3], "late entry"]]},
    "xlsx_several_problems_with_blank_rows": {
        "visits": [_VISITS[0], _VISITS[1], [None] * 5, ["  ", None, None, None, None],
                   ["007", 12, dt.datetime(2020, 4, 8), 60, "no"],
                   ["009", 0, "2020-02-03", 35, "yes"]],
        "patients": _with(_PATIENTS, 3, "ild", "Maybe"),
        "events": [["patient_id", "event", "week"], ["007", "relapse", -2]],
    },
}


def write_cases(root: Path = HERE) -> list[Path]:
    """Write every case's workbook under ``root``; returns the paths written."""
    from openpyxl import Workbook

    written = []
    for name, sheets in CASES.items():
        book = Workbook()
        book.remove(book.active)
        book.properties.created = book.properties.modified = _STAMP
        for title, rows in sheets.items():
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row)
        path = root / name / "cohort.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        book.save(path)
        written.append(path)
    corrupt = root / "xlsx_not_a_workbook" / "cohort.xlsx"
    corrupt.parent.mkdir(parents=True, exist_ok=True)
    corrupt.write_text("patient_id,week\n007,0\n", encoding="utf-8")
    written.append(corrupt)
    return written


if __name__ == "__main__":
    for path in write_cases():
        print(path.relative_to(HERE))
