"""Friedman test and its permutation p-value against R (tests/reference/stats/reference.R).

* Chi-square statistic and p: R ``friedman.test`` on the complete cases (tolerance 1e-9).
* Exact permutation p: two independent R implementations in reference.R, a map of column
  rank-sum vectors (``friedman_exact_map``) and, for the smallest tables, brute-force
  enumeration of all (k!)^n arrangements (``friedman_exact_brute``); tolerance 1e-9.
* Monte Carlo p: against the exact value where known, and against
  ``coin::friedman_test(..., distribution = approximate(nresample = 1e6))``; 1e6 resamples,
  tolerance 1e-3 absolute.
"""

from __future__ import annotations

import importlib
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stats_reference import MONTE_CARLO_ABS, assert_close, datasets, has, long, value

from jdmtrack.errors import ComputationError, SettingsError
from jdmtrack.stats import friedman_test, wide_from_long

REPEATED = datasets("repeated_")
EXACT_KNOWN = [n for n in REPEATED
               if has(n, "friedman.p_exact_map") and value(n, "friedman.p_exact_map") is not None]
COIN_MC = [n for n in REPEATED if has(n, "coin.friedman_p_mc_1e6")]


def _table(name: str) -> tuple[np.ndarray, tuple[float, ...]]:
    ids, weeks, values = long(name)
    wide = wide_from_long(ids, weeks, values)
    return wide.values, wide.weeks


def test_reference_coverage() -> None:
    assert len(REPEATED) >= 12
    assert len(EXACT_KNOWN) >= 8
    assert len(COIN_MC) >= 4


@pytest.mark.parametrize("name", REPEATED)
def test_statistic_matches_friedman_test(name: str) -> None:
    table, weeks = _table(name)
    r = friedman_test(table, weeks=weeks, permutation="monte_carlo", resamples=1000)
    assert r.n_complete == value(name, "friedman.n_complete")
    if value(name, "friedman.statistic") is None:
        assert r.statistic is None and r.p_value is None and r.kendall_w is None
        assert "tied" in (r.note or "")
        return
    assert_close(r.statistic, value(name, "friedman.statistic"), f"{name} statistic")
    assert_close(r.p_value, value(name, "friedman.p"), f"{name} p")
    assert_close(r.kendall_w, value(name, "friedman.kendall_w"), f"{name} W")
    assert r.df == len(weeks) - 1


@pytest.mark.parametrize("name", EXACT_KNOWN)
def test_exact_permutation_p_matches_r_enumeration(name: str) -> None:
    table, weeks = _table(name)
    r = friedman_test(table, weeks=weeks, permutation="exact")
    assert r.permutation_method == "exact (convolution over patients)"
    assert_close(r.p_value_exact, value(name, "friedman.p_exact_map"), f"{name} exact p")
    if has(name, "friedman.p_exact_brute"):
        assert_close(r.p_value_exact, value(name, "friedman.p_exact_brute"), f"{name} brute")


@pytest.mark.parametrize("name", EXACT_KNOWN)
def test_monte_carlo_p_is_within_1e3_of_exact(name: str) -> None:
    table, weeks = _table(name)
    r = friedman_test(table, weeks=weeks, permutation="monte_carlo", resamples=1_000_000, seed=1)
    exact = value(name, "friedman.p_exact_map")
    assert r.resamples == 1_000_000 and r.seed == 1
    assert r.p_value_exact is not None and exact is not None
    assert abs(r.p_value_exact - exact) <= MONTE_CARLO_ABS


@pytest.mark.parametrize("name", COIN_MC)
def test_auto_p_matches_coin_monte_carlo(name: str) -> None:
    """``auto`` is exact where feasible and Monte Carlo (1e6 here) otherwise."""
    table, weeks = _table(name)
    r = friedman_test(table, weeks=weeks, resamples=1_000_000)
    coin = value(name, "coin.friedman_p_mc_1e6")
    assert r.p_value_exact is not None and coin is not None
    assert abs(r.p_value_exact - coin) <= MONTE_CARLO_ABS
    assert_close(r.statistic, value(name, "coin.friedman_statistic"), f"{name} coin stat")


def test_large_tables_fall_back_to_monte_carlo_with_stated_seed() -> None:
    """k = 5 weeks and 24 complete patients with ties: too large for the exact
    distribution, so ``auto`` uses Monte Carlo and states its count and seed."""
    table, weeks = _table("repeated_14_n25_k5_weak")
    r = friedman_test(table, weeks=weeks, resamples=5000, seed=7)
    assert r.permutation_method is not None and r.permutation_method.startswith("Monte Carlo")
    assert (r.resamples, r.seed) == (5000, 7)
    assert r.as_dict()["p_value_exact_method"] == r.permutation_method
    assert r.p_value_exact is not None and r.p_value_exact * 5001 == pytest.approx(
        round(r.p_value_exact * 5001), abs=1e-6)  # (1 + hits) / (1 + resamples)
    again = friedman_test(table, weeks=weeks, resamples=5000, seed=7)
    assert again.p_value_exact == r.p_value_exact
    with pytest.raises(ComputationError, match="too large"):
        friedman_test(table, weeks=weeks, permutation="exact")


