"""--by FIELD: every group described side by side (tableone style), and compared.

The ``by`` section of the results file::

    by: {field, label, levels, n: {level: patients}, n_missing,
         baseline: {<variable>: {type, label, groups: {level: entry}, test}},
         outcomes: {<measure>: {label, tested,
                                by_week: {<week>: {level: {n, median, q1, q3, ...}}},
                                change: {<week>: {level: {...}}},      # follow-up - week 0
                                tests: {<week>: {value: test, change: test}}}},
         criteria: {<criterion>: {<week>: {groups: {level: {n_evaluable, n_met, ...}}, test}}},
         response: {<week>: {groups: {level: {n_evaluable, CR, PR, NR, ...}}, test}},
         time_to_event: {<event>: {groups: {level: Kaplan-Meier summary}}},
         completeness: {level: {<week>: {in_followup, seen}}}}

A patient whose FIELD is missing is in no group (``n_missing``). Tests: see group_tests.
Body size, kidney function and JAKi dose are described per group, not tested.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import SettingsError
from ..stats.quantiles import _one as sorted_quantile
from .baseline import patient_ages, summarise_baseline
from .classified import summarise_criteria, summarise_response
from .common import end_of_followup, week_key
from .event_times import EventTimes, event_times
from .followup import time_to_event
from .group_tests import EXACT_MAX_N, compare_counts, compare_values, sample_mode
from .measures import covariate_measures, outcome_measures
from .population import patient_field
from .settings import AnalysisSettings

__all__ = ["NOT_TESTED", "by_methods", "by_rows", "group_labels", "summarise_by", "wide_table"]

# The exact two-group log-rank distribution is built while it has at most this many states
# (about a second; e.g. 24 patients split 7 / 17 need ~350,000), else Monte Carlo.
LOGRANK_MAX_STATES = 2_000_000

# Covariates: described, not tested (design.md, outcomes).
NOT_TESTED = {"weight_kg", "height_cm", "egfr", "creatinine_umol_l", "jaki_mg_day",
               "jaki_mg_kg_day"}


def group_labels(patients: pd.DataFrame, name: str) -> tuple[list[str], list[str | None], str]:
    """(levels in order, each patient's level or None, the field's label)."""
    spec = patient_field(name, patients, "--by")
    kind = "x" if spec is None else spec.kind
    if kind not in ("x", "text", "choice", "bool"):
        raise SettingsError(f"--by {name}: a {kind} field does not split patients into groups; "
                            "use a yes/no, coded or text field (cut a number with --where)")
    series = patients[name] if name in patients.columns else pd.Series([None] * len(patients))
    labels: list[str | None] = []
    for value in series:
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
            labels.append(None)
        elif kind == "bool":
            labels.append("yes" if bool(value) else "no")
        else:
            text = str(value).strip()
            labels.append(text or None)
    present = {v for v in labels if v is not None}
    order = (["yes", "no"] if kind == "bool"
             else list(spec.choices) if spec is not None and kind == "choice"
             else sorted(present))
    levels = [v for v in order if v in present]
    label = name if spec is None else spec.label
    return levels, labels, label


def _frames_of(level_of: pd.Series, frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    if "patient_id" not in frame.columns or not len(frame):
        return {}
    keys = frame["patient_id"].map(level_of)
    return {str(k): part for k, part in frame.groupby(keys, sort=False)}


def summarise_by(patients: pd.DataFrame, visits: pd.DataFrame, events: pd.DataFrame,
                 settings: AnalysisSettings, name: str,
                 at_weeks: pd.DataFrame | None = None) -> dict[str, Any]:
    """The ``by`` section for the patients field ``name``.

    ``at_weeks`` are the visits used at each analysis week (visit windows applied, as the
    whole-cohort outcomes use them; default: the visits recorded at those weeks);
    ``visits`` the recorded visits (baseline, follow-up, events)."""
    if at_weeks is None:
        at_weeks = visits[visits["week"].isin(settings.weeks)]
    levels, labels, label = group_labels(patients, name)
    level_of = pd.Series(labels, index=patients["patient_id"].to_numpy(), dtype=object)
    empty_visits = visits.iloc[:0]
    member = {lv: np.array([v == lv for v in labels], dtype=bool) for lv in levels}
    pats = {lv: patients[member[lv]] for lv in levels}
    # summarise_baseline reads the week-0 visits alone; the groups are cut from a copy of
    # the visits used, one block per dtype, which each group's filter by week takes faster.
    vis = _frames_of(level_of, visits[visits["week"] == settings.baseline_week])
    used = _frames_of(level_of, at_weeks.copy())
    out: dict[str, Any] = {"field": name, "label": label, "levels": levels,
                           "n": {lv: len(pats[lv]) for lv in levels},
                           "n_missing": sum(v is None for v in labels)}
    per_group = {lv: summarise_baseline(pats[lv], vis.get(lv, empty_visits), settings)
                 for lv in levels}
    out["baseline"] = _baseline(patients, visits, labels, member, per_group, settings, name)
    out["outcomes"] = _outcomes(at_weeks, level_of, levels, settings)
    crit = {lv: summarise_criteria(used.get(lv, empty_visits), settings) for lv in levels}
    resp = {lv: summarise_response(used.get(lv, empty_visits), settings) for lv in levels}
    at_week = _AtWeek(at_weeks, level_of)
    out["criteria"] = _classified(at_week, levels, crit, settings)
    out["response"] = _response(at_week, levels, resp, settings)
    times = event_times(patients, visits, events, settings.baseline_week)
    group_of = level_of.reindex(times.ids).to_numpy(dtype=object)
    tte = {lv: time_to_event(times, group_of == lv) for lv in levels}
    events_seen = list(dict.fromkeys(e for lv in levels for e in tte[lv]))
    out["time_to_event"] = {e: {"groups": {lv: tte[lv].get(e) for lv in levels},
                                "test": _logrank(e, times, group_of, settings)}
                            for e in events_seen}
    out["completeness"] = _completeness(patients, visits, events, at_weeks, level_of, levels,
                                        settings)
    return out


def _baseline(patients: pd.DataFrame, visits: pd.DataFrame, labels: list[str | None],
              member: dict[str, np.ndarray], per_group: dict[str, dict[str, Any]],
              settings: AnalysisSettings, name: str) -> dict[str, Any]:
    """``member``: each level's patients (rows of ``patients``), in level order."""
    levels = list(member)
    ages = patient_ages(patients)
    first = visits[visits["week"] == settings.baseline_week].drop_duplicates("patient_id")
    first = first.set_index("patient_id").reindex(patients["patient_id"].to_numpy())
    variables = list(dict.fromkeys(v for lv in levels for v in per_group[lv]))
    out: dict[str, Any] = {}
    for var in variables:
        entries = {lv: per_group[lv].get(var) for lv in levels}
        some = next(e for e in entries.values() if e is not None)
        entry: dict[str, Any] = {"type": some["type"], "label": some["label"],
                                 "groups": entries, "test": None}
        if var != name and "may have several" not in str(some["label"]):
            entry["test"] = _baseline_test(var, some["type"], patients, ages, first, labels,
                                           member, settings)
        out[var] = entry
    return out


