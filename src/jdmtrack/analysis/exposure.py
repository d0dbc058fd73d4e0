"""Treatment exposure: how long each patient took the JAKi, at what starting dose, the
highest dose, and who was treated to the last analysis week.

Duration is ``jaki_stop_week`` when the JAKi was stopped, else the end of follow-up
(``followup_weeks``, else the last visit or event). Months are weeks x 7 / (365.25 / 12).
The starting weight bands are study A's (Ding 2021, Rheumatology 60:e84): under 25 kg
2.5 mg twice daily, 25 kg or more 5 mg twice daily, the tofacitinib band of the
paediatric JIA programme (Ruperto 2021, Lancet 398:1984) it follows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .common import column, describe_dict, end_of_followup, week_key
from .settings import AnalysisSettings

__all__ = ["WEEKS_TO_MONTHS", "WEIGHT_BANDS", "summarise_exposure"]

WEEKS_TO_MONTHS = 7 * 12 / 365.25
# (key, label, lowest kg (inclusive), highest kg (exclusive), mg per dose, doses a day)
WEIGHT_BANDS: tuple[tuple[str, str, float, float, float, int], ...] = (
    ("under_25_kg", "< 25 kg: 2.5 mg twice daily", 0.0, 25.0, 2.5, 2),
    ("from_25_kg", ">= 25 kg: 5 mg twice daily", 25.0, float("inf"), 5.0, 2),
)


def _percent(count: int, of: int) -> float | None:
    return 100.0 * count / of if of else None


def treatment_weeks(patients: pd.DataFrame, visits: pd.DataFrame,
                    events: pd.DataFrame) -> pd.Series:
    """Weeks on the JAKi per patient (indexed by patient_id)."""
    stop = pd.Series(column(patients, "jaki_stop_week").astype("float64").to_numpy(),
                     index=patients["patient_id"].to_numpy())
    return stop.where(stop.notna(), end_of_followup(patients, visits, events))


def summarise_exposure(patients: pd.DataFrame, visits: pd.DataFrame, events: pd.DataFrame,
                       settings: AnalysisSettings) -> dict[str, Any]:
    """Duration, starting weight band and dose, highest dose, treated to the last week."""
    q = settings.quantile_method
    weeks = treatment_weeks(patients, visits, events)
    n = len(patients)
    last = settings.weeks[-1]
    stopped = pd.Series(column(patients, "jaki_stop_week").astype("float64").to_numpy())
    stopped_before = stopped[stopped.notna() & (stopped < last)]
    start = visits[visits["week"] == settings.baseline_week].drop_duplicates("patient_id")
    weight = pd.to_numeric(column(start, "weight_kg"), errors="coerce").to_numpy()
    mg = pd.to_numeric(column(start, "jaki_mg_per_dose"), errors="coerce").to_numpy()
    per_day = pd.to_numeric(column(start, "jaki_doses_per_day"), errors="coerce").to_numpy()
    bands: dict[str, Any] = {}
    for key, label, low, high, dose, times in WEIGHT_BANDS:
        inside = (weight >= low) & (weight < high)
        on_dose = inside & (mg == dose) & (per_day == times)
        bands[key] = {"label": label, "n": int(inside.sum()), "n_band_dose": int(on_dose.sum()),
                      "percent": _percent(int(inside.sum()), n)}
    all_mg = pd.to_numeric(column(visits, "jaki_mg_per_dose"), errors="coerce")
    highest = float(all_mg.max()) if all_mg.notna().any() else None
    reached = (visits.loc[all_mg == highest, "patient_id"].nunique()
               if highest is not None else 0)
    return {
        "n_patients": n,
        "duration_weeks": describe_dict(weeks.to_numpy(), q),
        "duration_months": describe_dict(weeks.to_numpy() * WEEKS_TO_MONTHS, q),
        "start_weight_bands": bands | {"n_weight_missing": int(np.isnan(weight).sum())},
        "highest_mg_per_dose": {"value": highest, "n_patients": int(reached),
                                "percent": _percent(int(reached), n)},
        "treated_to_last_week": {"week": last, "n": n - len(stopped_before),
                                 "percent": _percent(n - len(stopped_before), n)},
        "stopped_before_last_week": {week_key(float(w)): int(c) for w, c  # type: ignore[arg-type]
                                     in stopped_before.value_counts().sort_index().items()},
    }
