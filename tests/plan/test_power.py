"""Simulated power: the vectorised tests against jdmtrack.stats, scipy and R; the models
against R pwr within Monte Carlo error; reproducibility; impossible requests."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from jdmtrack.errors import SettingsError
from jdmtrack.plan import plan
from jdmtrack.plan import vectorised as vec
from jdmtrack.plan.models import Design, changes, responders
from jdmtrack.plan.power import minimum_n, t_test_power
from jdmtrack.stats import friedman_test, wilcoxon_signed_rank


def test_signed_rank_matches_the_analysis_test_study_by_study():
    """Integer changes (ties, zeros) with missing values: each study's decision equals
    p_value_exact <= 0.05 from jdmtrack.stats.wilcoxon_signed_rank on its observed values."""
    rng = np.random.default_rng(7)
    d = rng.integers(-4, 7, size=(400, 10)).astype(float)
    d[rng.random(d.shape) < 0.15] = np.nan
    decided = vec.signed_rank_reject(d, 0.05)
    for row, got in zip(d, decided, strict=True):
        result = wilcoxon_signed_rank(row[np.isfinite(row)])
        expected = result.p_value_exact is not None and result.p_value_exact <= 0.05
        assert got == expected
    assert 0 < decided.sum() < len(decided)


def test_signed_rank_without_ties_uses_the_exact_table():
    rng = np.random.default_rng(8)
    d = rng.normal(0.6, 1.0, size=(300, 9))
    decided = vec.signed_rank_reject(d, 0.05)
    expected = [wilcoxon_signed_rank(row).p_value_exact <= 0.05 for row in d]
    assert decided.tolist() == expected


def test_rank_sum_matches_scipy_exact_and_asymptotic():
    """No ties: exact (scipy method='exact'); ties: normal approximation with tie and
    continuity correction (scipy method='asymptotic', use_continuity=True, = R wilcox.test)."""
    rng = np.random.default_rng(9)
    x, y = rng.normal(0, 1, (200, 7)), rng.normal(1, 1, (200, 8))
    exact = [stats.mannwhitneyu(a, b, method="exact").pvalue <= 0.05 for a, b in zip(x, y, strict=True)]
    assert vec.rank_sum_reject(x, y, 0.05).tolist() == exact
    xi, yi = rng.integers(0, 5, (200, 7)).astype(float), rng.integers(1, 6, (200, 8)).astype(float)
    approx = [stats.mannwhitneyu(a, b, method="asymptotic").pvalue <= 0.05
              for a, b in zip(xi, yi, strict=True)]
    assert vec.rank_sum_reject(xi, yi, 0.05).tolist() == approx


def test_fisher_table_matches_scipy():
    rng = np.random.default_rng(10)
    n1, n2 = rng.integers(3, 12, 300), rng.integers(3, 12, 300)
    x1, x2 = rng.integers(0, n1 + 1), rng.integers(0, n2 + 1)
    expected = [stats.fisher_exact([[a, n - a], [b, m - b]]).pvalue <= 0.05
                for a, n, b, m in zip(x1, n1, x2, n2, strict=True)]
    assert vec.fisher_reject(x1, n1, x2, n2, 0.05).tolist() == expected


def test_logrank_statistic_matches_r_survdiff():
    """tests/reference/plan.R: survdiff(Surv(time, status) ~ arm)$chisq = 1.55966164152061."""
    time = np.array([[3.1, 5.2, 7.7, 9.0, 12.5, 15.0, 2.2, 4.1, 4.9, 6.3, 8.8, 10.4]])
    status = np.array([[1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1]], dtype=bool)
    arm1 = np.arange(12) < 6
    assert vec.logrank_statistic(time, status, arm1)[0] == pytest.approx(1.55966164152061, rel=1e-12)


def test_friedman_statistic_matches_the_analysis_test():
    rng = np.random.default_rng(11)
    values = rng.integers(0, 4, size=(50, 6, 3)).astype(float)
    values[0, 2, 1] = np.nan  # one incomplete patient: dropped, as friedman.test
    statistic, n = vec.friedman_statistic(values)
    for i in range(50):
        rows = values[i][np.all(np.isfinite(values[i]), axis=1)]
        result = friedman_test(rows, permutation="none")
        assert n[i] == result.n_complete
        assert statistic[i] == pytest.approx(result.statistic or 0.0, abs=1e-12)


@pytest.mark.parametrize(
    ("n", "d", "two_sample", "r_power"),
    [   # tests/reference/plan.R, pwr.t.test(...)$power
        (10, 1.0, False, 0.803096856633018),
        (12, 0.8, False, 0.713660065600245),
        (15, 0.9, True, 0.662619409557947),
    ],
)
def test_t_formula_matches_r_pwr(n, d, two_sample, r_power):
    assert t_test_power(n, d, 1.0, 0.05, two_sample=two_sample) == pytest.approx(r_power, rel=1e-9)


@pytest.mark.parametrize(("n", "d", "two_sample", "r_power"),
                         [(10, 1.0, False, 0.803096856633018), (15, 0.9, True, 0.662619409557947)])
def test_simulated_studies_reproduce_r_pwr_within_3_mc_se(n, d, two_sample, r_power):
    """The normal model analysed with a t-test gives R pwr's power within 3 Monte Carlo SE."""
    sims = 4000
    rng = np.random.default_rng(12)
    design = Design(effect=d, sd=1.0)
    if two_sample:
        p = stats.ttest_ind(changes(rng, sims, n, design, d), changes(rng, sims, n, design, 0.0),
                            axis=1).pvalue
    else:
        p = stats.ttest_1samp(changes(rng, sims, n, design, d), 0.0, axis=1).pvalue
    power = float(np.mean(p <= 0.05))
    assert abs(power - r_power) <= 3 * math.sqrt(r_power * (1 - r_power) / sims)


