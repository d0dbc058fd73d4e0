"""2016 ACR/EULAR Total Improvement Score (Rider 2017; conversion table: Rheumatology
2017;56:1884, Table 3). Expected points are written out from that table, not read from
the module's constants."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from criteria_frames import visits, warning_rows

from jdmtrack.criteria import PERCENT_CHANGE_RULES, CriterionResult, score_tis, tis_rules

# A follow-up equal to baseline earns 0 points for every measure.
STEADY = {"phga_cm": 5.0, "ptga_cm": 5.0, "mmt8_total": 60.0, "cmas_total": 30.0,
          "chaq": 1.5, "ck_u_l": 1000.0, "ck_uln_u_l": 100.0, "extramuscular_cm": 5.0,
          "das_total": 10.0}


def run(base: dict[str, float], follow: dict[str, float], **kwargs: Any) -> CriterionResult:
    frame = visits({"week": 0.0, **STEADY, **base}, {"week": 12.0, **STEADY, **follow})
    return score_tis(frame, **kwargs)


# (column, core set, baseline, follow-up, points) at, just below and just above each edge.
# Global bands: <= 5 | > 5-15 | > 15-25 | > 25-40 | > 40 (% of range, or of baseline for CK);
# muscle bands: <= 2 | > 2-10 | > 10-20 | > 20-30 | > 30.
EDGE_CASES = [
    # physician global, 0-10 cm: points 0 / 7.5 / 15 / 17.5 / 20
    ("phga_cm", "imacs", 8.0, 7.6, 0.0), ("phga_cm", "imacs", 8.0, 7.5, 0.0),
    ("phga_cm", "imacs", 8.0, 7.4, 7.5), ("phga_cm", "imacs", 8.0, 6.6, 7.5),
    ("phga_cm", "imacs", 8.0, 6.5, 7.5), ("phga_cm", "imacs", 8.0, 6.4, 15.0),
    ("phga_cm", "imacs", 8.0, 5.6, 15.0), ("phga_cm", "imacs", 8.0, 5.5, 15.0),
    ("phga_cm", "imacs", 8.0, 5.4, 17.5), ("phga_cm", "imacs", 8.0, 4.1, 17.5),
    ("phga_cm", "imacs", 8.0, 4.0, 17.5), ("phga_cm", "imacs", 8.0, 3.9, 20.0),
    # patient/parent global, 0-10 cm: 0 / 2.5 / 5 / 7.5 / 10
    ("ptga_cm", "imacs", 8.0, 7.6, 0.0), ("ptga_cm", "imacs", 8.0, 7.5, 0.0),
    ("ptga_cm", "imacs", 8.0, 7.4, 2.5), ("ptga_cm", "imacs", 8.0, 6.6, 2.5),
    ("ptga_cm", "imacs", 8.0, 6.5, 2.5), ("ptga_cm", "imacs", 8.0, 6.4, 5.0),
    ("ptga_cm", "imacs", 8.0, 5.6, 5.0), ("ptga_cm", "imacs", 8.0, 5.5, 5.0),
    ("ptga_cm", "imacs", 8.0, 5.4, 7.5), ("ptga_cm", "imacs", 8.0, 4.1, 7.5),
    ("ptga_cm", "imacs", 8.0, 4.0, 7.5), ("ptga_cm", "imacs", 8.0, 3.9, 10.0),
    # MMT-8, 0-80 (higher is better): 0 / 10 / 20 / 27.5 / 32.5; edges at 1.6, 8, 16, 24
    ("mmt8_total", "imacs", 40.0, 41.5, 0.0), ("mmt8_total", "imacs", 40.0, 41.6, 0.0),
    ("mmt8_total", "imacs", 40.0, 41.7, 10.0), ("mmt8_total", "imacs", 40.0, 47.0, 10.0),
    ("mmt8_total", "imacs", 40.0, 48.0, 10.0), ("mmt8_total", "imacs", 40.0, 49.0, 20.0),
    ("mmt8_total", "imacs", 40.0, 55.0, 20.0), ("mmt8_total", "imacs", 40.0, 56.0, 20.0),
    ("mmt8_total", "imacs", 40.0, 57.0, 27.5), ("mmt8_total", "imacs", 40.0, 63.0, 27.5),
    ("mmt8_total", "imacs", 40.0, 64.0, 27.5), ("mmt8_total", "imacs", 40.0, 65.0, 32.5),
    # CHAQ, 0-3: 0 / 5 / 7.5 / 7.5 / 10; edges at 0.15, 0.45, 0.75, 1.2
    ("chaq", "imacs", 2.5, 2.36, 0.0), ("chaq", "imacs", 2.5, 2.35, 0.0),
    ("chaq", "imacs", 2.5, 2.34, 5.0), ("chaq", "imacs", 2.5, 2.06, 5.0),
    ("chaq", "imacs", 2.5, 2.05, 5.0), ("chaq", "imacs", 2.5, 2.04, 7.5),
    ("chaq", "imacs", 2.5, 1.76, 7.5), ("chaq", "imacs", 2.5, 1.75, 7.5),
    ("chaq", "imacs", 2.5, 1.74, 7.5), ("chaq", "imacs", 2.5, 1.31, 7.5),
    ("chaq", "imacs", 2.5, 1.3, 7.5), ("chaq", "imacs", 2.5, 1.29, 10.0),
    # most abnormal enzyme (CK), relative to baseline 1000: 0 / 2.5 / 5 / 7.5 / 7.5
    ("ck_u_l", "imacs", 1000.0, 951.0, 0.0), ("ck_u_l", "imacs", 1000.0, 950.0, 0.0),
    ("ck_u_l", "imacs", 1000.0, 949.0, 2.5), ("ck_u_l", "imacs", 1000.0, 851.0, 2.5),
    ("ck_u_l", "imacs", 1000.0, 850.0, 2.5), ("ck_u_l", "imacs", 1000.0, 849.0, 5.0),
    ("ck_u_l", "imacs", 1000.0, 751.0, 5.0), ("ck_u_l", "imacs", 1000.0, 750.0, 5.0),
    ("ck_u_l", "imacs", 1000.0, 749.0, 7.5), ("ck_u_l", "imacs", 1000.0, 601.0, 7.5),
    ("ck_u_l", "imacs", 1000.0, 600.0, 7.5), ("ck_u_l", "imacs", 1000.0, 599.0, 7.5),
    # extramuscular global, 0-10 cm: 0 / 7.5 / 12.5 / 15 / 20
    ("extramuscular_cm", "imacs", 8.0, 7.6, 0.0), ("extramuscular_cm", "imacs", 8.0, 7.5, 0.0),
    ("extramuscular_cm", "imacs", 8.0, 7.4, 7.5), ("extramuscular_cm", "imacs", 8.0, 6.6, 7.5),
    ("extramuscular_cm", "imacs", 8.0, 6.5, 7.5), ("extramuscular_cm", "imacs", 8.0, 6.4, 12.5),
    ("extramuscular_cm", "imacs", 8.0, 5.6, 12.5), ("extramuscular_cm", "imacs", 8.0, 5.5, 12.5),
    ("extramuscular_cm", "imacs", 8.0, 5.4, 15.0), ("extramuscular_cm", "imacs", 8.0, 4.1, 15.0),
    ("extramuscular_cm", "imacs", 8.0, 4.0, 15.0), ("extramuscular_cm", "imacs", 8.0, 3.9, 20.0),
    # PRINTO set: CMAS 0-52 (edges 1.04, 5.2, 10.4, 15.6): 0 / 10 / 20 / 27.5 / 32.5
    ("cmas_total", "printo", 20.0, 21.03, 0.0), ("cmas_total", "printo", 20.0, 21.04, 0.0),
    ("cmas_total", "printo", 20.0, 21.05, 10.0), ("cmas_total", "printo", 20.0, 25.19, 10.0),
    ("cmas_total", "printo", 20.0, 25.2, 10.0), ("cmas_total", "printo", 20.0, 25.21, 20.0),
    ("cmas_total", "printo", 20.0, 30.39, 20.0), ("cmas_total", "printo", 20.0, 30.4, 20.0),
    ("cmas_total", "printo", 20.0, 30.41, 27.5), ("cmas_total", "printo", 20.0, 35.59, 27.5),
    ("cmas_total", "printo", 20.0, 35.6, 27.5), ("cmas_total", "printo", 20.0, 35.61, 32.5),
    # PRINTO set: DAS total 0-20 (edges 1, 3, 5, 8): 0 / 7.5 / 12.5 / 15 / 20
    ("das_total", "printo", 16.0, 15.1, 0.0), ("das_total", "printo", 16.0, 15.0, 0.0),
    ("das_total", "printo", 16.0, 14.9, 7.5), ("das_total", "printo", 16.0, 13.1, 7.5),
    ("das_total", "printo", 16.0, 13.0, 7.5), ("das_total", "printo", 16.0, 12.9, 12.5),
    ("das_total", "printo", 16.0, 11.1, 12.5), ("das_total", "printo", 16.0, 11.0, 12.5),
    ("das_total", "printo", 16.0, 10.9, 15.0), ("das_total", "printo", 16.0, 8.1, 15.0),
    ("das_total", "printo", 16.0, 8.0, 15.0), ("das_total", "printo", 16.0, 7.9, 20.0),
]


@pytest.mark.parametrize(("column", "core_set", "base", "follow", "points"), EDGE_CASES)
def test_band_edges(column: str, core_set: str, base: float, follow: float, points: float) -> None:
    out = run({column: base}, {column: follow}, core_set=core_set).columns
    assert out["tis"].iloc[1] == points


@pytest.mark.parametrize(("column", "base", "follow"), [
    ("phga_cm", 1.0, 0.5), ("phga_cm", 1.1, 0.6), ("phga_cm", 2.2, 1.7), ("ptga_cm", 4.4, 3.9),
    ("extramuscular_cm", 0.7, 0.2), ("chaq", 0.17, 0.02), ("chaq", 0.2, 0.05)])
def test_exact_5_percent_scores_0_even_where_float_arithmetic_exceeds_5(
        column: str, base: float, follow: float,
) -> None:
    """(1.1 - 0.6) / 10 * 100 is 5.000000000000001 in float64; exactly it is 5."""
    out = run({column: base}, {column: follow}).columns
    assert out["tis"].iloc[1] == 0.0
    assert Fraction(str(base)) - Fraction(str(follow)) == Fraction(
        1, 20) * (3 if column == "chaq" else 10)


@pytest.mark.parametrize(("base", "follow", "points"), [
    (2.2, 0.7, 7.5), (4.4, 1.9, 15.0), (4.9, 2.4, 15.0), (2.7, 1.2, 7.5)])
def test_float_traps_at_15_and_25_percent(base: float, follow: float, points: float) -> None:
    """Each of these changes is exactly 15 % or 25 % of the 0-10 scale, and float64 puts
    it just above the edge."""
    assert (base - follow) / 10 * 100 > round((base - follow) * 10)
    assert run({"phga_cm": base}, {"phga_cm": follow}).columns["tis"].iloc[1] == points


def test_worsening_scores_zero() -> None:
    base = {"phga_cm": 2.0, "mmt8_total": 70.0, "ck_u_l": 500.0}
    follow = {"phga_cm": 9.0, "mmt8_total": 20.0, "ck_u_l": 5000.0}
    assert run(base, follow).columns["tis"].iloc[1] == 0.0


def test_worked_example_instruments_section_9() -> None:
    """instruments.md section 9 test vector (JDM): PhGA 6 -> 3 (17.5), parent 5 -> 3 (5),
    MMT-8 60 -> 70 on 0-80 (20), CHAQ 1.5 -> 1.0 (7.5), CK 2000 -> 500, most abnormal
    (7.5), extramuscular 4 -> 2 (12.5): TIS 70, major."""
    base = {"phga_cm": 6.0, "ptga_cm": 5.0, "mmt8_total": 60.0, "chaq": 1.5,
            "ck_u_l": 2000.0, "ck_uln_u_l": 200.0, "ldh_u_l": 300.0, "ldh_uln_u_l": 250.0,
            "extramuscular_cm": 4.0}
    follow = {"phga_cm": 3.0, "ptga_cm": 3.0, "mmt8_total": 70.0, "chaq": 1.0,
              "ck_u_l": 500.0, "ck_uln_u_l": 200.0, "ldh_u_l": 300.0, "ldh_uln_u_l": 250.0,
              "extramuscular_cm": 2.0}
    for population in ("jdm", "adult"):
        out = run(base, follow, population=population).columns
        assert out["tis"].tolist()[1] == 70.0
        assert out["tis_category"].tolist() == ["not_evaluable", "major"]
        assert out["tis_enzyme"].tolist() == ["ck_u_l", "ck_u_l"]


# Baseline/follow-up pairs per measure giving the band with points P (IMACS set).
PHGA = {0.0: 5.0, 7.5: 4.0, 15.0: 3.0, 17.5: 2.0, 20.0: 0.0}       # from 5.0 cm
PTGA = {0.0: 5.0, 2.5: 4.0, 5.0: 3.0, 7.5: 2.0, 10.0: 0.0}         # from 5.0 cm
MMT8 = {0.0: 60.0, 10.0: 64.0, 20.0: 70.0, 27.5: 78.0}            # from 60 of 80
CHAQ = {0.0: 1.5, 5.0: 1.2, 7.5: 0.9, 10.0: 0.0}                  # from 1.5 of 3
CK = {0.0: 1000.0, 2.5: 900.0, 5.0: 800.0, 7.5: 500.0}            # relative, from 1000


def total_of(phga: float = 0.0, ptga: float = 0.0, mmt8: float = 0.0, chaq: float = 0.0,
             ck: float = 0.0) -> tuple[dict[str, float], dict[str, float]]:
    follow = {"phga_cm": PHGA[phga], "ptga_cm": PTGA[ptga], "mmt8_total": MMT8[mmt8],
              "chaq": CHAQ[chaq], "ck_u_l": CK[ck]}
    base = {"phga_cm": 5.0, "ptga_cm": 5.0, "mmt8_total": 60.0, "chaq": 1.5, "ck_u_l": 1000.0}
    return base, follow


@pytest.mark.parametrize(("parts", "tis", "jdm", "adult"), [
    ({"phga": 17.5}, 17.5, "none", "none"),
    ({"phga": 20.0}, 20.0, "none", "minimal"),
    ({"phga": 17.5, "ptga": 10.0}, 27.5, "none", "minimal"),
    ({"phga": 20.0, "ptga": 10.0}, 30.0, "minimal", "minimal"),
    ({"phga": 17.5, "ptga": 10.0, "chaq": 10.0}, 37.5, "minimal", "minimal"),
    ({"phga": 20.0, "ptga": 10.0, "chaq": 10.0}, 40.0, "minimal", "moderate"),
    ({"phga": 20.0, "ptga": 10.0, "chaq": 10.0, "ck": 2.5}, 42.5, "minimal", "moderate"),
    ({"phga": 20.0, "ptga": 10.0, "chaq": 10.0, "ck": 5.0}, 45.0, "moderate", "moderate"),
    ({"phga": 17.5, "ptga": 10.0, "mmt8": 20.0, "chaq": 10.0}, 57.5, "moderate", "moderate"),
    ({"phga": 20.0, "ptga": 10.0, "mmt8": 20.0, "chaq": 10.0}, 60.0, "moderate", "major"),
    ({"phga": 20.0, "ptga": 10.0, "mmt8": 20.0, "chaq": 10.0, "ck": 7.5}, 67.5,
     "moderate", "major"),
    ({"phga": 20.0, "ptga": 10.0, "mmt8": 27.5, "chaq": 10.0, "ck": 2.5}, 70.0,
     "major", "major"),
])
def test_category_thresholds_jdm_30_45_70_and_adult_20_40_60(
        parts: dict[str, float], tis: float, jdm: str, adult: str,
) -> None:
    base, follow = total_of(**parts)
    for population, category in (("jdm", jdm), ("adult", adult)):
        out = run(base, follow, population=population).columns
        assert out["tis"].iloc[1] == tis
        assert out["tis_category"].iloc[1] == category


def test_printo_set_uses_cmas_and_das_total_instead_of_mmt8_and_extramuscular() -> None:
    base = {"cmas_total": 20.0, "das_total": 16.0, "mmt8_total": 40.0, "extramuscular_cm": 8.0}
    follow = {"cmas_total": 40.0, "das_total": 7.0, "mmt8_total": 40.0,
              "extramuscular_cm": 8.0}
    assert run(base, follow, core_set="printo").columns["tis"].iloc[1] == 32.5 + 20.0
    assert run(base, follow, core_set="imacs").columns["tis"].iloc[1] == 0.0
    # The PRINTO set needs no MMT-8 or extramuscular global at all.
    frame = visits({"week": 0.0, **STEADY}, {"week": 12.0, **STEADY}).drop(
        columns=["mmt8_total", "extramuscular_cm"])
    assert score_tis(frame, core_set="printo").columns["tis_category"].iloc[1] == "none"


def test_week_0_is_not_scored() -> None:
    out = run({}, {}).columns
    assert np.isnan(out["tis"].iloc[0])
    assert out["tis_category"].iloc[0] == "not_evaluable"


@pytest.mark.parametrize("column", ["phga_cm", "ptga_cm", "mmt8_total", "chaq", "ck_u_l",
                                    "extramuscular_cm"])
def test_missing_measure_at_follow_up_is_not_evaluable_with_warning(column: str) -> None:
    frame = visits({"week": 0.0, **STEADY}, {"week": 12.0, **STEADY})
    frame.loc[3, column] = np.nan
    result = score_tis(frame)
    assert np.isnan(result.columns["tis"].iloc[1])
    assert result.columns["tis_category"].iloc[1] == "not_evaluable"
    (warning,) = warning_rows(result.warnings)
    assert (warning.code, warning.patient_id, warning.week, warning.column) == (
        "tis_measure_missing", "p1", 12.0, column)


@pytest.mark.parametrize(("column", "code", "named"), [
    ("phga_cm", "tis_measure_missing", "phga_cm"), ("chaq", "tis_measure_missing", "chaq"),
    ("ck_u_l", "tis_measure_missing", None)])
def test_missing_measure_at_baseline_warns_once_per_patient(
        column: str, code: str, named: str | None,
) -> None:
    frame = visits({"week": 0.0, **STEADY}, {"week": 4.0, **STEADY}, {"week": 12.0, **STEADY})
    frame.loc[2, column] = np.nan
    result = score_tis(frame)
    assert result.columns["tis_category"].tolist() == ["not_evaluable"] * 3
    (warning,) = warning_rows(result.warnings)
    assert (warning.code, warning.week, warning.column) == (code, 0.0, named)
    assert "week 0" in warning.message


def test_most_abnormal_enzyme_is_highest_multiple_of_its_uln_and_is_followed() -> None:
    base = {"ck_u_l": 400.0, "ck_uln_u_l": 200.0,         # 2 x ULN
            "ldh_u_l": 750.0, "ldh_uln_u_l": 250.0}       # 3 x ULN: most abnormal
    follow = {"ck_u_l": 100.0, "ck_uln_u_l": 200.0, "ldh_u_l": 712.5, "ldh_uln_u_l": 250.0}
    out = run(base, follow).columns
    assert out["tis_enzyme"].tolist() == ["ldh_u_l", "ldh_u_l"]
    assert out["tis"].iloc[1] == 0.0          # LDH fell exactly 5 %; CK's 75 % is ignored


def test_tie_in_abnormality_chooses_the_first_in_field_order() -> None:
    base = {"ck_u_l": 400.0, "ck_uln_u_l": 200.0, "ast_u_l": 80.0, "ast_uln_u_l": 40.0}
    follow = {"ck_u_l": 400.0, "ck_uln_u_l": 200.0, "ast_u_l": 20.0, "ast_uln_u_l": 40.0}
    out = run(base, follow).columns
    assert out["tis_enzyme"].iloc[1] == "ck_u_l"
    assert out["tis"].iloc[1] == 0.0


def test_several_enzymes_one_without_uln_follow_the_first_measured_and_say_so() -> None:
    """CK (2 x ULN) and aldolase without its ULN: "most abnormal" cannot be decided, so the
    first measured in the order CK, aldolase, AST, ALT, LDH (CK) is followed."""
    base = {"ck_u_l": 400.0, "ck_uln_u_l": 200.0, "aldolase_u_l": 30.0}
    result = run(base, {"ck_u_l": 400.0})
    assert result.columns["tis_category"].tolist() == ["not_evaluable", "none"]
    assert result.columns["tis_enzyme"].tolist() == ["ck_u_l", "ck_u_l"]
    (warning,) = warning_rows(result.warnings)
    assert (warning.code, warning.week, warning.column) == (
        "tis_enzyme_fallback", 0.0, "ck_u_l")
    assert "CK, aldolase, AST, ALT, LDH" in warning.message


def test_single_enzyme_without_uln_is_evaluable_under_the_relative_rule() -> None:
    """CK alone, no ULN anywhere: 1000 -> 500 U/L is a 50 % fall (> 40 %: 7.5 points)."""
    frame = visits({"week": 0.0, **STEADY}, {"week": 12.0, **STEADY, "ck_u_l": 500.0}).drop(
        columns="ck_uln_u_l")
    result = score_tis(frame)
    assert result.columns["tis"].iloc[1] == 7.5
    assert result.columns["tis_enzyme"].iloc[1] == "ck_u_l"
    assert not result.warnings


def test_enzyme_zero_at_baseline_is_not_evaluable() -> None:
    result = run({"ck_u_l": 0.0}, {"ck_u_l": 0.0})
    assert result.columns["tis_category"].iloc[1] == "not_evaluable"
    assert [w.code for w in warning_rows(result.warnings)] == ["tis_enzyme_zero"]


def test_patient_without_week_0_is_not_evaluable_without_a_tis_warning() -> None:
    frame = visits({"week": 4.0, **STEADY})
    result = score_tis(frame)
    assert result.columns["tis_category"].tolist() == ["not_evaluable"]
    assert not result.warnings


def test_several_patients_are_scored_against_their_own_baseline() -> None:
    frame = visits(
        {"patient_id": "a", "week": 0.0, **STEADY},
        {"patient_id": "b", "week": 0.0, **STEADY, "phga_cm": 9.0},
        {"patient_id": "b", "week": 4.0, **STEADY, "phga_cm": 4.0},
        {"patient_id": "a", "week": 4.0, **STEADY, "phga_cm": 4.0})
    assert score_tis(frame).columns["tis"].tolist()[2:] == [20.0, 7.5]


def test_percent_change_rules_live_in_one_place_and_are_named_unverified() -> None:
    assert set(PERCENT_CHANGE_RULES.values()) == {"range", "baseline"}
    rules = tis_rules("printo")
    assert rules["cmas_total"] == "(follow-up - week 0) / 52 (scale range) x 100 [unverified]"
    assert rules["das_total"] == "(week 0 - follow-up) / 20 (scale range) x 100 [unverified]"
    assert all(text.endswith("[unverified]") for text in rules.values())
    methods = " ".join(run({}, {}).methods)
    assert "not verified" in methods and "exactly 5 %" in methods
