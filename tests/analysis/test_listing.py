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
