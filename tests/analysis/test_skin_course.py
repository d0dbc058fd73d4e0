"""Skin course (analysis/skin_course.py), pinned by hand.

Five patients; P1-P4 have rash at week 0, P5 does not. Rash resolution events at weeks 4
(P1), 8 (P2), 20 (P3) and 2 (P5, not counted: no rash at start). Resolution 3 of 4 = 75%.
Descriptive weeks among the 3 who resolved, type 6 (rank p (n + 1)): median rank 2 -> 8;
Q1 rank 1 -> 4; Q3 rank 3 -> 20. Relapse: P1's rash gone at week 4, back at week 8, JAKi
stopped at week 12.
"""

from __future__ import annotations

import pandas as pd

from jdmtrack.analysis.settings import AnalysisSettings
from jdmtrack.analysis.skin_course import summarise_skin_course

PATIENTS = pd.DataFrame({"patient_id": ["P1", "P2", "P3", "P4", "P5"],
                         "jaki_stop_week": [12.0, None, None, None, None]})
VISITS = pd.DataFrame({"patient_id": ["P1", "P2", "P3", "P4", "P5"], "week": [0.0] * 5,
                       "rash": pd.array([True, True, True, True, False], dtype="boolean")})
EVENTS = pd.DataFrame({"patient_id": ["P1", "P2", "P3", "P5", "P1"],
                       "event": ["rash_resolution"] * 4 + ["relapse"],
                       "week": [4.0, 8.0, 20.0, 2.0, 8.0]})


def test_skin_course_by_hand():
    s = summarise_skin_course(PATIENTS, VISITS, EVENTS, AnalysisSettings())
    assert s["n_with_rash"] == 4
    assert s["resolution"] == {"n": 3, "of": 4, "percent": 75.0}
    weeks = s["weeks_to_resolution_resolved"]
    assert (weeks["q1"], weeks["median"], weeks["q3"]) == (4.0, 8.0, 20.0)
    assert s["relapses"] == [{"patient_id": "P1", "rash_gone_week": 4.0, "relapse_week": 8.0,
                              "jaki_stop_week": 12.0}]


def test_nobody_with_rash():
    visits = VISITS.assign(rash=pd.array([False] * 5, dtype="boolean"))
    s = summarise_skin_course(PATIENTS, visits, EVENTS.iloc[:0], AnalysisSettings())
    assert s["resolution"] == {"n": 0, "of": 0, "percent": None}
    assert s["weeks_to_resolution_resolved"]["median"] is None
