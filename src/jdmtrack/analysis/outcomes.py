"""Outcomes over time: per week, Friedman, Skillings-Mack, each week vs baseline, mixed model."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import ComputationError
from ..fields import DERIVED_FIELDS, fields_of
from ..stats.adjust import p_adjust
from ..stats.friedman import PermutationMode, friedman_test
from ..stats.layout import wide_from_long
from ..stats.mixed import mixed_model
from ..stats.paired import compare_with_baseline
from ..stats.skillings_mack import skillings_mack_test
from .common import describe_dict, week_key
from .settings import AnalysisSettings

__all__ = ["PERMUTATION_MAX_N", "outcome_measures", "summarise_outcomes"]

# The Friedman permutation p-value is computed up to this many complete patients; beyond
# it the chi-square approximation is accurate (it is trusted from about n > 10 with few
# weeks) and 100,000 permutations of thousands of patients would dominate the run time.
PERMUTATION_MAX_N = 200

# Numeric visit columns that are parts of another measure, not outcomes of their own.
_NOT_OUTCOMES = {"week", "jaki_mg_per_dose", "jaki_doses_per_day", "cs_mg_day",
                 "printo_cid_criteria_met", "alt_ctcae_grade", "ast_ctcae_grade"}


def outcome_measures(visits: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(column, label, unit) of every numeric visit measure present with any value."""
    specs = {f.name: f for f in (*fields_of("visits"), *DERIVED_FIELDS)}
    out = []
    seen = set()
    for name, spec in specs.items():
        if name in seen or name not in visits.columns or name in _NOT_OUTCOMES:
            continue
        if spec.kind not in ("integer", "number"):
            continue
        if name.endswith(("_seconds", "_uln_u_l")):
            continue
        if spec.group in ("cmas", "mmt8") and not name.endswith("_total"):
            continue
        if not pd.api.types.is_numeric_dtype(visits[name]) or visits[name].notna().sum() == 0:
            continue
        seen.add(name)
        out.append((name, spec.label, spec.unit))
    for name, label in (("tis", "Total Improvement Score"), ("cs_change_pct",
                                                              "Corticosteroid change from week 0")):
        if name in visits.columns and name not in seen and visits[name].notna().any():
            out.append((name, label, "%" if name == "cs_change_pct" else ""))
    return out


def summarise_outcomes(visits: pd.DataFrame, settings: AnalysisSettings) -> dict[str, Any]:
    """The ``outcomes`` section of the results file."""
    weeks = settings.weeks
    at_weeks = visits[visits["week"].isin(weeks)]
    results: dict[str, Any] = {}
    for name, label, unit in outcome_measures(visits):
        results[name] = _one_measure(at_weeks, name, weeks, settings) | {"label": label,
                                                                          "unit": unit}
    return results


def _one_measure(visits: pd.DataFrame, name: str, weeks: tuple[float, ...],
                 settings: AnalysisSettings) -> dict[str, Any]:
    observed = visits[["patient_id", "week", name]].dropna()
    by_week = {}
    for week in weeks:
        values = observed.loc[observed["week"] == week, name].to_numpy(dtype="float64")
        if len(values):
            summary = describe_dict(values, settings.quantile_method)
            summary.pop("missing")
            by_week[week_key(week)] = summary
    out: dict[str, Any] = {"by_week": by_week, "friedman": None, "skillings_mack": None,
                           "vs_baseline": {}, "mixed_model": None}
    weeks_seen = [w for w in weeks if week_key(w) in by_week]
    if len(weeks_seen) < 2 or weeks_seen[0] != weeks[0]:
        return out
    table = wide_from_long(observed["patient_id"].tolist(), observed["week"].to_numpy(),
                           observed[name].to_numpy())
    columns = [table.weeks.index(w) for w in weeks_seen]
    values = table.values[:, columns]
    complete = ~np.isnan(values).any(axis=1)
    if complete.sum() >= 2:
        mode: PermutationMode = "auto" if complete.sum() <= PERMUTATION_MAX_N else "none"
        out["friedman"] = _safe(lambda: friedman_test(values[complete], weeks=weeks_seen,
                                                      alpha=settings.alpha, permutation=mode,
                                                      resamples=settings.resamples,
                                                      seed=settings.seed).as_dict())
    if np.isnan(values).any() and (~np.isnan(values)).sum(axis=1).max() >= 2:
        out["skillings_mack"] = _safe(lambda: skillings_mack_test(values, weeks=weeks_seen).as_dict())
    comparisons = {}
    for j, week in enumerate(weeks_seen[1:], start=1):
        result = compare_with_baseline(values[:, 0], values[:, j], alpha=settings.alpha)
        comparisons[week_key(week)] = result.as_dict()
    if comparisons:
        # The exact p-value; above stats.wilcoxon.EXACT_MAX_N pairs, the asymptotic one.
        raw = [c["p_value_exact"] if c["p_value_exact"] is not None else c["p_value_asymptotic"]
               for c in comparisons.values()]
        method = settings.p_adjust
        adjusted = (raw if method == "none"
                    else list(p_adjust(raw, method=method).adjusted))
        for c, p in zip(comparisons.values(), adjusted, strict=True):
            c["p_adjusted"] = p
            c["p_adjust_method"] = method
    out["vs_baseline"] = comparisons
    if observed["week"].nunique() >= 2:
        out["mixed_model"] = _safe(lambda: mixed_model(observed["patient_id"].tolist(),
                                                       observed["week"].to_numpy(),
                                                       observed[name].to_numpy(),
                                                       reference_week=weeks[0]).as_dict())
    return out


def _safe(compute: Any) -> dict[str, Any] | None:
    try:
        result: dict[str, Any] = compute()
    except ComputationError as err:
        return {"note": str(err)}
    return result
