"""The rounding and formatting rules of jdmtrack.report.format, edge by edge."""

from __future__ import annotations

import subprocess
import sys

import pytest

from jdmtrack.report import format as f


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (0.125, 2, "0.13"),      # binary 0.125 is exact: half away from zero, not to even
    (2.675, 2, "2.68"),      # binary 2.67499999...: rounded as results.json prints it
    (0.05, 1, "0.1"),
    (0.25, 1, "0.3"),
    (-0.25, 1, "−0.3"),      # minus sign, symmetric
    (-0.04, 1, "0.0"),       # never a negative zero
    (41, 1, "41.0"),
    (1e-7, 2, "0.00"),
    (1234567.891, 1, "1234567.9"),
    (None, 1, "–"),
    (float("nan"), 1, "–"),
    (float("inf"), 1, "–"),
    (True, 1, "–"),          # a bool is not a number here
])
def test_fmt_number(value: object, decimals: int, expected: str) -> None:
    assert f.fmt_number(value, decimals) == expected


@pytest.mark.parametrize(("p", "expected"), [
    (0.0234, "0.023"), (0.023, "0.023"), (0.0005, "< 0.001"), (0.000999, "< 0.001"),
    (0.001, "0.001"), (0.0625, "0.063"), (0.05, "0.050"), (1.0, "1.000"), (0.0, "< 0.001"),
    (None, "–"),
])
def test_fmt_p_never_an_inequality_for_an_exact_value(p: object, expected: str) -> None:
    assert f.fmt_p(p) == expected


def test_p_clause_writes_inequalities_once() -> None:
    assert f.p_clause(0.0001) == "p < 0.001"
    assert f.p_clause(0.023) == "p = 0.023"


@pytest.mark.parametrize(("n", "decimals"), [(None, 0), (6, 0), (99, 0), (100, 1), (2000, 1)])
def test_percent_decimals_follow_cohort_size(n: object, decimals: int) -> None:
    assert f.percent_decimals(n) == decimals


def test_percentages_and_counts() -> None:
    assert f.count_pct(15, 75.0, 0) == "15 (75%)"
    assert f.count_pct(16, 100 * 16 / 24, 1) == "16 (66.7%)"
    assert f.count_pct(2, 100 / 3 * 2, 0) == "2 (67%)"
    assert f.percent(0, 0) is None
    assert f.fmt_pct(f.percent(1, 3), 0) == "33%"


def test_summaries_and_intervals() -> None:
    assert f.fmt_median_iqr(6.0, 4.0, 7.25, 1) == "6.0 (4.0, 7.3)"
    assert f.fmt_median_iqr(None, 1, 2, 1) == "–"
    assert f.fmt_mean_sd(18.6, 15.04, 1) == "18.6 ± 15.0"
    assert f.fmt_range(-3.0, 2.0, 1) == "−3.0 to 2.0"
    assert f.fmt_ci([0.0, 0.52182], 0, scale=100, suffix="%") == "0% to 52%"
    assert f.fmt_ci([None, None], 1) == "–"
    assert f.fmt_ci("nonsense", 1) == "–"


@pytest.mark.parametrize(("measure", "unit", "decimals"), [
    ("cs_mg_kg_day", None, 2), ("jaki_mg_kg_day", "mg/kg/day", 2), ("cmas_total", "points", 1),
    ("x_dose", "mg/kg/day", 2), ("ck_u_l", "U/L", 1),
])
def test_doses_per_kilogram_get_two_decimals(measure: str, unit: str | None,
                                              decimals: int) -> None:
    assert f.decimals_for(measure, unit) == decimals


def test_weeks_sort_numerically_and_label() -> None:
    assert f.sorted_weeks(["24", "4", "0", "12", "2.5"]) == ["0", "2.5", "4", "12", "24"]
    assert f.week_label("12") == "Week 12"


@pytest.mark.parametrize(("method", "text"), [
    (6, "Hyndman–Fan type 6 (as SPSS, GraphPad Prism, Minitab)"),
    (7, "Hyndman–Fan type 7 (as R, numpy, Excel QUARTILE.INC)"),
    (8, "Hyndman–Fan type 8."),
])
def test_quartile_note_names_the_definition(method: int, text: str) -> None:
    assert text in f.quartile_note(method)


def test_importing_the_report_package_loads_no_heavy_dependency() -> None:
    """``import jdmtrack.report`` must stay cheap: matplotlib, docx, openpyxl and jinja2
    load only when a report is rendered."""
    code = ("import sys, jdmtrack, jdmtrack.report; "
            "print(sorted(m for m in ('matplotlib', 'docx', 'openpyxl', 'jinja2', 'pandas') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
