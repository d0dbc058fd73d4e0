"""--by: per-group descriptives side by side and between-group tests, pinned against R.

R values: tests/reference/groups/by_groups.R on the bundled tofacitinib-ruxolitinib demo
(output in by_groups.out beside it): coin::wilcox_test(distribution = "exact"),
wilcox.test(exact = FALSE, correct = TRUE), fisher.test, kruskal.test.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import jdmtrack
from jdmtrack.analysis import AnalysisSettings
from jdmtrack.analysis.group_tests import compare_counts, compare_values
from jdmtrack.cli import main
from jdmtrack.demo import path
from jdmtrack.errors import SettingsError

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "groups" / "by_groups.out"
R = {k: float(v) for k, v in (line.split() for line in REFERENCE.read_text().splitlines())}


@pytest.fixture(scope="module")
def scored():
    return jdmtrack.score(path("tofacitinib-ruxolitinib"))


@pytest.fixture(scope="module")
def by_drug(scored):
    return jdmtrack.analyze(scored, by="jaki_drug").to_dict()["by"]


def test_groups_and_counts(by_drug):
    """Study A: tofacitinib 7, ruxolitinib 18 (published-results.md); order as the
    field dictionary lists the drugs."""
    assert by_drug["field"] == "jaki_drug"
    assert by_drug["levels"] == ["tofacitinib", "ruxolitinib"]
    assert by_drug["n"] == {"tofacitinib": 7, "ruxolitinib": 18}
    assert by_drug["n_missing"] == 0


def test_descriptives_per_group_match_a_population(scored, by_drug):
    """Each group's column equals the analysis of that group alone (--where)."""
    alone = jdmtrack.analyze(scored, where="jaki_drug=tofacitinib").to_dict()
    groups = by_drug["baseline"]["age_start_years"]["groups"]
    assert groups["tofacitinib"] == alone["baseline"]["age_start_years"]
    for week, summary in alone["outcomes"]["cmas_total"]["by_week"].items():
        assert by_drug["outcomes"]["cmas_total"]["by_week"][week]["tofacitinib"] == summary
    assert by_drug["response"]["24"]["groups"]["tofacitinib"] == alone["response"]["24"]
    assert (by_drug["time_to_event"]["rash_improvement"]["groups"]["tofacitinib"]
            == alone["time_to_event"]["rash_improvement"])


def test_age_by_drug_against_r(by_drug):
    test = by_drug["baseline"]["age_start_years"]["test"]
    assert test["test"] == "wilcoxon_mann_whitney"
    assert test["statistic"] == R["age_W"]
    assert test["p_value"] == pytest.approx(R["age_p_exact"], rel=1e-10)
    assert test["p_value_asymptotic"] == pytest.approx(R["age_p_asymptotic"], rel=1e-10)


def test_change_from_baseline_by_drug_against_r(by_drug):
    """LDH week 24 - week 0 per patient, compared between drugs (ties: exact given ranks)."""
    test = by_drug["outcomes"]["ldh_u_l"]["tests"]["24"]["change"]
    assert test["n"] == R["ldh_change_n"]
    assert test["statistic"] == R["ldh_change_W"]
    assert test["p_value"] == pytest.approx(R["ldh_change_p_exact"], rel=1e-10)
    assert "value" in by_drug["outcomes"]["ldh_u_l"]["tests"]["24"]


def test_sex_by_drug_fisher_against_r(by_drug):
    test = by_drug["baseline"]["sex"]["test"]
    assert test["test"] == "fisher"
    assert test["table"] == [[1, 6], [10, 8]]  # tofacitinib F/M, ruxolitinib F/M
    assert test["p_value"] == pytest.approx(R["sex_fisher_p"], rel=1e-10)
    # R finds the conditional MLE by uniroot (tolerance ~1e-4 on the log scale)
    assert test["odds_ratio"] == pytest.approx(R["sex_fisher_or"], rel=1e-4)


def test_three_groups_kruskal_wallis_against_r(scored):
    by = jdmtrack.analyze(scored, by="x_cmas_course").to_dict()["by"]
    assert by["levels"] == ["improved", "not_scorable_before", "unchanged"]
    assert by["n_missing"] == 15  # the 15 without decreased strength have no course
    test = by["outcomes"]["cmas_total"]["tests"]["24"]["value"]
    assert test["test"] == "kruskal_wallis" and test["df"] == 2
    assert test["n"] == R["cmas_course_kw_n"]
    assert test["statistic"] == pytest.approx(R["cmas_course_kw_H"], rel=1e-12)
    assert test["p_value_asymptotic"] == pytest.approx(R["cmas_course_kw_p"], rel=1e-12)
    # the exact permutation p is the one reported: R enumerates the 360 assignments
    assert test["p_value_method"] == "exact (all 360 assignments)"
    assert R["cmas_course_kw_assignments"] == 360
    assert test["p_value"] == pytest.approx(R["cmas_course_kw_p_exact"], rel=1e-12)


