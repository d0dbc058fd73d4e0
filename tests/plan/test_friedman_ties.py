"""Friedman power decided by the p-value the analysis reports, ties and all."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np

from jdmtrack.plan import vectorised as vec
from jdmtrack.stats import friedman_test

DEMO = Path(str(resources.files("jdmtrack") / "data" / "demo" / "baricitinib"))


def test_friedman_with_ties_decides_as_the_analysis_p_value():
    """Resampled integer CMAS trajectories (ties in almost every study, a new tie pattern in
    almost every study): each study's decision equals the analysis's headline Friedman
    p-value, friedman_test(..., permutation="auto").p_value_exact <= 0.05, exact at this
    size (12 patients, 4 weeks)."""
    from jdmtrack.plan.friedman_exact import ExactFriedman
    from jdmtrack.plan.models import Design
    from jdmtrack.plan.pilot import load_pilot

    pilot = load_pilot(DEMO, "cmas_change")
    values = pilot.sample(np.random.default_rng(21), 150, 12, 3, Design(sites=4, icc=0.2,
                                                                        dropout=0.05))
    decided = vec.friedman_reject(values, 0.05, ExactFriedman(0.05), np.random.default_rng(5))
    tied = 0
    for study, got in zip(values, decided, strict=True):
        rows = study[np.all(np.isfinite(study), axis=1)]
        result = friedman_test(rows) if len(rows) >= 2 else None
        p = None if result is None else result.p_value_exact
        tied += any(len(set(r)) < 4 for r in rows.tolist())
        assert got == (p is not None and p <= 0.05)
    assert tied > 100 and 10 < decided.sum() < 140


def test_friedman_monte_carlo_sizes_decide_as_the_analysis():
    """40 patients with muscle involvement resampled: the exact distribution is too large,
    so the analysis reports its Monte Carlo p (100,000 resamples, its seed); the simulated
    decision equals it study by study (screened studies lie 5 SE from alpha)."""
    from jdmtrack.plan.friedman_exact import ExactFriedman
    from jdmtrack.plan.models import Design
    from jdmtrack.plan.pilot import load_pilot

    pilot = load_pilot(DEMO, "cmas_change", ["muscle_involvement=yes"])
    values = pilot.sample(np.random.default_rng(22), 20, 40, 3, Design(sites=8, icc=0.6))
    # weaken the effect so that decisions vary: shuffle the weeks of half of the patients
    rng = np.random.default_rng(23)
    for study in values:
        for row in study[: 30]:
            rng.shuffle(row)
    decided = vec.friedman_reject(values, 0.05, ExactFriedman(0.05), np.random.default_rng(6))
    methods = set()
    for study, got in zip(values, decided, strict=True):
        result = friedman_test(study)
        methods.add(result.permutation_method.split(",")[0])
        assert got == (result.p_value_exact <= 0.05)
    assert methods == {"Monte Carlo"}
    assert 0 < decided.sum() < len(decided)


def test_friedman_above_the_permutation_limit_uses_the_chi_square():
    """Above analysis.outcomes.PERMUTATION_MAX_N complete patients the analysis reports the
    chi-square p-value (permutation="none"), and so does the simulation."""
    from jdmtrack.analysis.outcomes import PERMUTATION_MAX_N
    from jdmtrack.plan.friedman_exact import ExactFriedman

    rng = np.random.default_rng(24)
    values = rng.integers(0, 4, size=(30, PERMUTATION_MAX_N + 5, 3)).astype(float)
    values[:, :, 2] += rng.random((30, 1)) * 0.6  # some studies shifted, ties kept
    values = np.round(values)
    decided = vec.friedman_reject(values, 0.05, ExactFriedman(0.05), np.random.default_rng(7))
    for study, got in zip(values, decided, strict=True):
        assert got == (friedman_test(study, permutation="none").p_value <= 0.05)
    assert 0 < decided.sum() < len(decided)


def test_friedman_result_records_how_p_was_computed():
    from jdmtrack.defaults import DEFAULT_RESAMPLES, DEFAULT_SEED
    from jdmtrack.plan import plan

    result = plan(test="friedman", effect=1.0, sd=1.0, n=[10], sims=50, seed=1, progress=False)
    recorded = result.settings["friedman_p"]
    assert recorded["resamples"] == DEFAULT_RESAMPLES and recorded["seed"] == DEFAULT_SEED
    assert recorded["permutation_max_n"] == 200 and recorded["screen_resamples"] == 2000
