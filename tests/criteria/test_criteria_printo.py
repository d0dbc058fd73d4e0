"""PRINTO clinically inactive disease (Lazarevic 2013, Ann Rheum Dis 72:686)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from criteria_frames import visits, warning_rows

from jdmtrack.criteria import classify_printo_cid

# Per criterion: a value that meets it (on the threshold), one that does not (one recorded
# step past it) and missing. Thresholds: CK <= 150, CMAS >= 48, MMT-8 >= 78, PhGA <= 0.2.
VALUES = {
    "ck_u_l": {"met": 150.0, "not_met": 151.0},
    "cmas_total": {"met": 48.0, "not_met": 47.0},
    "mmt8_total": {"met": 78.0, "not_met": 77.0},
    "phga_cm": {"met": 0.2, "not_met": 0.3},
}
STATES = ("met", "not_met", "missing")
COMBINATIONS = list(itertools.product(STATES, repeat=4))


def expected_by_completion(states: tuple[str, ...]) -> str:
    """Independent rule: fill every missing criterion both ways; the visit is inactive if
    every completion reaches 3 of 4, not inactive if none does, else not evaluable."""
    choices = [("met", "not_met") if s == "missing" else (s,) for s in states]
    outcomes = {sum(c == "met" for c in filled) >= 3 for filled in itertools.product(*choices)}
    if outcomes == {True}:
        return "met"
    if outcomes == {False}:
        return "not_met"
    return "not_evaluable"


def test_all_81_combinations_of_met_not_met_missing() -> None:
    assert len(COMBINATIONS) == 81
    records = []
    for states in COMBINATIONS:
        record = {"week": 0.0}
        for column, state in zip(VALUES, states, strict=True):
            if state != "missing":
                record[column] = VALUES[column][state]
        records.append(record)
    frame = visits(*records)
    frame["patient_id"] = [f"p{i}" for i in range(len(frame))]
    out = classify_printo_cid(frame).columns
    for position, states in enumerate(COMBINATIONS):
        assert out["printo_cid"].iloc[position] == expected_by_completion(states), states
        assert out["printo_cid_criteria_met"].iloc[position] == states.count("met"), states


def test_columns_follow_cohort_conventions() -> None:
    frame = visits({"week": 0.0, "ck_u_l": 90.0})
    out = classify_printo_cid(frame).columns
    assert out.index.equals(frame.index)
    assert out["printo_cid"].dtype == object
    assert out["printo_cid_criteria_met"].dtype == np.float64
    assert list(out.columns) == ["printo_cid", "printo_cid_criteria_met"]


def test_absent_columns_count_as_missing() -> None:
    out = classify_printo_cid(visits({"week": 0.0, "ck_u_l": 90.0, "phga_cm": 0.0})).columns
    assert out["printo_cid"].tolist() == ["not_evaluable"]
    assert out["printo_cid_criteria_met"].tolist() == [2.0]


@pytest.mark.parametrize(("phga", "met"), [(0.2, True), (0.21, False), (2.0, False)])
def test_physician_global_threshold_is_0_2_cm_not_2_cm(phga: float, met: bool) -> None:
    """Lazarevic 2013 abstract: PhyGloVAS <= 0.2; a source study printed 2 cm."""
    frame = visits({"week": 0.0, "ck_u_l": 90.0, "cmas_total": 48.0, "mmt8_total": 70.0,
                    "phga_cm": phga})
    assert classify_printo_cid(frame).columns["printo_cid"].tolist() == [
        "met" if met else "not_met"]


def test_not_evaluable_visit_warns_with_missing_criteria() -> None:
    frame = visits({"week": 4.0, "ck_u_l": 90.0, "cmas_total": 50.0})
    result = classify_printo_cid(frame)
    rows = warning_rows(result.warnings)
    assert [(w.code, w.patient_id, w.week, w.column) for w in rows] == [
        ("printo_cid_not_evaluable", "p1", 4.0, "mmt8_total"),
        ("printo_cid_not_evaluable", "p1", 4.0, "phga_cm")]
    assert rows[1].message == "PRINTO inactive disease not evaluable: phga_cm missing"


def test_methods_text_states_the_missing_data_rule() -> None:
    sentences = " ".join(classify_printo_cid(visits({"week": 0.0})).methods)
    assert "0.2 cm" in sentences and "not evaluable" in sentences
