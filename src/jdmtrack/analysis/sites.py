"""Several sites: by-site descriptives beside the pooled results, and site-stratified tests.

When the analysed patients come from two or more sites (``site``), the results file gets
a ``sites`` section: the ``by`` structure for ``site`` (every table per site, a site x
week completeness table, and between-site tests, which state the heterogeneity of each
outcome), plus ``stratified``: per tested outcome, the Wilcoxon signed-rank test of each
week against baseline with the differences ranked within site, and the Friedman test
blocked within site (patients nested in sites) with its between-site heterogeneity
statistic (``jdmtrack.stats.stratified``, ``jdmtrack.stats.site_friedman``). With ``--by``
and two groups, ``by.stratified`` holds the van Elteren test of the groups stratified by
site (values at each week and changes from baseline).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd

from .common import week_key
from .group_tests import EXACT_MAX_N
from .groups import NOT_TESTED, group_labels, summarise_by, wide_table
from .measures import outcome_measures
from .settings import AnalysisSettings

__all__ = ["VAN_ELTEREN_MAX_STATES", "site_labels", "sites_methods", "stratified_by_group",
           "summarise_sites"]

# The exact van Elteren distribution is convolved over sites while it has at most this
# many states (a few milliseconds); beyond, its normal approximation is given.
VAN_ELTEREN_MAX_STATES = 50_000
_LARGE = (f"more than {EXACT_MAX_N} patients: the convolution over sites is too long to "
          "compute for every outcome and week; see the pooled tests and the Friedman test "
          "blocked within site")


def _plain(value: Any) -> Any:
    """JSON-ready: tuples to lists, non-finite floats to None."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if isinstance(value, np.generic):
        return _plain(value.item())
    return value


def site_labels(patients: pd.DataFrame) -> list[str | None] | None:
    """Each patient's site when the patients come from two or more sites, else None."""
    if "site" not in patients.columns:
        return None
    levels, labels, _ = group_labels(patients, "site")
    return labels if len(levels) >= 2 else None


def _measures(visits: pd.DataFrame, settings: AnalysisSettings) -> tuple[list[str], pd.DataFrame]:
    names = [m for m, _, _ in outcome_measures(visits, settings.measures)
             if m not in NOT_TESTED]
    return names, wide_table(visits, names, settings.weeks)


def summarise_sites(patients: pd.DataFrame, visits: pd.DataFrame, events: pd.DataFrame,
                    settings: AnalysisSettings,
                    at_weeks: pd.DataFrame | None = None) -> dict[str, Any] | None:
    """The ``sites`` section, or None with fewer than two sites (``at_weeks``: see
    ``summarise_by``)."""
    labels = site_labels(patients)
    if labels is None:
        return None
    from ..stats.site_friedman import friedman_by_site
    from ..stats.stratified import stratified_signed_rank

    out = summarise_by(patients, visits, events, settings, "site", at_weeks)
    site_of = pd.Series(labels, index=patients["patient_id"].to_numpy(), dtype=object)
    names, wide = _measures(visits if at_weeks is None else at_weeks, settings)
    site = np.array([site_of.get(p) for p in wide.index], dtype=object)
    weeks = settings.weeks
    stratified: dict[str, Any] = {}
    for name in names:
        present = [w for w in weeks if (name, w) in wide.columns]
        if len(present) < 2 or present[0] != weeks[0]:
            continue
        table = np.column_stack([wide[(name, w)].to_numpy(dtype="float64") for w in present])
        known = np.array([s is not None for s in site], dtype=bool)
        entry: dict[str, Any] = {"vs_baseline": {}, "friedman": None}
        for j, week in enumerate(present[1:], start=1):
            diff = table[:, j] - table[:, 0]
            keep = known & ~np.isnan(diff)
            entry["vs_baseline"][week_key(week)] = (
                _plain(asdict(stratified_signed_rank(diff[keep], list(site[keep]))))
                if keep.sum() <= EXACT_MAX_N else
                {"n": int(keep.sum()), "not_run": _LARGE, "p_value_exact": None,
                 "p_value_asymptotic": None})
        complete = known & ~np.isnan(table).any(axis=1)
        if complete.sum() >= 2:
            r = friedman_by_site(table[complete], list(site[complete]),
                                 weeks=[week_key(w) for w in present],
                                 permutation="none")
            entry["friedman"] = _plain({
                "n": r.n, "n_sites": r.n_sites, "statistic": r.pooled.statistic,
                "df": r.pooled.df, "p_value": r.pooled.p_value,
                "p_value_exact": r.pooled.p_value_exact,
                "heterogeneity_statistic": r.heterogeneity_statistic,
                "heterogeneity_df": r.heterogeneity_df,
                "heterogeneity_p_value": r.heterogeneity_p_value,
                "per_site": {str(s): {"n": f.n_complete, "statistic": f.statistic,
                                      "p_value": f.p_value} for s, f in r.per_site},
                "method": r.method, "not_run": r.not_run, "note": r.note})
        stratified[name] = entry
    out["stratified"] = stratified
    return out


