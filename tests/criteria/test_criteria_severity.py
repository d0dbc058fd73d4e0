"""Severe JDM (SHARE high-risk list, Bellutti Enders 2017) and refractory JDM."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from criteria_frames import patients, visits, warning_rows

from jdmtrack.criteria import CriterionResult, classify_refractory, classify_severe

FLAGS = ("dysphagia", "gi_involvement", "cardiac_involvement", "ild", "skin_ulceration",
         "icu_admission")
NONE_PRESENT = {flag: False for flag in FLAGS} | {"age_onset_years": 5.0}
STRONG = {"week": 0.0, "cmas_total": 40.0, "mmt8_total": 70.0}


def severe(patient: Mapping[str, object], *visit_records: Mapping[str, float]
           ) -> tuple[str, tuple[str, ...], CriterionResult]:
    out = classify_severe(patients(patient), visits(*(visit_records or (STRONG,))))
    return out.columns["severe"].iloc[0], out.columns["severe_features"].iloc[0], out


def test_no_feature_present_is_not_severe() -> None:
    assert severe(NONE_PRESENT)[:2] == ("no", ())


@pytest.mark.parametrize("flag", FLAGS)
def test_each_recorded_feature_makes_severe(flag: str) -> None:
    assert severe({**NONE_PRESENT, flag: True})[:2] == ("yes", (flag,))


@pytest.mark.parametrize(("cmas", "mmt8", "features"), [
    (14.0, 70.0, ("cmas_below_15",)), (15.0, 70.0, ()), (40.0, 29.0, ("mmt8_below_30",)),
    (40.0, 30.0, ()), (10.0, 20.0, ("cmas_below_15", "mmt8_below_30"))])
def test_week_0_strength_thresholds(cmas: float, mmt8: float, features: tuple[str, ...]) -> None:
    status, found, _ = severe(NONE_PRESENT, {"week": 0.0, "cmas_total": cmas,
                                             "mmt8_total": mmt8})
    assert (status, found) == ("yes" if features else "no", features)


def test_strength_after_week_0_is_not_used() -> None:
    status, _, _ = severe(NONE_PRESENT, STRONG, {"week": 4.0, "cmas_total": 5.0,
                                                 "mmt8_total": 10.0})
    assert status == "no"


@pytest.mark.parametrize(("onset", "status"), [
    ("2020-03-14", "yes"), ("2020-03-15", "no"), ("2019-06-01", "yes")])
def test_onset_before_first_birthday_from_dates(onset: str, status: str) -> None:
    record = {**NONE_PRESENT, "age_onset_years": None, "birth_date": "2019-03-15",
              "onset_date": onset}
    assert severe(record)[0] == status


@pytest.mark.parametrize(("age", "status"), [(0.9, "yes"), (1.0, "no")])
def test_onset_age_in_years_when_dates_are_absent(age: float, status: str) -> None:
    assert severe({**NONE_PRESENT, "age_onset_years": age})[0] == status


def test_dates_win_over_years() -> None:
    record = {**NONE_PRESENT, "age_onset_years": 0.5, "birth_date": "2015-01-01",
              "onset_date": "2018-01-01"}
    assert severe(record)[0] == "no"


def test_unknown_feature_without_any_present_is_not_evaluable_with_warning() -> None:
    status, found, out = severe({**NONE_PRESENT, "ild": None})
    assert (status, found) == ("not_evaluable", ())
    (warning,) = warning_rows(out.warnings)
    assert (warning.code, warning.patient_id, warning.column) == (
        "severe_not_evaluable", "p1", "ild")
    assert warning.message == "severe JDM not evaluable: ild undetermined"


def test_a_present_feature_decides_despite_unknown_ones() -> None:
    status, found, out = severe({"ild": True})
    assert (status, found) == ("yes", ("ild",))
    assert not out.warnings


def test_patient_without_week_0_visit_has_unknown_strength() -> None:
    status, _, _ = severe(NONE_PRESENT, {"week": 4.0, "cmas_total": 40.0, "mmt8_total": 70.0})
    assert status == "not_evaluable"


def test_output_is_aligned_on_the_patients_index() -> None:
    table = patients({"patient_id": "a", **NONE_PRESENT}, {"patient_id": "b", "ild": True})
    out = classify_severe(table, visits({"patient_id": "a", **STRONG})).columns
    assert out.index.equals(table.index)
    assert out["severe"].tolist() == ["no", "yes"]


@pytest.mark.parametrize(("refractory_type", "expected"), [
    ("gc_ineffective", "yes"), ("gc_dependent", "yes"), ("other", "yes"),
    (None, "not_evaluable")])
def test_refractory_from_refractory_type(refractory_type: str | None, expected: str) -> None:
    out = classify_refractory(patients({"refractory_type": refractory_type}))
    assert out.columns["refractory"].tolist() == [expected]
    assert len(warning_rows(out.warnings)) == (expected == "not_evaluable")


@pytest.mark.parametrize(("failed", "expected"), [
    (0, "no"), (1, "no"), (2, "yes"), (3, "yes"), (None, "not_evaluable")])
def test_refractory_from_failed_agents_yu_2021(failed: int | None, expected: str) -> None:
    out = classify_refractory(patients({"failed_agents_n": failed}), "failed_agents")
    assert out.columns["refractory"].tolist() == [expected]
    assert "two or more steroid-sparing agents" in out.methods[0]