def _baseline_test(var: str, kind: str, patients: pd.DataFrame, ages: dict[str, pd.Series],
                   first: pd.DataFrame, labels: list[str | None],
                   member: dict[str, np.ndarray],
                   settings: AnalysisSettings) -> dict[str, Any] | None:
    if kind == "continuous":
        source = ages.get(var)
        if source is None and var in first.columns:
            source = first[var]
        if source is None:
            return None
        values = np.asarray(source, dtype="float64")
        return compare_values({lv: values[rows] for lv, rows in member.items()}, settings)
    if var not in patients.columns:
        return None
    outcome = [None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))
               else ("yes" if v else "no") if isinstance(v, (bool, np.bool_)) else str(v)
               for v in patients[var]]
    return compare_counts(labels, outcome, settings, list(member))


def wide_table(visits: pd.DataFrame, measures: list[str], weeks: tuple[float, ...]) -> pd.DataFrame:
    at = visits.loc[visits["week"].isin(weeks), ["patient_id", "week", *measures]]
    wide = at.drop_duplicates(["patient_id", "week"]).set_index(["patient_id", "week"])
    return pd.DataFrame(wide.unstack("week"))


def _outcomes(visits: pd.DataFrame, level_of: pd.Series, levels: list[str],
              settings: AnalysisSettings) -> dict[str, Any]:
    specs = [*outcome_measures(visits, settings.measures),
             *covariate_measures(visits, settings.measures)]
    weeks, q = settings.weeks, settings.quantile_method
    wide = wide_table(visits, [m for m, _, _ in specs], weeks)
    group = np.array([level_of.get(p) for p in wide.index], dtype=object)
    masks = {lv: group == lv for lv in levels}
    out: dict[str, Any] = {}
    for measure, label, _unit in specs:
        tested = measure not in NOT_TESTED
        entry: dict[str, Any] = {"label": label, "tested": tested, "by_week": {}, "change": {},
                                 "tests": {}}
        base = (wide[(measure, weeks[0])].to_numpy(dtype="float64")
                if (measure, weeks[0]) in wide.columns else None)
        for week in weeks:
            if (measure, week) not in wide.columns:
                continue
            key = week_key(week)
            values = wide[(measure, week)].to_numpy(dtype="float64")
            series = {"value": values}
            if base is not None and week != weeks[0]:
                series["change"] = values - base
            for part, data in series.items():
                section = "by_week" if part == "value" else "change"
                split = {lv: data[masks[lv]] for lv in levels}
                entry[section][key] = {lv: _describe(split[lv], q) for lv in levels}
                if tested:
                    entry["tests"].setdefault(key, {})[part] = compare_values(split, settings)
        out[measure] = entry
    return out


