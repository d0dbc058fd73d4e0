"""Skin course: complete rash resolution among the patients with rash at JAKi start, the
time to no visible rash among those who resolved (descriptive, as study A's letter reports
it; the Kaplan-Meier estimate over everyone with rash is ``time_to_event.rash_resolution``),
and each relapse (rash gone at week, back at week, JAKi stopped at week).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .at_start import known_yes
from .common import column, describe_dict
from .settings import AnalysisSettings

__all__ = ["summarise_skin_course"]


def _first(events: pd.DataFrame, code: str) -> pd.Series:
    rows = events[events["event"] == code]
    return rows.groupby("patient_id")["week"].min().astype("float64")


def summarise_skin_course(patients: pd.DataFrame, visits: pd.DataFrame, events: pd.DataFrame,
                          settings: AnalysisSettings) -> dict[str, Any]:
    """Resolution n/% of those with rash, descriptive time to resolution, relapses."""
    start = visits[visits["week"] == settings.baseline_week].drop_duplicates("patient_id")
    rash = known_yes(column(start, "rash"))
    with_rash = set(start.loc[rash == True, "patient_id"])  # noqa: E712
    resolved = _first(events, "rash_resolution")
    resolved = resolved[resolved.index.isin(with_rash)]
    relapse = _first(events, "relapse")
    stop = pd.Series(column(patients, "jaki_stop_week").astype("float64").to_numpy(),
                     index=patients["patient_id"].to_numpy())
    n = len(with_rash)
    return {
        "n_with_rash": n,
        "resolution": {"n": len(resolved), "of": n,
                       "percent": 100.0 * len(resolved) / n if n else None},
        "weeks_to_resolution_resolved": describe_dict(resolved.to_numpy(),
                                                      settings.quantile_method),
        "relapses": [{"patient_id": str(pid), "rash_gone_week": _plain(resolved.get(pid)),
                      "relapse_week": float(week), "jaki_stop_week": _plain(stop.get(pid))}
                     for pid, week in relapse.sort_index().items()],
        "n_relapses": len(relapse),
    }


def _plain(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
