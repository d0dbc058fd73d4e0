"""Time to event (Kaplan-Meier), safety, and the dose check."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..protocol.dosing import load_dose_reference
from ..stats.safety import event_rate
from ..stats.survival import kaplan_meier
from .ae_table import ae_by_term
from .common import column, describe_dict, end_of_followup
from .event_times import EventTimes, Mask, event_times
from .settings import AnalysisSettings

__all__ = ["RASH_IMPROVEMENT_DEFINITION", "summarise_dosing", "summarise_safety",
           "summarise_time_to_event", "time_to_event"]

#: One definition of rash improvement for the per-week table and the time to improvement.
RASH_IMPROVEMENT_DEFINITION = (
    "rash improvement: a patient's time is the week of the recorded rash_improvement event "
    "(events table); without a recorded event, or when a visit shows the criterion met "
    "earlier, the week of the first visit whose rash_improved criterion is met (skin-DAS or "
    "CAT-BM activity below week 0, or the week-0 rash gone: the criterion of the per-week "
    "table). An improvement first seen at a visit happened between the previous visit and "
    "that one (interval-censored); the visit week is used, so those times are upper bounds. "
    "Patients without improvement are censored at the end of follow-up."
)


def summarise_time_to_event(patients: pd.DataFrame, visits: pd.DataFrame, events: pd.DataFrame,
                            settings: AnalysisSettings) -> dict[str, Any]:
    """KM per event type present in the events table, censored at end of follow-up.

    Rash improvement also counts the visits meeting the per-week criterion (one definition,
    ``RASH_IMPROVEMENT_DEFINITION``), so it is estimated even without an events table.
    """
    return time_to_event(event_times(patients, visits, events, settings.baseline_week))


def time_to_event(times: EventTimes, pool: Mask | None = None) -> dict[str, Any]:
    """``summarise_time_to_event`` of the patients ``pool`` (default: everyone), as if their
    rows alone had been given (a ``--by`` group)."""
    out: dict[str, Any] = {}
    for event in times.present(pool):
        risk, population = times.at_risk(event, pool)
        when, happened, n_visits = times.times(event, risk)
        extra: dict[str, Any] = {}
        if event == "rash_improvement":
            extra = {"definition": RASH_IMPROVEMENT_DEFINITION,
                     "events_from_events_table": int(happened.sum()) - n_visits,
                     "events_from_visits": n_visits}
        out[event] = _kaplan_meier(when, happened, population) | {"population": population} | extra
    return out


def _kaplan_meier(times: np.ndarray, happened: np.ndarray, population: str) -> dict[str, Any]:
    usable = ~np.isnan(times)
    if usable.sum() == 0:
        return {"n": 0, "events": 0, "median_weeks": None, "ci95": None,
                "q1_weeks": None, "q3_weeks": None,
                "not_run": {"reason": f"no patient at risk ({population}) has a "
                                      "follow-up time"}}
    fit = kaplan_meier(times[usable], happened[usable])
    result = fit.as_dict()
    result["curve"] = {"time": list(fit.time), "survival": list(fit.surv),
                       "n_risk": list(fit.n_risk), "n_event": list(fit.n_event),
                       "n_censor": list(fit.n_censor)}
    result["not_run"] = None  # without events the median is "not reached", a result
    return result


def summarise_safety(patients: pd.DataFrame, visits: pd.DataFrame, events: pd.DataFrame,
                     adverse: pd.DataFrame) -> dict[str, Any]:
    """Adverse events by category and grade; rate per 100 patient-years (exact Poisson CI)."""
    end = end_of_followup(patients, visits, events)
    exposure = float(np.nansum(end.to_numpy(dtype="float64")))
    n_exposed = int(np.count_nonzero(end.to_numpy(dtype="float64") > 0))
    n_events = len(adverse)
    with_event = int(adverse["patient_id"].nunique()) if n_events else 0
    rate = event_rate(n_events, exposure, n_patients=with_event, n_exposed=n_exposed).as_dict()
    categories = column(adverse, "category")
    by_category = {str(c): {"events": int((categories == c).sum()),
                            "patients": int(adverse.loc[categories == c, "patient_id"].nunique())}
                   for c in sorted(categories.dropna().unique())}
    grades = column(adverse, "ctcae_grade").astype("float64")
    by_grade = {str(int(g)): int((grades == g).sum()) for g in sorted(grades.dropna().unique())}
    serious = column(adverse, "serious")
    n_serious = int(serious.fillna(False).astype(bool).sum()) if n_events else 0
    listing = []
    for item in adverse.to_dict("records"):
        listing.append({k: _plain(item.get(k)) for k in
                        ("patient_id", "week", "term", "category", "ctcae_grade", "serious",
                         "hospitalised", "action", "outcome")})
    rate["not_run"] = (None if rate.get("rate_per_100py") is not None else
                       {"reason": rate.get("note") or "no exposure: the rate is not computable"})
    return {**rate, "by_category": by_category, "serious": n_serious,
            "serious_patients": int(adverse.loc[serious.fillna(False).astype(bool),
                                                "patient_id"].nunique()) if n_events else 0,
            "by_grade": by_grade, "by_term": ae_by_term(adverse, exposure, n_exposed),
            "events": listing,
            "exposure": "from week 0 to the end of follow-up (followup_weeks, else the last "
                        "visit or event)"}


def summarise_dosing(patients: pd.DataFrame, visits: pd.DataFrame, settings: AnalysisSettings,
                     reference_name: str | None) -> dict[str, Any]:
    """JAKi dose at baseline and the patients whose dose falls outside the reference table."""
    first = visits[visits["week"] == settings.baseline_week]
    out: dict[str, Any] = {}
    for name in ("jaki_mg_kg_day", "jaki_mg_day"):
        if name in first.columns and first[name].notna().any():
            out[name] = describe_dict(first[name].to_numpy(dtype="float64"),
                                      settings.quantile_method)
    if "dose_check" in visits.columns:
        check = visits["dose_check"]
        for verdict in ("below_reference", "above_maximum", "not_recommended"):
            out[verdict] = sorted(set(visits.loc[check == verdict, "patient_id"]))
        out["visits_checked"] = int(check.isin(["ok", "below_reference", "above_maximum",
                                                "not_recommended"]).sum())
        out["visits_not_evaluable"] = int((check == "not_evaluable").sum())
    reference = load_dose_reference(settings.criteria.dose_reference)
    out["reference"] = reference_name or (
        "jdmtrack bundled JAKi dose reference table (Ding 2021 case-series bands for "
        "tofacitinib and ruxolitinib; baricitinib label bands)" if reference.bundled
        else reference.path)
    out["reference_sources"] = sorted({band.source for band in reference.bands})
    out["reference_bands"] = [
        {"drug": b.drug, "weight_min_kg": _open(b.weight_min_kg),
         "weight_max_kg": _open(b.weight_max_kg), "egfr_min": _open(b.egfr_min),
         "egfr_max": _open(b.egfr_max), "recommended": b.recommended,
         "reference_mg_day": b.reference_mg_day, "maximum_mg_day": b.maximum_mg_day,
         "reference_mg_kg_day": b.reference_mg_kg_day, "maximum_mg_kg_day": b.maximum_mg_kg_day}
        for b in reference.bands]
    if "jaki_drug" in patients.columns:
        out["by_drug"] = {str(k): int(v) for k, v in
                          patients["jaki_drug"].value_counts().sort_index().items()}
    return out


def _open(limit: float) -> float | None:
    """An open band limit (stored as +-inf) is null in the results file."""
    return None if np.isinf(limit) else float(limit)


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (float, np.floating)):
        return None if np.isnan(value) else float(value)
    if value is pd.NA:
        return None
    return value
