"""JAKi dose check against the bundled reference table and user-supplied tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from criteria_frames import patients, visits, warning_rows

from jdmtrack.criteria import CriteriaSettings, classify
from jdmtrack.errors import InputError
from jdmtrack.protocol import DoseReference, check_jaki_dose, load_dose_reference
from jdmtrack.protocol.dosing import DOSE_REFERENCE_COLUMNS


def check(drug: str, *records: dict[str, float], reference: DoseReference | None = None,
          **patient: object) -> list[str]:
    table = visits(*({"week": float(i), **r} for i, r in enumerate(records)))
    out = check_jaki_dose(table, patients({"jaki_drug": drug, **patient}), reference)
    return out.columns["dose_check"].tolist()


@pytest.mark.parametrize("drug", ["tofacitinib", "ruxolitinib"])
@pytest.mark.parametrize(("weight", "mg_day", "expected"), [
    (24.9, 5.0, "ok"), (24.9, 4.9, "below_reference"), (24.9, 15.0, "ok"),
    (24.9, 15.1, "above_maximum"),
    (25.0, 5.0, "below_reference"), (25.0, 10.0, "ok"), (25.0, 15.0, "ok"),
    (25.0, 20.0, "above_maximum"), (60.0, 10.0, "ok")])
def test_ding_2021_weight_bands(drug: str, weight: float, mg_day: float, expected: str) -> None:
    """Ding 2021: < 25 kg 2.5 mg BID, >= 25 kg 5 mg BID, highest 7.5 mg BID."""
    assert check(drug, {"weight_kg": weight, "jaki_mg_day": mg_day}) == [expected]


@pytest.mark.parametrize(("weight", "egfr", "mg_day", "expected"), [
    (9.9, 100.0, 2.0, "not_evaluable"),                 # below the label's 10 kg
    (10.0, 100.0, 2.0, "ok"), (10.0, 100.0, 1.0, "below_reference"),
    (29.9, 100.0, 2.0, "ok"), (29.9, 100.0, 4.0, "above_maximum"),
    (30.0, 100.0, 2.0, "below_reference"), (30.0, 100.0, 4.0, "ok"),
    (30.0, 60.0, 4.0, "ok"), (30.0, 59.9, 4.0, "above_maximum"), (30.0, 59.9, 2.0, "ok"),
    (30.0, 30.0, 2.0, "ok"), (30.0, 29.9, 2.0, "not_recommended"),
    (20.0, 60.0, 2.0, "ok"), (20.0, 59.9, 1.0, "ok"), (20.0, 59.9, 2.0, "above_maximum"),
    (20.0, 30.0, 1.0, "ok"), (20.0, 29.9, 1.0, "not_recommended"),
])
def test_baricitinib_weight_and_egfr_edges(
        weight: float, egfr: float, mg_day: float, expected: str,
) -> None:
    assert check("baricitinib", {"weight_kg": weight, "egfr": egfr,
                                 "jaki_mg_day": mg_day}) == [expected]


def test_missing_egfr_is_decided_only_when_every_possible_band_agrees() -> None:
    # Tofacitinib bands ignore eGFR; baricitinib's differ by eGFR.
    assert check("tofacitinib", {"weight_kg": 30.0, "jaki_mg_day": 10.0}) == ["ok"]
    result = check_jaki_dose(visits({"week": 0.0, "weight_kg": 30.0, "jaki_mg_day": 4.0}),
                             patients({"jaki_drug": "baricitinib"}))
    assert result.columns["dose_check"].tolist() == ["not_evaluable"]
    (warning,) = warning_rows(result.warnings)
    assert (warning.code, warning.column) == ("dose_check_not_evaluable", "egfr")


def test_missing_weight_decided_when_both_bands_agree() -> None:
    assert check("ruxolitinib", {"jaki_mg_day": 20.0}) == ["above_maximum"]
    assert check("ruxolitinib", {"jaki_mg_day": 7.5}) == ["not_evaluable"]


def test_missing_dose_or_drug_is_not_evaluable_with_warning() -> None:
    result = check_jaki_dose(visits({"week": 0.0, "weight_kg": 30.0}),
                             patients({"jaki_drug": "tofacitinib"}))
    assert result.columns["dose_check"].tolist() == ["not_evaluable"]
    assert warning_rows(result.warnings)[0].column == "jaki_mg_day"
    result = check_jaki_dose(visits({"week": 0.0, "weight_kg": 30.0, "jaki_mg_day": 10.0}),
                             patients({}))
    assert warning_rows(result.warnings)[0].column == "jaki_drug"


def test_binary_residue_of_dose_product_does_not_cross_the_maximum() -> None:
    """5 mg x 3 = 15 exactly; 0.1 x 3 in float64 is 0.30000000000000004."""
    reference = load_dose_reference()
    assert check("tofacitinib", {"weight_kg": 30.0, "jaki_mg_day": 5.0 * 3},
                 reference=reference) == ["ok"]
    assert 0.1 * 3 > 0.3
    text = ",".join(DOSE_REFERENCE_COLUMNS) + "\ntofacitinib,,,,,yes,0.1,0.3,,,test\n"
    from jdmtrack.protocol.dosing import parse_dose_reference
    tiny = parse_dose_reference(text, "tiny.csv")
    assert check("tofacitinib", {"weight_kg": 30.0, "jaki_mg_day": 0.1 * 3},
                 reference=tiny) == ["ok"]


def test_visits_after_the_jaki_was_stopped_are_not_checked() -> None:
    result = check_jaki_dose(
        visits({"week": 0.0, "weight_kg": 30.0, "jaki_mg_day": 10.0},
               {"week": 12.0, "weight_kg": 30.0, "jaki_mg_day": 0.0}),
        patients({"jaki_drug": "tofacitinib", "jaki_stop_week": 12.0}))
    assert result.columns["dose_check"].tolist() == ["ok", "not_evaluable"]
    assert not result.warnings


def test_mg_per_kg_limits_of_a_user_table(tmp_path: Path) -> None:
    path = tmp_path / "ags.csv"
    path.write_text(",".join(DOSE_REFERENCE_COLUMNS) + "\n"
                    "baricitinib,,,,,yes,,,0.1,0.6,AGS compassionate use (example)\n",
                    encoding="utf-8")
    reference = load_dose_reference(path)
    assert [check("baricitinib", {"jaki_mg_kg_day": value}, reference=reference)[0]
            for value in (0.09, 0.1, 0.6, 0.61)] == [
        "below_reference", "ok", "ok", "above_maximum"]
    assert "ags.csv" in check_jaki_dose(visits({"week": 0.0}), patients({}),
                                        reference).methods[0]


def test_user_table_replaces_the_bundled_one_through_settings(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(",".join(DOSE_REFERENCE_COLUMNS) + "\n"
                    "tofacitinib,,,,,yes,20,20,,,our protocol\n", encoding="utf-8")
    table = visits({"week": 0.0, "weight_kg": 30.0, "jaki_mg_day": 10.0})
    who = patients({"jaki_drug": "tofacitinib"})
    assert classify(table, who).visits["dose_check"].tolist() == ["ok"]
    mine = classify(table, who, settings=CriteriaSettings(dose_reference=path))
    assert mine.visits["dose_check"].tolist() == ["below_reference"]


def test_invalid_user_table_lists_every_problem_with_file_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(",".join(DOSE_REFERENCE_COLUMNS) + ",extra\n"
                    "tofacitinib,,25,,,yes,5,15,,,Ding,\n"
                    "tofacitinib,20,,,,yes,10,5,,,Ding,\n"
                    "upadacitinib,,,,,yes,x,,,,,\n"
                    "baricitinib,,,,,no,2,,,,label,\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_dose_reference(path)
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {
        (1, "extra"),
        (3, "maximum_mg_day"),           # maximum below reference
        (4, "drug"), (4, "reference_mg_day"), (4, "source"),
        (5, "reference_mg_day"),         # dose given for a not-recommended band
    }
    assert all(p.file == str(path) for p in caught.value.problems)


def test_overlapping_bands_are_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "overlap.csv"
    path.write_text(",".join(DOSE_REFERENCE_COLUMNS) + "\n"
                    "tofacitinib,,25,,,yes,5,15,,,a\n"
                    "tofacitinib,20,,,,yes,10,15,,,b\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 3, column 'weight_min_kg'.*overlap row 2"):
        load_dose_reference(path)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="expected an existing file"):
        load_dose_reference(tmp_path / "nowhere.csv")


def test_bundled_table_is_valid_and_has_no_unverified_kim_2018_rows() -> None:
    reference = load_dose_reference()
    assert reference.bundled
    assert {b.drug for b in reference.bands} == {"tofacitinib", "ruxolitinib", "baricitinib"}
    assert all("Kim" not in b.source for b in reference.bands)
    assert all(b.source for b in reference.bands)
