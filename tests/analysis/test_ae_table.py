"""Adverse events by term and CTCAE grade: counts by hand, CIs from R's poisson.test."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

from jdmtrack.analysis import AnalysisSettings, analyze
from jdmtrack.analysis.ae_table import ae_by_term
from jdmtrack.pipeline import example_path, load_cohort, score_cohort

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "results.schema.json")
                    .read_text(encoding="utf-8"))

# 3 patients x 52 weeks = 156 weeks of exposure = 156 / (365.25 / 7) = 2.98973... years.
EXPOSURE_WEEKS = 156.0
YEARS = 156 / (365.25 / 7)
# R 4.x, tests/reference/ae_table.R: 100 * poisson.test(x, T = YEARS)$conf.int
R_CI = {3: (20.6932227919, 293.2460154509), 2: (8.1013680392, 241.6499240509),
        1: (0.8468250335, 186.3592260568)}

ADVERSE = pd.DataFrame({
    "patient_id": ["P1", "P1", "P2", "P3", "P1"],
    "term": ["URTI", "URTI", "URTI", "Herpes zoster", "Herpes zoster"],
    "ctcae_grade": [1, 1, 2, 3, None],
})


def _check(entry: dict[str, object], events: int, patients: int) -> None:
    assert (entry["events"], entry["patients"]) == (events, patients)
    assert entry["rate_per_100py"] == pytest.approx(100 * events / YEARS, rel=1e-12)
    low, high = entry["rate_ci95"]  # type: ignore[misc]
    assert (low, high) == pytest.approx(R_CI[events], abs=1e-9)


def test_by_term_and_grade_by_hand() -> None:
    """URTI: 3 events (P1 twice at grade 1, P2 once at grade 2) in 2 patients; herpes
    zoster: 2 events (P3 grade 3, P1 grade not recorded) in 2 patients. Rates over the
    whole exposure: 100 x 3 / 2.98973 = 100.343 per 100 patient-years, and so on; the
    exact CIs are R's."""
    rows = ae_by_term(ADVERSE, EXPOSURE_WEEKS, n_exposed=3)
    assert [r["term"] for r in rows] == ["URTI", "Herpes zoster"]  # most events first
    urti, zoster = rows
    _check(urti, 3, 2)
    _check(zoster, 2, 2)
    assert [g["grade"] for g in urti["by_grade"]] == [1, 2]
    _check(urti["by_grade"][0], 2, 1)
    _check(urti["by_grade"][1], 1, 1)
    assert [g["grade"] for g in zoster["by_grade"]] == [3, None]  # not recorded: last
    _check(zoster["by_grade"][0], 1, 1)
    _check(zoster["by_grade"][1], 1, 1)
    assert rows[0]["rate_per_100py"] == pytest.approx(100.3434065934, abs=1e-9)  # R


def test_terms_are_grouped_as_written_and_ties_go_by_term() -> None:
    """Two spellings stay two rows (nothing the user wrote is merged silently)."""
    adverse = pd.DataFrame({"patient_id": ["P1", "P2"], "term": ["Rash", "rash"],
                            "ctcae_grade": [1, 1]})
    assert [r["term"] for r in ae_by_term(adverse, 52.0)] == ["Rash", "rash"]


def test_no_events_and_no_exposure() -> None:
    assert ae_by_term(ADVERSE.iloc[:0], EXPOSURE_WEEKS) == []
    rows = ae_by_term(ADVERSE.iloc[:1], 0.0)
    assert rows[0]["events"] == 1
    assert rows[0]["rate_per_100py"] is None and rows[0]["rate_ci95"] is None


def test_the_example_cohort_carries_the_table_through_the_schema() -> None:
    """The example cohort's 3 events (one term each, all graded) over its 84 weeks: each
    term 1 event, the rate 100 / (84 / 52.18) per 100 patient-years; the terms' rates add
    up to the overall one."""
    results = analyze(score_cohort(load_cohort(example_path())), AnalysisSettings())
    jsonschema.validate(results, SCHEMA)
    safety = results["safety"]
    by_term = safety["by_term"]
    assert sorted(r["term"] for r in by_term) == [
        "Alanine aminotransferase increased", "Herpes zoster",
        "Upper respiratory tract infection"]
    assert all(r["events"] == 1 and r["patients"] == 1 for r in by_term)
    years = 84 / (365.25 / 7)
    assert by_term[0]["rate_per_100py"] == pytest.approx(100 / years, rel=1e-12)
    assert sum(r["rate_per_100py"] for r in by_term) == pytest.approx(
        safety["rate_per_100py"], rel=1e-12)
    zoster = next(r for r in by_term if r["term"] == "Herpes zoster")
    assert zoster["by_grade"][0]["grade"] == 2
    bad = copy.deepcopy(results)
    bad["safety"]["by_term"][0]["by_grade"][0]["grade"] = 7  # CTCAE grades are 1-5
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, SCHEMA)
