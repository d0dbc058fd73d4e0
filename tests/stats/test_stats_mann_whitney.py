"""Wilcoxon-Mann-Whitney and the Hodges-Lehmann shift against R (tests/reference/groupstats).

* exact p: ``coin::wilcox_test(v ~ g, distribution = "exact")`` and
  ``exactRankTests::wilcox.exact`` (both conditional on the mid-ranks, so correct with ties);
* W and the asymptotic p: ``wilcox.test(x, y, exact = FALSE, correct = TRUE)``;
* shift and CI: R ``wilcox.test``'s exact-branch code applied whatever the ties
  (``hl_shift_exact`` in groupstats.R) and, where there are no ties and m, n < 50,
  ``wilcox.test(x, y, conf.int = TRUE, exact = TRUE)`` itself.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from groupstats_reference import MONTE_CARLO_ABS, as_list, assert_close, case, cases

import jdmtrack.stats._shift_select as shift_select
from jdmtrack.stats import hodges_lehmann_shift, mann_whitney

CASES = cases("mann_whitney")
#: Cases where exactRankTests 0.8-35 disagrees with coin (and with us) in the 3rd digit.
ERT_DIFFERS = {"rounded_30_25"}


def test_the_reference_covers_ties_and_sizes() -> None:
    assert len(CASES) >= 9
    assert any("wilcox_exact" not in case("mann_whitney", c) for c in CASES)  # tied cases


@pytest.mark.parametrize("name", CASES)
def test_mann_whitney_matches_r(name: str) -> None:
    ref = case("mann_whitney", name)
    x, y = as_list(ref["x"]), as_list(ref["y"])
    r = mann_whitney(x, y)
    assert r.n_x == len(x) and r.n_y == len(y) and r.not_run is None
    assert r.p_value_exact_method == "exact (conditional on the mid-ranks)"
    assert_close(r.statistic, ref["W"], f"{name} W")
    assert_close(r.p_value_exact, ref["coin_p_exact"], f"{name} exact p (coin)")
    if math.isclose(ref["ert_p_exact"], ref["coin_p_exact"], rel_tol=1e-9):
        assert_close(r.p_value_exact, ref["ert_p_exact"], f"{name} exact p (exactRankTests)")
    else:  # exactRankTests rounds the mid-ranks' scores here; coin is exact
        assert name in ERT_DIFFERS
    assert_close(r.p_value_asymptotic, ref["p_asymptotic"], f"{name} asymptotic p")
    estimate, low, high, achieved = ref["hl"]
    s = r.shift
    assert_close(s.estimate, estimate, f"{name} HL shift")
    assert_close(s.ci_low, low, f"{name} HL low")
    assert_close(s.ci_high, high, f"{name} HL high")
    assert_close(s.achieved_conf_level, achieved, f"{name} achieved level")
    if "wilcox_exact" in ref:
        p, est, lo, hi = ref["wilcox_exact"]
        assert_close(r.p_value_exact, p, f"{name} wilcox.test exact p")
        assert (s.estimate, s.ci_low, s.ci_high) == pytest.approx((est, lo, hi), rel=1e-12)


@pytest.mark.parametrize("name", ["ties_9_9", "rounded_30_25"])
def test_monte_carlo_agrees_with_the_exact_p(name: str) -> None:
    ref = case("mann_whitney", name)
    r = mann_whitney(as_list(ref["x"]), as_list(ref["y"]), permutation="monte_carlo",
                     resamples=100_000, seed=1)
    assert r.resamples == 100_000 and r.seed == 1
    assert abs(r.p_value_exact - ref["coin_p_exact"]) < MONTE_CARLO_ABS
    again = mann_whitney(as_list(ref["x"]), as_list(ref["y"]), permutation="monte_carlo",
                         resamples=100_000, seed=1)
    assert again.p_value_exact == r.p_value_exact


def test_swapping_the_groups_mirrors_everything() -> None:
    ref = case("mann_whitney", "cmas_ceiling_7_10")
    x, y = ref["x"], ref["y"]
    a, b = mann_whitney(x, y), mann_whitney(y, x)
    assert a.p_value_exact == pytest.approx(b.p_value_exact, rel=1e-13)
    assert a.statistic + b.statistic == len(x) * len(y)
    assert (a.shift.estimate, a.shift.ci_low, a.shift.ci_high) == (
        -b.shift.estimate, -b.shift.ci_high, -b.shift.ci_low)


def test_smallest_attainable_p_three_against_three() -> None:
    """Hand: one group entirely above the other, 2 of C(6, 3) = 20 splits: p = 0.1."""
    r = mann_whitney([1, 2, 3], [4, 5, 6])
    assert r.p_value_exact == pytest.approx(0.1, rel=1e-15)
    assert r.min_attainable_p == pytest.approx(0.1, rel=1e-15)
    assert r.can_reach_alpha is False and "0.1" in (r.note or "")


def test_hand_tied_case() -> None:
    """x = (1, 2, 2), y = (2, 3): mid-ranks 1, 3, 3 | 3, 5; R_x = 7, E R_x = 3 x 15 / 5 = 9.
    Of the C(5, 3) = 10 splits the rank sums of x are 1+3+3 = 7 (3 ways: 1 and two of the
    three 3s), 3+3+3 = 9 (1), 1+3+5 = 9 (3), 3+3+5 = 11 (3); |R - 9| >= 2 for 7 and 11, so
    p = 6/10, which is also the smallest attainable p. W = 7 - 6 = 1."""
    r = mann_whitney([1, 2, 2], [2, 3])
    assert r.statistic == 1.0
    assert r.p_value_exact == pytest.approx(0.6, rel=1e-14)
    assert r.min_attainable_p == pytest.approx(0.6, rel=1e-14)


@pytest.mark.parametrize(
    ("x", "y", "why"),
    [([], [1, 2], "a group has no values"), ([1, None], [float("nan")], "a group has no values"),
     ([4, 4], [4, 4, 4], "every value is the same")],
)
def test_degenerate_data_does_not_raise(x: list[float | None], y: list[float | None],
                                        why: str) -> None:
    r = mann_whitney(x, y)
    assert r.p_value_exact is None and r.p_value_asymptotic is None
    assert r.not_run is not None and r.not_run.startswith(why)


def test_missing_values_are_counted_not_used() -> None:
    r = mann_whitney([1, None, 3, float("nan")], [4, 5])
    assert (r.n_x, r.n_y, r.n_missing) == (2, 2, 2)
    assert r.p_value_exact == mann_whitney([1, 3], [4, 5]).p_value_exact


def test_one_value_each_gives_a_shift_without_interval() -> None:
    s = hodges_lehmann_shift([5.0], [2.0])
    assert s.estimate == 3.0 and s.ci_low is None and s.ci_high is None
    assert "not attainable" in (s.note or "")


def test_large_groups_select_the_same_order_statistics(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(7)
    x = np.round(rng.normal(40, 8, 700), 1)
    y = np.round(rng.normal(38, 8, 650), 1)
    full = hodges_lehmann_shift(x, y)
    monkeypatch.setattr(shift_select, "FULL_SORT_MAX", 0)
    selected = hodges_lehmann_shift(x, y)
    assert (selected.estimate, selected.ci_low, selected.ci_high) == (
        full.estimate, full.ci_low, full.ci_high)
    diffs = np.sort(np.subtract.outer(x, y).ravel())
    assert full.estimate == float(np.median(diffs))
    assert math.isfinite(full.achieved_conf_level or math.nan)
