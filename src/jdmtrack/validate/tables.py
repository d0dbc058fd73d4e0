"""Checks across rows and tables: keys, links between tables, dates in order."""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd

from ..errors import Problem
from ..fields import EXTRA_PREFIX, Field, fields_of
from ..fields import table as table_spec
from ..fields.derived import DERIVED_FIELDS
from ..io.raw import RawTable

__all__ = ["check_columns", "check_dates", "check_keys", "check_links"]


def check_columns(raw: RawTable) -> list[Problem]:
    """Unknown columns, and required columns the file does not have."""
    known = {f.name: f for f in fields_of(raw.name)}
    derived = {f.name for f in DERIVED_FIELDS if f.table == raw.name}
    problems = []
    for column in raw.frame.columns:
        name = str(column)
        if name in known or name.startswith(EXTRA_PREFIX):
            continue
        if name in derived:
            hint = (f"; {name!r} is computed by jdmtrack score: remove it, or rename it "
                    f"{EXTRA_PREFIX}{name} to keep it as your own column")
        else:
            close = difflib.get_close_matches(name, list(known), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
        problems.append(raw.problem(1, name, name,
                                    f"a column of the {raw.name} table (see docs/fields.md) or a "
                                    f"column of your own whose name starts with {EXTRA_PREFIX!r}"
                                    + hint))
    for spec in known.values():
        if spec.required and spec.name not in raw.frame.columns:
            problems.append(raw.problem(1, spec.name, None, f"a column {spec.name!r} (required)"))
    return problems


def check_not_empty(raw: RawTable) -> list[Problem]:
    if table_spec(raw.name).required and len(raw.frame) == 0:
        return [raw.problem(None, None, None,
                            f"at least one row of data under the header ({raw.name} is empty)")]
    return []


def check_keys(raw: RawTable, typed: pd.DataFrame) -> list[Problem]:
    """Duplicate keys: each duplicate row names the first row holding the same key."""
    key = list(table_spec(raw.name).key)
    if not key or any(k not in typed.columns for k in key):
        return []
    frame = typed[key]
    usable = frame.notna().all(axis=1).to_numpy()
    sub = frame if usable.all() else frame.loc[usable]
    dup = sub.duplicated(keep=False).to_numpy()
    if not dup.any():
        return []
    first_row: dict[tuple[object, ...], int] = {}
    problems = []
    for row, values in zip(sub.index[dup], sub.loc[dup].itertuples(index=False), strict=True):
        k = tuple(values)
        if k not in first_row:
            first_row[k] = int(row)
            continue
        shown = ", ".join(f"{c}={_show(v)}" for c, v in zip(key, k, strict=True))
        problems.append(raw.problem(int(row), key[-1], _show(k[-1]),
                                    f"a unique {' + '.join(key)} ({shown} is also in row "
                                    f"{first_row[k]})"))
    return problems


def check_links(raw: RawTable, typed: pd.DataFrame, patient_ids: set[str]) -> list[Problem]:
    """Every row of a child table must name a patient of the patients table."""
    if "patient_id" not in typed.columns:
        return []
    ids = typed["patient_id"]
    unknown = (ids.notna() & ~ids.isin(patient_ids)).to_numpy()
    return [raw.problem(int(row), "patient_id", value,
                        "a patient_id that is listed in the patients table")
            for row, value in zip(typed.index[unknown], ids.to_numpy()[unknown], strict=True)]


# Dates that must not run backwards: (earlier, later).
_DATE_ORDER = (
    ("birth_date", "onset_date"),
    ("onset_date", "diagnosis_date"),
    ("diagnosis_date", "jaki_start_date"),
    ("birth_date", "jaki_start_date"),
)


def check_dates(raw: RawTable, typed: pd.DataFrame) -> list[Problem]:
    """Patient dates in order, ages in order, and stop week within follow-up."""
    problems = []
    for earlier, later in _DATE_ORDER:
        if earlier in typed.columns and later in typed.columns:
            bad = (typed[earlier] > typed[later]).to_numpy()
            for row in typed.index[bad]:
                problems.append(raw.problem(int(row), later, _show(typed.at[row, later]),
                                            f"a date on or after {earlier} "
                                            f"({_show(typed.at[row, earlier])})"))
    pairs = (("age_onset_years", "age_start_years"), ("jaki_stop_week", "followup_weeks"))
    for earlier, later in pairs:
        if earlier in typed.columns and later in typed.columns:
            bad = (typed[earlier] > typed[later]).to_numpy()
            for row in typed.index[bad]:
                spec = _field(raw.name, later)
                problems.append(raw.problem(int(row), later, typed.at[row, later],
                                            f"{spec.expected()} and at least {earlier} "
                                            f"({_show(typed.at[row, earlier])})"))
    return problems


def check_visit_timing(raw: RawTable, visits: pd.DataFrame, patients: pd.DataFrame) -> list[Problem]:
    """Visits inside the patient's follow-up and not dated before the JAKi start."""
    problems: list[Problem] = []
    if "patient_id" not in visits.columns or "patient_id" not in patients.columns:
        return problems
    by_id = (patients.dropna(subset=["patient_id"]).drop_duplicates("patient_id")
             .set_index("patient_id"))
    if "followup_weeks" in by_id.columns and "week" in visits.columns:
        end = _per_visit(visits["patient_id"], by_id["followup_weeks"]).astype("float64")
        bad = (visits["week"] > end).to_numpy()
        for row in visits.index[bad]:
            problems.append(raw.problem(int(row), "week", visits.at[row, "week"],
                                        "a week within the patient's follow-up "
                                        f"(followup_weeks is {_show(end.at[row])})"))
    if "jaki_start_date" in by_id.columns and "visit_date" in visits.columns:
        start = _per_visit(visits["patient_id"], by_id["jaki_start_date"])
        bad = (visits["visit_date"] < start).to_numpy()
        for row in visits.index[bad]:
            problems.append(raw.problem(int(row), "visit_date", _show(visits.at[row, "visit_date"]),
                                        "a date on or after the patient's jaki_start_date "
                                        f"({_show(start.at[row])})"))
    return problems


def _per_visit(ids: pd.Series, by_patient: pd.Series) -> pd.Series:
    """A patient value for each visit (missing for an unknown patient), keeping its dtype.

    Not ``Series.map``: pandas 3.1 raises TypeError mapping through an empty datetime Series.
    """
    return pd.Series(by_patient.reindex(ids.to_numpy()).to_numpy(), index=ids.index)


def _field(table_name: str, name: str) -> Field:
    return next(f for f in fields_of(table_name) if f.name == name)


def _show(value: object) -> str:
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return str(pd.Timestamp(value).date())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