def test_covariates_described_not_tested(by_drug):
    weight = by_drug["outcomes"]["weight_kg"]
    assert weight["tested"] is False and weight["tests"] == {}
    assert weight["by_week"]["0"]["tofacitinib"]["n"] > 0


def test_methods_and_frames(scored):
    results = jdmtrack.analyze(scored, by="sex")
    methods = " ".join(results.methods)
    assert "Patients were described by Sex (sex): F (n = 11), M (n = 14)." in methods
    assert "Wilcoxon-Mann-Whitney" in methods and "Fisher's exact test" in methods
    rows = results.to_frame("by")
    cmas = rows[(rows["part"] == "by_week") & (rows["variable"] == "cmas_total")
                & (rows["week"] == "0")]
    assert sorted(cmas["group"]) == ["F", "M"]
    tests = results.to_frame("by_tests")
    assert {"baseline", "value", "change"} <= set(tests["part"])
    assert tests["p_value"].dropna().between(0, 1).all()
    json.dumps(results.to_dict(), allow_nan=False)


def test_missing_group_value_and_degenerate_groups():
    settings = AnalysisSettings()
    # one group empty: not run, with the reason
    r = compare_values({"a": np.array([1.0, 2.0]), "b": np.array([np.nan])}, settings)
    assert r["p_value"] is None and r["not_run"] == "fewer than two groups with a value"
    r = compare_values({"a": np.array([3.0, 3.0]), "b": np.array([3.0])}, settings)
    assert r["not_run"] == "every value is the same: nothing to compare"
    r = compare_counts(["a", "a", "b", None], ["x", "x", "x", "y"], settings, ["a", "b"])
    assert r["not_run"] == "fewer than two levels with a count: nothing to compare"


def test_large_groups_use_the_asymptotic_forms():
    """Above 200 patients: normal approximation (scipy = R wilcox.test exact=FALSE) and
    Pearson chi-square. Hand check of the chi-square: table [[60, 140], [90, 110]], expected
    75/125 per row, X2 = 2 * (15^2/75 + 15^2/125) = 9.6, df 1."""
    settings = AnalysisSettings()
    rng = np.random.default_rng(3)
    r = compare_values({"a": rng.normal(size=150), "b": rng.normal(size=150) + 1}, settings)
    assert r["p_value_method"].startswith("normal approximation") and r["p_value"] < 1e-6
    three = {k: rng.normal(size=100) + i for i, k in enumerate("abc")}
    r = compare_values(three, settings)
    assert r["test"] == "kruskal_wallis" and r["p_value_method"].startswith("chi-square")
    many = {f"s{i}": rng.integers(0, 52, 80).astype(float) for i in range(24)}  # 24 sites
    assert compare_values(many, settings)["df"] == 23
    groups = ["a"] * 200 + ["b"] * 200
    outcome = ["x"] * 60 + ["y"] * 140 + ["x"] * 90 + ["y"] * 110
    r = compare_counts(groups, outcome, settings, ["a", "b"])
    assert r["test"] == "chi_square" and r["statistic"] == pytest.approx(9.6)


@pytest.mark.parametrize(("by", "message"), [
    ("age_start_years", "--by age_start_years: a number field does not split patients"),
    ("colour", "--by: no patient field 'colour'"),
    ("baseline_agents", "a list field does not split patients"),
])
def test_by_errors(scored, by, message):
    with pytest.raises(SettingsError) as err:
        jdmtrack.analyze(scored, by=by)
    assert message in str(err.value)


def test_cli_by_with_where(tmp_path):
    out = tmp_path / "r.json"
    run = CliRunner().invoke(main, ["analyze", str(path("baricitinib")), "--json", str(out),
                                    "--where", "sex=F", "--by", "muscle_involvement"])
    assert run.exit_code == 0, run.output
    results = json.loads(out.read_text())
    assert results["settings"]["by"] == "muscle_involvement"
    by = results["by"]
    assert by["levels"] == ["yes", "no"] and sum(by["n"].values()) == 15
    patients = pd.read_csv(path("baricitinib") / "patients.csv")
    women = patients[patients["sex"] == "F"]
    assert by["n"]["yes"] == int((women["muscle_involvement"] == "yes").sum())
    run = CliRunner().invoke(main, ["analyze", str(path("baricitinib")), "--json", str(out),
                                    "--by", "nothing"])
    assert run.exit_code == 1 and "no patient field 'nothing'" in run.output


def test_time_to_rash_improvement_by_drug_logrank_against_r(by_drug):
    """survival::survdiff chi-square and coin::logrank_test exact p on the 24 with rash."""
    test = by_drug["time_to_event"]["rash_improvement"]["test"]
    assert test["test"] == "logrank" and test["n"] == R["rash_logrank_n"]
    assert test["statistic"] == pytest.approx(R["rash_logrank_chisq"], rel=1e-10)
    assert test["p_value_asymptotic"] == pytest.approx(R["rash_logrank_p_chisq"], rel=1e-10)
    assert test["p_value"] == pytest.approx(R["rash_logrank_p_exact"], rel=1e-10)
    assert test["p_value_method"].startswith("exact")
