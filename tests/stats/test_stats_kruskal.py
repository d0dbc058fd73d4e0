"""Kruskal-Wallis against R (tests/reference/groupstats).

* H, df and the chi-square p: ``kruskal.test(y, g)``;
* permutation p: for two groups ``coin::kruskal_test(distribution = "exact")``; for k > 2
  groups a brute-force enumeration in R of every assignment (``kw_brute`` in groupstats.R;
  coin has no exact k-sample distribution), and ``coin::kruskal_test(distribution =
  approximate(nresample = 1e6))`` within Monte Carlo error.
"""

from __future__ import annotations

import numpy as np
import pytest
from groupstats_reference import MONTE_CARLO_ABS, as_list, assert_close, case, cases

from jdmtrack.stats import kruskal_wallis, kruskal_wallis_from_labels, mann_whitney

CASES = cases("kruskal")


def _groups(name: str) -> list[list[float]]:
    ref = case("kruskal", name)
    y, g = as_list(ref["y"]), as_list(ref["g"])
    return [[v for v, h in zip(y, g, strict=True) if h == level] for level in sorted(set(g))]


@pytest.mark.parametrize("name", CASES)
def test_kruskal_matches_r(name: str) -> None:
    ref = case("kruskal", name)
    r = kruskal_wallis(_groups(name))
    assert r.not_run is None and r.n == len(as_list(ref["y"]))
    assert_close(r.statistic, ref["statistic"], f"{name} H")
    assert r.df == ref["df"]
    assert_close(r.p_value, ref["p"], f"{name} chi-square p")
    if "coin_p_exact" in ref:
        assert_close(r.p_value_exact, ref["coin_p_exact"], f"{name} exact p (coin)")
    elif "brute_p_exact" in ref:
        assert r.p_value_exact_method is not None
        assert r.p_value_exact_method.startswith("exact (all ")
        assert_close(r.p_value_exact, ref["brute_p_exact"], f"{name} exact p (enumeration)")
    else:
        assert r.p_value_exact_method == "Monte Carlo, 100000 resamples, seed 20240607"
    assert abs((r.p_value_exact or 0.0) - ref["coin_p_approx_1e6"]) < MONTE_CARLO_ABS


def test_monte_carlo_agrees_with_the_enumeration() -> None:
    ref = case("kruskal", "ties_4_3_5")
    r = kruskal_wallis(_groups("ties_4_3_5"), permutation="monte_carlo", resamples=50_000,
                       seed=2)
    assert r.resamples == 50_000 and r.seed == 2
    assert abs((r.p_value_exact or 0.0) - ref["brute_p_exact"]) < MONTE_CARLO_ABS


def test_two_groups_give_the_mann_whitney_exact_p() -> None:
    x, y = _groups("two_groups_7_10")
    assert kruskal_wallis([x, y]).p_value_exact == pytest.approx(
        mann_whitney(x, y).p_value_exact, rel=1e-13)


def test_hand_three_groups_of_two() -> None:
    """Ranks (1, 2 | 3, 4 | 5, 6): H = 12/42 (9/2 + 49/2 + 121/2) - 21 = 32/7. Of the 90
    assignments only the 3! orderings of the pairs {1,2}, {3,4}, {5,6} reach it: p = 6/90."""
    r = kruskal_wallis([[1, 2], [3, 4], [5, 6]])
    assert r.statistic == pytest.approx(32 / 7, rel=1e-14)
    assert r.p_value_exact == pytest.approx(6 / 90, rel=1e-14)
    assert r.mean_ranks == (1.5, 3.5, 5.5)
    assert r.epsilon_squared == pytest.approx(32 / 35, rel=1e-14)


@pytest.mark.parametrize(("groups", "why"), [
    ([[1, 2, 3]], "fewer than two groups"),
    ([[1, None], [], [None]], "fewer than two groups"),
    ([[2, 2], [2], [2, 2, 2]], "every value is the same"),
])
def test_degenerate_groups_are_not_run(groups: list[list[float | None]], why: str) -> None:
    r = kruskal_wallis(groups)
    assert r.statistic is None and r.p_value is None and r.p_value_exact is None
    assert (r.not_run or "").startswith(why)


def test_empty_group_and_missing_values_are_noted() -> None:
    r = kruskal_wallis([[1, 2, None], [], [3, 4, 5]])
    assert r.group_sizes == (2, 3) and r.n_missing == 1
    assert "1 missing value(s) left out" in (r.note or "")
    assert "1 empty group(s) left out" in (r.note or "")


def test_from_labels_matches_the_grouped_call() -> None:
    rng = np.random.default_rng(3)
    labels = rng.choice(["site A", "site B", "site C"], size=30).tolist()
    values = np.round(rng.normal(40, 6, 30)).tolist()
    levels, r = kruskal_wallis_from_labels(labels, values, resamples=2_000, seed=9)
    grouped = kruskal_wallis([[v for v, g in zip(values, labels, strict=True) if g == lv]
                              for lv in levels], resamples=2_000, seed=9)
    assert levels == ("site A", "site B", "site C") and r == grouped
