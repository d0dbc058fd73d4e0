"""Paired comparisons with baseline against R (tests/reference/stats/reference.R).

For every ``paired_*`` reference set (n 1-60, ties, zeros, the CMAS ceiling, missing visits,
all differences zero), with differences follow-up - baseline over complete pairs:

* exact p: ``coin::wilcoxsign_test(followup ~ baseline, zero.method = "Wilcoxon",
  distribution = "exact")`` (coin 1.4-2), and ``exactRankTests::wilcox.exact`` on the non-zero
  differences as a second opinion;
* V and the asymptotic p: ``wilcox.test(followup, baseline, paired = TRUE, exact = FALSE,
  correct = TRUE)``;
* Hodges-Lehmann and CI: R ``wilcox.test``'s exact-branch code applied to all differences
  (``hl_exact`` in reference.R), and ``wilcox.test(d, conf.int = TRUE, exact = TRUE)`` itself
  where there are no ties and no zeros;
* t-test: ``t.test(followup, baseline, paired = TRUE)``.

Tolerance 1e-9 relative throughout.
"""

from __future__ import annotations

import importlib
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stats_reference import assert_close, datasets, has, paired, value, vector

from jdmtrack.errors import ComputationError
from jdmtrack.stats import (
    compare_with_baseline,
    hodges_lehmann,
    paired_t,
    wilcoxon_min_attainable_p,
    wilcoxon_signed_rank,
)

PAIRED = datasets("paired_")


def test_there_are_enough_paired_sets() -> None:
    assert len(PAIRED) >= 15


@pytest.mark.parametrize("name", PAIRED)
def test_compare_with_baseline_matches_r(name: str) -> None:
    base, follow = paired(name)
    r = compare_with_baseline(base, follow)
    assert r.n_pairs == value(name, "n_pairs")
    assert r.n_nonzero == value(name, "n_nonzero")
    assert_close(r.median_difference, value(name, "median_difference"), f"{name} median")
    w = r.wilcoxon
    if r.n_nonzero:
        assert_close(w.statistic, value(name, "wilcox.V"), f"{name} V")
        assert_close(w.p_value_exact, value(name, "coin.p_exact"), f"{name} exact p (coin)")
        if has(name, "exactRankTests.p_exact"):
            assert_close(w.p_value_exact, value(name, "exactRankTests.p_exact"),
                         f"{name} exact p (exactRankTests)")
        assert_close(w.p_value_asymptotic, value(name, "wilcox.p_asymptotic"),
                     f"{name} asymptotic p")
    else:
        assert w.p_value_exact is None and w.p_value_asymptotic is None
        assert "not computable" in (r.note or "")
    if r.n_pairs >= 2:
        estimate, low, high, achieved = vector(name, "hl")
        hl = r.hodges_lehmann
        assert_close(hl.estimate, estimate, f"{name} HL")
        assert_close(hl.ci_low, low, f"{name} HL low")
        assert_close(hl.ci_high, high, f"{name} HL high")
        assert_close(hl.achieved_conf_level, achieved, f"{name} achieved level")
    if has(name, "wilcox_ci.estimate"):
        hl = r.hodges_lehmann
        assert_close(hl.estimate, value(name, "wilcox_ci.estimate"), f"{name} wilcox.test est")
        assert [hl.ci_low, hl.ci_high] == pytest.approx(vector(name, "wilcox_ci.conf_int"),
                                                        rel=1e-9)
        assert_close(w.p_value_exact, value(name, "wilcox.p_exact_no_ties"),
                     f"{name} psignrank p")
    t = r.t_test
    if has(name, "t.statistic"):
        assert_close(t.t, value(name, "t.statistic"), f"{name} t")
        assert t.df == value(name, "t.df")
        assert_close(t.p_value, value(name, "t.p"), f"{name} t p")
        assert_close(t.mean_difference, value(name, "t.mean_difference"), f"{name} mean")
        expected_ci = vector(name, "t.conf_int")
        if None in expected_ci:  # R gives no interval (constant differences): neither do we
            assert [t.ci_low, t.ci_high] == expected_ci
        else:
            assert [t.ci_low, t.ci_high] == pytest.approx(expected_ci, rel=1e-9)
    else:
        assert t.t is None and t.p_value is None and t.note


def test_six_differences_in_one_direction_hand_calculation() -> None:
    """Hand calculation (landscape.md §4.4): with n = 6 and every difference positive, only
    the all-plus and all-minus sign patterns are as extreme: p = 2 / 2^6 = 0.03125, the
    smallest p attainable; V = 1 + ... + 6 = 21."""
    r = wilcoxon_signed_rank([0.5, 1, 2, 3, 5, 8])
    assert r.statistic == 21.0
    assert r.p_value_exact == 0.03125
    assert r.min_attainable_p == 0.03125 and r.can_reach_alpha


def test_five_pairs_can_never_reach_005() -> None:
    """Hand calculation: n = 5 gives at best 2 / 2^5 = 0.0625 > 0.05; the result says so."""
    r = wilcoxon_signed_rank([1, 2, 3, 4, 5])
    assert r.p_value_exact == 0.0625
    assert r.min_attainable_p == 0.0625 and not r.can_reach_alpha
    assert "0.0625" in (r.note or "")


def test_ties_hand_calculation() -> None:
    """Hand calculation with ties: d = 2, 2, -1, 3 -> |d| mid-ranks 2.5, 2.5, 1, 4, V = 9.
    Of the 16 sign patterns, those with |V - 5| >= 4 are V in {0, 1, 9, 10}: 4 patterns
    (0; 1; 10 - 1; 10) -> p = 4/16 = 0.25 (coin agrees, reference set paired_03)."""
    r = wilcoxon_signed_rank([2, 2, -1, 3])
    assert r.statistic == 9.0
    assert r.p_value_exact == 0.25