def _describe(values: np.ndarray, q: int) -> dict[str, Any]:
    """``describe_dict`` of the values present, without ``missing``: the same arithmetic
    (``jdmtrack.stats.descriptive.describe``: the quantiles of the sorted values, mean and SD
    by exact sums), without its checks and conversions, as the by-group tables call it
    thousands of times.

    The worked example of ``describe`` (SD by hand: squared deviations from 41.7 sum to
    452.1; sqrt(452.1 / 9) = 7.0875):

    >>> r = _describe(np.array([29, 33, np.nan, 38, 41, 41, 43, 44, 46, 50, 52.0]), 6)
    >>> r["n"], r["median"], r["q1"], r["q3"], r["mean"], round(r["sd"], 4), r["min"], r["max"]
    (10, 42.0, 36.75, 47.0, 41.7, 7.0875, 29.0, 52.0)
    """
    observed = np.sort(values[~np.isnan(values)])
    n = int(observed.size)
    if n == 0:
        return {"n": 0, "median": None, "q1": None, "q3": None, "mean": None, "sd": None,
                "min": None, "max": None}
    mean = math.fsum(observed.tolist()) / n
    sd = math.sqrt(math.fsum(((observed - mean) ** 2).tolist()) / (n - 1)) if n >= 2 else None
    return {"n": n, "median": sorted_quantile(observed, 0.5, 7),  # the usual median
            "q1": sorted_quantile(observed, 0.25, q), "q3": sorted_quantile(observed, 0.75, q),
            "mean": mean, "sd": sd, "min": float(observed[0]), "max": float(observed[-1])}


class _AtWeek:
    """Each analysis week's visits (a patient's first there) and their groups, cut once for
    all the criteria and the response classes."""

    def __init__(self, visits: pd.DataFrame, level_of: pd.Series) -> None:
        self.visits, self.level_of = visits, level_of
        self.cut: dict[float, tuple[list[str | None], pd.DataFrame]] = {}

    def __call__(self, week: float, column: str) -> tuple[list[str | None], list[Any]]:
        if week not in self.cut:
            at = self.visits[self.visits["week"] == week].drop_duplicates("patient_id")
            self.cut[week] = (list(at["patient_id"].map(self.level_of)), at)
        groups, at = self.cut[week]
        return groups, list(at[column])


def _classified(at_week: _AtWeek, levels: list[str], per_group: dict[str, dict[str, Any]],
                settings: AnalysisSettings) -> dict[str, Any]:
    out: dict[str, Any] = {}
    names = dict.fromkeys(c for lv in levels for c in per_group[lv] if c != "tis")
    for criterion in names:
        weeks = dict.fromkeys(w for lv in levels for w in per_group[lv].get(criterion, {}))
        out[criterion] = {}
        for key in weeks:
            week = float(key)
            groups, values = at_week(week, criterion)
            met = [None if v is None or v is pd.NA or v == "not_evaluable" or
                   (isinstance(v, float) and np.isnan(v))
                   else "met" if v in (True, "met") else "not_met" for v in values]
            out[criterion][key] = {"groups": {lv: per_group[lv].get(criterion, {}).get(key)
                                              for lv in levels},
                                   "test": compare_counts(groups, met, settings, levels)}
    return out


def _response(at_week: _AtWeek, levels: list[str],
              per_group: dict[str, dict[str, Any]], settings: AnalysisSettings) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "response" not in at_week.visits.columns:
        return out
    for week in settings.weeks[1:]:
        key = week_key(week)
        groups, values = at_week(week, "response")
        classes = [v if v in ("CR", "PR", "NR") else None for v in values]
        out[key] = {"groups": {lv: per_group[lv].get(key) for lv in levels},
                    "test": compare_counts(groups, classes, settings, levels)}
    return out


