"""The TIS enzyme rule (a setting, unverified) and the PRINTO core sets.

Every expected value is worked out by hand in the docstrings from Rider 2017 (Rheumatology
56:1884) Table 3: enzyme (or CHQ-PhS) points 0 / 2.5 / 5 / 7.5 / 7.5 for improvement
<= 5 / > 5-15 / > 15-25 / > 25-40 / > 40 %.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from criteria_frames import patients, visits, warning_rows

from jdmtrack.criteria import CriteriaSettings, classify, score_tis, tis_rules
from jdmtrack.errors import SettingsError

# Every non-enzyme IMACS measure unchanged: 0 points each, so the TIS is the enzyme's points.
STEADY = {"phga_cm": 5.0, "ptga_cm": 5.0, "mmt8_total": 60.0, "chaq": 1.5,
          "extramuscular_cm": 5.0, "cmas_total": 30.0, "das_total": 10.0}


def tis(base: dict[str, Any], follow: dict[str, Any], **kwargs: Any) -> float:
    frame = visits({"week": 0.0, **STEADY, **base}, {"week": 12.0, **STEADY, **follow})
    return float(score_tis(frame, **kwargs).columns["tis"].iloc[1])


def test_the_two_enzyme_rules_differ_on_ck_150_to_60_with_uln_200() -> None:
    """CK 150 -> 60 U/L, ULN 200 (instruments.md section 9).

    relative:  (150 - 60) / 150 x 100 = 90 / 150 x 100 = 60 %  -> band > 40 %  -> 7.5 points.
    uln_range, k = 15 for CK: (150 - 60) / (15 x 200) x 100 = 90 / 3000 x 100 = 3 %
               -> band <= 5 %  -> 0 points.
    """
    base, follow = {"ck_u_l": 150.0, "ck_uln_u_l": 200.0}, {"ck_u_l": 60.0, "ck_uln_u_l": 200.0}
    assert tis(base, follow) == 7.5
    assert tis(base, follow, enzyme_rule="relative") == 7.5
    assert tis(base, follow, enzyme_rule="uln_range", uln_multiples={"ck": 15.0}) == 0.0
    # k = 1: 90 / 200 = 45 % -> > 40 % -> 7.5; k = 6: 90 / 1200 = 7.5 % -> > 5-15 % -> 2.5.
    assert tis(base, follow, enzyme_rule="uln_range", uln_multiples={"ck": 1.0}) == 7.5
    assert tis(base, follow, enzyme_rule="uln_range", uln_multiples={"ck": 6.0}) == 2.5


def test_uln_range_band_edge_is_exact() -> None:
    """ALT 12.3 -> 7.38 U/L, ULN 32.8, k = 3: 4.92 / 98.4 x 100 = exactly 5 % -> 0 points
    (float64 gives 5.000000000000001). ALT 12.3 -> 7.37: 4.93 / 98.4 = 5.01 % -> 2.5."""
    base = {"alt_u_l": 12.3, "alt_uln_u_l": 32.8}
    rule = {"enzyme_rule": "uln_range", "uln_multiples": {"alt": 3.0}}
    assert (12.3 - 7.38) / (3 * 32.8) * 100 > 5
    assert tis(base, {"alt_u_l": 7.38}, **rule) == 0.0
    assert tis(base, {"alt_u_l": 7.37}, **rule) == 2.5


def test_single_enzyme_needs_no_uln_under_relative_but_does_under_uln_range() -> None:
    """CK 150 -> 60 without any ULN: relative 60 % -> 7.5; uln_range cannot divide by a
    missing ULN -> not evaluable, with a warning naming ck_uln_u_l."""
    frame = visits({"week": 0.0, **STEADY, "ck_u_l": 150.0},
                   {"week": 12.0, **STEADY, "ck_u_l": 60.0})
    assert score_tis(frame).columns["tis"].iloc[1] == 7.5
    result = score_tis(frame, enzyme_rule="uln_range", uln_multiples={"ck": 15.0})
    assert result.columns["tis_category"].iloc[1] == "not_evaluable"
    (warning,) = warning_rows(result.warnings)
    assert (warning.code, warning.column) == ("tis_enzyme_uln_missing", "ck_uln_u_l")


def test_uln_range_without_the_multiple_of_the_enzyme_followed_is_a_settings_error() -> None:
    frame = visits({"week": 0.0, **STEADY, "ldh_u_l": 500.0, "ldh_uln_u_l": 250.0},
                   {"week": 12.0, **STEADY, "ldh_u_l": 300.0, "ldh_uln_u_l": 250.0})
    with pytest.raises(SettingsError, match=r"no multiple .* for ldh"):
        score_tis(frame, enzyme_rule="uln_range", uln_multiples={"ck": 15.0})


@pytest.mark.parametrize(("given", "message"), [
    ({"tis_enzyme_rule": "uln_range"}, "tis_enzyme_uln_multiples is empty"),
    ({"tis_enzyme_rule": "uln_range", "tis_enzyme_uln_multiples": {"cpk": 15}},
     "unknown enzyme 'cpk'"),
    ({"tis_enzyme_rule": "uln_range", "tis_enzyme_uln_multiples": {"ck": 0}}, "ck is 0"),
    ({"tis_enzyme_rule": "uln_range", "tis_enzyme_uln_multiples": "ck15"}, "ENZYME=MULTIPLE"),
    ({"tis_enzyme_rule": "ratio"}, "tis_enzyme_rule is 'ratio'"),
])
def test_enzyme_rule_settings_are_checked(given: dict[str, Any], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        CriteriaSettings(**given)


def test_multiples_from_the_command_line_text() -> None:
    settings = CriteriaSettings(tis_enzyme_rule="uln_range",
                                tis_enzyme_uln_multiples="ck=15, ldh=3")
    assert settings.tis_enzyme_uln_multiples == {"ck": 15.0, "ldh": 3.0}


def test_several_enzymes_without_ulns_follow_ck_and_the_warning_says_why() -> None:
    """CK 900 -> 300 and LDH 500 -> 400, no ULN: CK (first in CK, aldolase, AST, ALT, LDH)
    is followed: (900 - 300) / 900 = 66.7 % -> 7.5 points (LDH's 20 % would give 5)."""
    frame = visits({"week": 0.0, **STEADY, "ck_u_l": 900.0, "ldh_u_l": 500.0},
                   {"week": 12.0, **STEADY, "ck_u_l": 300.0, "ldh_u_l": 400.0})
    result = score_tis(frame)
    assert result.columns["tis"].iloc[1] == 7.5
    assert result.columns["tis_enzyme"].tolist() == ["ck_u_l", "ck_u_l"]
    (record,) = result.warnings
    assert (record.code, record.column, record.count) == ("tis_enzyme_fallback", "ck_u_l", 1)
    assert "follows ck_u_l, the first measured in the order CK, aldolase" in record.message


def test_methods_text_names_the_rule_and_says_it_is_unverified() -> None:
    relative = " ".join(score_tis(visits({"week": 0.0})).methods)
    assert "Muscle enzyme rule: 'relative' (unverified)" in relative
    uln = " ".join(score_tis(visits({"week": 0.0}), enzyme_rule="uln_range",
                             uln_multiples={"ck": 15.0}).methods)
    assert "Muscle enzyme rule: 'uln_range' (unverified)" in uln
    assert "k x ULN at week 0" in uln and "ck 15" in uln


def test_published_printo_set_uses_chq_phs_in_place_of_the_enzyme() -> None:
    """PRINTO set: CMAS 20 -> 40 (+20 / 52 = 38.5 % -> > 30 %: 32.5), DAS 16 -> 7 (9 / 20 =
    45 % -> > 40 %: 20), CHQ-PhS 30 -> 36 ((36 - 30) / 30 = 20 % -> > 15-25 %: 5).
    The CK (2000 -> 500) is not part of this set. TIS = 32.5 + 20 + 5 = 57.5 (moderate)."""
    base = {"cmas_total": 20.0, "das_total": 16.0, "chq_phs": 30.0, "ck_u_l": 2000.0}
    follow = {"cmas_total": 40.0, "das_total": 7.0, "chq_phs": 36.0, "ck_u_l": 500.0}
    frame = visits({"week": 0.0, **STEADY, **base}, {"week": 12.0, **STEADY, **follow})
    out = score_tis(frame, core_set="printo_published").columns
    assert out["tis"].iloc[1] == 57.5
    assert out["tis_category"].iloc[1] == "moderate"
    assert out["tis_enzyme"].iloc[1] is None
    # The variant keeps the enzyme: CK 75 % -> 7.5 instead of CHQ-PhS's 5: 32.5 + 20 + 7.5.
    assert tis(base, follow, core_set="printo_variant") == 60.0
    assert tis(base, follow, core_set="printo") == 60.0   # deprecated alias of the variant


def test_published_printo_set_without_chq_phs_is_not_evaluable() -> None:
    frame = visits({"week": 0.0, **STEADY}, {"week": 12.0, **STEADY})
    result = score_tis(frame, core_set="printo_published")
    assert result.columns["tis_category"].iloc[1] == "not_evaluable"
    assert {r.column for r in result.warnings} == {"chq_phs"}
    assert tis_rules("printo_published")["chq_phs"] == (
        "(follow-up - week 0) / week 0 x 100 [unverified]")


def test_printo_alias_is_a_deprecation_warning_not_an_error() -> None:
    settings = CriteriaSettings(tis_core_set="printo")
    assert settings.core_set == "printo_variant"
    frame = visits({"week": 0.0, **STEADY, "ck_u_l": 100.0},
                   {"week": 12.0, **STEADY, "ck_u_l": 100.0})
    result = classify(frame, patients({}), settings=settings)
    (record,) = [r for r in result.warnings if r.code == "setting_deprecated"]
    assert (record.table, record.column, record.count) == ("settings", "tis_core_set", 1)
    assert "'printo' is deprecated" in record.message and "printo_variant" in record.message
    assert "PRINTO variant core set" in " ".join(result.methods)
    assert not [r for r in classify(frame, patients({})).warnings
                if r.code == "setting_deprecated"]


@pytest.mark.parametrize(("phga", "ck", "lazarevic", "almeida"), [
    (0.2, 100.0, "met", "met"),          # all four met
    (0.3, 100.0, "met", "not_met"),      # 3 of 4 without PhGA: Almeida needs PhGA
    (0.2, 200.0, "met", "met"),          # PhGA + CMAS + MMT-8
    (None, 100.0, "met", "not_evaluable"),  # Almeida: PhGA unknown decides nothing
    (0.3, None, "not_evaluable", "not_met"),  # Almeida: PhGA > 0.2 decides alone
])
def test_almeida_2015_variant_makes_phga_mandatory(
        phga: float | None, ck: float | None, lazarevic: str, almeida: str) -> None:
    """CMAS 50 (>= 48) and MMT-8 79 (>= 78) met in every row; PhGA and CK vary."""
    record: dict[str, Any] = {"week": 0.0, "cmas_total": 50.0, "mmt8_total": 79.0}
    if phga is not None:
        record["phga_cm"] = phga
    if ck is not None:
        record["ck_u_l"] = ck
    frame = visits(record)
    got = [classify(frame, patients({}), settings=CriteriaSettings(printo_cid_variant=v)
                    ).visits["printo_cid"].iloc[0] for v in ("lazarevic_2013", "almeida_2015")]
    assert got == [lazarevic, almeida]
    assert np.isfinite(classify(frame, patients({})).visits["printo_cid_criteria_met"].iloc[0])
