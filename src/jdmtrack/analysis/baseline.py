"""Table 1: baseline characteristics, and the cohort flow (STROBE items 13-14)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..fields import AGENT_CODES, MSA_CODES, field
from ..stats.descriptive import describe_categorical
from .common import column, describe_dict, end_of_followup, week_key
from .settings import AnalysisSettings

__all__ = ["patient_ages", "summarise_baseline", "summarise_cohort"]

_DAYS_PER_YEAR = 365.25
_DAYS_PER_MONTH = 365.25 / 12

_CATEGORICAL = ("sex", "bohan_peter", "refractory_type", "jaki_drug")
_FEATURES = ("ild", "calcinosis", "skin_ulceration", "mas", "gi_involvement",
             "cardiac_involvement", "dysphagia", "icu_admission", "muscle_involvement")
_AT_BASELINE = (("weight_kg", "Weight at JAKi start"),
                ("jaki_mg_day", "JAKi dose at start, mg/day"),
                ("jaki_mg_kg_day", "JAKi dose at start, mg/kg/day"),
                ("cs_mg_kg_day", "Corticosteroid dose at JAKi start, mg/kg/day"))


def _years(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (later - earlier).dt.days / _DAYS_PER_YEAR


def _continuous(values: Any, label: str, q: int) -> dict[str, Any]:
    return {"type": "continuous", "label": label, **describe_dict(values, q)}


def _categorical(values: Any, label: str, levels: list[str] | None = None) -> dict[str, Any]:
    r = describe_categorical(values, levels=levels)
    return {"type": "categorical", "label": label, "n": r.n, "missing": r.missing,
            "counts": dict(r.counts), "percent": dict(r.percent)}


def _multiple(values: pd.Series, label: str, codes: tuple[str, ...]) -> dict[str, Any]:
    """Patients with each code of a list column (a patient may count under several)."""
    known = [v for v in values if isinstance(v, tuple)]
    counts = {c: sum(c in v for v in known) for c in codes}
    counts = {c: n for c, n in counts.items() if n}
    n = len(known)
    return {"type": "categorical", "label": label + " (a patient may have several)", "n": n,
            "missing": len(values) - n, "counts": counts,
            "percent": {c: 100.0 * k / n for c, k in counts.items()} if n else {}}


def _bool_levels(values: pd.Series) -> list[object]:
    return [None if pd.isna(v) else ("yes" if v else "no") for v in values]


def patient_ages(patients: pd.DataFrame) -> dict[str, pd.Series]:
    """Age at onset and at JAKi start, and disease months: as given, else from the dates."""
    age_start = column(patients, "age_start_years").astype("float64")
    age_onset = column(patients, "age_onset_years").astype("float64")
    months = column(patients, "disease_months").astype("float64")
    if {"birth_date", "jaki_start_date"} <= set(patients.columns):
        age_start = age_start.fillna(_years(patients["jaki_start_date"], patients["birth_date"]))
    if {"birth_date", "onset_date"} <= set(patients.columns):
        age_onset = age_onset.fillna(_years(patients["onset_date"], patients["birth_date"]))
    if {"diagnosis_date", "jaki_start_date"} <= set(patients.columns):
        months = months.fillna((patients["jaki_start_date"] - patients["diagnosis_date"]).dt.days
                               / _DAYS_PER_MONTH)
    return {"age_onset_years": age_onset, "age_start_years": age_start, "disease_months": months}


def summarise_baseline(patients: pd.DataFrame, visits: pd.DataFrame,
                       settings: AnalysisSettings) -> dict[str, Any]:
    """The ``baseline`` section: one entry per variable, continuous or categorical."""
    q = settings.quantile_method
    out: dict[str, Any] = {}
    for name in _CATEGORICAL:
        if name in patients.columns:
            spec = field("patients", name)
            out[name] = _categorical(patients[name], spec.label, list(spec.choices))
    ages = patient_ages(patients)
    for name, values, label in (("age_onset_years", ages["age_onset_years"],
                                 "Age at onset, years"),
                                ("age_start_years", ages["age_start_years"],
                                 "Age at JAKi start, years"),
                                ("disease_months", ages["disease_months"],
                                 "Disease duration, diagnosis to JAKi start, months")):
        if values.notna().any():
            out[name] = _continuous(values.to_numpy(), label, q)
    for name in _FEATURES:
        if name in patients.columns:
            out[name] = _categorical(_bool_levels(patients[name]), field("patients", name).label,
                                     ["yes", "no"])
    for name, extra in (("severe", "Severe JDM (SHARE high-risk criteria)"),
                        ("refractory", "Refractory JDM")):
        if name in patients.columns:
            out[name] = _categorical(
                [v if isinstance(v, str) else (None if pd.isna(v) else ("yes" if v else "no"))
                 for v in patients[name]], extra)
    if "msa" in patients.columns:
        out["msa"] = _multiple(patients["msa"], field("patients", "msa").label, MSA_CODES)
    if "baseline_agents" in patients.columns:
        out["baseline_agents"] = _multiple(patients["baseline_agents"],
                                           field("patients", "baseline_agents").label,
                                           AGENT_CODES)
    first = visits[visits["week"] == settings.baseline_week].drop_duplicates("patient_id")
    first = first.set_index("patient_id").reindex(patients["patient_id"].to_numpy())
    for name, label in _AT_BASELINE:
        if name in first.columns and first[name].notna().any():
            out[name] = _continuous(first[name].to_numpy(dtype="float64"), label, q)
    return out


def summarise_cohort(patients: pd.DataFrame, visits: pd.DataFrame, events: pd.DataFrame,
                     measures: list[str], settings: AnalysisSettings,
                     at_weeks: pd.DataFrame | None = None) -> dict[str, Any]:
    """Cohort flow: patients, visits per week, follow-up, missing data per variable and week.

    ``visits`` are the recorded visits, ``at_weeks`` those used at each analysis week (the
    visit windows; default: the recorded visits at exactly those weeks).
    """
    end = end_of_followup(patients, visits, events)
    used = visits if at_weeks is None else at_weeks
    weeks_observed = sorted(float(w) for w in visits["week"].unique())
    per_week = visits.groupby("week")["patient_id"].nunique()
    missing: dict[str, dict[str, int]] = {}
    for name in measures:
        missing[name] = {}
        for week in settings.weeks:
            in_followup = set(end.index[end.to_numpy() >= week])
            have = (set(used.loc[(used["week"] == week) & used[name].notna(), "patient_id"])
                    if name in used.columns else set())
            missing[name][week_key(week)] = len(in_followup - have)
    no_visit = {}
    for week in settings.weeks:
        in_followup = set(end.index[end.to_numpy() >= week])
        seen = set(used.loc[used["week"] == week, "patient_id"])
        no_visit[week_key(week)] = len(in_followup - seen)
    return {
        "n_patients": len(patients),
        "n_visits": len(visits),
        "weeks_observed": weeks_observed,
        # Patients with a visit used at each analysis week (after the visit windows), so
        # every by-week n is at most this; the recorded weeks are in visits_per_recorded_week.
        "visits_per_week": {week_key(w): int(used.loc[used["week"] == w, "patient_id"].nunique())
                            for w in settings.weeks},
        "visits_per_recorded_week": {week_key(float(w)): int(n)  # type: ignore[arg-type]
                                     for w, n in per_week.items()},
        "in_followup_per_week": {week_key(w): int((end.to_numpy() >= w).sum())
                                 for w in settings.weeks},
        "no_visit_per_week": no_visit,
        "followup_weeks": describe_dict(end.to_numpy(dtype="float64"), settings.quantile_method),
        "missing": missing,
        "n_patients_without_baseline_visit": len(set(patients["patient_id"]) - set(
                visits.loc[visits["week"] == settings.baseline_week, "patient_id"])),
    }


def n_nonmissing(values: Any) -> int:
    return int(np.count_nonzero(~pd.isna(np.asarray(values, dtype=object))))
