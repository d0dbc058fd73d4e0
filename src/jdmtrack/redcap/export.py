"""A cohort as a REDCap raw-data import file (the layout REDCap's own exports have).

One row per record and event: the baseline row holds the patient's baseline form and
the week-0 visit; scheduled weeks go to their events; any other week is an instance of
the repeating "Unscheduled visit" event with ``visit_week`` filled; clinical events and
adverse events are instances of their repeating instruments on the "Logs" event.
Forms that hold data are marked 1 (Unverified) in their ``<form>_complete`` column.
Calculated fields are left out (REDCap computes them on import).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..cohort import Cohort
from ..errors import InputError, Problem
from ..fields import EXTRA_PREFIX, Field, fields_of
from ..io.raw import show_value
from .dictionary import DictField, _csv, dictionary_rows, extra_columns_valid
from .layout import FORMS, RECORD_ID, SCHEDULED_WEEKS, check_weeks, events, redcap_name

__all__ = ["COORDINATES", "export_records", "extra_columns", "format_cell"]

COORDINATES = ("redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance")
UNVERIFIED = "1"
_TABLES = ("patients", "visits", "events", "adverse_events")


def extra_columns(cohort: Cohort) -> dict[str, list[str]]:
    """The cohort's user columns (``x_...``) per table; ``InputError`` if one cannot be a
    REDCap field name or two tables share one (REDCap field names are project-wide)."""
    extras: dict[str, list[str]] = {}
    problems = []
    seen: dict[str, str] = {}
    for name in _TABLES:
        columns = [str(c) for c in cohort.table(name).columns if str(c).startswith(EXTRA_PREFIX)]
        problems += extra_columns_valid(columns, f"{name} table")
        for column in columns:
            if column in seen:
                problems.append(Problem(f"{name} table", 1, column, column,
                                        f"a user column name not also used in the {seen[column]} "
                                        "table (REDCap field names are project-wide)"))
            seen[column] = name
        if columns:
            extras[name] = columns
    if problems:
        raise InputError(problems)
    return extras


def format_cell(value: object, f: Field | None) -> str:
    """One value as REDCap raw data.

    >>> from jdmtrack.fields import field
    >>> format_cell(43.8, field("visits", "creatinine_umol_l")), format_cell(5.0, None)
    ('43.8', '5')
    >>> format_cell(True, field("visits", "rash")), format_cell(None, None)
    ('1', '')
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return ""
        # Positional notation: REDCap's number validation does not take 1e-05.
        return str(np.format_float_positional(float(value), trim="-"))
    if isinstance(value, bool | np.bool_):
        return "1" if value else "0"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if f is not None and f.kind == "date" and hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    return value if isinstance(value, str) else show_value(value)


def export_records(cohort: Cohort, *, weeks: Sequence[int] = SCHEDULED_WEEKS) -> str:
    """The cohort as a REDCap raw-data CSV for the project ``write_project`` describes.

    Import it with REDCap's Data Import Tool (or the API) after creating the project; it
    also has exactly the layout of a raw export, so ``jdmtrack redcap import`` reads it
    back into the same cohort. User columns (``x_...``) are exported too: create the
    project with ``extras=extra_columns(cohort)`` so it has fields for them.

    >>> from jdmtrack.pipeline import example_path, load_cohort
    >>> text = export_records(load_cohort(example_path()))
    >>> text.splitlines()[0].split(",")[:4]
    ['record_id', 'redcap_event_name', 'redcap_repeat_instrument', 'redcap_repeat_instance']
    >>> text.splitlines()[1].split(",")[:2]
    ['SYN-001', 'baseline_arm_1']
    """
    schedule = events(check_weeks(tuple(weeks)))
    extras = extra_columns(cohort)
    rows = dictionary_rows(extras)
    header = [RECORD_ID, *COORDINATES]
    form_columns: dict[str, list[str]] = {form.name: [] for form in FORMS}
    entry: DictField
    for entry in rows[1:]:
        if entry.field_type in ("calc", "descriptive"):
            continue
        form_columns[entry.form_name] += (
            [f"{entry.field_name}___{code}" for code, _ in entry.choices()]
            if entry.field_type == "checkbox" else [entry.field_name])
    for form in FORMS:
        header += [*form_columns[form.name], f"{form.name}_complete"]
    specs = {(t, f.name): f for t in _TABLES for f in fields_of(t)}

    def cells(table: str, record: pd.Series) -> dict[str, str]:
        out: dict[str, str] = {}
        for column, value in record.items():
            name = str(column)
            if name == "patient_id":
                continue
            f = specs.get((table, name))
            field_name = redcap_name(table, name)
            if f is not None and f.kind == "list":
                ticked = set(value) if isinstance(value, tuple) else set()
                for code in f.choices:
                    out[f"{field_name}___{code}"] = "1" if code in ticked else "0"
            else:
                out[field_name] = format_cell(value, f)
        return out

    def status(out: dict[str, str], table: str, force_form: str | None = None) -> None:
        for spec in FORMS:
            if spec.table != table:
                continue
            filled = any(out.get(c, "") not in ("", "0" if "___" in c else "")
                         for c in form_columns[spec.name])
            if filled or spec.name == force_form:
                out[f"{spec.name}_complete"] = UNVERIFIED

    visits = cohort.visits
    scheduled = {e.week: e for e in schedule if e.week is not None}
    unscheduled = next(e for e in schedule if e.week is None and e.repeating)
    logs = next(e for e in schedule if e.week is None and not e.repeating)
    lines: list[dict[str, str]] = []
    for _, patient in cohort.patients.iterrows():
        pid = str(patient["patient_id"])
        mine = visits[visits["patient_id"] == pid].sort_values("week", kind="stable")
        by_week = {float(v["week"]): v for _, v in mine.iterrows()}
        base = cells("patients", patient)
        status(base, "patients", force_form="baseline")
        for week, event in sorted(scheduled.items()):
            row = dict(base) if week == 0 else {}
            if float(week) in by_week:
                visit = cells("visits", by_week.pop(float(week)).drop(labels=["week"]))
                status(visit, "visits", force_form="visit_assessment")
                row.update(visit)
            if row:
                lines.append({RECORD_ID: pid, "redcap_event_name": event.unique_name, **row})
        for instance, (_week, visit_row) in enumerate(sorted(by_week.items()), start=1):
            visit = cells("visits", visit_row)
            status(visit, "visits", force_form="visit_assessment")
            lines.append({RECORD_ID: pid, "redcap_event_name": unscheduled.unique_name,
                          "redcap_repeat_instance": str(instance), **visit})
        for table, repeating in (("events", "clinical_events"),
                                 ("adverse_events", "adverse_events")):
            frame = cohort.table(table)
            if "patient_id" not in frame.columns:
                continue
            for instance, (_, item) in enumerate(frame[frame["patient_id"] == pid].iterrows(),
                                                 start=1):
                log = cells(table, item)
                status(log, table, force_form=repeating)
                lines.append({RECORD_ID: pid, "redcap_event_name": logs.unique_name,
                              "redcap_repeat_instrument": repeating,
                              "redcap_repeat_instance": str(instance), **log})
    return _csv([header, *([line.get(column, "") for column in header] for line in lines)])