@pytest.mark.parametrize(("n", "p1", "p2", "r_power"),
                         [(10, 0.8, 0.2, 0.63532281864828), (12, 0.7, 0.3, 0.389402234118784)])
def test_fisher_power_is_exact_and_matches_r_enumeration(n, p1, p2, r_power):
    """tests/reference/plan.R enumerates fisher.test over every outcome pair."""
    result = plan(test="fisher", n=[n], p1=p1, p2=p2)
    assert result.exact and result.grid[0].mc_se == 0.0
    assert result.grid[0].power == pytest.approx(r_power, rel=1e-10)
    sims = 4000
    x1, m1 = responders(np.random.default_rng(13), sims, n, Design(), p1)
    x2, m2 = responders(np.random.default_rng(14), sims, n, Design(), p2)
    simulated = float(np.mean(vec.fisher_reject(x1, m1, x2, m2, 0.05)))
    assert abs(simulated - r_power) <= 3 * math.sqrt(r_power * (1 - r_power) / sims)


def test_same_seed_same_numbers_and_each_n_independent_of_the_grid():
    kwargs = {"test": "wilcoxon", "effect": 0.8, "sd": 1.0, "sims": 300, "dropout": 0.1,
              "sites": 4, "icc": 0.1}
    first = plan(n=[6, 8, 10], seed=5, **kwargs)
    again = plan(n=[6, 8, 10], seed=5, **kwargs)
    alone = plan(n=[8], seed=5, **kwargs)
    other = plan(n=[6, 8, 10], seed=6, **kwargs)
    assert first.as_dict() == again.as_dict()
    assert alone.grid[0] == first.grid[1]
    assert [g.power for g in other.grid] != [g.power for g in first.grid]
    for g in first.grid:
        assert g.mc_se == pytest.approx(math.sqrt(g.power * (1 - g.power) / 300), rel=1e-12)


def test_power_rises_with_n_and_effect_and_is_alpha_under_the_null():
    null = plan(test="mann-whitney", n=[20], effect=0.0, sd=1.0, sims=4000, seed=1).grid[0]
    assert abs(null.power - 0.05) <= 3 * math.sqrt(0.05 * 0.95 / 4000)
    grid = plan(test="logrank", n=[10, 40], effect=0.3, sims=1000, seed=1).grid
    assert grid[0].power < grid[1].power
    friedman = plan(test="friedman", n=[10], effect=1.0, sd=1.0, visits=3, sims=500, seed=1)
    assert friedman.grid[0].power > 0.3


