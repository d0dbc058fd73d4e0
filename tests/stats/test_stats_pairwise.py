"""Pairwise weeks after Friedman and the SPSS-style tests against R (tests/reference/groupstats).

Per pair of weeks, on the patients observed at both, with d = later - earlier:
``wilcox.test(later, earlier, paired = TRUE, exact = FALSE, correct = FALSE)`` (V and SPSS's
asymptotic p), ``coin::wilcoxsign_test(later ~ earlier, zero.method = "Wilcoxon",
distribution = "exact")`` (exact p), ``t.test(later, earlier, paired = TRUE)``; adjusted p:
``p.adjust(p, "holm" / "bonferroni")`` over all pairs.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from groupstats_reference import assert_close, case, cases

from jdmtrack.errors import ComputationError, SettingsError
from jdmtrack.stats import pairwise_signed_rank, spss_paired_tests, spss_signed_rank

CASES = cases("pairwise")


def _table(name: str) -> tuple[np.ndarray, list[float]]:
    ref = case("pairwise", name)
    rows = [[math.nan if v is None else float(v) for v in row] for row in ref["y"]]
    return np.array(rows), [float(w) for w in ref["weeks"]]


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("adjust", ["holm", "bonferroni"])
@pytest.mark.parametrize("adjust_p", ["exact", "asymptotic"])
def test_pairwise_matches_r(name: str, adjust: str, adjust_p: str) -> None:
    ref = case("pairwise", name)
    table, weeks = _table(name)
    r = pairwise_signed_rank(table, weeks=weeks, adjust=adjust,  # type: ignore[arg-type]
                             adjust_p=adjust_p)  # type: ignore[arg-type]
    assert r.n_comparisons == len(ref["comparisons"]) and adjust.capitalize() in r.method
    key = f"{adjust}_{'exact' if adjust_p == 'exact' else 'spss'}"
    for c, expected, adjusted in zip(r.comparisons, ref["comparisons"], ref[key], strict=True):
        what = f"{name} {c.week_a}-{c.week_b}"
        assert (c.week_a, c.week_b, c.n_pairs) == (expected["a"], expected["b"], expected["n"])
        assert_close(c.statistic, expected["V"], f"{what} V")
        assert_close(c.p_value_exact, expected["p_exact"], f"{what} exact p")
        assert_close(c.p_value_asymptotic, expected["p_spss"], f"{what} SPSS p")
        assert_close(c.p_adjusted, adjusted, f"{what} {key}")


@pytest.mark.parametrize("name", CASES)
def test_spss_paired_tests_match_r(name: str) -> None:
    table, weeks = _table(name)
    for expected in case("pairwise", name)["comparisons"]:
        a, b = weeks.index(expected["a"]), weeks.index(expected["b"])
        r = spss_paired_tests(table[:, a], table[:, b])
        assert r.n_pairs == expected["n"]
        assert_close(r.wilcoxon_asymptotic.p_value, expected["p_spss"], "SPSS p")
        assert_close(r.p_value_exact, expected["p_exact"], "exact p")
        t = r.t_test
        assert_close(t.t, expected["t"], "t")
        assert t.df == expected["t_df"]
        assert_close(t.p_value, expected["t_p"], "t p")
        assert [t.ci_low, t.ci_high] == pytest.approx(expected["t_ci"], rel=1e-12)


def test_one_pair_is_adjusted_over_itself_only() -> None:
    table, weeks = _table("cmas_n8_k4")
    r = pairwise_signed_rank(table, weeks=weeks, pairs=[(24.0, 4.0)])
    c = r.comparisons[0]
    assert r.n_comparisons == 1 and c.p_adjusted == c.p_value_exact
    # reversed order: differences week 4 - week 24, the mirror image of week 24 - week 4
    forward = pairwise_signed_rank(table, weeks=weeks, pairs=[(4.0, 24.0)]).comparisons[0]
    assert c.p_value_exact == forward.p_value_exact
    assert c.statistic == forward.n_nonzero * (forward.n_nonzero + 1) / 2 - forward.statistic


def test_spss_z_is_the_smaller_rank_sum_side() -> None:
    """d = (2, 4, -1, 3, 5, 6, 0): ranks of |d| 2, 4, 1, 3, 5, 6; W+ = 20, W- = 1; E = 10.5,
    sigma^2 = 6 x 7 x 13 / 24 = 22.75, z = -9.5 / sqrt(22.75)."""
    r = spss_signed_rank([2, 4, -1, 3, 5, 6, 0])
    assert (r.positive_rank_sum, r.negative_rank_sum, r.n_zero) == (20.0, 1.0, 1)
    assert r.z == pytest.approx(-9.5 / math.sqrt(22.75), rel=1e-14)


def test_degenerate_pairs_are_not_run_and_not_adjusted() -> None:
    table = np.array([[1.0, 1.0, 2.0], [3.0, 3.0, 5.0], [2.0, 2.0, 4.0]])
    r = pairwise_signed_rank(table)
    same = r.comparisons[0]
    assert same.p_value_exact is None and same.p_adjusted is None
    assert same.not_run is not None and "zero" in same.not_run
    assert spss_signed_rank([0.0, 0.0]).not_run == "no non-zero difference"


def test_bad_settings_are_refused() -> None:
    table, weeks = _table("cmas_n8_k4")
    with pytest.raises(SettingsError, match="holm or bonferroni"):
        pairwise_signed_rank(table, weeks=weeks, adjust="BH")  # type: ignore[arg-type]
    with pytest.raises(ComputationError, match="not a column"):
        pairwise_signed_rank(table, weeks=weeks, pairs=[(0.0, 8.0)])
