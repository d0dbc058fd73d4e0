"""Several sites: by-site tables beside the pooled results, completeness, stratified tests,
the nested mixed model, the heterogeneity statement and the large-sample mode.

The statistics themselves are pinned against R elsewhere (``nested_mixed_model`` against
lme4 in tests/stats/test_stats_nested_mixed.py and test_stats_large_sample.py; the
stratified tests' large-sample forms against coin there too): these tests check that the
analysis feeds them the right data, records which mode was used and why, and says so in
the methods text.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import jdmtrack
from jdmtrack.analysis.group_tests import EXACT_MAX_N, compare_counts, compare_values
from jdmtrack.analysis.settings import load_settings
from jdmtrack.analysis.sites import heterogeneity
from jdmtrack.demo import generate_synthetic, path
from jdmtrack.stats.nested_mixed import nested_mixed_model
from jdmtrack.stats.stratified import stratified_signed_rank, stratified_wilcoxon

LARGE = (Path(__file__).resolve().parents[1] / "reference" / "groupstats"
         / "large_sample.json")


@pytest.fixture(scope="module")
def two_sites():
    """Study B's imitation split into two sites: B01-B10 at site A, B11-B20 at site B."""
    folder = path("baricitinib")
    visits = pd.read_csv(folder / "visits.csv", dtype={"patient_id": str})
    patients = pd.read_csv(folder / "patients.csv", dtype={"patient_id": str})
    patients["site"] = ["A" if int(p[1:]) <= 10 else "B" for p in patients["patient_id"]]
    return visits, patients


@pytest.fixture(scope="module")
def results(two_sites):
    visits, patients = two_sites
    return jdmtrack.analyze(visits, patients=patients, by="muscle_involvement").to_dict()


def test_single_site_has_no_sites_section():
    assert "sites" not in jdmtrack.analyze(path("baricitinib")).to_dict()


def test_by_site_tables_and_completeness(results):
    sites = results["sites"]
    assert sites["levels"] == ["A", "B"] and sites["n"] == {"A": 10, "B": 10}
    # every patient was seen at weeks 0, 4, 12 and 24 and followed 24 weeks (README.txt)
    assert sites["completeness"]["A"]["24"] == {"in_followup": 10, "seen": 10}
    pooled = results["outcomes"]["das_skin"]["by_week"]["0"]
    per_site = sites["outcomes"]["das_skin"]["by_week"]["0"]
    assert per_site["A"]["n"] + per_site["B"]["n"] == pooled["n"] == 20
    assert "Patients came from 2 sites: A (n = 10), B (n = 10)." in " ".join(results["methods"])


def test_stratified_signed_rank_is_the_within_site_test(results, two_sites):
    """skin-DAS week 24 - week 0 of each patient, ranked within site."""
    visits, patients = two_sites
    wide = visits.pivot(index="patient_id", columns="week", values="das_skin")
    site = patients.set_index("patient_id")["site"].reindex(wide.index)
    diff = (wide[24] - wide[0]).to_numpy()
    direct = stratified_signed_rank(diff, list(site))
    got = results["sites"]["stratified"]["das_skin"]["vs_baseline"]["24"]
    assert got["n"] == 20 and got["statistic"] == direct.statistic
    assert got["p_value_exact"] == direct.p_value_exact
    friedman = results["sites"]["stratified"]["das_skin"]["friedman"]
    assert friedman["n_sites"] == 2 and friedman["heterogeneity_df"] is not None


def test_van_elteren_of_the_by_groups(results, two_sites):
    visits, patients = two_sites
    wide = visits.pivot(index="patient_id", columns="week", values="das_skin")
    p = patients.set_index("patient_id").reindex(wide.index)
    change = (wide[24] - wide[0]).to_numpy()
    direct = stratified_wilcoxon(change, list(p["muscle_involvement"]), list(p["site"]),
                                 max_states=50_000)
    got = results["by"]["stratified"]["das_skin"]["24"]["change"]
    assert got["statistic"] == pytest.approx(direct.statistic)
    assert got["p_value_asymptotic"] == pytest.approx(direct.p_value_asymptotic)
    assert "van Elteren" in " ".join(results["methods"])
    assert np.isfinite(got["p_value_asymptotic"])


