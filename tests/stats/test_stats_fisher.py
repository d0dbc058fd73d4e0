"""Fisher's exact test against R (tests/reference/groupstats).

* p-value: ``fisher.test(table)`` (FEXACT network algorithm) for 2 x 2 up to 4 x 4 tables;
* 2 x 2 odds ratio and CI: fisher.test's own equations solved to 1e-15 (``or_precise`` in
  groupstats.R); fisher.test itself stops ``uniroot`` at about 1e-4, so it is only checked
  to 1 %;
* Monte Carlo: the exact p, and ``fisher.test(simulate.p.value = TRUE, B = 1e5)``, within
  Monte Carlo error.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from groupstats_reference import MONTE_CARLO_ABS, assert_close, case, cases

from jdmtrack.errors import ComputationError
from jdmtrack.stats import fisher_exact, fisher_exact_from_labels

CASES = cases("fisher")


def _table(name: str) -> list[list[int]]:
    return [[int(v) for v in row] for row in case("fisher", name)["table"]]


#: 4 x 4 with 96 patients: about 10 s exact; checked by Monte Carlo below instead.
SLOW = {"job_satisfaction"}


@pytest.mark.parametrize("name", sorted(set(CASES) - SLOW))
def test_fisher_p_matches_r(name: str) -> None:
    ref = case("fisher", name)
    r = fisher_exact(_table(name))
    assert r.not_run is None and r.p_value_method == "exact (network algorithm)"
    assert_close(r.p_value, ref["p"], f"{name} p")
    statistic, df, p_chisq = ref["chisq"]
    assert_close(r.chi_square, statistic, f"{name} chi-square")
    assert r.chi_square_df == df
    assert_close(r.p_value_chi_square, p_chisq, f"{name} chi-square p")
    if "or_precise" in ref:
        estimate, low, high = ref["or_precise"]
        assert r.odds_ratio is not None and r.odds_ratio_ci is not None
        assert_close(r.odds_ratio, estimate, f"{name} odds ratio", rel=1e-9)
        assert_close(r.odds_ratio_ci[0], low, f"{name} OR low", rel=1e-9)
        assert_close(r.odds_ratio_ci[1], high, f"{name} OR high", rel=1e-9)
        rough = ref["or_fisher_test"]
        # fisher.test's uniroot stops at an absolute 1e-4 in t = OR or 1 / OR
        assert [r.odds_ratio, *r.odds_ratio_ci] == pytest.approx(rough, rel=2e-2, abs=2e-4)
    else:
        assert r.odds_ratio is None


def _brute_force_p(table: list[list[int]]) -> float:
    """Every table with the margins, by enumerating all cells (independent of the network)."""
    rows = [sum(r) for r in table]
    cols = [sum(c) for c in zip(*table, strict=True)]
    n = sum(rows)

    def prob(t: tuple[tuple[int, ...], ...]) -> float:
        num = sum(math.lgamma(v + 1) for v in rows + cols)
        return math.exp(num - math.lgamma(n + 1) - sum(math.lgamma(v + 1) for r in t for v in r))

    observed = prob(tuple(tuple(r) for r in table))
    total = 0.0
    r_, c_ = len(rows), len(cols)
    for free in itertools.product(*(range(min(rows[i], cols[j]) + 1)
                                    for i in range(r_ - 1) for j in range(c_ - 1))):
        t = [list(free[i * (c_ - 1):(i + 1) * (c_ - 1)]) for i in range(r_ - 1)]
        for row, total_row in zip(t, rows, strict=False):
            row.append(total_row - sum(row))
        t.append([cols[j] - sum(t[i][j] for i in range(r_ - 1)) for j in range(c_)])
        if min(min(row) for row in t) < 0:
            continue
        p = prob(tuple(tuple(row) for row in t))
        if p <= observed * (1 + 1e-7):
            total += p
    return total


@pytest.mark.parametrize("name", ["two_by_three", "three_by_three", "two_by_five"])
def test_network_equals_brute_force_enumeration(name: str) -> None:
    table = _table(name)
    assert fisher_exact(table).p_value == pytest.approx(_brute_force_p(table), rel=1e-12)


def test_monte_carlo_is_close_to_exact_and_to_r() -> None:
    ref = case("fisher", "job_satisfaction")
    r = fisher_exact(_table("job_satisfaction"), p_value="monte_carlo", resamples=100_000,
                     seed=3)
    assert r.p_value_method == "Monte Carlo, 100000 resamples, seed 3"
    assert abs(r.p_value - ref["p"]) < MONTE_CARLO_ABS
    assert abs(r.p_value - ref["p_simulated_1e5"]) < 2 * MONTE_CARLO_ABS
    assert fisher_exact(_table("job_satisfaction"), p_value="monte_carlo", resamples=100_000,
                        seed=3).p_value == r.p_value


def test_a_network_beyond_the_limit_switches_to_monte_carlo() -> None:
    r = fisher_exact(_table("job_satisfaction"), max_steps=10, resamples=20_000, seed=5)
    assert r.resamples == 20_000 and r.seed == 5
    assert "Monte Carlo" in (r.note or "") and abs(r.p_value - case(
        "fisher", "job_satisfaction")["p"]) < 0.02


def test_four_sites_of_thirty_are_exact_and_agree_with_monte_carlo() -> None:
    """4 sites x 3 responses, 120 patients: beyond the automatic exact budget, exact when asked;
    the exact p lies within Monte Carlo error of a 20,000-resample estimate."""
    table = [[12, 10, 8], [9, 11, 10], [15, 8, 7], [6, 12, 12]]
    r = fisher_exact(table, p_value="exact")
    assert r.p_value_method == "exact (network algorithm)"
    mc = fisher_exact(table, resamples=20_000, seed=11)
    assert mc.p_value_method == "Monte Carlo, 20000 resamples, seed 11"
    assert abs((r.p_value or 0.0) - (mc.p_value or 0.0)) < 0.015


def test_a_large_table_in_auto_mode_keeps_only_the_chi_square() -> None:
    table = [[4000, 3000, 3000], [3500, 3500, 3000]]
    r = fisher_exact(table)
    assert r.p_value is None and r.p_value_method is None
    assert r.p_value_chi_square is not None and "chi-square" in (r.note or "")


def test_empty_rows_and_columns_are_dropped_with_a_note() -> None:
    r = fisher_exact([[3, 0, 1], [0, 0, 0], [1, 0, 3]])
    assert r.p_value == pytest.approx(fisher_exact([[3, 1], [1, 3]]).p_value, rel=1e-15)
    assert r.odds_ratio is None and "left out" in (r.note or "")


@pytest.mark.parametrize(("table", "why"), [
    ([[4, 2]], "fewer than two rows"), ([[0, 0], [0, 0]], "fewer than two rows"),
    ([[1, 0], [5, 0]], "fewer than two columns"),
])
def test_degenerate_tables_are_not_run(table: list[list[int]], why: str) -> None:
    r = fisher_exact(table)
    assert r.p_value is None and (r.not_run or "").startswith(why)


def test_bad_tables_are_refused() -> None:
    with pytest.raises(ComputationError, match="non-negative whole counts"):
        fisher_exact([[1, -1], [2, 3]])
    with pytest.raises(ComputationError, match="non-negative whole counts"):
        fisher_exact(np.array([[1.5, 1], [2, 3]]))
    with pytest.raises(ComputationError, match="two-dimensional"):
        fisher_exact([1, 2, 3])


def test_from_labels_cross_tabulates_and_skips_missing() -> None:
    group = ["A", "A", "A", "B", "B", "B", None, "A"]
    outcome = ["CR", "CR", "PR", "NR", "PR", "NR", "CR", float("nan")]
    rows, cols, r = fisher_exact_from_labels(group, outcome)
    assert rows == ("A", "B") and cols == ("CR", "NR", "PR")
    assert r.table == ((2, 0, 1), (0, 2, 1)) and r.n == 6


def test_column_bounds_are_the_extremes_over_every_filling() -> None:
    """The network's pruning bounds: the largest and smallest log(c! / prod n_i!) over all
    columns n with sum c and n_i <= caps_i, checked by enumerating every column."""
    from jdmtrack.stats.fisher import _column_bounds, _log_factorial

    for caps in [(0, 3), (2, 2, 5), (1, 4, 4, 6), (6, 0, 2, 3)]:
        for c in range(sum(caps) + 1):
            values = [_log_factorial(c) - sum(_log_factorial(v) for v in col)
                      for col in itertools.product(*(range(k + 1) for k in caps))
                      if sum(col) == c]
            high, low = _column_bounds(c, caps)
            assert high == pytest.approx(max(values), abs=1e-9)
            assert low == pytest.approx(min(values), abs=1e-9)
