"""Disease at JAKi start (analysis/at_start.py) and the derived patient courses
(jdmtrack.courses), pinned by hand.

Four patients at week 0 (CK upper limit 200, LDH upper limit 400):
  P1 rash yes, CK 250 (high), LDH 300; week 24 CK 220 (high)  -> high at start and throughout
  P2 rash yes, CK 100, LDH 450 (high); week 24 CK 90, LDH 300  -> high at start only
  P3 rash no,  CK 100, LDH 300                                 -> not high
  P4 rash missing, no laboratory values                        -> unknown
Rash 2 of 4 (50%, 3 known); enzymes high at start 2 (50%); throughout 1 (25%).
CMAS: P1 30 -> 40 improved; P2 47 -> 47 unchanged; P3 not scored at week 0 because of a
contracture (reason recorded) -> no course.
"""

from __future__ import annotations

import pandas as pd
import pytest

from jdmtrack.analysis.at_start import summarise_at_start
from jdmtrack.analysis.settings import AnalysisSettings
from jdmtrack.courses import patient_courses

VISITS = pd.DataFrame({
    "patient_id": ["P1", "P1", "P2", "P2", "P3", "P3", "P4"],
    "week": [0.0, 24.0, 0.0, 24.0, 0.0, 24.0, 0.0],
    "rash": pd.array([True, False, True, False, False, False, None], dtype="boolean"),
    "ck_u_l": [250, 220, 100, 90, 100, 95, None],
    "ck_uln_u_l": [200, 200, 200, 200, 200, 200, None],
    "ldh_u_l": [300, 300, 450, 300, 300, 300, None],
    "ldh_uln_u_l": [400, 400, 400, 400, 400, 400, None],
    "cmas_total": [30, 40, 47, 47, None, 41, None],
    "reason_cmas_not_scored": [None, None, None, None, "contracture", None, None],
})


@pytest.fixture(scope="module")
def at_start():
    patients = pd.DataFrame({"patient_id": ["P1", "P2", "P3", "P4"],
                             "muscle_involvement": pd.array([True, True, True, False],
                                                            dtype="boolean")})
    patients = pd.concat([patients, patient_courses(VISITS, patients["patient_id"])], axis=1)
    return summarise_at_start(patients, VISITS, AnalysisSettings())


def test_rash_counts_the_known(at_start):
    assert at_start["rash"] == {"n": 2, "of": 4, "n_known": 3, "percent": 50.0}


def test_enzymes(at_start):
    assert at_start["enzymes_high_start"]["n"] == 2
    assert at_start["enzymes_high_start"]["n_known"] == 3
    assert at_start["enzymes_high_throughout"]["n"] == 1
    assert at_start["enzymes_high_throughout"]["percent"] == 25.0


def test_cmas_course_and_reason(at_start):
    assert at_start["cmas_course"] == {"improved": 1, "unchanged": 1, "worse": 0}
    reasons = at_start["cmas_not_scorable"]
    assert reasons["n"] == 1 and reasons["reasons"]["contracture"] == 1
    assert sum(reasons["reasons"].values()) == 1
    assert at_start["muscle_involvement"]["n"] == 3
