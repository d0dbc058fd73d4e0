"""A raw REDCap export (CSV, raw data) of a jdmtrack project -> a cohort folder.

The export has one row per record x event (x repeat instance). This module sorts each
row's cells into the cohort tables, decodes REDCap's raw codes with the data dictionary
(jdmtrack's own, or the project's with ``dictionary=``), turns missing-data codes into
missing values with a warning each, then validates the result with
``jdmtrack.validate`` and reports every problem by REDCap record, event and field.

Rules (docs/redcap.md):

- record ID (the export's first column) -> ``patient_id``, kept as text;
- visit week: ``visit_week`` when filled, else the event's unique name (``baseline_arm_1``
  = 0, ``week_12_arm_1`` = 12); any other event needs ``visit_week``;
- a row holds a visit when any visit field is filled or a visit form is marked
  Unverified/Complete; the record's baseline form gives its patients row;
- repeating instances of the clinical-event and adverse-event forms -> one row each;
- checkbox ``field___code`` columns -> ``;`` lists; nothing ticked -> missing;
- ``redcap_data_access_group`` -> ``site`` when the ``site`` field is blank;
- ``<form>_complete``, calculated fields and survey columns are not imported.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..cohort import Cohort
from ..errors import DataWarning, InputError, Problem, sorted_problems
from ..fields import EXTRA_PREFIX, fields_of
from ..io.raw import RawCohort, RawTable
from ..validate import validate_cohort
from .dictionary import ProjectDictionary, default_dictionary, parse_dictionary
from .export_columns import plan_columns, read_export
from .field_plan import plan_fields
from .import_state import DAG, ImportState, RedcapProblem, Row
from .missing_codes import DEFAULT_MISSING_CODES, missing_codes_from, parse_missing_codes
from .record_rows import check_duplicate_visits, sort_rows

__all__ = [
    "DEFAULT_MISSING_CODES",
    "RedcapImport",
    "RedcapProblem",
    "import_records",
    "parse_missing_codes",
    "records_to_cohort",
    "warnings_path",
    "write_cohort",
]


@dataclass
class RedcapImport:
    """What ``records_to_cohort`` made: the cohort tables as cohort-format text (missing =
    empty string), the validated cohort, and the data warnings."""

    tables: dict[str, pd.DataFrame]
    cohort: Cohort
    warnings: list[DataWarning] = field(default_factory=list)
    source: str = ""


# --- entry points -----------------------------------------------------------------------


def import_records(export: str | Path, *, dictionary: str | Path | None = None,
                   missing_codes: dict[str, str] | Iterable[str] | None = None) -> RedcapImport:
    """Read a raw REDCap export file (and optionally the project's data dictionary file)."""
    path = Path(export)
    text = _read_text(path)
    project = None
    if dictionary is not None:
        project = parse_dictionary(_read_text(Path(dictionary)), str(dictionary))
    return records_to_cohort(text, dictionary=project, missing_codes=missing_codes,
                             source=str(path))


def _read_text(path: Path) -> str:
    if not path.is_file():
        raise InputError([Problem(str(path), None, None, None,
                                  "a CSV file (nothing readable exists at this path)")])
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError([Problem(str(path), line, None, None,
                                  "UTF-8 text (REDCap exports are UTF-8)")]) from err


def write_cohort(result: RedcapImport, directory: str | Path) -> list[Path]:
    """Write the cohort tables into ``directory`` and the warnings beside it (see
    ``warnings_path``): a cohort folder holds the cohort tables only. The paths written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in result.tables.items():
        path = directory / f"{name}.csv"
        frame.fillna("").to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        written.append(path)
    path = warnings_path(directory)
    pd.DataFrame([w.as_dict() for w in result.warnings],
                 columns=["code", "message", "patient_id", "week", "column"]).to_csv(
        path, index=False, encoding="utf-8", lineterminator="\n")
    written.append(path)
    return written


def warnings_path(directory: str | Path) -> Path:
    """Where ``write_cohort`` puts the warnings: next to the cohort folder, never in it
    (jdmtrack reads that folder as a cohort; another CSV file there is not a table).

    >>> warnings_path("out/cohort").as_posix()
    'out/cohort_warnings.csv'
    """
    directory = Path(directory)
    return directory.with_name(directory.name + "_warnings.csv")


def records_to_cohort(text: str, *, dictionary: ProjectDictionary | None = None,
                      missing_codes: dict[str, str] | Iterable[str] | None = None,
                      source: str = "export.csv") -> RedcapImport:
    """Turn raw export text into validated cohort tables; ``InputError`` lists every problem."""
    state = ImportState(text.lstrip("\ufeff"), dictionary or default_dictionary(),
                        dictionary is None, missing_codes_from(missing_codes), source)
    return _run(state)


# --- the work ---------------------------------------------------------------------------


def _run(state: ImportState) -> RedcapImport:
    header, body = read_export(state)
    plan_fields(state)
    columns = plan_columns(state, header)
    state.check_problems()
    sort_rows(state, header, body, columns)
    check_duplicate_visits(state)
    # Cells that could not be decoded are left empty and validation runs anyway, so that
    # one run lists every problem; validation's view of a cell already reported is dropped.
    decoding = list(state.problems)
    tables, provenance = _tables(state)
    raw = RawCohort(Path(state.source))
    for name, frame in tables.items():
        data = frame.fillna("").to_csv(index=False, lineterminator="\n").encode()
        raw.tables[name] = RawTable(name, f"{name}.csv", None, frame,
                                    hashlib.sha256(data).hexdigest())
    try:
        cohort = validate_cohort(raw)
    except InputError as err:
        seen = {p.location() for p in decoding}
        found = [_relocate(state, p, provenance) for p in err.problems]
        raise InputError(sorted_problems(
            decoding + [p for p in found if p.location() not in seen])) from None
    state.check_problems()
    text_tables = {name: frame.astype(object).where(frame.notna(), "")
                   for name, frame in tables.items()}
    return RedcapImport(text_tables, cohort, state.warnings, state.source)


def _tables(state: ImportState) -> tuple[dict[str, pd.DataFrame], dict[str, list[Row]]]:
    """The cohort tables (text) and, per table, the rows behind them in order."""
    order = {record: i for i, record in enumerate(state.records)}
    record_id = state.dictionary.record_id
    patients = list(state.records.values())
    for row in patients:
        row.values["patient_id"] = row.where.record
        row.fields["patient_id"] = record_id
        if row.values.get("site") is None and row.where.record in state.dags:
            row.values["site"] = state.dags[row.where.record]
            row.fields["site"] = DAG
    visits = sorted(state.rows["visits"], key=lambda r: (order[r.where.record],
                                                         _week_key(r.values.get("week"))))
    rows = {"patients": patients, "visits": visits, "events": state.rows["events"],
            "adverse_events": state.rows["adverse_events"]}
    tables = {}
    for name, table_rows in rows.items():
        for row in table_rows:
            row.values["patient_id"] = row.where.record
            row.fields.setdefault("patient_id", record_id)
        tables[name] = _frame(name, table_rows)
    return tables, rows


def _relocate(state: ImportState, problem: Problem,
              provenance: dict[str, list[Row]]) -> Problem:
    """A validation problem (cohort table, row, column) located in the export instead."""
    table = problem.file[: -len(".csv")] if problem.file.endswith(".csv") else problem.file
    rows = provenance.get(table)
    if rows is None or problem.row is None or not 2 <= problem.row < 2 + len(rows):
        if table == "visits" and not rows:
            return Problem(state.source, None, None, None,
                           "at least one visit (no row of the export holds visit data)")
        return Problem(state.source, None, problem.column, problem.value, problem.expected)
    row = rows[problem.row - 2]
    column = problem.column
    where = row.lines.get(column, row.where) if column else row.where
    field_name = None
    if column:
        field_name = row.fields.get(column) or state.field_names.get((table, column), column)
    return where.problem(state.source, field_name, problem.value, problem.expected)


def _week_key(week: str | None) -> float:
    try:
        return float(week or "nan")
    except ValueError:
        return float("inf")


def _frame(name: str, rows: list[Row]) -> pd.DataFrame:
    """Cohort-format text table: known columns in dictionary order (required ones always,
    others when any row has a value), then user columns; missing = None."""
    known = fields_of(name)
    present = {column for row in rows for column, value in row.values.items()
               if value is not None}
    columns = [f.name for f in known if f.required or f.name in present]
    extras = list(dict.fromkeys(column for row in rows for column in row.values
                                if column.startswith(EXTRA_PREFIX) and column in present))
    data = {column: pd.Series([row.values.get(column) for row in rows], dtype=object)
            for column in [*columns, *extras]}
    frame = pd.DataFrame(data)
    frame.index = pd.RangeIndex(2, 2 + len(rows), name="row")
    return frame
