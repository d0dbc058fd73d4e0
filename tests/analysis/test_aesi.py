"""Adverse events of special interest (analysis/aesi.py), pinned by hand.

Three events in two patients:
  P1 week 10 herpes zoster: infection, special interest herpes_zoster, serious, admitted,
     JAKi interrupted -> serious infection 1, herpes zoster 1, hospitalisation criterion
  P1 week 12 upper respiratory infection, not serious
  P2 week 5 deep vein thrombosis: category thromboembolic, no special-interest code
     -> thromboembolism 1 (read from the category)
Everything else (EBV, CMV, tuberculosis, MACE, malignancy, death) is listed with 0.
"""

from __future__ import annotations

import pandas as pd

from jdmtrack.analysis.aesi import summarise_aesi

ADVERSE = pd.DataFrame({
    "patient_id": ["P1", "P1", "P2"], "week": [10.0, 12.0, 5.0],
    "term": ["Herpes zoster", "Upper respiratory tract infection", "Deep vein thrombosis"],
    "category": ["infection", "infection", "thromboembolic"],
    "serious": pd.array([True, False, False], dtype="boolean"),
    "hospitalised": pd.array([True, False, False], dtype="boolean"),
    "action": ["interrupted", "none", "none"],
    "outcome": ["resolved", "resolved", "resolved"],
    "special_interest": ["herpes_zoster", None, None],
})


def test_special_interest_listed_with_zeros():
    a = summarise_aesi(ADVERSE)
    items = a["special_interest"]
    assert items["serious_infection"] == {"n_events": 1, "n_patients": 1}
    assert items["herpes_zoster"] == {"n_events": 1, "n_patients": 1}
    assert items["thromboembolism"] == {"n_events": 1, "n_patients": 1}
    for code in ("ebv_reactivation", "cmv_reactivation", "tuberculosis", "mace", "malignancy",
                 "death"):
        assert items[code] == {"n_events": 0, "n_patients": 0}, code
    assert a["by_category"]["infection"] == {"n_events": 2, "n_patients": 1}


def test_serious_events_and_actions():
    a = summarise_aesi(ADVERSE)
    assert a["serious"] == [{"patient_id": "P1", "week": 10.0, "term": "Herpes zoster",
                             "criteria": ["hospitalisation"], "action": "interrupted"}]
    assert a["actions"]["interrupted_and_hospitalised"] == {"n_events": 1, "n_patients": 1}
    assert a["actions"]["withdrawn"] == {"n_events": 0, "n_patients": 0}


def test_no_adverse_events_at_all():
    a = summarise_aesi(ADVERSE.iloc[:0])
    assert all(v == {"n_events": 0, "n_patients": 0} for v in a["special_interest"].values())
    assert a["serious"] == []
