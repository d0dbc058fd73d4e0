"""Corticosteroid course: cs_change_pct and derived cs_discontinuation events."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest
from criteria_frames import frame, visits, warning_rows

from jdmtrack.protocol import cs_change, cs_discontinuation_events


def test_percent_change_from_week_0_is_follow_up_minus_baseline() -> None:
    out = cs_change(visits({"week": 0.0, "cs_mg_kg_day": 0.53},
                           {"week": 12.0, "cs_mg_kg_day": 0.33},
                           {"week": 24.0, "cs_mg_kg_day": 0.0},
                           {"week": 36.0})).columns["cs_change_pct"].tolist()
    assert out[0] == 0.0
    assert out[1] == pytest.approx(-37.735849, abs=1e-6)
    assert out[2] == -100.0
    assert math.isnan(out[3])


@pytest.mark.parametrize("baseline", [0.0, None])
def test_zero_or_missing_baseline_gives_nan_with_one_warning(baseline: float | None) -> None:
    base = {"week": 0.0} if baseline is None else {"week": 0.0, "cs_mg_kg_day": baseline}
    result = cs_change(visits(base, {"week": 4.0, "cs_mg_kg_day": 0.2},
                              {"week": 12.0, "cs_mg_kg_day": 0.1}))
    assert result.columns["cs_change_pct"].isna().all()
    (warning,) = warning_rows(result.warnings)
    assert (warning.code, warning.patient_id, warning.column) == (
        "cs_baseline_unusable", "p1", "cs_mg_kg_day")
    assert warning.message.endswith("missing" if baseline is None else "is 0")


def events_of(*records: dict[str, float], recorded: pd.DataFrame | None = None
              ) -> dict[Any, Any]:
    return cs_discontinuation_events(visits(*records), recorded).to_dict("list")


def test_first_visit_with_dose_0_after_positive_baseline_is_the_event() -> None:
    assert events_of({"week": 0.0, "cs_mg_kg_day": 0.5}, {"week": 4.0, "cs_mg_kg_day": 0.2},
                     {"week": 12.0, "cs_mg_kg_day": 0.0}, {"week": 24.0, "cs_mg_kg_day": 0.0}
                     ) == {"patient_id": ["p1"], "event": ["cs_discontinuation"],
                           "week": [12.0]}


def test_visit_order_in_the_table_does_not_matter() -> None:
    assert events_of({"week": 24.0, "cs_mg_kg_day": 0.0}, {"week": 0.0, "cs_mg_kg_day": 0.5},
                     {"week": 12.0, "cs_mg_kg_day": 0.0})["week"] == [12.0]


def test_no_event_without_positive_baseline_or_without_stopping() -> None:
    assert events_of({"week": 0.0, "cs_mg_kg_day": 0.0}, {"week": 4.0, "cs_mg_kg_day": 0.0}
                     )["patient_id"] == []
    assert events_of({"week": 0.0}, {"week": 4.0, "cs_mg_kg_day": 0.0})["patient_id"] == []
    assert events_of({"week": 0.0, "cs_mg_kg_day": 0.5}, {"week": 4.0, "cs_mg_kg_day": 0.1}
                     )["patient_id"] == []


def test_recorded_discontinuation_wins_over_the_derived_one() -> None:
    recorded = frame("events", [{"patient_id": "p1", "event": "cs_discontinuation",
                                 "week": 10.5}])
    assert events_of({"week": 0.0, "cs_mg_kg_day": 0.5}, {"week": 12.0, "cs_mg_kg_day": 0.0},
                     recorded=recorded)["patient_id"] == []
    other = frame("events", [{"patient_id": "p1", "event": "relapse", "week": 10.5}])
    assert events_of({"week": 0.0, "cs_mg_kg_day": 0.5}, {"week": 12.0, "cs_mg_kg_day": 0.0},
                     recorded=other)["week"] == [12.0]


def test_event_table_dtypes() -> None:
    out = cs_discontinuation_events(visits({"week": 0.0, "cs_mg_kg_day": 0.5},
                                           {"week": 12.0, "cs_mg_kg_day": 0.0}))
    assert out.dtypes.to_dict() == {"patient_id": object, "event": object, "week": float}
    assert isinstance(out.index, pd.RangeIndex)
