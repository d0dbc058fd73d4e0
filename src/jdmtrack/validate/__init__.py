"""Validation: raw tables in, a typed ``Cohort`` out, or every problem at once.

Checks, all driven by the field dictionary: file-level problems met while reading,
unknown and missing required columns, each cell's type, range and choices, duplicate
keys, rows naming an unknown patient, dates and ages out of order, visits outside
follow-up or before birth, and item scores that contradict a recorded total. Values a
clinician would query (validate.plausibility) are warnings carried with the cohort. Problems are collected
across all files and raised together as one ``InputError``.
"""

from __future__ import annotations

import pandas as pd

from ..cohort import Cohort, SourceFile
from ..errors import DataWarning, InputError, Problem, sorted_problems
from ..fields import TABLES, fields_of
from ..io.raw import RawCohort, RawTable
from .cells import parse_column
from .consistency import check_visit_consistency
from .plausibility import check_plausible_values, check_visit_dates
from .tables import (
    check_columns,
    check_dates,
    check_keys,
    check_links,
    check_not_empty,
    check_visit_timing,
)

__all__ = ["validate_cohort"]


def validate_cohort(raw: RawCohort) -> Cohort:
    """Type-check a raw cohort. Raises ``InputError`` listing every problem found.

    Checks across cells and tables run in the same pass as the cell checks, on the rows
    whose cells are all valid: one run of ``validate`` lists everything there is to fix.
    """
    problems: list[Problem] = list(raw.problems)
    warnings: list[DataWarning] = list(raw.warnings)
    typed: dict[str, pd.DataFrame] = {}
    clean: dict[str, pd.DataFrame] = {}
    for name, table in raw.tables.items():
        frame, cells, keys = _parse_table(table)
        typed[name] = frame
        problems += cells + keys
        bad = {p.row for p in cells if p.row is not None} & set(frame.index)
        clean[name] = frame.drop(index=sorted(bad)) if bad else frame
    patients = clean.get("patients")
    if patients is not None:
        problems += check_dates(raw.tables["patients"], patients)
    if patients is not None and "patient_id" in typed["patients"].columns:
        ids = set(typed["patients"]["patient_id"].dropna()) | _rejected_ids(
            raw.tables["patients"], typed["patients"])
        for name in ("visits", "events", "adverse_events"):
            if name in typed:
                problems += check_links(raw.tables[name], typed[name], ids)
        if "visits" in typed:
            problems += check_visit_timing(raw.tables["visits"], clean["visits"], patients)
            found, noted = check_visit_dates(raw.tables["visits"], clean["visits"], patients)
            problems += found
            warnings += noted
    if "visits" in typed:
        problems += check_visit_consistency(raw.tables["visits"], clean["visits"])
    for name, frame in clean.items():
        warnings += check_plausible_values(raw.tables[name], frame)
    if problems:
        raise InputError(sorted_problems(problems))
    return Cohort(
        patients=typed["patients"],
        visits=typed["visits"],
        events=typed.get("events", _empty("events")),
        adverse_events=typed.get("adverse_events", _empty("adverse_events")),
        sources=tuple(SourceFile(t.name, t.file, t.sheet, t.sha256) for t in raw.tables.values()),
        warnings=warnings,
    )


def _parse_table(raw: RawTable) -> tuple[pd.DataFrame, list[Problem], list[Problem]]:
    """The typed table, the problems of its cells, and those of its columns and keys."""
    problems = check_columns(raw) + check_not_empty(raw)
    cells: list[Problem] = []
    specs = {f.name: f for f in fields_of(raw.name)}
    columns: dict[str, pd.Series] = {}
    for column in raw.frame.columns:
        values = raw.frame[column]
        spec = specs.get(str(column))
        if spec is None:
            # x_ extras are carried through exactly as read; unknown columns were reported.
            columns[str(column)] = values
            continue
        typed, found = parse_column(raw, spec, values)
        columns[spec.name] = typed
        cells += found
    # copy=False keeps one block per column: stacking them into 2-D blocks would copy
    # every value once more for no gain (copy-on-write keeps the raw table safe).
    frame = pd.DataFrame(columns, index=raw.frame.index, copy=False)
    problems += check_keys(raw, frame)
    return frame, cells, problems


def _rejected_ids(raw: RawTable, typed: pd.DataFrame) -> set[str]:
    """IDs reported for spaces around them: their rows in other tables are not unknown too."""
    if "patient_id" not in raw.frame.columns:
        return set()
    cells = raw.frame["patient_id"]
    rejected = cells[(cells.notna() & typed["patient_id"].isna()).to_numpy()]
    return {str(v).strip() for v in rejected if isinstance(v, str) and v.strip()}


def _empty(name: str) -> pd.DataFrame:
    specs = [f for f in TABLES if f.name == name]
    columns = [f.name for f in fields_of(specs[0].name)] if specs else []
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns},
                        index=pd.Index([], name="row", dtype="int64"))