def test_zeros_are_dropped_and_counted() -> None:
    r = compare_with_baseline([52, 52, 40, 41, 44, 38, 30], [52, 52, 45, 46, 50, 45, 41])
    assert (r.n_pairs, r.n_nonzero, r.wilcoxon.n_zero) == (7, 5, 2)
    assert r.wilcoxon.p_value_exact == 0.0625


def test_every_difference_zero_is_not_computable() -> None:
    r = compare_with_baseline([52, 52, 40], [52, 52, 40])
    assert r.n_pairs == 3 and r.n_nonzero == 0
    assert r.wilcoxon.p_value_exact is None and r.t_test.t is None
    assert r.hodges_lehmann.estimate == 0.0
    assert "every difference is zero" in (r.note or "")
    d = r.as_dict()
    assert d["p_value_exact"] is None and d["wilcoxon_v"] is None


def test_no_pairs_and_one_pair() -> None:
    none = compare_with_baseline([1.0, math.nan], [math.nan, 2.0])
    assert none.n_pairs == 0 and none.median_difference is None
    assert none.hodges_lehmann.estimate is None
    one = compare_with_baseline([30.0], [37.0])
    assert one.n_pairs == 1 and one.wilcoxon.p_value_exact == 1.0
    assert one.hodges_lehmann.estimate == 7.0 and one.hodges_lehmann.ci_low is None
    assert one.t_test.t is None


def test_misaligned_arrays_raise() -> None:
    with pytest.raises(ComputationError, match="aligned"):
        compare_with_baseline([1.0, 2.0], [1.0])


def test_float_distribution_beyond_int64_agrees_with_integer_counts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Beyond n = 62 the distribution is kept as probabilities instead of integer counts;
    forcing that path on the n = 50 ceiling set must give the same p (to rounding)."""
    module = importlib.import_module("jdmtrack.stats.wilcoxon")

    base, follow = paired("paired_15_ceiling_n50")
    d = (follow - base)[~np.isnan(follow - base)]
    integer = wilcoxon_signed_rank(d).p_value_exact
    monkeypatch.setattr(module, "_INT_COUNTS_MAX_N", 0)
    assert wilcoxon_signed_rank(d).p_value_exact == pytest.approx(integer, rel=1e-12)


def test_min_attainable_p() -> None:
    assert wilcoxon_min_attainable_p(0) is None
    assert wilcoxon_min_attainable_p(1) == 1.0
    assert wilcoxon_min_attainable_p(10) == 2 / 1024


def test_hodges_lehmann_small_n_reports_achieved_level() -> None:
    r = hodges_lehmann([1.0, 2.0, 4.0])
    assert r.achieved_conf_level == 0.75
    assert "not attainable" in (r.note or "")
    assert (r.ci_low, r.ci_high) == (1.0, 4.0)


def test_paired_t_constant_differences() -> None:
    r = paired_t([3.0, 3.0, 3.0])
    assert r.t is None and r.mean_difference == 3.0 and "equal" in (r.note or "")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-8, 8), min_size=0, max_size=25))
def test_exact_p_is_a_probability_and_sign_symmetric(d: list[int]) -> None:
    r = wilcoxon_signed_rank(d)
    if r.n_nonzero == 0:
        assert r.p_value_exact is None
        return
    assert r.p_value_exact is not None and r.min_attainable_p is not None
    assert 0.0 < r.p_value_exact <= 1.0
    assert r.p_value_exact >= r.min_attainable_p
    assert wilcoxon_signed_rank([-v for v in d]).p_value_exact == r.p_value_exact


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-6, 6).filter(lambda v: v != 0), min_size=1, max_size=12))
def test_exact_p_matches_brute_force_enumeration(d: list[int]) -> None:
    """Enumerate all 2^n sign patterns of the mid-ranks (n <= 12) and count."""
    from scipy.stats import rankdata

    ranks = rankdata(np.abs(d))
    v_obs = ranks[np.array(d) > 0].sum()
    centre = ranks.sum() / 2
    n = len(d)
    signs = (np.arange(2**n)[:, None] >> np.arange(n)) & 1
    v = signs @ ranks
    brute = np.mean(np.abs(v - centre) >= abs(v_obs - centre) - 1e-9)
    assert wilcoxon_signed_rank(d).p_value_exact == pytest.approx(brute, rel=1e-12)


def test_hodges_lehmann_large_n_uses_the_normal_critical_value():
    """Above n = 62 the exact counts overflow; the critical rank comes from the normal
    approximation (Hollander & Wolfe 1999, eq. 3.25). Near the switch the two agree closely,
    and n = 2000 runs without overflow."""
    from jdmtrack.stats import hodges_lehmann

    rng = np.random.default_rng(7)
    d = rng.normal(1.0, 2.0, 63)
    exact_like = hodges_lehmann(d[:62])
    normal = hodges_lehmann(d)
    assert "normal-approximation" in normal.method
    assert "exact" in exact_like.method
    assert abs(normal.achieved_conf_level - 0.95) < 0.005
    big = hodges_lehmann(rng.normal(0.5, 1.0, 2000))
    assert big.ci_low < big.estimate < big.ci_high
    # hand check of the critical rank for n = 2000: n(n+1)/4 = 1000500,
    # sqrt(n(n+1)(2n+1)/24) = 25829.571..., z = 1.959964 -> z x 25829.571 = 50625.6,
    # qu = floor(1000500 - 50625.6) = floor(949874.4) = 949874
    import math
    assert math.floor(2000 * 2001 / 4 - 1.959963984540054
                      * math.sqrt(2000 * 2001 * 4001 / 24)) == 949874
