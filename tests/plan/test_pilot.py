"""Resampling a pilot cohort: whole trajectories, ceilings kept, clear errors."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from jdmtrack.errors import SettingsError
from jdmtrack.plan import plan
from jdmtrack.plan.models import Design
from jdmtrack.plan.pilot import endpoint_week, load_pilot

DEMO = Path(str(resources.files("jdmtrack") / "data" / "demo" / "baricitinib"))


def test_pilot_rows_are_the_cohort_trajectories():
    pilot = load_pilot(DEMO, "cmas_change")
    assert pilot.weeks == (0.0, 4.0, 12.0, 24.0)
    assert pilot.measure == "cmas_total" and pilot.integer and pilot.maximum == 52
    last = endpoint_week(pilot, None)
    assert pilot.weeks[last] == 24.0
    sample = pilot.sample(np.random.default_rng(1), 50, 12, last, Design())
    rows = {tuple(r) for r in pilot.values.tolist()}
    assert all(tuple(r) in rows for r in sample.reshape(-1, 4).tolist())


def test_site_effects_keep_ceilings_and_integer_scores():
    pilot = load_pilot(DEMO, "cmas_change")
    sample = pilot.sample(np.random.default_rng(2), 200, 20, 3, Design(sites=8, icc=0.3))
    observed = sample[np.isfinite(sample)]
    assert observed.max() <= 52 and observed.min() >= 0
    assert np.all(observed == np.round(observed))
    assert np.array_equal(sample[..., 0], sample[..., 0].round())
    at_ceiling = (pilot.values[:, 0] == 52).mean()
    assert at_ceiling > 0 and (sample[..., 3] == 52).mean() > 0


def test_dropout_removes_later_visits():
    pilot = load_pilot(DEMO, "cmas_change")
    sample = pilot.sample(np.random.default_rng(3), 400, 10, 3, Design(dropout=0.3))
    missing = ~np.isfinite(sample)
    # once missing, missing at every later visit
    assert np.all(missing[..., 1:] >= missing[..., :-1])
    assert 0.5 < missing[..., 3].mean() < 0.8  # 1 - 0.7^3 = 0.657


def test_pilot_power_runs_and_reports_its_source():
    result = plan(pilot=DEMO, endpoint="cmas_change", n=[10, 30], sites=8, sims=400, seed=1)
    assert result.test == "wilcoxon" and result.settings["icc"] == 0.05
    assert result.grid[0].power < result.grid[1].power
    assert "resampled" in result.effect_source and "8 sites" in result.effect_source


def test_friedman_from_pilot():
    result = plan(test="friedman", pilot=DEMO, endpoint="mmt8_change", n=[10], sims=300, seed=1)
    assert 0.0 <= result.grid[0].power <= 1.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"endpoint": "das_total_change"}, "does not have das_total"),
        ({"endpoint": "bmi_change"}, "unknown endpoint"),
        ({"endpoint": "cmas_change", "week": 8}, "not a visit week"),
        ({"endpoint": "cmas_change", "test": "fisher", "p1": 0.5, "p2": 0.2}, "--pilot works with"),
        ({}, "--pilot needs --endpoint"),
    ],
)
def test_pilot_errors(kwargs, message):
    with pytest.raises(SettingsError, match=message):
        plan(pilot=DEMO, n=[10], sims=10, **kwargs)


def test_explicit_endpoint_week():
    result = plan(pilot=DEMO, endpoint="cmas_change", week=12, n=[10], sims=100, seed=2)
    assert result.settings["week"] == 12.0 and "week 12" in result.effect_source