def test_small_hand_example() -> None:
    """Hand calculation: 3 patients x 3 weeks, all ranking the weeks 1 < 2 < 3. Rank sums
    3, 6, 9; Q = 12 (9 + 0 + 9) / (3 x 3 x 4) = 6; W = 6 / (3 x 2) = 1. The only
    arrangements as extreme are the 3! in which all patients agree: p = 6 / 6^3 = 1/36,
    which is also the smallest attainable p."""
    r = friedman_test([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    assert r.statistic == 6.0 and r.kendall_w == 1.0
    assert r.p_value_exact == pytest.approx(1 / 36, rel=1e-12)
    assert r.min_attainable_p == pytest.approx(1 / 36, rel=1e-12)
    assert r.can_reach_alpha


def test_too_few_patients_to_reach_alpha_is_said() -> None:
    r = friedman_test([[1, 2, 3], [1, 2, 3]])
    assert r.min_attainable_p == pytest.approx(1 / 6)
    assert r.can_reach_alpha is False and "smallest attainable" in (r.note or "")


def test_all_tied_is_not_computable() -> None:
    r = friedman_test(np.full((5, 3), 52.0))
    assert r.statistic is None and r.p_value_exact is None
    d = r.as_dict()
    assert d["statistic"] is None and d["kendall_w"] is None


def test_constant_column_is_fine() -> None:
    table, weeks = _table("repeated_09_n8_k3_constant_week")
    r = friedman_test(table, weeks=weeks)
    assert r.statistic is not None and r.p_value_exact is not None


def test_no_complete_case_and_bad_shapes() -> None:
    r = friedman_test([[1.0, math.nan], [math.nan, 2.0]])
    assert r.n_complete == 0 and r.statistic is None and r.n_excluded == 2
    with pytest.raises(ComputationError, match="two weeks"):
        friedman_test([[1.0], [2.0]])
    with pytest.raises(ComputationError, match="labels"):
        friedman_test([[1.0, 2.0]], weeks=[0])
    with pytest.raises(SettingsError):
        friedman_test([[1.0, 2.0]], resamples=0)


def test_argsort_path_for_many_weeks_agrees(monkeypatch: pytest.MonkeyPatch) -> None:
    """k >= 8 weeks permute by sorting random keys instead of a k! table; force that path
    on a small table and compare with the exact p."""
    module = importlib.import_module("jdmtrack.stats.friedman")

    table, weeks = _table("repeated_03_n6_k4_cmas")
    exact = friedman_test(table, weeks=weeks).p_value_exact
    monkeypatch.setattr(module, "_TABLE_MAX_K", 2)
    mc = friedman_test(table, weeks=weeks, permutation="monte_carlo", resamples=200_000)
    assert exact is not None and mc.p_value_exact is not None
    assert abs(mc.p_value_exact - exact) <= 1e-3


def test_as_dict_keys() -> None:
    r = friedman_test([[1, 2, 3], [1, 3, 2], [2, 1, 3]], weeks=[0, 12, 24.5])
    d = r.as_dict()
    for key in ("weeks", "n_complete", "statistic", "df", "p_value", "p_value_exact",
                "kendall_w"):
        assert key in d
    assert d["weeks"] == ["0", "12", "24.5"]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(st.integers(0, 3), min_size=3, max_size=3), min_size=1, max_size=4))
def test_exact_p_matches_brute_force(rows: list[list[int]]) -> None:
    """Against enumeration of all (3!)^n arrangements of the doubled mid-ranks."""
    import itertools

    from scipy.stats import rankdata

    r = friedman_test(rows)
    if r.statistic is None:
        return
    ranks = rankdata(np.array(rows, float), axis=1) * 2
    s_obs = np.sum(ranks.sum(axis=0) ** 2)
    perms = [list(itertools.permutations(row)) for row in ranks]
    sums = [np.sum(np.sum(np.array(c), axis=0) ** 2) for c in itertools.product(*perms)]
    assert r.p_value_exact == pytest.approx(np.mean(np.array(sums) >= s_obs - 1e-9),
                                            rel=1e-12)
    assert r.p_value_exact is not None and 0.0 < r.p_value_exact <= 1.0
