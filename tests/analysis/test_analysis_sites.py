"""Several sites: by-site tables beside the pooled results, completeness, stratified tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import jdmtrack
from jdmtrack.demo import path
from jdmtrack.stats.stratified import stratified_signed_rank, stratified_wilcoxon


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
