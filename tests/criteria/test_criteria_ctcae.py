"""CTCAE v5.0 grades of ALT/AST increase."""

from __future__ import annotations

import math

import pytest
from criteria_frames import visits, warning_rows

from jdmtrack.criteria import classify_ctcae_liver


def grades(base: float | None, value: float | None, uln: float | None = 40.0,
           enzyme: str = "alt") -> tuple[float, float]:
    rows = []
    for week, v in ((0.0, base), (4.0, value)):
        row: dict[str, float] = {"week": week}
        if v is not None:
            row[f"{enzyme}_u_l"] = v
        if uln is not None:
            row[f"{enzyme}_uln_u_l"] = uln
        rows.append(row)
    out = classify_ctcae_liver(visits(*rows)).columns[f"{enzyme}_ctcae_grade"]
    return out.iloc[0], out.iloc[1]


@pytest.mark.parametrize("enzyme", ["alt", "ast"])
@pytest.mark.parametrize(("value", "grade"), [
    (40.0, 0.0), (40.1, 1.0), (120.0, 1.0), (120.1, 2.0), (200.0, 2.0), (200.1, 3.0),
    (800.0, 3.0), (800.1, 4.0)])
def test_baseline_normal_edges_in_multiples_of_uln(enzyme: str, value: float, grade: float) -> None:
    assert grades(30.0, value, enzyme=enzyme)[1] == grade


@pytest.mark.parametrize(("value", "grade"), [
    (89.9, 0.0), (90.0, 1.0), (180.0, 1.0), (180.1, 2.0), (300.0, 2.0), (300.1, 3.0),
    (1200.0, 3.0), (1200.1, 4.0), (30.0, 0.0)])
def test_baseline_abnormal_edges_in_multiples_of_baseline(value: float, grade: float) -> None:
    """Baseline 60 > ULN 40: grade 1 from 1.5 x baseline (90), inclusive."""
    assert grades(60.0, value) == (1.0, grade)


def test_decimal_limits_are_exact() -> None:
    """3 x 40.1 is 120.30000000000001 in float64; 120.3 is exactly 3 x ULN: grade 1."""
    assert 3 * 40.1 != 120.3
    assert grades(30.0, 120.3, uln=40.1)[1] == 1.0
    assert grades(30.0, 120.31, uln=40.1)[1] == 2.0


def test_week_0_is_graded_against_the_uln() -> None:
    assert grades(130.0, 130.0) == (2.0, 0.0)      # 3.25 x ULN; 1.0 x baseline


def test_missing_value_is_nan_without_warning() -> None:
    result = classify_ctcae_liver(visits({"week": 0.0, "alt_uln_u_l": 40.0}))
    assert math.isnan(result.columns["alt_ctcae_grade"].iloc[0])
    assert not result.warnings


def test_value_without_uln_is_nan_with_warning() -> None:
    result = classify_ctcae_liver(visits({"week": 0.0, "alt_u_l": 50.0}))
    assert math.isnan(result.columns["alt_ctcae_grade"].iloc[0])
    (warning,) = warning_rows(result.warnings)
    assert (warning.code, warning.column) == ("ctcae_no_uln", "alt_uln_u_l")


def test_unknown_baseline_grades_only_values_within_the_uln() -> None:
    assert grades(None, 35.0)[1] == 0.0
    _, follow = grades(None, 90.0)
    assert math.isnan(follow)
