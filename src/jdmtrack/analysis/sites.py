"""Several sites: by-site descriptives beside the pooled results, and site-stratified tests.

When the analysed patients come from two or more sites (``site``), the results file gets
a ``sites`` section: the ``by`` structure for ``site`` (every table per site, the site x
week completeness table ``completeness``, and between-site tests of each outcome), plus,
per tested outcome:

- ``stratified``: the Wilcoxon signed-rank test of each week against baseline with the
  differences ranked within site, and the Friedman test blocked within site (patients
  nested in sites) with its between-site heterogeneity statistic
  (``jdmtrack.stats.stratified``, ``jdmtrack.stats.site_friedman``);
- ``mixed_model``: the linear mixed model with site as a random effect and patients nested
  in site, ``value ~ factor(week) + (1 | site/patient)`` by REML (lme4's ``lmer``;
  ``jdmtrack.stats.nested_mixed_model``), fitted to every observed analysis-week visit; a
  model that cannot be fitted (one site with values, nobody seen twice, constant values)
  has ``not_run`` with the reason;
- ``heterogeneity``: the statement of how far the sites agree: the site x week
  heterogeneity of the Friedman statistic (do the sites' courses differ?), the between-site
  test at baseline (do their levels differ?) and the site share of the variance in the
  mixed model, with a one-line ``statement``.

With ``--by`` and two groups, ``by.stratified`` holds the van Elteren test of the groups
stratified by site (values at each week and changes from baseline).

Above ``EXACT_MAX_N`` patients in a test, the stratified tests take their large-sample mode
(normal approximation, no exact distribution built; as coin's ``distribution =
"asymptotic"``), recorded as ``large_sample`` and ``large_sample_reason`` in each entry. The
per-site Friedman tests use their chi-square p-values (no permutation).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd

from .common import week_key
from .group_tests import EXACT_MAX_N, sample_mode
from .groups import NOT_TESTED, group_labels, summarise_by, wide_table
from .measures import outcome_measures
from .settings import AnalysisSettings

__all__ = ["VAN_ELTEREN_MAX_STATES", "site_labels", "sites_methods", "stratified_by_group",
           "summarise_sites"]

# The exact van Elteren distribution is convolved over sites while it has at most this
# many states (a few milliseconds); beyond, its normal approximation is given.
VAN_ELTEREN_MAX_STATES = 50_000


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


def _signed_rank(diff: np.ndarray, site: np.ndarray) -> dict[str, Any]:
    mode = sample_mode(int(diff.size))
    from ..stats.stratified import stratified_signed_rank

    r = stratified_signed_rank(diff, list(site), exact=not mode["large_sample"])
    entry: dict[str, Any] = _plain(asdict(r)) | mode
    return entry


def summarise_sites(patients: pd.DataFrame, visits: pd.DataFrame, events: pd.DataFrame,
                    settings: AnalysisSettings, at_weeks: pd.DataFrame | None = None,
                    by_site: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
    """The ``sites`` section, or None with fewer than two sites (``at_weeks``: see
    ``summarise_by``; ``by_site``: the ``by`` section for ``site`` when already computed)."""
    labels = site_labels(patients)
    if labels is None:
        return None
    used = visits[visits["week"].isin(settings.weeks)] if at_weeks is None else at_weeks
    out = (dict(by_site) if by_site is not None
           else summarise_by(patients, visits, events, settings, "site", at_weeks))
    site_of = pd.Series(labels, index=patients["patient_id"].to_numpy(), dtype=object)
    names, wide = _measures(used, settings)
    site = pd.Series(wide.index).map(site_of).to_numpy(dtype=object)
    known = pd.notna(site)
    stratified: dict[str, Any] = {}
    for name in names:
        present = [w for w in settings.weeks if (name, w) in wide.columns]
        if len(present) < 2 or present[0] != settings.weeks[0]:
            continue
        table = np.column_stack([wide[(name, w)].to_numpy(dtype="float64") for w in present])
        entry: dict[str, Any] = {"vs_baseline": {}, "friedman": None}
        for j, week in enumerate(present[1:], start=1):
            diff = table[:, j] - table[:, 0]
            keep = known & ~np.isnan(diff)
            entry["vs_baseline"][week_key(week)] = _signed_rank(diff[keep], site[keep])
        entry["friedman"] = _friedman(table, site, known, present)
        stratified[name] = entry
    out["stratified"] = stratified
    out["mixed_model"] = {name: _mixed_model(used, site_of, name, settings) for name in names}
    out["heterogeneity"] = {name: heterogeneity(out, name, settings.alpha,
                                                week_key(settings.weeks[0])) for name in names}
    return out


def _friedman(table: np.ndarray, site: np.ndarray, known: np.ndarray,
              present: list[float]) -> dict[str, Any] | None:
    from ..stats.site_friedman import friedman_by_site

    complete = known & ~np.isnan(table).any(axis=1)
    if complete.sum() < 2:
        return None
    r = friedman_by_site(table[complete], list(site[complete]),
                         weeks=[week_key(w) for w in present], permutation="none")
    entry: dict[str, Any] = _plain({
        "n": r.n, "n_sites": r.n_sites, "statistic": r.pooled.statistic,
        "df": r.pooled.df, "p_value": r.pooled.p_value,
        "p_value_exact": r.pooled.p_value_exact,
        "heterogeneity_statistic": r.heterogeneity_statistic,
        "heterogeneity_df": r.heterogeneity_df,
        "heterogeneity_p_value": r.heterogeneity_p_value,
        "per_site": {str(s): {"n": f.n_complete, "statistic": f.statistic,
                              "p_value": f.p_value} for s, f in r.per_site},
        "method": r.method, "not_run": r.not_run, "note": r.note})
    return entry


def _mixed_model(visits: pd.DataFrame, site_of: pd.Series, name: str,
                 settings: AnalysisSettings) -> dict[str, Any]:
    """``name ~ factor(week) + (1 | site/patient)`` on the analysis-week visits."""
    from ..stats.nested_mixed import nested_mixed_model

    rows = visits.loc[visits["week"].isin(settings.weeks), ["patient_id", "week", name]]
    rows = rows.drop_duplicates(["patient_id", "week"])
    site = rows["patient_id"].map(site_of)
    rows = rows[site.notna().to_numpy() & rows[name].notna().to_numpy()]
    r = nested_mixed_model(list(site[rows.index]), list(rows["patient_id"]),
                           rows["week"].to_numpy(dtype="float64"),
                           rows[name].to_numpy(dtype="float64"),
                           reference_week=settings.weeks[0])
    fitted: dict[str, Any] = _plain(asdict(r))
    return fitted


def heterogeneity(section: Mapping[str, Any], name: str, alpha: float,
                  baseline_key: str) -> dict[str, Any]:
    """How far the sites agree on outcome ``name``: the site x week heterogeneity of the
    Friedman statistic (courses), the between-site test at baseline (levels), and the site
    share of the variance in the nested mixed model, with a one-line statement.

    >>> section = {"stratified": {"cmas": {"friedman": {"heterogeneity_p_value": 0.01}}},
    ...            "outcomes": {"cmas": {"tests": {"0": {"value": {"p_value": 0.4}}}}},
    ...            "mixed_model": {"cmas": {"sd_site": 1.0, "sd_patient": 2.0,
    ...                                     "sd_residual": 1.0, "not_run": None}}}
    >>> h = heterogeneity(section, "cmas", 0.05, "0")
    >>> h["heterogeneous"], h["site_variance_share"]
    (True, 0.16666666666666666)
    >>> h["statement"].startswith("The sites' courses differ (site x week heterogeneity p < 0.05)")
    True
    """
    friedman = (section.get("stratified", {}).get(name) or {}).get("friedman") or {}
    course_p = friedman.get("heterogeneity_p_value")
    tests: dict[str, Any] = section.get("outcomes", {}).get(name, {}).get("tests", {})
    baseline = (tests.get(baseline_key) or {}).get("value")
    level_p = None if baseline is None else baseline.get("p_value")
    model = section.get("mixed_model", {}).get(name) or {}
    share = None
    if model.get("not_run") is None and model.get("sd_site") is not None:
        parts = [model["sd_site"] ** 2, model["sd_patient"] ** 2, model["sd_residual"] ** 2]
        share = parts[0] / sum(parts) if sum(parts) > 0 else None
    differ = None if course_p is None else course_p < alpha
    if differ is None:
        course = ("No site x week heterogeneity statement (fewer than two sites with a "
                  "computable Friedman statistic)")
    elif differ:
        course = f"The sites' courses differ (site x week heterogeneity p < {alpha!r})"
    else:
        course = (f"No evidence that the sites' courses differ (site x week heterogeneity "
                  f"p >= {alpha!r})")
    level = ("" if level_p is None else
             "; their baseline levels differ (between-site test p < "
             f"{alpha!r}), which the stratified tests and the mixed model allow for"
             if level_p < alpha else "; their baseline levels do not differ detectably")
    return {"course_p_value": course_p, "baseline_level_p_value": level_p,
            "site_variance_share": share, "heterogeneous": differ, "alpha": alpha,
            "statement": course + level + "."}


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
    site = pd.Series(wide.index).map(site_of).to_numpy(dtype=object)
    group = pd.Series(wide.index).map(group_of).to_numpy(dtype=object)
    known = pd.notna(site) & pd.notna(group)
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
                mode = sample_mode(int(keep.sum()))
                r = stratified_wilcoxon(data[keep], list(group[keep]), list(site[keep]),
                                        max_states=VAN_ELTEREN_MAX_STATES,
                                        exact=not mode["large_sample"])
                entry.setdefault(week_key(week), {})[part] = _plain(asdict(r)) | mode
        out[name] = entry
    return out


def sites_methods(section: Mapping[str, Any], by_stratified: bool) -> str:
    """The methods-text paragraph for a multi-site cohort."""
    sites = ", ".join(f"{s} (n = {section['n'][s]})" for s in section["levels"])
    text = (
        f"Patients came from {len(section['levels'])} sites: {sites}. Results are pooled "
        "over sites; every descriptive table is also given per site, with a site by week "
        "completeness table, and between-site tests of each outcome (as for the groups "
        "above). Site-stratified analyses: the Wilcoxon signed-rank test of each week "
        "against baseline with the differences ranked within site (exact p-value convolved "
        f"over sites up to {EXACT_MAX_N} patients, else its normal approximation without "
        "continuity correction), and the Friedman test blocked within site (patients nested "
        "in sites; chi-square p-value) with a chi-square test of heterogeneity between the "
        "sites' Friedman statistics. Each outcome was also modelled by a linear mixed model "
        "with site as a random effect and patients nested in site (random intercepts for "
        "site and for patient within site, a fixed effect per week against baseline; REML, "
        "as lme4::lmer(y ~ factor(week) + (1 | site/patient)); Wald confidence intervals) "
        "on every observed visit. Heterogeneity between sites is stated per outcome: site x "
        "week heterogeneity of the Friedman statistic (whether the sites' courses differ), "
        "the between-site test at baseline (whether their levels differ) and the site share "
        "of the variance in the mixed model.")
    if by_stratified:
        text += (" The two groups were also compared stratified by site by the van Elteren "
                 "test (within-site mid-ranks divided by the site's n + 1), with an exact "
                 "p-value convolved over sites where feasible up to "
                 f"{EXACT_MAX_N} patients, else its normal approximation (as coin's "
                 "asymptotic independence test).")
    return text
