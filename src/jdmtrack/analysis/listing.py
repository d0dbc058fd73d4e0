"""Per-patient values the papers quote: a listing of each patient's values by week for the
measures a safety paragraph cites (dose per kg, ALT, creatinine, CK, LDH, CMAS), and the
patients whose value rose from week 0 to each later analysis week.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .common import week_key
from .settings import AnalysisSettings

__all__ = ["LISTED", "per_patient_listing"]

LISTED = ("jaki_mg_kg_day", "alt_u_l", "creatinine_umol_l", "ck_u_l", "ldh_u_l", "cmas_total")


def per_patient_listing(at_weeks: pd.DataFrame, settings: AnalysisSettings) -> dict[str, Any]:
    """``patients.<id>.<measure>.<week>`` values, and ``rises.<measure>.<week>``: how many
    of the patients observed at week 0 and the week rose, and who (lowest week 0 first)."""
    listed = [m for m in LISTED if m in at_weeks.columns]
    rows = at_weeks[at_weeks["week"].isin(settings.weeks)].drop_duplicates(["patient_id",
                                                                            "week"])
    rises: dict[str, Any] = {}
    base = settings.baseline_week
    for m in listed:
        wide = rows.pivot(index="patient_id", columns="week", values=m).apply(
            pd.to_numeric, errors="coerce")
        if base not in wide.columns:
            continue
        rises[m] = {}
        for week in settings.weeks[1:]:
            if week not in wide.columns:
                continue
            pair = wide[[base, week]].dropna()
            up = pair[pair[week] > pair[base]].sort_values(base)
            rises[m][week_key(week)] = {
                "n": len(up), "n_pairs": len(pair),
                "patients": [{"patient_id": str(p), "before": before, "after": after}
                             for p, before, after in zip(up.index, _floats(up[base]),
                                                         _floats(up[week]), strict=True)]}
    return {"measures": listed, "patients": _by_patient(rows, listed), "rises": rises}


def _by_patient(rows: pd.DataFrame, listed: list[str]) -> dict[str, Any]:
    """``{patient: {measure: {week: value}}}``, patients and weeks in ascending order.

    Built from whole columns, one pass over the rows (a patient at a time through pandas
    took most of a 2,000-patient analysis's listing time).
    """
    ordered = rows[rows["patient_id"].notna()].sort_values(["patient_id", "week"])
    ids = ordered["patient_id"].to_numpy()
    weeks = ordered["week"].to_numpy()
    keys = {w: week_key(w) for w in pd.unique(weeks)}
    week_keys = [keys[w] for w in weeks]
    # Each patient's rows are consecutive: the first row of each is where the id changes.
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]).tolist() if len(ids) else []
    ends = [*starts[1:], len(ids)] if starts else []
    values = {m: _floats(pd.to_numeric(ordered[m], errors="coerce")) for m in listed}
    patients: dict[str, Any] = {}
    for start, end in zip(starts, ends, strict=True):
        span = range(start, end)
        patients[str(ids[start])] = {
            m: {week_keys[i]: column[i] for i in span if column[i] == column[i]}
            for m, column in values.items()}
    return patients


def _floats(column: pd.Series) -> list[float]:
    """A numeric column as Python floats, a missing value as NaN."""
    return column.to_numpy(dtype=np.float64, na_value=np.nan).tolist()
