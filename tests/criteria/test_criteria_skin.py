"""Inactive skin (study B: skin-DAS <= 1, no ulceration, no erythema) and rash improved."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from criteria_frames import visits, warning_rows

from jdmtrack.criteria import classify_rash_improved, classify_skin_inactive

DAS = {"yes": 1.0, "no": 2.0, "missing": None}            # skin-DAS <= 1 holds?
ABSENT = {"yes": False, "no": True, "missing": None}       # ulceration/erythema absent?


def expected(states: tuple[str, ...]) -> object:
    """Independent rule: complete the missing clauses both ways."""
    choices = [(True, False) if s == "missing" else (s == "yes",) for s in states]
    outcomes = {all(c) for c in itertools.product(*choices)}
    return outcomes.pop() if len(outcomes) == 1 else pd.NA


def test_all_27_combinations_of_the_three_clauses() -> None:
    combos = list(itertools.product(("yes", "no", "missing"), repeat=3))
    records = []
    for das, ulcer, erythema in combos:
        record = {"week": 0.0, "das_skin": DAS[das],
                  "skin_ulceration_active": ABSENT[ulcer], "erythema": ABSENT[erythema]}
        records.append({k: v for k, v in record.items() if v is not None})
    frame = visits(*records)
    frame["patient_id"] = [f"p{i}" for i in range(len(frame))]
    out = classify_skin_inactive(frame).columns["skin_inactive"]
    assert str(out.dtype) == "boolean"
    for position, states in enumerate(combos):
        want = expected(states)
        got = out.iloc[position]
        assert (got is pd.NA and want is pd.NA) or got == want, states


@pytest.mark.parametrize(("das", "inactive"), [(0.0, True), (1.0, True), (2.0, False)])
def test_skin_das_threshold_is_at_most_1(das: float, inactive: bool) -> None:
    frame = visits({"week": 0.0, "das_skin": das, "skin_ulceration_active": False,
                    "erythema": False})
    assert classify_skin_inactive(frame).columns["skin_inactive"].tolist() == [inactive]


def test_undetermined_skin_warns_with_the_missing_column() -> None:
    result = classify_skin_inactive(visits({"week": 4.0, "das_skin": 0.0, "erythema": False}))
    (warning,) = warning_rows(result.warnings)
    assert (warning.code, warning.column, warning.week) == (
        "skin_inactive_unknown", "skin_ulceration_active", 4.0)


def improved(*records: dict[str, object]) -> list[object]:
    """rash_improved as a list, NA written None (NA has no truth value for ==)."""
    values = classify_rash_improved(visits(*records)).columns["rash_improved"].tolist()
    return [None if v is pd.NA else v for v in values]


def test_skin_das_below_baseline_is_improved_and_equal_is_not() -> None:
    rash = {"rash": True}                     # rash present throughout: not cleared
    assert improved({"week": 0.0, "das_skin": 5.0, **rash},
                    {"week": 4.0, "das_skin": 4.0, **rash},
                    {"week": 12.0, "das_skin": 5.0, **rash},
                    {"week": 24.0, "das_skin": 6.0, **rash}) == [None, True, False, False]


def test_unchanged_score_decides_not_improved_whatever_the_rash() -> None:
    """Study B's clause is "skin-DAS improved": a recorded skin-DAS pair decides it."""
    assert improved({"week": 0.0, "das_skin": 5.0}, {"week": 4.0, "das_skin": 5.0}) == [
        None, False]
    assert improved({"week": 0.0, "das_skin": 5.0, "rash": True},
                    {"week": 4.0, "das_skin": 5.0, "rash": False}) == [None, False]


def test_catbm_activity_is_used_when_skin_das_is_missing() -> None:
    rash = {"rash": True}
    assert improved({"week": 0.0, "das_skin": 5.0, "catbm_activity": 7.0, **rash},
                    {"week": 4.0, "catbm_activity": 3.0, **rash},
                    {"week": 12.0, "catbm_activity": 7.0, **rash},
                    {"week": 24.0, "das_skin": 5.0, "catbm_activity": 1.0, **rash}) == [
        None, True, False, False]


def test_without_scores_a_cleared_rash_is_improved_and_a_persisting_one_undetermined() -> None:
    assert improved({"week": 0.0, "rash": True}, {"week": 4.0, "rash": False},
                    {"week": 12.0, "rash": True}) == [None, True, None]


def test_no_rash_at_baseline_cannot_clear() -> None:
    assert improved({"week": 0.0, "rash": False}, {"week": 4.0, "rash": False}) == [
        None, None]


def test_missing_inputs_leave_rash_improved_undetermined_with_warning() -> None:
    result = classify_rash_improved(visits({"week": 0.0, "das_skin": 5.0, "rash": True},
                                           {"week": 4.0, "rash": True}))
    assert result.columns["rash_improved"].isna().all()
    rows = warning_rows(result.warnings)
    assert [(w.code, w.week, w.column) for w in rows] == [
        ("rash_improved_unknown", 4.0, "das_skin"), ("rash_improved_unknown", 4.0, "catbm_activity")]
    assert rows[0].message == ("rash improvement undetermined: das_skin missing at this visit "
                               "or at week 0")


def test_patient_without_week_0_is_undetermined() -> None:
    assert improved({"week": 4.0, "das_skin": 0.0, "rash": False}) == [None]
