"""Organ outcomes and response percentages (analysis/organs.py), pinned by hand.

ILD at start in P1-P3: outcomes improved, stable, (not recorded); P4 has no ILD but an
outcome typed by mistake, which is not counted. MAS in P2, resolved.
Week 24 responses CR, CR, PR, NR, not_evaluable: 4 evaluable; CR 2 (50%), PR 1 (25%),
NR 1 (25%), CR or PR 3 (75%).
"""

from __future__ import annotations

import pandas as pd

from jdmtrack.analysis.organs import summarise_organs, summarise_response_percent
from jdmtrack.analysis.settings import AnalysisSettings

PATIENTS = pd.DataFrame({
    "patient_id": ["P1", "P2", "P3", "P4"],
    "ild": pd.array([True, True, True, False], dtype="boolean"),
    "ild_outcome": ["improved", "stable", None, "worse"],
    "mas": pd.array([False, True, False, False], dtype="boolean"),
    "mas_outcome": [None, "resolved", None, None],
})


def test_organ_outcomes_among_the_involved():
    o = summarise_organs(PATIENTS)
    assert o["ild"] == {"n_involved": 3, "outcomes": {"resolved": 0, "improved": 1,
                                                      "stable": 1, "worse": 0},
                        "n_missing": 1}
    assert o["mas"]["outcomes"]["resolved"] == 1
    assert o["calcinosis"]["n_involved"] == 0  # no calcinosis column: nobody involved


def test_response_percentages():
    at_weeks = pd.DataFrame({"patient_id": list("abcde"), "week": [24.0] * 5,
                             "response": ["CR", "CR", "PR", "NR", "not_evaluable"]})
    r = summarise_response_percent(at_weeks, AnalysisSettings())["24"]
    assert r["n_evaluable"] == 4
    assert (r["CR"], r["PR"], r["NR"]) == ({"n": 2, "percent": 50.0}, {"n": 1, "percent": 25.0},
                                           {"n": 1, "percent": 25.0})
    assert r["CR_or_PR"] == {"n": 3, "percent": 75.0}
