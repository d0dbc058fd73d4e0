"""Analysis populations (--where): parsing, filtering on every field kind, errors, results."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from jdmtrack.analysis import AnalysisSettings, analyze, load_settings
from jdmtrack.analysis.population import (
    Condition,
    parse_condition,
    parse_conditions,
    population_mask,
    select,
)
from jdmtrack.cli import main
from jdmtrack.errors import SettingsError
from jdmtrack.pipeline import example_path, load_cohort, score_cohort


def _patients() -> pd.DataFrame:
    """Six patients in the in-memory conventions of jdmtrack.cohort (P6 mostly missing)."""
    return pd.DataFrame({
        "patient_id": ["P1", "P2", "P3", "P4", "P5", "P6"],
        "site": ["A", "A", "B", "B", "C", None],
        "sex": ["F", "M", "F", "F", "M", None],
        "age_start_years": [4.0, 7.5, 10.0, 12.0, 6.0, np.nan],
        "ild": pd.array([True, False, False, True, False, pd.NA], dtype="boolean"),
        "jaki_drug": ["tofacitinib", "ruxolitinib", "baricitinib", "baricitinib",
                      "ruxolitinib", None],
        "baseline_agents": [("methotrexate", "ivig"), ("methotrexate",), ("ivig",), (),
                            ("tacrolimus",), None],
        "jaki_start_date": pd.to_datetime(["2020-01-01", "2020-06-01", "2021-01-01",
                                           "2021-06-01", "2022-01-01", None]),
        "x_grade": ["1", "3", "2", "10", "", None],
        "x_arm": ["a", "b", "a", "b", "a", None],
    })


def _ids(*conditions: str) -> list[str]:
    frame = _patients()
    keep, population = population_mask(frame, conditions)
    assert population.n_patients == int(keep.sum())
    return list(frame.loc[keep, "patient_id"])


@pytest.mark.parametrize(("text", "expected"), [
    ("sex=F", Condition("sex", "=", ("F",))),
    ("sex != F", Condition("sex", "!=", ("F",))),
    ("jaki_drug in tofacitinib;ruxolitinib",
     Condition("jaki_drug", "in", ("tofacitinib", "ruxolitinib"))),
    ("jaki_drug in tofacitinib ; ruxolitinib",
     Condition("jaki_drug", "in", ("tofacitinib", "ruxolitinib"))),
    ("age_start_years<=6", Condition("age_start_years", "<=", ("6",))),
    ("age_start_years>=6", Condition("age_start_years", ">=", ("6",))),
    ("age_start_years<6", Condition("age_start_years", "<", ("6",))),
    ("age_start_years>6", Condition("age_start_years", ">", ("6",))),
    ("x_arm=a b", Condition("x_arm", "=", ("a b",))),
])
def test_parse(text, expected):
    assert parse_condition(text) == expected
    assert parse_condition(expected.text) == expected  # the canonical text reads back


@pytest.mark.parametrize("text", ["sex", "sex=", "=F", "jaki_drug in ", "jaki_drug in a;;b",
                                  "sex==F", "1sex=F"])
def test_parse_rejects(text):
    with pytest.raises(SettingsError, match="expected FIELD=VALUE"):
        parse_condition(text)


def test_parse_reports_every_bad_condition_at_once():
    with pytest.raises(SettingsError) as err:
        parse_conditions(["sex", "ild=yes", "=3"])
    assert "'sex'" in str(err.value) and "'=3'" in str(err.value)


@pytest.mark.parametrize(("conditions", "expected"), [
    # choice; the patient with sex missing meets neither sex=F nor sex!=F
    (["sex=F"], ["P1", "P3", "P4"]),
    (["sex!=F"], ["P2", "P5"]),
    (["jaki_drug in tofacitinib;ruxolitinib"], ["P1", "P2", "P5"]),
    (["jaki_drug!=baricitinib", "sex=M"], ["P2", "P5"]),  # AND
    # bool written yes/no
    (["ild=yes"], ["P1", "P4"]),
    (["ild=no"], ["P2", "P3", "P5"]),
    (["ild!=yes"], ["P2", "P3", "P5"]),
    # number: every comparison, edges included or not as the operator says
    (["age_start_years<6"], ["P1"]),
    (["age_start_years<=6"], ["P1", "P5"]),
    (["age_start_years>10"], ["P4"]),
    (["age_start_years>=10"], ["P3", "P4"]),
    (["age_start_years=7.5"], ["P2"]),
    (["age_start_years in 4;12"], ["P1", "P4"]),
    # list: holds the code / any of the codes / does not hold it
    (["baseline_agents=ivig"], ["P1", "P3"]),
    (["baseline_agents in ivig;tacrolimus"], ["P1", "P3", "P5"]),
    (["baseline_agents!=methotrexate"], ["P3", "P4", "P5"]),
    # date
    (["jaki_start_date>=2021-01-01"], ["P3", "P4", "P5"]),
    # free text and user columns: exact text; numeric comparison when every value is a number
    (["site=A"], ["P1", "P2"]),
    (["x_arm=a"], ["P1", "P3", "P5"]),
    (["x_grade>2"], ["P2", "P4"]),  # numeric, not text order ("10" > "2")
    (["x_grade=3"], ["P2"]),
])
def test_population(conditions, expected):
    assert _ids(*conditions) == expected


def test_population_records_definition_and_missing():
    _, population = population_mask(_patients(), ["sex=F", "age_start_years>5"])
    assert population.as_dict() == {
        "definition": "sex=F AND age_start_years>5", "where": ["sex=F", "age_start_years>5"],
        "n_patients": 2, "n_source_patients": 6,
        "n_missing": {"sex=F": 1, "age_start_years>5": 1}}
    assert population.sentence() == (
        "The analysis population was restricted to patients with sex=F AND age_start_years>5 "
        "(n = 2 of 6; 2 patient(s) with a condition's field missing were excluded).")


@pytest.mark.parametrize(("condition", "message"), [
    ("sex=X", "'X' is not a code of sex; expected one of F, M"),
    ("ild=maybe", "'maybe' is not a code of ild; expected one of yes, no"),
    ("jaki_drug in tofacitinib;upadacitinib",
     "'upadacitinib' is not a code of jaki_drug; expected one of tofacitinib, ruxolitinib, "
     "baricitinib"),
    ("baseline_agents=aspirin", "'aspirin' is not a code of baseline_agents"),
    ("colour=red", "no patient field 'colour'; expected one of the patients fields (patient_id"),
    ("x_missing=1", "or a user column of this cohort (x_arm, x_grade)"),
    ("sex>1", "sex is not numeric"),
    ("ild<1", "ild is not numeric"),
    ("baseline_agents>1", "baseline_agents is a list of codes, not a number"),
    ("x_arm>1", "x_arm is not numeric (it holds 'a')"),
    ("age_start_years>six", "'six' is not a number"),
    ("jaki_start_date>soon", "expected a date YYYY-MM-DD"),
])
def test_population_errors(condition, message):
    with pytest.raises(SettingsError) as err:
        population_mask(_patients(), [condition])
    assert message in str(err.value)


def test_every_problem_at_once():
    with pytest.raises(SettingsError) as err:
        population_mask(_patients(), ["sex=X", "colour=red", "ild=yes"])
    assert "'X'" in str(err.value) and "'colour'" in str(err.value)


def test_empty_population_is_an_error_naming_each_condition():
    with pytest.raises(SettingsError) as err:
        population_mask(_patients(), ["sex=M", "ild=yes", "site=Z"])
    assert str(err.value) == (
        "the analysis population sex=M AND ild=yes AND site=Z has no patient (of 6; patients "
        "meeting each condition alone: sex=M: 2, ild=yes: 2, site=Z: 0 (the data hold A, B, C))")


# ---- on a real cohort: the results file -------------------------------------------------

@pytest.fixture(scope="module")
def scored():
    return score_cohort(load_cohort(example_path()))


def test_results_on_a_population_equal_the_analysis_of_that_subset(scored):
    """The example has women SYN-001, SYN-003, SYN-004 (patients.csv). Restricting after
    scoring must give what scoring and analysing only them gives."""
    settings = AnalysisSettings(where=("sex=F",))
    got = analyze(scored, settings)
    part, _ = select(load_cohort(example_path()), ["sex=F"])
    assert sorted(part.patients["patient_id"]) == ["SYN-001", "SYN-003", "SYN-004"]
    alone = analyze(score_cohort(part), AnalysisSettings())
    for key in ("cohort", "baseline", "outcomes", "criteria", "response", "safety",
                "patients"):
        assert got[key] == alone[key], key
    assert got["settings"]["where"] == ["sex=F"]
    assert got["settings"]["population"] == {
        "definition": "sex=F", "where": ["sex=F"], "n_patients": 3, "n_source_patients": 4,
        "n_missing": {"sex=F": 0}}
    assert got["methods"][0] == ("The analysis population was restricted to patients with "
                                 "sex=F (n = 3 of 4).")


def test_whole_cohort_records_all_patients(scored):
    results = analyze(scored, AnalysisSettings())
    assert results["settings"]["population"]["definition"] == "all patients"
    assert results["settings"]["population"]["n_patients"] == 4
    assert not results["methods"][0].startswith("The analysis population")


def test_settings_file_where(tmp_path):
    file = tmp_path / "s.toml"
    file.write_text('where = ["sex=F", "jaki_drug in baricitinib;ruxolitinib"]\n')
    assert load_settings(file).where == ("sex=F", "jaki_drug in baricitinib;ruxolitinib")
    assert load_settings(file, where=("ild=yes",)).where == ("ild=yes",)
    file.write_text('where = "sex=F"\n')
    assert load_settings(file).where == ("sex=F",)
    file.write_text('where = ["sex"]\n')
    with pytest.raises(SettingsError, match="expected FIELD=VALUE"):
        load_settings(file)


def test_cli_where(tmp_path):
    out = tmp_path / "r.json"
    result = CliRunner().invoke(main, ["analyze", str(example_path()), "--json", str(out),
                                       "--where", "sex=F", "--where", "ild=no"])
    assert result.exit_code == 0, result.output
    assert "(population sex=F AND ild=no: 3 of 4)" in result.output
    results = json.loads(out.read_text())
    assert results["cohort"]["n_patients"] == 3  # the women; none of them has ILD
    assert [p["patient_id"] for p in results["patients"]] == ["SYN-001", "SYN-003", "SYN-004"]


@pytest.mark.parametrize(("where", "message"), [
    ("sex=X", "'X' is not a code of sex; expected one of F, M"),
    ("nope=1", "no patient field 'nope'"),
    ("sex=M", None),
    ("jaki_drug=baricitinib", None),
    ("sex=M AND", "not a code of sex"),
])
def test_cli_where_errors_exit_1(tmp_path, where, message):
    out = tmp_path / "r.json"
    args = ["analyze", str(example_path()), "--json", str(out), "--where", where,
            "--where", "ild=yes"]
    result = CliRunner().invoke(main, args)
    if message is None:  # SYN-002 is the only patient with ILD, a man on tofacitinib
        ok = where == "sex=M"
        assert result.exit_code == (0 if ok else 1), result.output
        if not ok:
            assert "has no patient (of 4; patients meeting each condition alone: " \
                   "jaki_drug=baricitinib: 2, ild=yes: 1)" in result.output
        return
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
