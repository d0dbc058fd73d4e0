"""Corticosteroid course: change from the week-0 dose and the discontinuation event.

``cs_change_pct`` is ``(dose - week-0 dose) / week-0 dose x 100`` at every visit (paired
differences in jdmtrack are follow-up minus baseline, so -49 means a 49 % reduction). It is
NaN when the week-0 dose is 0 or missing (one warning per patient) and, silently, when the
visit's own dose is missing.

A discontinuation is the first visit after week 0 with dose 0 following a positive week-0
dose. It becomes a ``cs_discontinuation`` event (patient, event, week of that visit)
unless the events table already records a ``cs_discontinuation`` for that patient, whose
date is then finer than the visit schedule and wins.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..visit_table import CriterionResult, VisitTable, as_visit_table

__all__ = [
    "CS_DISCONTINUATION",
    "cs_change",
    "cs_discontinuation_events",
    "steroid_methods",
]

# Event code (field dictionary, events.event).
CS_DISCONTINUATION = "cs_discontinuation"


def steroid_methods() -> list[str]:
    """The methods-section sentences for the corticosteroid course."""
    return [
        "Corticosteroid doses (prednisone equivalent, mg/kg/day) were expressed as the "
        "percent change from the week-0 dose; a patient whose week-0 dose was 0 or missing "
        "has no percent change. Discontinuation was the first visit with dose 0 after a "
        "positive week-0 dose, unless a dated discontinuation was recorded.",
    ]


def cs_change(visits: pd.DataFrame | VisitTable) -> CriterionResult:
    """Percent change of the corticosteroid dose (``cs_mg_kg_day``) from week 0.

    Returns
    -------
    CriterionResult
        ``columns["cs_change_pct"]`` (float; 0 at week 0 when the dose is positive). One
        warning per patient whose week-0 dose is 0 or missing; a patient without a week-0
        visit is warned about by :func:`jdmtrack.criteria.classify`, not here.

    Examples
    --------
    >>> v = pd.DataFrame({"patient_id": ["1", "1", "2", "2"], "week": [0.0, 12.0, 0.0, 12.0],
    ...                   "cs_mg_kg_day": [0.5, 0.2, 0.0, 0.0]})
    >>> result = cs_change(v)
    >>> result.columns["cs_change_pct"].tolist()
    [0.0, -60.0, nan, nan]
    >>> [(w.code, w.count, w.examples[0]["patient_id"]) for w in result.warnings]
    [('cs_baseline_unusable', 1, '2')]
    """
    table = as_visit_table(visits)
    dose = table.number("cs_mg_kg_day")
    base = table.at_baseline(dose)
    with np.errstate(invalid="ignore", divide="ignore"):
        usable = base > 0
        pct = np.where(usable, (dose - base) / np.where(usable, base, 1.0) * 100.0, np.nan)
    columns = pd.DataFrame({"cs_change_pct": pd.Series(pct, index=table.index)},
                           index=table.index)
    # One warning per patient, at the first of its rows (patients with a week-0 visit).
    bad = np.flatnonzero(~usable & table.has_baseline)
    _, first = np.unique(table.patient_code[bad], return_index=True)
    rows = np.sort(bad[first])
    no_dose = np.isnan(base[rows])
    warnings = table.row_warnings(
        rows[no_dose], "cs_baseline_unusable",
        "cs_change_pct not derived: week-0 corticosteroid dose is missing", "cs_mg_kg_day",
        kind="completeness")
    warnings += table.row_warnings(
        rows[~no_dose], "cs_baseline_unusable",
        "cs_change_pct not derived: week-0 corticosteroid dose is 0", "cs_mg_kg_day")
    return CriterionResult(columns, warnings, steroid_methods())


def cs_discontinuation_events(visits: pd.DataFrame | VisitTable,
                              events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Derived ``cs_discontinuation`` events not already in ``events``.

    Returns
    -------
    pandas.DataFrame
        Columns ``patient_id`` (str), ``event`` (str), ``week`` (float), one row per
        patient, in patient order of first appearance; a fresh RangeIndex (these rows come
        from no spreadsheet row).

    Examples
    --------
    >>> v = pd.DataFrame({"patient_id": ["1"] * 4 + ["2"] * 2,
    ...                   "week": [0.0, 4.0, 12.0, 24.0, 0.0, 4.0],
    ...                   "cs_mg_kg_day": [0.5, 0.2, 0.0, 0.0, 0.4, 0.0]})
    >>> e = pd.DataFrame({"patient_id": ["2"], "event": ["cs_discontinuation"],
    ...                   "week": [3.0]})
    >>> cs_discontinuation_events(v, e).to_dict("list")
    {'patient_id': ['1'], 'event': ['cs_discontinuation'], 'week': [12.0]}
    """
    table = as_visit_table(visits)
    dose = table.number("cs_mg_kg_day")
    base = table.at_baseline(dose)
    with np.errstate(invalid="ignore"):
        stopped = (dose == 0) & (base > 0) & (table.week > 0)
    rows = np.flatnonzero(stopped)
    frame = pd.DataFrame({"code": table.patient_code[rows], "week": table.week[rows]})
    first = frame.groupby("code", sort=False)["week"].min()
    ids = [str(table.patient_ids[c]) for c in first.index.to_numpy()]
    weeks = first.to_numpy(dtype=np.float64)
    if events is not None and len(events) and {"patient_id", "event"} <= set(events.columns):
        recorded = set(events.loc[events["event"] == CS_DISCONTINUATION, "patient_id"]
                       .dropna().astype(str))
        keep = [pid not in recorded for pid in ids]
        ids = [pid for pid, k in zip(ids, keep, strict=True) if k]
        weeks = weeks[np.asarray(keep, dtype=np.bool_)] if len(keep) else weeks
    return pd.DataFrame({
        "patient_id": pd.Series(ids, dtype=object),
        "event": pd.Series([CS_DISCONTINUATION] * len(ids), dtype=object),
        "week": pd.Series(weeks, dtype=np.float64),
    })
