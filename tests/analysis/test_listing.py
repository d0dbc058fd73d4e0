"""Per-patient listing (analysis/listing.py), pinned by hand.

LDH at week 0 / week 24: P1 340 -> 395 (rose), P2 307 -> 420 (rose), P3 500 -> 300,
P4 only at week 0. Rises at week 24: 2 of the 3 pairs, lowest week-0 value first:
P2 (307 -> 420), then P1 (340 -> 395) -- study A's two LDH rises.
"""

from __future__ import annotations

import pandas as pd

from jdmtrack.analysis.listing import per_patient_listing
from jdmtrack.analysis.settings import AnalysisSettings

AT_WEEKS = pd.DataFrame({
    "patient_id": ["P1", "P1", "P2", "P2", "P3", "P3", "P4"],
    "week": [0.0, 24.0, 0.0, 24.0, 0.0, 24.0, 0.0],
    "ldh_u_l": [340, 395, 307, 420, 500, 300, 280],
    "alt_u_l": [57, 85, 20, 21, 30, 30, 25],
})


def test_values_and_rises():
    listing = per_patient_listing(AT_WEEKS, AnalysisSettings())
    assert listing["measures"] == ["alt_u_l", "ldh_u_l"]
    assert listing["patients"]["P1"]["alt_u_l"] == {"0": 57.0, "24": 85.0}
    assert listing["patients"]["P4"]["ldh_u_l"] == {"0": 280.0}
    rises = listing["rises"]["ldh_u_l"]["24"]
    assert (rises["n"], rises["n_pairs"]) == (2, 3)
    assert [(p["patient_id"], p["before"], p["after"]) for p in rises["patients"]] == [
        ("P2", 307.0, 420.0), ("P1", 340.0, 395.0)]


def test_rows_in_any_order_missing_and_text_values():
    """Rows unsorted, a week outside the analysis weeks (week 2), a duplicate visit at a week
    (the first kept), a missing value and a text value (both left out of the listing).

    P2: ALT week 0 = 20, week 4 = "high" (not a number: left out), week 12 = 22 -> {0, 12}.
    P1: ALT week 12 missing, week 0 = 10 then a second week-0 row 99 (dropped) -> {0}.
    P10 sorts after P1 and before P2 as text.
    """
    at_weeks = pd.DataFrame({
        "patient_id": ["P2", "P10", "P1", "P2", "P1", "P2", "P1", "P2"],
        "week": [12.0, 0.0, 0.0, 0.0, 12.0, 2.0, 0.0, 4.0],
        "alt_u_l": [22, 5, 10, 20, None, 30, 99, "high"],
    })
    listing = per_patient_listing(at_weeks, AnalysisSettings())
    assert list(listing["patients"]) == ["P1", "P10", "P2"]
    assert listing["patients"]["P1"] == {"alt_u_l": {"0": 10.0}}
    assert listing["patients"]["P10"] == {"alt_u_l": {"0": 5.0}}
    assert listing["patients"]["P2"] == {"alt_u_l": {"0": 20.0, "12": 22.0}}
    assert list(listing["patients"]["P2"]["alt_u_l"]) == ["0", "12"]
    # Week 12 pairs: P2 only (P1's week 12 is missing); 20 -> 22 rose.
    assert listing["rises"]["alt_u_l"]["12"] == {
        "n": 1, "n_pairs": 1, "patients": [{"patient_id": "P2", "before": 20.0, "after": 22.0}]}


def test_no_rows_at_the_analysis_weeks():
    at_weeks = pd.DataFrame({"patient_id": ["P1"], "week": [2.0], "alt_u_l": [10.0]})
    listing = per_patient_listing(at_weeks, AnalysisSettings())
    assert listing == {"measures": ["alt_u_l"], "patients": {}, "rises": {}}