def test_mixed_model_is_lmer_on_every_analysis_week_visit(results, two_sites):
    """The section's model is nested_mixed_model on the long data (site, patient, week,
    value) of the analysis weeks, baseline the reference."""
    visits, patients = two_sites
    site = patients.set_index("patient_id")["site"]
    rows = visits[visits["week"].isin([0, 4, 12, 24])].dropna(subset=["das_skin"])
    direct = nested_mixed_model(list(rows["patient_id"].map(site)), list(rows["patient_id"]),
                                rows["week"].to_numpy(float), rows["das_skin"].to_numpy(float))
    got = results["sites"]["mixed_model"]["das_skin"]
    assert got["not_run"] is None and got["n_observations"] == direct.n_observations
    assert got["n_sites"] == 2 and got["n_patients"] == direct.n_patients
    assert [e["estimate"] for e in got["estimates"]] == [e.estimate for e in direct.estimates]
    assert got["sd_site"] == direct.sd_site and got["reference_week"] == 0.0
    methods = " ".join(results["methods"])
    assert "site as a random effect and patients nested in site" in methods
    assert "lme4::lmer(y ~ factor(week) + (1 | site/patient))" in methods


def test_mixed_model_degenerate_outcome_says_why(two_sites):
    visits, patients = two_sites
    flat = visits.copy()
    flat["chaq"] = 1.0  # every value the same
    r = jdmtrack.analyze(flat, patients=patients, measures=["chaq"]).to_dict()
    model = r["sites"]["mixed_model"]["chaq"]
    assert model["not_run"] == "every value is the same: there is no variation to model"
    assert model["estimates"] == []


def test_heterogeneity_statement_follows_the_friedman_partition(results):
    sites = results["sites"]
    for name, h in sites["heterogeneity"].items():
        friedman = sites["stratified"][name]["friedman"]
        assert h["course_p_value"] == friedman["heterogeneity_p_value"]
        assert h["baseline_level_p_value"] == sites["outcomes"][name]["tests"]["0"]["value"]["p_value"]
        if h["course_p_value"] is not None:
            assert h["heterogeneous"] == (h["course_p_value"] < 0.05)
            assert h["statement"].startswith("The sites' courses differ" if h["heterogeneous"]
                                             else "No evidence that the sites' courses differ")
    # a worked case: shares from SDs 1, 2, 1 -> 1 / (1 + 4 + 1)
    section = {"stratified": {"x": {"friedman": {"heterogeneity_p_value": 0.5}}},
               "outcomes": {"x": {"tests": {"0": {"value": {"p_value": 0.001}}}}},
               "mixed_model": {"x": {"sd_site": 1.0, "sd_patient": 2.0, "sd_residual": 1.0,
                                     "not_run": None}}}
    h = heterogeneity(section, "x", 0.05, "0")
    assert h["heterogeneous"] is False and h["site_variance_share"] == pytest.approx(1 / 6)
    assert "their baseline levels differ" in h["statement"]


def test_site_by_week_completeness_table(results):
    completeness = results["sites"]["completeness"]
    assert set(completeness) == {"A", "B"}
    assert set(completeness["A"]) == {"0", "4", "12", "24"}


def test_small_site_tests_stay_exact(results):
    entry = results["sites"]["stratified"]["das_skin"]["vs_baseline"]["24"]
    assert entry["large_sample"] is False and entry["large_sample_reason"] is None
    assert entry["p_value_exact"] is not None


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """A synthetic cohort of 150 patients in 3 sites: every test above EXACT_MAX_N."""
    folder = tmp_path_factory.mktemp("synthetic")
    generate_synthetic(150, 3, folder)
    settings = load_settings(None, measures=("cmas_total",), resamples=1000)
    return folder, jdmtrack.analyze(folder, by="sex", settings=settings).to_dict()


