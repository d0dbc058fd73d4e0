"""The entry point: classify() over a small hand-built cohort."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
import pytest
from criteria_frames import frame, patients, visits, warning_rows

import jdmtrack.criteria as criteria
import jdmtrack.protocol as protocol
from jdmtrack.criteria import VISIT_COLUMNS, Classification, CriteriaSettings, classify
from jdmtrack.errors import SettingsError
from jdmtrack.fields import DERIVED_FIELDS

BASE = {"week": 0.0, "weight_kg": 30.0, "egfr": 100.0, "jaki_mg_day": 10.0,
        "ck_u_l": 2000.0, "ck_uln_u_l": 200.0, "cmas_total": 30.0, "mmt8_total": 60.0,
        "das_total": 12.0, "das_skin": 6.0, "phga_cm": 6.0, "ptga_cm": 5.0, "chaq": 1.5,
        "extramuscular_cm": 4.0, "rash": True, "skin_ulceration_active": False,
        "erythema": True, "cs_mg_kg_day": 1.0, "new_immunosuppressant": False,
        "alt_u_l": 30.0, "alt_uln_u_l": 40.0, "ast_u_l": 35.0, "ast_uln_u_l": 40.0}
WEEK_24 = {**BASE, "week": 24.0, "ck_u_l": 500.0, "cmas_total": 44.0, "mmt8_total": 70.0,
           "das_total": 6.0, "das_skin": 2.0, "phga_cm": 3.0, "ptga_cm": 3.0, "chaq": 1.0,
           "extramuscular_cm": 2.0, "cs_mg_kg_day": 0.0, "alt_u_l": 130.0}


def cohort() -> tuple[pd.DataFrame, pd.DataFrame]:
    table = visits({"patient_id": "p1", **BASE}, {"patient_id": "p1", **WEEK_24},
                   {"patient_id": "p2", "week": 4.0, "phga_cm": 1.0})
    who = patients({"patient_id": "p1", "jaki_drug": "tofacitinib", "ild": True,
                    "refractory_type": "gc_dependent"},
                   {"patient_id": "p2", "jaki_drug": "baricitinib"})
    return table, who


def test_classification_holds_every_derived_column_aligned_on_the_input() -> None:
    table, who = cohort()
    result = classify(table, who)
    assert isinstance(result, Classification)
    assert list(result.visits.columns) == list(VISIT_COLUMNS)
    assert result.visits.index.equals(table.index)
    assert result.patients.index.equals(who.index)
    assert list(result.patients.columns) == ["severe", "severe_features", "refractory"]


def test_dtypes_follow_the_cohort_conventions() -> None:
    result = classify(*cohort())
    dtypes = result.visits.dtypes.astype(str).to_dict()
    for column in ("cs_change_pct", "printo_cid_criteria_met", "tis", "alt_ctcae_grade",
                   "ast_ctcae_grade"):
        assert dtypes[column] == "float64", column
    for column in ("skin_inactive", "rash_improved"):
        assert dtypes[column] == "boolean", column
    for column in ("printo_cid", "tis_category", "response", "dose_check"):
        assert dtypes[column] == "object", column
        assert all(isinstance(v, str) for v in result.visits[column]), column


def test_values_for_the_worked_patient() -> None:
    row = classify(*cohort()).visits.loc[3]
    assert row["tis"] == 70.0 and row["tis_category"] == "major"
    assert row["cs_change_pct"] == -100.0
    assert row["printo_cid"] == "not_met"
    assert row["rash_improved"] is np.True_ or row["rash_improved"] is True
    assert row["response"] == "PR"
    assert row["dose_check"] == "ok"
    assert row["alt_ctcae_grade"] == 2.0


def test_events_warnings_and_patient_classes() -> None:
    result = classify(*cohort())
    assert result.events.to_dict("list") == {
        "patient_id": ["p1"], "event": ["cs_discontinuation"], "week": [24.0]}
    assert result.patients["severe"].tolist() == ["yes", "not_evaluable"]
    assert result.patients["refractory"].tolist() == ["yes", "not_evaluable"]
    no_baseline = [w for w in warning_rows(result.warnings) if w.code == "no_baseline_visit"]
    assert [(w.patient_id, w.week) for w in no_baseline] == [("p2", 4.0)]


def test_a_frame_with_only_the_key_columns_is_classified_as_not_evaluable() -> None:
    table = frame("visits", [{"patient_id": "a", "week": 0.0},
                             {"patient_id": "a", "week": 4.0}])
    result = classify(table, frame("patients", [{"patient_id": "a"}]))
    assert result.visits["response"].tolist() == ["not_evaluable"] * 2
    assert result.visits["dose_check"].tolist() == ["not_evaluable"] * 2
    assert result.visits["skin_inactive"].isna().all()


def test_empty_tables() -> None:
    table = frame("visits", [{"patient_id": "a", "week": 0.0}]).iloc[:0]
    result = classify(table, frame("patients", [{"patient_id": "a"}]).iloc[:0])
    assert len(result.visits) == 0 and len(result.patients) == 0
    assert list(result.visits.columns) == list(VISIT_COLUMNS)


def test_settings_change_the_methods_and_rules() -> None:
    table, who = cohort()
    default = classify(table, who)
    printo = classify(table, who, settings=CriteriaSettings(
        tis_core_set="printo", tis_population="adult", refractory_definition="failed_agents"))
    assert "mmt8_total" in default.tis_rules and "cmas_total" in printo.tis_rules
    assert any(">= 20, >= 40 and >= 60" in s for s in printo.methods)
    assert any("two or more steroid-sparing agents" in s for s in printo.methods)
    assert printo.visits.loc[3, "tis"] == 70.0 - 20.0 - 12.5 + 27.5 + 15.0


@pytest.mark.parametrize("bad", [{"tis_core_set": "mdaat"}, {"tis_population": "child"},
                                 {"refractory_definition": "carra"}])
def test_bad_settings_raise_settings_error(bad: dict[str, Any]) -> None:
    with pytest.raises(SettingsError):
        CriteriaSettings(**bad)


def test_methods_cover_every_definition() -> None:
    methods = " ".join(classify(*cohort()).methods)
    for phrase in ("PRINTO", "Total Improvement Score", "skin-DAS", "Partial response",
                   "SHARE", "Refractory", "Corticosteroid", "JAK-inhibitor", "CTCAE"):
        assert phrase in methods, phrase


def _isort_key(name: str) -> tuple[int, str]:
    """ruff's __all__ order: CONSTANTS, then Classes, then functions."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


