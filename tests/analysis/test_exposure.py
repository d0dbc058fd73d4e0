"""Treatment exposure (analysis/exposure.py), pinned by hand.

Three patients, analysis weeks 0, 4, 12, 24:
  P1 20 kg, 2.5 mg x 2 at week 0, stopped week 12        -> 12 weeks, band < 25 kg on band dose
  P2 30 kg, 5 mg x 2, not stopped, follow-up 30 weeks     -> 30 weeks, band >= 25 kg on band dose
  P3 25 kg, 5 mg x 1 (not the band's twice daily), 7.5 mg at week 4, follow-up 24
                                                           -> 24 weeks, band >= 25 kg (25 is in)
Durations 12, 24, 30: median 24, shortest 12, longest 30; 12 weeks = 12 x 7 / 30.4375
= 2.7597 months. Highest mg per dose 7.5 (P3 only). Treated to week 24: P2, P3 (2 of 3,
66.67%); stopped before: {"12": 1}.
"""

from __future__ import annotations

import pandas as pd
import pytest

from jdmtrack.analysis.exposure import summarise_exposure
from jdmtrack.analysis.settings import AnalysisSettings

PATIENTS = pd.DataFrame({"patient_id": ["P1", "P2", "P3"], "jaki_stop_week": [12.0, None, None],
                         "followup_weeks": [24.0, 30.0, 24.0]})
VISITS = pd.DataFrame({
    "patient_id": ["P1", "P1", "P2", "P2", "P3", "P3"],
    "week": [0.0, 12.0, 0.0, 24.0, 0.0, 4.0],
    "weight_kg": [20.0, 20.5, 30.0, 30.2, 25.0, 25.1],
    "jaki_mg_per_dose": [2.5, 2.5, 5.0, 5.0, 5.0, 7.5],
    "jaki_doses_per_day": [2, 2, 2, 2, 1, 1],
})
EVENTS = pd.DataFrame({"patient_id": pd.Series([], dtype=object),
                       "event": pd.Series([], dtype=object), "week": pd.Series([], dtype=float)})


@pytest.fixture(scope="module")
def exposure():
    return summarise_exposure(PATIENTS, VISITS, EVENTS, AnalysisSettings())


def test_duration(exposure):
    weeks = exposure["duration_weeks"]
    assert (weeks["min"], weeks["median"], weeks["max"]) == (12.0, 24.0, 30.0)
    assert exposure["duration_months"]["min"] == pytest.approx(12 * 7 / 30.4375, rel=1e-12)


def test_weight_bands_and_doses(exposure):
    bands = exposure["start_weight_bands"]
    assert (bands["under_25_kg"]["n"], bands["under_25_kg"]["n_band_dose"]) == (1, 1)
    assert (bands["from_25_kg"]["n"], bands["from_25_kg"]["n_band_dose"]) == (2, 1)
    assert bands["n_weight_missing"] == 0
    assert exposure["highest_mg_per_dose"] == {"value": 7.5, "n_patients": 1,
                                               "percent": pytest.approx(100 / 3)}


def test_treated_to_the_last_week(exposure):
    assert exposure["treated_to_last_week"]["n"] == 2
    assert exposure["treated_to_last_week"]["percent"] == pytest.approx(200 / 3)
    assert exposure["stopped_before_last_week"] == {"12": 1}