def stratified_by_group(by: Mapping[str, Any], patients: pd.DataFrame, visits: pd.DataFrame,
                        settings: AnalysisSettings) -> dict[str, Any] | None:
    """Van Elteren tests of the two ``by`` groups stratified by site, or None."""
    sites = site_labels(patients)
    if sites is None or len(by["levels"]) != 2 or by["field"] == "site":
        return None
    from ..stats.stratified import stratified_wilcoxon

    _, groups, _ = group_labels(patients, by["field"])
    ids = patients["patient_id"].to_numpy()
    site_of = pd.Series(sites, index=ids, dtype=object)
    group_of = pd.Series(groups, index=ids, dtype=object)
    names, wide = _measures(visits, settings)
    site = np.array([site_of.get(p) for p in wide.index], dtype=object)
    group = np.array([group_of.get(p) for p in wide.index], dtype=object)
    known = np.array([s is not None and g is not None for s, g in zip(site, group, strict=True)],
                     dtype=bool)
    out: dict[str, Any] = {}
    for name in names:
        if (name, settings.weeks[0]) not in wide.columns:
            continue
        base = wide[(name, settings.weeks[0])].to_numpy(dtype="float64")
        entry: dict[str, Any] = {}
        for week in settings.weeks:
            if (name, week) not in wide.columns:
                continue
            values = wide[(name, week)].to_numpy(dtype="float64")
            parts = {"value": values} | ({"change": values - base} if week != settings.weeks[0]
                                         else {})
            for part, data in parts.items():
                keep = known & ~np.isnan(data)
                entry.setdefault(week_key(week), {})[part] = (
                    _plain(asdict(stratified_wilcoxon(data[keep], list(group[keep]),
                                                      list(site[keep]),
                                                      max_states=VAN_ELTEREN_MAX_STATES)))
                    if keep.sum() <= EXACT_MAX_N else
                    {"n": int(keep.sum()), "not_run": _LARGE, "p_value_exact": None,
                     "p_value_asymptotic": None})
        out[name] = entry
    return out


def sites_methods(section: Mapping[str, Any], by_stratified: bool) -> str:
    """The methods-text paragraph for a multi-site cohort."""
    sites = ", ".join(f"{s} (n = {section['n'][s]})" for s in section["levels"])
    text = (
        f"Patients came from {len(section['levels'])} sites: {sites}. Results are pooled "
        "over sites; every descriptive table is also given per site, with a site by week "
        "completeness table, and between-site tests of each outcome (as for the groups "
        "above) state its heterogeneity. Site-stratified analyses: the Wilcoxon signed-rank "
        "test of each week against baseline with the differences ranked within site (exact "
        f"p-value convolved over sites; up to {EXACT_MAX_N} patients), and the Friedman "
        "test blocked within site (patients nested in sites; chi-square p-value) with a "
        "chi-square test of heterogeneity between the sites' Friedman statistics.")
    if by_stratified:
        text += (" The two groups were also compared stratified by site by the van Elteren "
                 "test (within-site mid-ranks divided by the site's n + 1; up to "
                 f"{EXACT_MAX_N} patients), with an exact p-value convolved over sites where "
                 "feasible, else its normal approximation.")
    return text
