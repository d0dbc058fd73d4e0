"""Every published figure that has a results-file key, recomputed from the bundled CSVs.

For each entry of a demo cohort's published.json with a ``path``, the test oracle
(conftest.py) computes that key directly from the CSV cells with pandas and numpy
(type-6 quartiles, sample SD, study B's response rules written out, exact Wilcoxon,
Kaplan-Meier quantiles as R's quantile.survfit), on the entry's subgroup when it has
one, and compares it with the printed value at the printed rounding (half away from
zero, as SPSS and Prism print). Entries marked not reproducible must *not* match, and
their ``cohort_value`` must be what the cohort gives.
"""

from __future__ import annotations

import json
import math

import pytest

from jdmtrack import demo
from jdmtrack.fields import DERIVED_FIELDS, fields_of

NAMES = demo.available()
STATISTICS = {"n", "count", "percent", "median", "q1", "q3", "mean", "sd", "min", "max",
              "value", "p_value", "upper_bound", "at_most"}
SECTIONS = {"cohort", "baseline", "outcomes", "criteria", "response", "time_to_event",
            "safety", "dosing"}
# The sections for the papers' own figures (issue 15), checked against EXPLICIT oracles.
PAPER_SECTIONS = {"exposure", "at_start", "skin_course", "steroids", "organs",
                  "response_percent", "aesi", "listing", "paper_tests"}


def _figures(name: str) -> list[dict]:
    data = json.loads((demo.path(name) / "published.json").read_text(encoding="utf-8"))
    figures: list[dict] = data["figures"]
    return figures


def _entries(with_path: bool) -> list[tuple[str, dict]]:
    """Entries whose results-file key the oracle computes (the paper-figure sections, e.g.
    exposure or skin_course, are recomputed in test_demo_<study>.py's EXPLICIT instead)."""
    return [(name, e) for name in NAMES for e in _figures(name) if bool(e["path"]) == with_path
            and (not with_path or e["path"].split(".")[0] in SECTIONS)]


PATH_ENTRIES = _entries(with_path=True)
DERIVED_PATIENT_FIELDS = {f.name for f in DERIVED_FIELDS if f.table == "patients"}


def test_both_source_studies_have_a_demo_cohort():
    assert NAMES == ("baricitinib", "tofacitinib-ruxolitinib")


@pytest.mark.parametrize("name", NAMES)
def test_published_file_is_well_formed(name, demo_tables):
    data = json.loads((demo.path(name) / "published.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == 1 and data["synthetic"] is True
    assert data["source"]["doi"].startswith("10.")
    columns = set(demo_tables(name)["patients"].columns)
    ids = [e["id"] for e in data["figures"]]
    assert len(ids) == len(set(ids))
    for e in data["figures"]:
        assert isinstance(e["printed"], str) and e["printed"]
        assert isinstance(e["value"], (int, float)) and not math.isnan(e["value"])
        assert isinstance(e["decimals"], int) and 0 <= e["decimals"] <= 3
        assert e["statistic"] in STATISTICS, e["id"]
        assert e["path"] is None or e["path"].split(".")[0] in SECTIONS | PAPER_SECTIONS, e["id"]
        assert e["reproducible"] or e["note"], f"{e['id']}: say why it cannot be reproduced"
        for condition in e["where"]:
            column = condition.split("=", 1)[0]
            # a patients field of the dictionary, recorded or derived (as --where takes)
            assert column in columns or column in DERIVED_PATIENT_FIELDS, e["id"]
            assert column in {f.name for f in fields_of("patients")} | DERIVED_PATIENT_FIELDS
        if e["reproducible"]:
            assert e["cohort_value"] is None


def test_published_table_covers_the_headline_figures():
    """The headline figures of each study (demographics, outcomes by week, response) are in."""
    groups = {name: {e["group"] for e in _figures(name)} for name in NAMES}
    assert {"age", "dose", "disease_months", "das_skin_w0", "das_skin_w12", "das_skin_w24",
            "cmas_w0", "cmas_w12", "cmas_w24", "mmt8_w0", "mmt8_w24", "ck_w0",
            "rash_improved_w4", "rash_improved_w12", "rash_improved_w24", "response_w24_CR",
            "response_w24_PR", "response_w24_NR", "cs_w0", "cs_w4", "cs_w12", "cs_w24",
            "ae"} <= groups["baricitinib"]
    assert {"female", "age_onset_years", "age_start_years", "disease_months",
            "refractory_gc_ineffective", "drug_tofacitinib", "followup", "rash_first",
            "rash_marked", "rash_resolution", "catbm_before", "catbm_after", "cs_stopped",
            "relapse", "cmas_improved_before", "cmas_improved_after", "ldh_before",
            "ldh_after"} <= groups["tofacitinib-ruxolitinib"]


@pytest.mark.parametrize(("name", "entry"), PATH_ENTRIES,
                         ids=[f"{n}:{e['id']}" for n, e in PATH_ENTRIES])
def test_figure_with_a_results_key(name, entry, oracle, helpers):
    got = oracle(name, entry["where"] or None).value(entry["path"])
    if entry["scale"] is not None:
        got *= entry["scale"]
    if entry["reproducible"]:
        assert helpers.matches(entry, got), (
            f"{entry['label']}: printed {entry['printed']}, cohort gives {got!r}")
    else:
        assert not helpers.matches(entry, got), f"{entry['id']} is reproducible after all"
        if entry["cohort_value"] is not None:
            assert got == pytest.approx(entry["cohort_value"], abs=1e-9)


def test_the_tables_use_only_cohort_format_columns(demo_tables):
    for name in NAMES:
        for table, frame in demo_tables(name).items():
            known = {f.name for f in fields_of(table)}
            unknown = [c for c in frame.columns if c not in known and not c.startswith("x_")]
            assert unknown == [], f"{name}/{table}: {unknown}"


@pytest.mark.parametrize("name", NAMES)
def test_every_row_is_marked_synthetic(name, demo_tables):
    tables = demo_tables(name)
    assert set(tables["patients"]["site"]) == {f"SYNTHETIC-{'B' if name == 'baricitinib' else 'A'}"}
    readme = (demo.path(name) / "README.txt").read_text(encoding="utf-8")
    assert readme.startswith("SYNTHETIC DEMO COHORT - NOT PATIENT DATA.")
