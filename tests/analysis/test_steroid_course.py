"""Glucocorticoid course (analysis/steroid_course.py), pinned by hand.

Week 0 doses 1.0, 0.5, 0.8 (median 0.8); week 12 doses 0.4, 0.5, 0.2 (median 0.4):
fall of the median = 100 x (1 - 0.4 / 0.8) = 50%. Per-patient changes -60%, 0%, -75%:
median -60% (a different number). P1 and P3 are in CR/PR at week 12: their median
(0.4 + 0.2) / 2 = 0.3 against the all-patient 0.8 -> 62.5%. One of three stopped
glucocorticoids (a cs_discontinuation event): 33.3%.
"""

from __future__ import annotations

import pandas as pd
import pytest

from jdmtrack.analysis.settings import AnalysisSettings
from jdmtrack.analysis.steroid_course import summarise_steroids

PATIENTS = pd.DataFrame({"patient_id": ["P1", "P2", "P3"]})
AT_WEEKS = pd.DataFrame({
    "patient_id": ["P1", "P2", "P3"] * 2, "week": [0.0] * 3 + [12.0] * 3,
    "cs_mg_kg_day": [1.0, 0.5, 0.8, 0.4, 0.5, 0.2],
    "cs_change_pct": [None, None, None, -60.0, 0.0, -75.0],
    "response": [None, None, None, "CR", "NR", "PR"],
})
EVENTS = pd.DataFrame({"patient_id": ["P3"], "event": ["cs_discontinuation"], "week": [20.0]})


def test_fall_of_the_median_beside_the_median_of_changes():
    s = summarise_steroids(PATIENTS, AT_WEEKS, EVENTS, AnalysisSettings())
    week = s["by_week"]["12"]
    assert s["baseline_median"] == 0.8 and week["median"] == 0.4
    assert week["median_fall_percent"] == pytest.approx(50.0)
    assert week["median_of_changes_percent"] == -60.0
    assert week["n_responders"] == 2 and week["median_responders"] == pytest.approx(0.3)
    assert week["median_fall_percent_responders"] == pytest.approx(62.5)
    assert s["stopped"] == {"n": 1, "of": 3, "percent": pytest.approx(100 / 3)}
    assert set(s["by_week"]) == {"12"}  # weeks 4 and 24 have no visits
