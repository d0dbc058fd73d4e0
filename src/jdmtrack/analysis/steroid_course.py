"""Glucocorticoids: who stopped them, and the fall of the dose two ways, both labelled.

* ``median_fall_percent``: 100 x (1 - median at the week / median at week 0), the fall of
  the median dose as study B (Wang 2022) prints it ("-37%" at week 12);
* ``median_fall_percent_responders``: the same with the week's median taken over the
  patients in CR or PR at that week, against the all-patient week-0 median (study B's
  "-49% at week 24 in patients who achieved CR and PR");
* ``median_of_changes_percent``: the median of each patient's own change from week 0
  (``cs_change_pct``), which is what a reader may assume and is not the same number.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..stats.descriptive import describe
from .common import column, week_key
from .settings import AnalysisSettings

__all__ = ["summarise_steroids"]


def _median(values: Any, q: int) -> float | None:
    array = np.asarray(values, dtype="float64")
    return describe(array, q).median if np.isfinite(array).any() else None


def _dose(frame: pd.DataFrame) -> pd.Series:
    return pd.to_numeric(column(frame, "cs_mg_kg_day"), errors="coerce")


def _fall(median: float | None, base: float | None) -> float | None:
    return None if median is None or not base else 100.0 * (1.0 - median / base)


def summarise_steroids(patients: pd.DataFrame, at_weeks: pd.DataFrame, events: pd.DataFrame,
                       settings: AnalysisSettings) -> dict[str, Any]:
    """Stopped n/% (a ``cs_discontinuation`` event) and the dose fall per analysis week."""
    n = len(patients)
    stopped = events.loc[events["event"] == "cs_discontinuation", "patient_id"].nunique()
    q = settings.quantile_method
    base_rows = at_weeks[at_weeks["week"] == settings.baseline_week]
    base = _median(_dose(base_rows), q)
    by_week: dict[str, Any] = {}
    for week in settings.weeks[1:]:
        rows = at_weeks[at_weeks["week"] == week]
        if rows.empty:
            continue
        responders = rows[column(rows, "response").isin(["CR", "PR"])]
        median, median_resp = _median(_dose(rows), q), _median(_dose(responders), q)
        changes = pd.to_numeric(column(rows, "cs_change_pct"), errors="coerce")
        by_week[week_key(week)] = {
            "median": median, "median_fall_percent": _fall(median, base),
            "n_responders": len(responders), "median_responders": median_resp,
            "median_fall_percent_responders": _fall(median_resp, base),
            "median_of_changes_percent": _median(changes, q),
            "n_changes": int(changes.notna().sum()),
        }
    return {"stopped": {"n": int(stopped), "of": n,
                        "percent": 100.0 * stopped / n if n else None},
            "baseline_median": base, "by_week": by_week}
