"""Log-rank test against R (tests/reference/groupstats).

* chi-square, observed and expected events: ``survival::survdiff(Surv(time, event) ~ g)``,
  p = ``pchisq(chisq, sum(exp > 0) - 1, lower.tail = FALSE)``;
* scores: ``coin::logrank_trafo(Surv(time, event))``;
* permutation p: ``coin::logrank_test(..., distribution = "exact")`` for two groups and
  ``distribution = approximate(nresample = 1e6)`` (Monte Carlo error) for all.
"""

from __future__ import annotations

import numpy as np
import pytest
from groupstats_reference import MONTE_CARLO_ABS, as_list, assert_close, case, cases

from jdmtrack.errors import ComputationError
from jdmtrack.stats import logrank_scores, logrank_test

CASES = cases("logrank")


def _data(name: str) -> tuple[list[float], list[int], list[int]]:
    ref = case("logrank", name)
    return as_list(ref["time"]), [int(v) for v in as_list(ref["event"])], [
        int(v) for v in as_list(ref["g"])]


@pytest.mark.parametrize("name", CASES)
def test_logrank_matches_r(name: str) -> None:
    ref = case("logrank", name)
    time, event, group = _data(name)
    r = logrank_test(time, event, group)
    assert r.not_run is None and r.n == len(time)
    assert_close(r.statistic, ref["chisq"], f"{name} chi-square")
    assert r.df == ref["df"]
    assert_close(r.p_value, ref["p"], f"{name} p")
    assert r.observed == pytest.approx(as_list(ref["observed"]), rel=1e-12)
    assert r.expected == pytest.approx(as_list(ref["expected"]), rel=1e-12)
    scores = logrank_scores(np.array(time, dtype=float), np.array(event, dtype=float))
    assert scores == pytest.approx(as_list(ref["scores"]), rel=1e-12, abs=1e-14)
    if "coin_p_exact" in ref:
        assert r.p_value_exact_method == "exact (conditional on the scores)"
        assert_close(r.p_value_exact, ref["coin_p_exact"], f"{name} exact p (coin)", rel=1e-9)
    else:
        assert r.p_value_exact_method == "Monte Carlo, 100000 resamples, seed 20240607"
    assert abs((r.p_value_exact or 0.0) - ref["coin_p_approx_1e6"]) < MONTE_CARLO_ABS


def test_monte_carlo_two_groups_agrees_with_exact() -> None:
    ref = case("logrank", "rash_weeks_9_11")
    r = logrank_test(*_data("rash_weeks_9_11"), permutation="monte_carlo", resamples=50_000,
                     seed=4)
    assert r.resamples == 50_000 and r.seed == 4
    assert abs((r.p_value_exact or 0.0) - ref["coin_p_exact"]) < MONTE_CARLO_ABS


def test_a_distribution_beyond_the_limit_goes_monte_carlo() -> None:
    r = logrank_test(*_data("rash_weeks_9_11"), max_states=50, resamples=20_000, seed=4)
    assert r.p_value_exact_method == "Monte Carlo, 20000 resamples, seed 4"
    assert "Monte Carlo" in (r.note or "")


def test_hand_uncensored_three_against_three() -> None:
    """All of group a fail before all of group b: the most extreme of the C(6, 3) = 20
    splits, and so is the reverse: exact p = 2/20. Observed events 3 and 3."""
    r = logrank_test([1, 2, 3, 4, 5, 6], [1] * 6, ["a", "a", "a", "b", "b", "b"])
    assert r.groups == ("a", "b") and r.observed == (3.0, 3.0)
    assert r.p_value_exact == pytest.approx(0.1, rel=1e-12)


@pytest.mark.parametrize(("group", "event", "why"), [
    (["a"] * 4, [1, 0, 1, 1], "fewer than two groups"),
    (["a", "a", "b", "b"], [0, 0, 0, 0], "no events"),
])
def test_degenerate_data_is_not_run(group: list[str], event: list[int], why: str) -> None:
    r = logrank_test([1, 2, 3, 4], event, group)
    assert r.statistic is None and r.p_value_exact is None
    assert (r.not_run or "").startswith(why)


def test_misaligned_or_bad_events_are_refused() -> None:
    with pytest.raises(ComputationError, match="aligned"):
        logrank_test([1, 2], [1, 0, 1], ["a", "b"])
    with pytest.raises(ComputationError, match="event must be"):
        logrank_test([1, 2], [1, 2], ["a", "b"])
