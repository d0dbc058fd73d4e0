"""CR / PR / NR as study B defined them, with the design contract's missing-data rule."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from criteria_frames import visits, warning_rows

from jdmtrack.criteria import classify_response

# Week 0: muscle involved (CMAS 40 < 48), active skin, on 1 mg/kg/day corticosteroid.
BASE = {"week": 0.0, "ck_u_l": 400.0, "cmas_total": 40.0, "mmt8_total": 70.0,
        "phga_cm": 5.0, "das_skin": 6.0, "rash": True, "skin_ulceration_active": False,
        "erythema": True, "cs_mg_kg_day": 1.0, "new_immunosuppressant": False}
# A visit meeting every PR clause but not CR (PRINTO not met, skin still active).
PARTIAL = {"week": 12.0, "ck_u_l": 300.0, "cmas_total": 44.0, "mmt8_total": 72.0,
           "phga_cm": 3.0, "das_skin": 3.0, "rash": True, "skin_ulceration_active": False,
           "erythema": True, "cs_mg_kg_day": 0.5, "new_immunosuppressant": False}
# A visit in complete response.
COMPLETE = {**PARTIAL, "ck_u_l": 100.0, "cmas_total": 50.0, "mmt8_total": 79.0,
            "phga_cm": 0.2, "das_skin": 1.0, "erythema": False}


def response(follow: Mapping[str, object], base: Mapping[str, object] | None = None) -> str:
    out = classify_response(visits(base or BASE, follow)).columns["response"]
    assert out.iloc[0] == "not_evaluable"  # week 0 is not classified
    return str(out.iloc[1])


def without(record: Mapping[str, object], *columns: str) -> dict[str, object]:
    return {k: v for k, v in record.items() if k not in columns}


def test_complete_response_needs_printo_inactive_and_inactive_skin() -> None:
    assert response(COMPLETE) == "CR"
    assert response({**COMPLETE, "das_skin": 2.0}) == "PR"        # skin active
    assert response({**COMPLETE, "ck_u_l": 400.0, "cmas_total": 47.0}) == "PR"   # PRINTO 2/4


def test_cr_does_not_need_steroid_taper_or_other_pr_clauses() -> None:
    assert response({**COMPLETE, "cs_mg_kg_day": 1.0, "new_immunosuppressant": True}) == "CR"


def test_partial_response_when_every_clause_holds() -> None:
    assert response(PARTIAL) == "PR"


@pytest.mark.parametrize(("change", "why"), [
    ({"das_skin": 6.0}, "skin not improved (skin-DAS equal to week 0, rash still present)"),
    ({"cmas_total": 40.0, "mmt8_total": 70.0}, "muscle involved and not improved"),
    ({"cs_mg_kg_day": 0.51}, "steroid reduced by less than 50 %"),
    ({"new_immunosuppressant": True}, "new immunosuppressant"),
])
def test_each_failing_pr_clause_gives_non_response(change: dict[str, object], why: str) -> None:
    assert response({**PARTIAL, **change}) == "NR", why


def test_steroid_taper_of_exactly_50_percent_is_enough() -> None:
    assert response({**PARTIAL, "cs_mg_kg_day": 0.5}) == "PR"
    base = {**BASE, "cs_mg_kg_day": 0.53}
    assert response({**PARTIAL, "cs_mg_kg_day": 0.265}, base) == "PR"
    assert response({**PARTIAL, "cs_mg_kg_day": 0.27}, base) == "NR"


def test_either_cmas_or_mmt8_improving_suffices() -> None:
    assert response({**PARTIAL, "cmas_total": 40.0, "mmt8_total": 71.0}) == "PR"
    assert response({**PARTIAL, "cmas_total": 41.0, "mmt8_total": 70.0}) == "PR"


def test_patient_without_muscle_involvement_needs_no_muscle_improvement() -> None:
    base = {**BASE, "cmas_total": 50.0, "mmt8_total": 80.0}
    follow = {**PARTIAL, "cmas_total": 49.0, "mmt8_total": 79.0}
    assert response(follow, base) == "PR"


def test_muscle_involved_by_mmt8_alone_requires_improvement() -> None:
    base = {**BASE, "cmas_total": 50.0, "mmt8_total": 77.0}
    assert response({**PARTIAL, "cmas_total": 50.0, "mmt8_total": 77.0}, base) == "NR"
    assert response({**PARTIAL, "cmas_total": 50.0, "mmt8_total": 78.0}, base) == "PR"


def test_rash_cleared_counts_as_skin_improved_only_without_a_skin_das_pair() -> None:
    assert response({**without(PARTIAL, "das_skin"), "rash": False}) == "PR"
    assert response({**PARTIAL, "das_skin": 6.0, "rash": False}) == "NR"


def test_skin_das_not_improved_is_nr_even_with_other_clauses_missing() -> None:
    """Issue 13 item 3: skin-DAS 6 -> 6 fails the PR skin clause, PRINTO is not met (CK
    300, CMAS 44, MMT-8 72, PhGA 3), so CR is impossible: NR although the steroid dose,
    the new-immunosuppressant flag and the rash are missing."""
    follow = without({**PARTIAL, "das_skin": 6.0}, "cs_mg_kg_day", "new_immunosuppressant",
                     "rash")
    assert response(follow) == "NR"


def test_patient_off_steroids_at_week_0_cannot_taper() -> None:
    base = {**BASE, "cs_mg_kg_day": 0.0}
    assert response({**PARTIAL, "cs_mg_kg_day": 0.0}, base) == "NR"
    assert response({**COMPLETE, "cs_mg_kg_day": 0.0}, base) == "CR"


def test_new_immunosuppressant_gives_nr_even_with_other_inputs_missing() -> None:
    follow = without({**PARTIAL, "new_immunosuppressant": True}, "das_skin", "cs_mg_kg_day")
    assert response(follow) == "NR"


def test_missing_while_cr_still_possible_is_not_evaluable() -> None:
    result = classify_response(visits(BASE, without(COMPLETE, "erythema")))
    assert result.columns["response"].tolist() == ["not_evaluable", "not_evaluable"]
    (warning,) = warning_rows(result.warnings)
    assert (warning.code, warning.column) == ("response_not_evaluable", "skin_inactive")


def test_printo_not_evaluable_keeps_cr_open() -> None:
    follow = without(COMPLETE, "ck_u_l", "cmas_total")        # 2 of 4 known met
    assert response(follow) == "not_evaluable"


def test_cr_decided_despite_missing_inputs_when_known_ones_suffice() -> None:
    follow = without(COMPLETE, "ck_u_l", "cs_mg_kg_day", "new_immunosuppressant")
    assert response(follow) == "CR"


def test_cr_impossible_and_a_pr_clause_missing_is_not_evaluable() -> None:
    follow = without(PARTIAL, "cs_mg_kg_day")
    result = classify_response(visits(BASE, follow))
    assert result.columns["response"].iloc[1] == "not_evaluable"
    (warning,) = warning_rows(result.warnings)
    assert warning.column == "cs_mg_kg_day"
    assert "corticosteroid taper" in warning.message


def test_missing_baseline_muscle_scores_leave_the_muscle_clause_open() -> None:
    base = without(BASE, "cmas_total", "mmt8_total")
    assert response(PARTIAL, base) == "not_evaluable"
    # ... unless another clause fails
    assert response({**PARTIAL, "new_immunosuppressant": True}, base) == "NR"


def test_methods_text_says_the_muscle_clause_is_our_reading() -> None:
    text = " ".join(classify_response(visits(BASE)).methods)
    assert "ambiguous" in text and "either sufficing" in text
    assert "Week 0 was not classified" in text