def test_minimum_n_by_hand():
    """Signed-rank: 2/2^5 = 0.0625 > 0.05 >= 2/2^6. Rank-sum/Fisher per arm: 2/C(6,3) = 0.1,
    2/C(8,4) = 0.0286; log-rank: exact up to 20 patients in all, so the rank-sum bound, 4."""
    assert minimum_n("wilcoxon", 0.05) == 6
    assert minimum_n("mann-whitney", 0.05) == 4
    assert minimum_n("logrank", 0.05) == 4


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"test": "wilcoxon", "n": [4, 8], "effect": 1, "sd": 1}, "n = 4 is below the minimum"),
        ({"test": "mann-whitney", "n": [3], "effect": 1, "sd": 1}, "needs n >= 4 per arm"),
        ({"test": "wilcoxon", "n": [8], "effect": 1}, "needs --sd"),
        ({"test": "wilcoxon", "n": [8], "sd": 1}, "needs --effect"),
        ({"test": "fisher", "n": [8], "p1": 0.5}, "needs --p1 and --p2"),
        ({"test": "wilcoxon", "n": [8], "effect": 1, "sd": -1}, "--sd must be a positive"),
        ({"test": "wilcoxon", "n": [8], "effect": 1, "sd": 1, "icc": 0.1}, "--icc needs --sites"),
        ({"test": "wilcoxon", "n": [8], "effect": 1, "sd": 1, "dropout": 1.5}, "--dropout"),
        ({"test": "wilcoxon", "n": [8], "effect": 1, "sd": 1, "sims": 0}, "--sims"),
        ({"test": "anova", "n": [8]}, "unknown test"),
        ({"design": "simon", "p0": 0.2, "p1": 0.4, "beta": 0.0}, "power = 1 - beta must be below 1"),
        ({"design": "simon", "test": "wilcoxon"}, "either a design"),
    ],
)
def test_impossible_requests(kwargs, message):
    with pytest.raises(SettingsError, match=message):
        plan(**kwargs)


def test_progress_is_reported_per_grid_point_and_silent_by_default(capsys):
    calls = []
    plan(test="wilcoxon", n=[6, 8], effect=1, sd=1, sims=50, progress=lambda *a: calls.append(a))
    assert calls == [(1, 2, 6), (2, 2, 8)]
    plan(test="wilcoxon", n=[6, 8], effect=1, sd=1, sims=50)  # pytest's stderr is no terminal
    assert capsys.readouterr().err == ""


def test_protocol_paragraph_names_exactness_and_the_80_percent_point():
    from jdmtrack.plan.output import protocol_paragraph

    exact = protocol_paragraph(plan(test="fisher", n=[10, 20], p1=0.8, p2=0.2))
    assert "computed exactly" in exact and "no Monte Carlo error" in exact
    assert "at least 80% power is 20 per arm" in exact
    simulated = protocol_paragraph(plan(test="wilcoxon", n=[6], effect=0.1, sd=1, sims=100))
    assert "No sample size on the grid reaches 80% power" in simulated
    assert "t-test formula" in simulated


def test_friedman_without_ties_decides_as_the_analysis_exact_p_value():
    """Continuous repeated measures (no ties), some incomplete patients: each study's
    decision equals friedman_test(...).p_value_exact <= 0.05 on its complete cases."""
    from jdmtrack.plan.friedman_exact import ExactFriedman

    rng = np.random.default_rng(15)
    values = rng.normal(size=(300, 8, 3))
    values[:, :, 2] += 0.8
    values[rng.random(values.shape) < 0.03] = np.nan
    decided = vec.friedman_reject(values, 0.05, ExactFriedman(0.05))
    for study, got in zip(values, decided, strict=True):
        rows = study[np.all(np.isfinite(study), axis=1)]
        p = friedman_test(rows).p_value_exact if len(rows) >= 2 else None
        assert got == (p is not None and p <= 0.05)
    assert 0 < decided.sum() < len(decided)


def test_large_tied_samples_use_the_analysis_asymptotic_p_value():
    """Above EXACT_TIES_MAX_N differences with ties, the decision is p_value_asymptotic <= alpha."""
    from jdmtrack.plan.vectorised import EXACT_TIES_MAX_N

    rng = np.random.default_rng(16)
    d = rng.integers(-3, 5, size=(40, EXACT_TIES_MAX_N + 20)).astype(float)
    d[:, 0] = 1.0  # at least one non-zero, ties certain
    decided = vec.signed_rank_reject(d, 0.05)
    for row, got in zip(d, decided, strict=True):
        assert got == (wilcoxon_signed_rank(row).p_value_asymptotic <= 0.05)
    with pytest.raises(SettingsError, match="above the largest n"):
        plan(test="wilcoxon", n=[2000], effect=1, sd=1)

