"""Kaplan-Meier against R ``survival`` 3.5-3 (tests/reference/stats/reference.R).

``survfit(Surv(time, event) ~ 1, conf.type = "log-log")``: the curve (time, n.risk, n.event,
n.censor, surv, std.err, lower, upper) and ``quantile(fit, c(.25, .5, .75))`` with its lower
and upper limits; R's NA is our None. Tolerance 1e-9 relative.
"""

from __future__ import annotations

import json

import pytest
from stats_reference import assert_close, datasets, survival, value, vector

from jdmtrack.errors import ComputationError
from jdmtrack.stats import kaplan_meier

SURVIVAL = datasets("survival_")


@pytest.mark.parametrize("name", SURVIVAL)
def test_kaplan_meier_matches_survfit(name: str) -> None:
    time, event = survival(name)
    r = kaplan_meier(time, event)
    assert r.n == value(name, "km.n")
    assert r.events == value(name, "km.events")
    assert list(r.time) == vector(name, "km.time")
    assert list(r.n_risk) == vector(name, "km.n.risk")
    assert list(r.n_event) == vector(name, "km.n.event")
    assert list(r.n_censor) == vector(name, "km.n.censor")
    for field, key in [("surv", "km.surv"), ("std_err", "km.std.err"), ("lower", "km.lower"),
                       ("upper", "km.upper")]:
        for i, (ours, theirs) in enumerate(zip(getattr(r, field), vector(name, key),
                                               strict=True)):
            assert_close(ours, theirs, f"{name} {field}[{i}]")
    quant, lower, upper = (vector(name, "km.quantile"), vector(name, "km.quantile_lower"),
                           vector(name, "km.quantile_upper"))
    for i, (estimate, (low, high)) in enumerate([(r.q1, r.q1_ci), (r.median, r.median_ci),
                                                 (r.q3, r.q3_ci)]):
        assert_close(estimate, quant[i], f"{name} quantile {i}")
        assert_close(low, lower[i], f"{name} quantile {i} lower")
        assert_close(high, upper[i], f"{name} quantile {i} upper")
    json.dumps(r.as_dict(), allow_nan=False)


def test_plateau_at_half_gives_the_midpoint() -> None:
    """Hand calculation (survival_03): 10 patients, events at weeks 1-5 -> S = 5/10 = 0.5
    exactly from week 5 until the next event at week 9: median = (5 + 9) / 2 = 7
    (quantile.survfit's rule, design.md)."""
    time, event = survival("survival_03_plateau_half")
    assert kaplan_meier(time, event).median == 7.0


def test_curve_ending_at_half_uses_last_follow_up() -> None:
    """survival_08: events at 1 and 2 of 4, then censored at 3 and 4: S ends at 0.5, so the
    median is (2 + 4) / 2 = 3, as R; Q3 is not reached (None)."""
    r = kaplan_meier([1, 2, 3, 4], [1, 1, 0, 0])
    assert (r.q1, r.median, r.q3) == (1.5, 3.0, None)


def test_no_events_gives_none_and_note() -> None:
    r = kaplan_meier([12, 24, 24, 36], [0, 0, 0, 0])
    assert r.events == 0 and r.median is None and r.median_ci == (None, None)
    assert r.as_dict()["median_weeks"] is None and r.as_dict()["ci95"] is None
    assert r.note == "no events: no quantile is reached"


def test_unbounded_upper_limit_is_none() -> None:
    r = kaplan_meier([1, 2, 2, 3, 4, 5, 6], [0, 1, 1, 0, 1, 1, 1])
    assert r.median == 4.0 and r.median_ci == (2.0, None)
    assert r.as_dict()["ci95"] == [2.0, None]
    assert "upper confidence limit" in (r.note or "")


def test_empty_and_bad_input() -> None:
    empty = kaplan_meier([], [])
    assert empty.n == 0 and empty.median is None and empty.note == "no patients"
    with pytest.raises(ComputationError, match="event"):
        kaplan_meier([1.0, 2.0], [1, 2])
    with pytest.raises(ComputationError, match="one entry per time"):
        kaplan_meier([1.0, 2.0], [1])
