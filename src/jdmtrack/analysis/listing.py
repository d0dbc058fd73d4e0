"""Per-patient values the papers quote: a listing of each patient's values by week for the
measures a safety paragraph cites (dose per kg, ALT, creatinine, CK, LDH, CMAS), and the
patients whose value rose from week 0 to each later analysis week.
"""

from __future__ import annotations

from typing import Any

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
    patients: dict[str, Any] = {}
    for pid, frame in rows.sort_values(["patient_id", "week"]).groupby("patient_id"):
        patients[str(pid)] = {
            m: {week_key(w): float(v) for w, v in zip(frame["week"], pd.to_numeric(
                frame[m], errors="coerce"), strict=True) if pd.notna(v)} for m in listed}
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
                "patients": [{"patient_id": str(p), "before": float(r[base]),
                              "after": float(r[week])} for p, r in up.iterrows()]}
    return {"measures": listed, "patients": patients, "rises": rises}
