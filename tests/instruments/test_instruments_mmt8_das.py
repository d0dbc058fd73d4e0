"""MMT-8 (0-80, IMACS Form 04) and DAS (0-20 = skin 0-9 + muscle 0-11, Bode 2003)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from jdmtrack.instruments import score_visits
from jdmtrack.instruments.mmt8 import MMT8_COLUMNS


def frame(**columns: list[float]) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    return pd.DataFrame({"patient_id": ["P"] * n, "week": [0.0] * n, **columns})


def test_mmt8_all_groups_at_10_gives_80():
    scored = score_visits(frame(**{c: [10.0] for c in MMT8_COLUMNS})).visits
    assert scored["mmt8_total"].iloc[0] == 80


def test_mmt8_hand_sum():
    """9 + 9 + 8 + 10 + 7 + 6 + 9 + 10 = 68."""
    grades = [9.0, 9.0, 8.0, 10.0, 7.0, 6.0, 9.0, 10.0]
    scored = score_visits(frame(**{c: [g] for c, g in zip(MMT8_COLUMNS, grades, strict=True)}))
    assert scored.visits["mmt8_total"].iloc[0] == 68


def test_mmt8_missing_group_is_missing_with_warning():
    columns = {c: [10.0] for c in MMT8_COLUMNS}
    columns["mmt8_quadriceps"] = [np.nan]
    result = score_visits(frame(**columns))
    assert np.isnan(result.visits["mmt8_total"].iloc[0])
    assert [w.column for w in result.warnings] == ["mmt8_quadriceps"]


def test_das_total_is_skin_plus_muscle():
    """Maxima 9 + 11 = 20; and 6 + 3 = 9."""
    scored = score_visits(frame(das_skin=[9.0, 6.0, np.nan], das_muscle=[11.0, 3.0, 2.0])).visits
    assert scored["das_total"].iloc[0] == 20
    assert scored["das_total"].iloc[1] == 9
    assert np.isnan(scored["das_total"].iloc[2])


@given(st.lists(st.integers(0, 10), min_size=8, max_size=8))
def test_mmt8_total_is_sum_within_range(grades):
    scored = score_visits(frame(**{c: [float(g)] for c, g in zip(MMT8_COLUMNS, grades, strict=True)}))
    total = scored.visits["mmt8_total"].iloc[0]
    assert total == sum(grades)
    assert 0 <= total <= 80