@pytest.mark.parametrize("module", [criteria, protocol])
def test_all_is_sorted_and_complete(module: ModuleType) -> None:
    assert module.__all__ == sorted(module.__all__, key=_isort_key)
    for name in module.__all__:
        assert hasattr(module, name)


def test_every_derived_column_is_in_the_field_dictionary() -> None:
    documented = {(f.table, f.name) for f in DERIVED_FIELDS}
    for column in VISIT_COLUMNS:
        assert ("visits", column) in documented, column


def test_field_dictionary_choices_match_the_definitions() -> None:
    from jdmtrack.criteria.printo import PRINTO_CATEGORIES
    from jdmtrack.criteria.response import RESPONSE_CATEGORIES
    from jdmtrack.criteria.tis import TIS_CATEGORIES
    from jdmtrack.protocol.dosing import DOSE_CHECK_CATEGORIES

    choices = {f.name: set(f.choices) for f in DERIVED_FIELDS}
    assert choices["printo_cid"] == set(PRINTO_CATEGORIES)
    assert choices["tis_category"] == set(TIS_CATEGORIES)
    assert choices["response"] == set(RESPONSE_CATEGORIES)
    assert choices["dose_check"] == set(DOSE_CHECK_CATEGORIES)


def test_booleans_given_as_object_columns_are_accepted() -> None:
    table, who = cohort()
    table["rash"] = table["rash"].astype(object)
    assert classify(table, who).visits.loc[3, "response"] == "PR"
    assert isinstance(table, pd.DataFrame)