def test_large_sample_mode_is_recorded_and_asymptotic(large):
    folder, r = large
    entry = r["sites"]["stratified"]["cmas_total"]["vs_baseline"]["24"]
    assert entry["n"] > EXACT_MAX_N and entry["large_sample"] is True
    assert f"more than {EXACT_MAX_N}" in entry["large_sample_reason"]
    assert entry["p_value_exact"] is None and entry["p_value_asymptotic"] is not None
    # the same numbers as the statistic's own large-sample mode on the same differences
    scored = jdmtrack.score(folder)
    visits, patients = scored.visits, scored.patients
    wide = visits[visits["week"].isin([0, 24])].pivot_table(
        index="patient_id", columns="week", values="cmas_total", aggfunc="first")
    diff = (wide[24] - wide[0]).dropna()
    site = patients.set_index("patient_id")["site"].reindex(diff.index)
    direct = stratified_signed_rank(diff.to_numpy(), list(site), exact=False)
    assert direct.n == entry["n"]  # the synthetic visits fall on the analysis weeks
    assert entry["p_value_asymptotic"] == direct.p_value_asymptotic
    by = r["by"]
    van_elteren = by["stratified"]["cmas_total"]["0"]["value"]
    assert van_elteren["large_sample"] is True and van_elteren["p_value_exact"] is None
    test = by["outcomes"]["cmas_total"]["tests"]["0"]["value"]
    assert test["large_sample"] is True and "coin::wilcox_test" in test["p_value_method"]
    assert test["shift"]["estimate"] is not None
    methods = " ".join(r["methods"])
    assert "large-sample (asymptotic) forms" in methods and "no continuity correction" in methods
    json.dumps(r, allow_nan=False)  # strict JSON


def test_compare_values_large_two_groups_is_coin_asymptotic():
    ref = json.loads(LARGE.read_text("utf-8"))["mann_whitney"]["tied_300_250"]
    settings = load_settings(None)
    got = compare_values({"x": np.array(ref["x"], float), "y": np.array(ref["y"], float)},
                         settings)
    assert got["large_sample"] is True
    assert got["p_value"] == pytest.approx(ref["p_asymptotic"], rel=1e-10)
    assert got["statistic"] == ref["W"]


def test_compare_values_24_groups_is_coin_asymptotic():
    ref = json.loads(LARGE.read_text("utf-8"))["kruskal"]["groups_24_n1200"]
    y, g = np.array(ref["y"], float), np.array(ref["g"])
    got = compare_values({lv: y[g == lv] for lv in sorted(set(ref["g"]))}, load_settings(None))
    assert got["test"] == "kruskal_wallis" and got["large_sample"] is True
    assert got["p_value"] == pytest.approx(ref["p_asymptotic"], rel=1e-10)
    assert got["statistic"] == pytest.approx(ref["statistic"], rel=1e-10)


@pytest.mark.parametrize("name", ["groups_3_levels_4", "two_by_two"])
def test_compare_counts_large_is_pearson_chi_square(name):
    """Above EXACT_MAX_N patients: R chisq.test(table, correct = FALSE) (large_sample.R)."""
    ref = json.loads(LARGE.read_text("utf-8"))["chi_square"][name]
    table = np.array(ref["table"])
    groups = [f"g{i}" for i, row in enumerate(table) for j, k in enumerate(row) for _ in range(k)]
    levels = [f"l{j}" for row in table for j, k in enumerate(row) for _ in range(k)]
    got = compare_counts(groups, levels, load_settings(None), [f"g{i}" for i in range(len(table))])
    assert got["test"] == "chi_square" and got["large_sample"] is True
    assert got["table"] == ref["table"] and got["df"] == ref["df"]
    assert got["statistic"] == pytest.approx(ref["statistic"], rel=1e-12)
    assert got["p_value"] == pytest.approx(ref["p"], rel=1e-12)
