"""Plausibility across the cells of a row and across tables: what a clinician would query.

Run in the same pass as the cell checks, on the rows whose cells are all valid (a row with
a bad cell is reported for that cell, and its other values are not second-guessed).

- a visit dated before the patient's birth: impossible, an error;
- a value above its field's ``plausible_maximum`` (a steroid dose in mg/kg/day above the
  highest oral dose): a warning naming the cell and what the value more likely is;
- a ``visit_date`` that contradicts ``week`` (weeks after ``jaki_start_date``) by more than
  the tolerance of the field dictionary: a warning naming both.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataWarning, Problem
from ..fields import VISIT_DATE_TOLERANCE_FRACTION, VISIT_DATE_TOLERANCE_WEEKS, fields_of
from ..io.raw import RawTable

__all__ = ["check_plausible_values", "check_visit_dates"]

_DAYS_PER_WEEK = 7.0


def check_plausible_values(raw: RawTable, typed: pd.DataFrame) -> list[DataWarning]:
    """A warning for each cell above its field's plausible maximum."""
    warnings: list[DataWarning] = []
    for spec in fields_of(raw.name):
        limit = spec.plausible_maximum
        if limit is None or spec.name not in typed.columns:
            continue
        values = typed[spec.name].to_numpy(dtype="float64")
        with np.errstate(invalid="ignore"):
            high = values > limit
        unit = f" {spec.unit}" if spec.unit else ""
        for i in np.flatnonzero(high).tolist():
            warnings.append(_warning(
                raw, typed, i, spec.name, "implausible_value",
                f"{_n(values[i])}{unit} is above {_n(limit)}{unit}: {spec.plausible_hint}"))
    return warnings


def check_visit_dates(raw: RawTable, visits: pd.DataFrame,
                      patients: pd.DataFrame) -> tuple[list[Problem], list[DataWarning]]:
    """Visits before birth (errors) and visit dates that contradict the week (warnings)."""
    problems: list[Problem] = []
    warnings: list[DataWarning] = []
    if not {"patient_id", "visit_date"} <= set(visits.columns) or "patient_id" not in patients:
        return problems, warnings
    by_id = (patients.dropna(subset=["patient_id"]).drop_duplicates("patient_id")
             .set_index("patient_id"))
    ids = visits["patient_id"].to_numpy()
    dates = visits["visit_date"]
    if "birth_date" in by_id.columns:
        birth = pd.Series(by_id["birth_date"].reindex(ids).to_numpy(), index=visits.index)
        before = (dates < birth).to_numpy(copy=True)
        if "jaki_start_date" in by_id.columns:
            # Before the JAKi start too (the start is on or after birth): reported as that.
            start = pd.Series(by_id["jaki_start_date"].reindex(ids).to_numpy(), index=visits.index)
            before &= ~(dates < start).to_numpy()
        for i in np.flatnonzero(before).tolist():
            problems.append(raw.problem(int(visits.index[i]), "visit_date", _day(dates.iloc[i]),
                                        f"a date on or after the patient's birth_date "
                                        f"({_day(birth.iloc[i])})"))
    if "jaki_start_date" in by_id.columns and "week" in visits.columns:
        start = pd.Series(by_id["jaki_start_date"].reindex(ids).to_numpy(), index=visits.index)
        elapsed = ((dates - start).dt.days / _DAYS_PER_WEEK).to_numpy(dtype="float64")
        week = visits["week"].to_numpy(dtype="float64")
        tolerance = np.maximum(VISIT_DATE_TOLERANCE_WEEKS, VISIT_DATE_TOLERANCE_FRACTION * week)
        with np.errstate(invalid="ignore"):
            far = np.abs(elapsed - week) > tolerance
        for i in np.flatnonzero(far).tolist():
            warnings.append(_warning(
                raw, visits, i, "visit_date", "visit_date_week_mismatch",
                f"{_day(dates.iloc[i])} is week {elapsed[i]:.1f} after jaki_start_date "
                f"({_day(start.iloc[i])}), but week is {_n(week[i])} (more than "
                f"{_n(tolerance[i])} weeks apart): check the date or the week"))
    return problems, warnings


def _warning(raw: RawTable, typed: pd.DataFrame, i: int, column: str, code: str,
             text: str) -> DataWarning:
    row = int(typed.index[i])
    where = raw.problem(row, column, None, "").location()
    pid = typed["patient_id"].iloc[i] if "patient_id" in typed.columns else None
    week = typed["week"].iloc[i] if "week" in typed.columns else None
    return DataWarning(code, f"{where}: {text}",
                       patient_id=None if pid is None or pd.isna(pid) else str(pid),
                       week=None if week is None or pd.isna(week) else float(week),
                       column=column, table=raw.name)


def _day(value: object) -> str:
    return str(pd.Timestamp(value).date())  # type: ignore[arg-type]


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{float(x):g}"