def _logrank(event: str, times: EventTimes, group_of: np.ndarray,
             settings: AnalysisSettings) -> dict[str, Any]:
    """Log-rank test of the groups' curves: the patients at risk of the event and their
    times exactly as the Kaplan-Meier estimates take them (over the whole cohort; rash
    improvement from the events table and the visits, see ``EventTimes.times``), else
    censoring at the end of follow-up; ``group_of``: each patient's group (None: in no
    group) on ``times.ids``."""
    from ..stats.logrank import logrank_test

    risk, _ = times.at_risk(event)
    when, happened, _ = times.times(event, risk)
    group = group_of[risk]
    keep = pd.notna(group) & ~np.isnan(when)
    n = int(keep.sum())
    mode = sample_mode(n)
    # Large-sample mode: the chi-square p alone (no permutation distribution is built).
    r = logrank_test(when[keep].tolist(), happened[keep].tolist(), group[keep].tolist(),
                     permutation="none" if mode["large_sample"] else "auto",
                     resamples=settings.resamples, seed=settings.seed,
                     max_states=LOGRANK_MAX_STATES)
    exact = r.p_value_exact is not None
    return {"test": "logrank", "groups": [str(g) for g in r.groups], "n": n,
            "observed": list(r.observed), "expected": list(r.expected),
            "statistic": r.statistic, "df": r.df,
            "p_value": r.p_value_exact if exact else r.p_value,
            "p_value_method": r.p_value_exact_method if exact else (
                None if r.p_value is None else "chi-square (as survival::survdiff)"),
            "p_value_asymptotic": r.p_value, "not_run": r.not_run, "note": r.note} | mode


def _completeness(patients: pd.DataFrame, visits: pd.DataFrame, events: pd.DataFrame,
                  at_weeks: pd.DataFrame, level_of: pd.Series, levels: list[str],
                  settings: AnalysisSettings) -> dict[str, Any]:
    """Per group and analysis week: patients still followed, and those with a visit used
    at that week."""
    end = end_of_followup(patients, visits, events)
    group = level_of.reindex(end.index).to_numpy(dtype=object)
    out: dict[str, Any] = {lv: {} for lv in levels}
    for week in settings.weeks:
        seen = at_weeks.loc[at_weeks["week"] == week, "patient_id"].unique()
        followed = end.to_numpy() >= week
        has_visit = np.asarray(end.index.isin(seen), dtype=bool)
        for lv in levels:
            mask = group == lv
            out[lv][week_key(week)] = {"in_followup": int((followed & mask).sum()),
                                       "seen": int((has_visit & mask).sum())}
    return out


def by_methods(section: Mapping[str, Any]) -> str:
    """The methods-text paragraph for the by-group comparison."""
    groups = ", ".join(f"{lv} (n = {section['n'][lv]})" for lv in section["levels"])
    missing = (f"; {section['n_missing']} patient(s) with {section['field']} missing were in "
               "no group" if section["n_missing"] else "")
    return (
        f"Patients were described by {section['label']} ({section['field']}): {groups}"
        f"{missing}. Groups were compared, without adjustment for multiplicity, on the "
        "baseline characteristics, on each outcome's value at every assessment week and on "
        "its change from the baseline week: two groups by the Wilcoxon-Mann-Whitney test "
        "with exact conditional p-values given the mid-ranks (correct with ties; Monte Carlo "
        "with the stated seed where enumeration was too large) and the Hodges-Lehmann "
        "shift with its 95% confidence interval, more than two groups by the Kruskal-Wallis "
        "test with a permutation p-value given the mid-ranks (and its tie-corrected "
        "chi-square p-value); categorical characteristics, criteria met and response "
        "classes by Fisher's exact test on the groups by levels table; times to event by "
        "the log-rank test with a permutation p-value over the log-rank scores (as "
        f"coin::logrank_test). With more than {EXACT_MAX_N} patients in a comparison, the "
        "large-sample (asymptotic) forms were used instead, as coin's asymptotic "
        "distribution: the normal approximation of the Mann-Whitney rank sum with the "
        "tie-corrected permutation variance and no continuity correction (the "
        "Hodges-Lehmann shift and interval as above), the tie-corrected chi-square p-value "
        "of the Kruskal-Wallis test, the chi-square p-value of the log-rank test, and "
        "Pearson's chi-square test for counts; each test records which was used "
        "(large_sample). Body size, kidney function and JAKi dose were described, not "
        "tested.")


def by_rows(section: Mapping[str, Any], *, tests: bool = False) -> Iterator[dict[str, Any]]:
    """Flat rows of the by section: descriptives (part, variable, week, group, ...) or tests
    (part, variable, week, test, p_value, ...); ``part`` is baseline, by_week or change
    (descriptives), baseline, value or change (tests)."""
    from .flat import flatten

    for var, entry in (section.get("baseline") or {}).items():
        if tests:
            if entry.get("test"):
                yield {"part": "baseline", "variable": var, **flatten(entry["test"])}
            continue
        for lv, values in entry["groups"].items():
            if values is not None:
                yield {"part": "baseline", "variable": var, "group": lv, **flatten(values)}
    for measure, entry in (section.get("outcomes") or {}).items():
        if tests:
            for key, parts in entry["tests"].items():
                for part, result in parts.items():
                    yield {"part": part, "variable": measure, "week": key, **flatten(result)}
            continue
        for part in ("by_week", "change"):
            for key, per in entry[part].items():
                for lv, values in per.items():
                    yield {"part": part, "variable": measure, "week": key, "group": lv,
                           **values}
