"""Outcomes over time: per week, Friedman, Skillings-Mack, each week vs baseline, mixed model.

A statistic that cannot run on the data (nobody at a week, one patient, no variation, a
perfect fit) is still present, with ``not_run: {"reason": ...}`` saying why; every other
statistic of the measure is computed. ``not_run`` is null when the statistic ran.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ComputationError
from ..stats.adjust import p_adjust
from ..stats.friedman import PermutationMode, friedman_test
from ..stats.layout import wide_from_long
from ..stats.mixed import mixed_model
from ..stats.paired import compare_with_baseline
from ..stats.skillings_mack import skillings_mack_test
from .common import describe_dict, week_key
from .measures import covariate_measures, outcome_measures
from .settings import AnalysisSettings

__all__ = ["PERMUTATION_MAX_N", "not_run", "outcome_measures", "summarise_covariates",
           "summarise_outcomes"]  # outcome_measures: from .measures, kept importable here

# The Friedman permutation p-value is computed up to this many complete patients; beyond
# it the chi-square approximation is accurate (it is trusted from about n > 10 with few
# weeks) and 100,000 permutations of thousands of patients would dominate the run time.
PERMUTATION_MAX_N = 200

# Measures that are already a change from week 0 (no week-0 value to compare with).
_CHANGE_SCORES = ("tis",)


def not_run(reason: str) -> dict[str, str]:
    """The structured reason a statistic was not computed.

    >>> not_run("no patient assessed at week 24")
    {'reason': 'no patient assessed at week 24'}
    """
    return {"reason": reason}


def summarise_outcomes(visits: pd.DataFrame, settings: AnalysisSettings) -> dict[str, Any]:
    """The ``outcomes`` section: the chosen (or default) outcome measures, tested.

    ``visits`` holds the visits used at each analysis week (see ``analysis.windows``).
    """
    at_weeks = visits[visits["week"].isin(settings.weeks)]
    results: dict[str, Any] = {}
    for name, label, unit in outcome_measures(visits, settings.measures):
        results[name] = _one_measure(at_weeks, name, settings) | {"label": label, "unit": unit}
    return results


def summarise_covariates(visits: pd.DataFrame, settings: AnalysisSettings) -> dict[str, Any]:
    """The ``covariates`` section: body size, kidney function, JAKi dose per week, untested."""
    at_weeks = visits[visits["week"].isin(settings.weeks)]
    return {name: {"label": label, "unit": unit,
                   "by_week": _by_week(_observed(at_weeks, name), name, settings)}
            for name, label, unit in covariate_measures(visits, settings.measures)}


def _observed(visits: pd.DataFrame, name: str) -> pd.DataFrame:
    if name not in visits.columns:
        return pd.DataFrame({"patient_id": [], "week": [], name: []})
    return visits[["patient_id", "week", name]].dropna()


def _by_week(observed: pd.DataFrame, name: str,
             settings: AnalysisSettings) -> dict[str, dict[str, Any]]:
    out = {}
    for week in settings.weeks:
        values = observed.loc[observed["week"] == week, name].to_numpy(dtype="float64")
        if len(values):
            summary = describe_dict(values, settings.quantile_method)
            summary.pop("missing")
            out[week_key(week)] = summary
    return out


def _one_measure(visits: pd.DataFrame, name: str, settings: AnalysisSettings) -> dict[str, Any]:
    weeks = settings.weeks
    observed = _observed(visits, name)
    by_week = _by_week(observed, name, settings)
    weeks_seen = [w for w in weeks if week_key(w) in by_week]
    base = week_key(weeks[0])
    reason = None
    if not weeks_seen:
        reason = "no value recorded at any analysis week"
    elif name in _CHANGE_SCORES:
        reason = (f"{name} is itself a change from week {base}: described per week, not "
                  f"tested against week {base}")
    elif weeks_seen[0] != weeks[0]:
        reason = f"no patient has a value at week {base} (baseline)"
    elif len(weeks_seen) < 2:
        reason = f"no patient has a value after week {base}"
    out: dict[str, Any] = {"by_week": by_week}
    if reason is not None:
        out |= {"friedman": {"not_run": not_run(reason)},
                "skillings_mack": {"not_run": not_run(reason)},
                "mixed_model": {"not_run": not_run(reason)}}
        values = np.full((0, len(weeks)), np.nan)
        columns: dict[str, int | None] = {week_key(w): None for w in weeks}
    else:
        table = wide_from_long(observed["patient_id"].tolist(), observed["week"].to_numpy(),
                               observed[name].to_numpy())
        values = table.values[:, [table.weeks.index(w) for w in weeks_seen]]
        columns = {week_key(w): j for j, w in enumerate(weeks_seen)}
        out |= _repeated(values, weeks_seen, settings)
        out["mixed_model"] = _ran(lambda: mixed_model(
            observed["patient_id"].tolist(), observed["week"].to_numpy(),
            observed[name].to_numpy(), reference_week=weeks[0]).as_dict(),
            lambda r: not r.get("estimates"))
    out["vs_baseline"] = _vs_baseline(values, columns, settings, reason)
    return out


def _repeated(values: np.ndarray[Any, Any], weeks_seen: list[float],
              settings: AnalysisSettings) -> dict[str, Any]:
    """Friedman on complete cases; Skillings-Mack when a visit is missing (else null)."""
    out: dict[str, Any] = {}
    complete = ~np.isnan(values).any(axis=1)
    n_complete = int(complete.sum())
    if n_complete < 2:
        out["friedman"] = {"not_run": not_run(
            f"{n_complete} patient(s) with a value at every week ({', '.join(map(week_key, weeks_seen))}): "
            "the Friedman test needs at least two")}
    else:
        mode: PermutationMode = "auto" if n_complete <= PERMUTATION_MAX_N else "none"
        out["friedman"] = _ran(lambda: friedman_test(
            values[complete], weeks=weeks_seen, alpha=settings.alpha, permutation=mode,
            resamples=settings.resamples, seed=settings.seed).as_dict(),
            lambda r: r.get("statistic") is None)
    out["skillings_mack"] = None  # not applicable: no visit missing, Friedman uses everyone
    if np.isnan(values).any():
        if (~np.isnan(values)).sum(axis=1).max() < 2:
            out["skillings_mack"] = {"not_run": not_run("no patient has values at two weeks")}
        else:
            out["skillings_mack"] = _ran(lambda: skillings_mack_test(
                values, weeks=weeks_seen).as_dict(), lambda r: r.get("statistic") is None)
    return out


def _vs_baseline(values: np.ndarray[Any, Any], columns: dict[str, int | None],
                 settings: AnalysisSettings, measure_reason: str | None) -> dict[str, Any]:
    """Every post-baseline analysis week against baseline; Holm over the p-values that ran."""
    missing = np.full(values.shape[0], np.nan)
    base = values[:, 0] if values.shape[1] else missing
    base_key = week_key(settings.weeks[0])
    comparisons: dict[str, Any] = {}
    for week in settings.weeks[1:]:
        key = week_key(week)
        j = columns.get(key)
        result = compare_with_baseline(base, missing if j is None else values[:, j],
                                       alpha=settings.alpha).as_dict()
        reason = measure_reason
        if reason is not None:
            pass
        elif j is None:
            reason = f"no patient assessed at week {key}"
        elif result["n_pairs"] == 0:
            reason = f"no patient has values at both week {base_key} and week {key}"
        elif result["p_value_exact"] is None and result["p_value_asymptotic"] is None:
            reason = ("every paired difference is zero: the signed-rank test has nothing to "
                      "rank")
        result["not_run"] = None if reason is None else not_run(reason)
        # The paired t-test fails alone when every difference is equal (zero variance).
        result["t_not_run"] = (None if result["p_value_t"] is not None else not_run(
            reason or ("every paired difference is the same: the t statistic is not defined"
                       if result["n_pairs"] >= 2 else "the paired t-test needs two pairs")))
        comparisons[key] = result
    # The exact p-value; above stats.wilcoxon.EXACT_MAX_N differences, the asymptotic one.
    raw = [c["p_value_exact"] if c["p_value_exact"] is not None else c["p_value_asymptotic"]
           for c in comparisons.values()]
    method = settings.p_adjust
    adjusted = raw if method == "none" or not raw else list(p_adjust(raw, method=method).adjusted)
    for c, p in zip(comparisons.values(), adjusted, strict=True):
        c["p_adjusted"] = p
        c["p_adjust_method"] = method
    return comparisons


def _ran(compute: Callable[[], dict[str, Any]],
         failed: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """A statistic's result with ``not_run`` set: null when it ran, else its reason."""
    try:
        result = compute()
    except ComputationError as err:
        return {"not_run": not_run(str(err))}
    result["not_run"] = (not_run(result.get("note") or "not computable on these data")
                         if failed(result) else None)
    return result
