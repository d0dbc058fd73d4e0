"""CMAS scoring pinned by hand calculations from the score sheet (Lovell 1999; Huber 2004)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jdmtrack.instruments import score_visits
from jdmtrack.instruments.cmas import CMAS_ITEM_COLUMNS, cmas_item_from_seconds

# Item maxima as printed on the score sheet, item 1 to 14, written out by hand.
SHEET_MAXIMA = [5, 2, 5, 3, 6, 3, 3, 4, 3, 4, 4, 4, 3, 3]


def visits_with(items: list[float], **extra: float) -> pd.DataFrame:
    row = {"patient_id": "P1", "week": 0.0, **dict(zip(CMAS_ITEM_COLUMNS, items, strict=True)),
           **extra}
    return pd.DataFrame([row], index=pd.Index([2], name="row"))


def test_every_item_at_its_maximum_gives_52():
    """5+2+5+3+6+3+3+4+3+4+4+4+3+3 = 52, the top of the scale."""
    scored = score_visits(visits_with([float(x) for x in SHEET_MAXIMA])).visits
    assert scored["cmas_total"].iloc[0] == 52


@pytest.mark.parametrize("item", range(14))
def test_each_item_maximum_counts_alone(item):
    """One item at its maximum, the rest 0: the total is that item's maximum."""
    items = [0.0] * 14
    items[item] = float(SHEET_MAXIMA[item])
    assert score_visits(visits_with(items)).visits["cmas_total"].iloc[0] == SHEET_MAXIMA[item]


def test_worked_total():
    """4+1+4+2+5+2+2+3+2+3+3+3+3+3 = 40 (the first example-cohort visit, added by hand)."""
    items = [4, 1, 4, 2, 5, 2, 2, 3, 2, 3, 3, 3, 3, 3]
    assert score_visits(visits_with([float(x) for x in items])).visits["cmas_total"].iloc[0] == 40


@pytest.mark.parametrize(
    ("seconds", "item", "score"),
    [
        # items 1 and 3: <1 s = 0; 1-9 = 1; 10-29 = 2; 30-59 = 3; 60-119 = 4; >=120 = 5
        (0.0, 1, 0), (0.9, 1, 0), (1.0, 1, 1), (9.9, 1, 1), (10.0, 1, 2), (29.9, 1, 2),
        (30.0, 1, 3), (59.9, 1, 3), (60.0, 1, 4), (119.9, 1, 4), (120.0, 1, 5), (400.0, 1, 5),
        (0.9, 3, 0), (1.0, 3, 1), (10.0, 3, 2), (30.0, 3, 3), (60.0, 3, 4), (120.0, 3, 5),
        # item 8 uses the same bands but stops at 4 (>= 60 s)
        (0.9, 8, 0), (1.0, 8, 1), (9.9, 8, 1), (10.0, 8, 2), (29.9, 8, 2), (30.0, 8, 3),
        (59.9, 8, 3), (60.0, 8, 4), (120.0, 8, 4),
    ],
)
def test_seconds_band_edges(seconds, item, score):
    assert cmas_item_from_seconds([seconds], item)[0] == score


def test_untimed_item_is_refused():
    with pytest.raises(ValueError, match="not timed"):
        cmas_item_from_seconds([5.0], 2)


def test_seconds_fill_a_missing_timed_item():
    """Item 1 from 45 s (= 3) and item 8 from 200 s (= 4): 3 + 4 + 12 other items at 2 = 31."""
    items = [np.nan] + [2.0] * 6 + [np.nan] + [2.0] * 6
    frame = visits_with(items, cmas_01_seconds=45.0, cmas_08_seconds=200.0)
    assert score_visits(frame).visits["cmas_total"].iloc[0] == 3 + 4 + 12 * 2


def test_missing_item_leaves_total_missing_with_a_warning():
    items = [5.0] * 3 + [np.nan] + [1.0] * 10
    result = score_visits(visits_with(items))
    assert np.isnan(result.visits["cmas_total"].iloc[0])
    (warning,) = result.warnings
    assert (warning.code, warning.count, warning.column) == ("item_missing", 1, "cmas_04")
    assert warning.examples == ({"patient_id": "P1", "week": 0.0, "row": 2},)
    assert "never pro-rated" in warning.message


def test_given_total_is_used_when_items_are_absent():
    frame = pd.DataFrame({"patient_id": ["P1"], "week": [4.0], "cmas_total": [44.0]})
    result = score_visits(frame)
    assert result.visits["cmas_total"].iloc[0] == 44
    assert not result.warnings


@given(st.tuples(*[st.integers(0, top) for top in SHEET_MAXIMA]))
def test_total_is_item_sum_and_within_range(items):
    total = score_visits(visits_with([float(x) for x in items])).visits["cmas_total"].iloc[0]
    assert total == sum(items)
    assert 0 <= total <= 52
