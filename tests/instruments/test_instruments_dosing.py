"""Doses per kg and eGFR (bedside Schwartz 2009), by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jdmtrack.instruments import score_visits
from jdmtrack.instruments.egfr import egfr_bedside_schwartz


def test_bedside_schwartz_hand_calculation():
    """Height 140 cm, creatinine 53.04 µmol/L = 0.6 mg/dL: 0.413 x 140 / 0.6 = 96.3667."""
    assert egfr_bedside_schwartz(140.0, 53.04)[()] == pytest.approx(0.413 * 140 / 0.6, rel=1e-12)
    assert egfr_bedside_schwartz(140.0, 53.04)[()] == pytest.approx(96.36666666666667, rel=1e-12)


def test_egfr_missing_inputs_give_missing():
    assert np.isnan(egfr_bedside_schwartz([np.nan, 120.0], [50.0, np.nan])).all()


def test_cs_and_jaki_per_kg():
    """20 mg/day / 40 kg = 0.5 mg/kg/day; baricitinib 2 mg x 2 / 40 kg = 0.1 mg/kg/day."""
    visits = pd.DataFrame({"patient_id": ["P"], "week": [0.0], "weight_kg": [40.0],
                           "cs_mg_day": [20.0], "jaki_mg_per_dose": [2.0],
                           "jaki_doses_per_day": [2.0]})
    scored = score_visits(visits).visits
    assert scored["cs_mg_kg_day"].iloc[0] == 0.5
    assert scored["jaki_mg_day"].iloc[0] == 4.0
    assert scored["jaki_mg_kg_day"].iloc[0] == 0.1


def test_recorded_mg_per_kg_wins_and_disagreement_is_warned():
    visits = pd.DataFrame({"patient_id": ["P"], "week": [0.0], "weight_kg": [40.0],
                           "cs_mg_day": [20.0], "cs_mg_kg_day": [0.8]})
    result = score_visits(visits)
    assert result.visits["cs_mg_kg_day"].iloc[0] == 0.8
    assert [w.code for w in result.warnings] == ["cs_dose_disagrees"]


def test_no_weight_no_per_kg_dose():
    visits = pd.DataFrame({"patient_id": ["P"], "week": [0.0], "weight_kg": [np.nan],
                           "cs_mg_day": [20.0]})
    result = score_visits(visits)
    assert np.isnan(result.visits["cs_mg_kg_day"].iloc[0])
    assert [w.code for w in result.warnings] == ["weight_missing"]
