"""Large-sample modes of the group statistics against R (tests/reference/groupstats/large_sample.R).

Above the exact-test threshold (``jdmtrack.analysis.group_tests.EXACT_MAX_N`` patients) the
group comparisons use the asymptotic forms coin uses with ``distribution = "asymptotic"``:

- ``mann_whitney(permutation="none", correct=False)``: ``coin::wilcox_test`` asymptotic (z
  and p); the smallest attainable exact p of an untied 400 + 300 split, ``2 / choose(700,
  300)`` = 1.6e-206 (a float conversion of C(700, 300) would not overflow here, but
  C(2000, 1000) does: checked to stay a finite float);
- ``kruskal_wallis(permutation="none")``: ``coin::kruskal_test`` asymptotic, 24 groups of 50;
- ``stratified_wilcoxon(exact=False)``: coin's van Elteren ``independence_test`` (ranks
  within site / (n_s + 1)) asymptotic: linear statistic, expectation, variance, p;
- ``stratified_signed_rank(exact=False)``: the normal form written out in R (coin has no
  site-stratified signed-rank test);
- ``nested_mixed_model`` on 400 patients in 10 sites (the structured REML solve) against lme4.

The Monte Carlo p-values (``permutation="monte_carlo"``, 10,000 resamples, the default seed)
agree with coin's ``approximate(nresample = 10000)`` within 3 Monte Carlo standard errors of
the difference of two independent estimates, ``3 sqrt(2 p (1 - p) / B)`` with p the
asymptotic p.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from groupstats_reference import assert_close

from jdmtrack.defaults import DEFAULT_SEED
from jdmtrack.stats.kruskal import kruskal_wallis
from jdmtrack.stats.mann_whitney import mann_whitney
from jdmtrack.stats.nested_mixed import nested_mixed_model
from jdmtrack.stats.stratified import stratified_signed_rank, stratified_wilcoxon

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "groupstats" / "large_sample.json"
DATA: dict[str, Any] = json.loads(REFERENCE.read_text("utf-8"))
B = int(DATA["versions"]["resamples"])
# coin's asymptotic p-values come from pnorm / pchisq of its own standardised statistic.
REL = 1e-10


def _mc_close(ours: float | None, coin: float, p: float, what: str) -> None:
    assert ours is not None
    se = math.sqrt(2.0 * p * (1.0 - p) / B)
    assert abs(ours - coin) <= 3.0 * se, f"{what}: {ours} vs coin {coin} (3 SE = {3 * se})"


@pytest.mark.parametrize("name", sorted(DATA["mann_whitney"]))
def test_mann_whitney_asymptotic_matches_coin(name: str) -> None:
    ref = DATA["mann_whitney"][name]
    r = mann_whitney(ref["x"], ref["y"], permutation="none", correct=False)
    assert r.p_value_exact is None and r.p_value_exact_method is None
    assert_close(r.statistic, ref["W"], f"{name} W")
    assert_close(r.z, ref["z"], f"{name} z", rel=REL)
    assert_close(r.p_value_asymptotic, ref["p_asymptotic"], f"{name} p", rel=REL)
    if ref["min_p_untied"] == "NA":
        assert r.min_attainable_p is None
    else:
        assert_close(r.min_attainable_p, ref["min_p_untied"], f"{name} min p", rel=1e-12)
    mc = mann_whitney(ref["x"], ref["y"], permutation="monte_carlo", resamples=B,
                      seed=DEFAULT_SEED)
    _mc_close(mc.p_value_exact, ref["p_approx"], ref["p_asymptotic"], f"{name} Monte Carlo")


def test_mann_whitney_min_attainable_p_does_not_overflow() -> None:
    """C(2000, 1000) ~ 2e600 is beyond a double: 2 / C underflows to 0.0, it never raises."""
    x = np.arange(1000, dtype=float)
    r = mann_whitney(x, x + 1000.5, permutation="none", correct=False)
    assert r.min_attainable_p == 0.0 and r.can_reach_alpha is True
    assert r.p_value_asymptotic is not None and r.p_value_asymptotic < 1e-300


@pytest.mark.parametrize("name", sorted(DATA["kruskal"]))
def test_kruskal_asymptotic_matches_coin(name: str) -> None:
    ref = DATA["kruskal"][name]
    levels = sorted(set(ref["g"]))
    groups = [[y for y, g in zip(ref["y"], ref["g"], strict=True) if g == lv] for lv in levels]
    r = kruskal_wallis(groups, permutation="none")
    assert r.p_value_exact is None and r.df == ref["df"]
    assert_close(r.statistic, ref["statistic"], f"{name} H", rel=REL)
    assert_close(r.p_value, ref["p_asymptotic"], f"{name} p", rel=REL)
    assert_close(r.p_value, ref["kruskal_test_p"], f"{name} kruskal.test p", rel=REL)
    mc = kruskal_wallis(groups, permutation="monte_carlo", resamples=B, seed=DEFAULT_SEED)
    _mc_close(mc.p_value_exact, ref["p_approx"], ref["p_asymptotic"], f"{name} Monte Carlo")


@pytest.mark.parametrize("name", sorted(DATA["van_elteren"]))
def test_van_elteren_asymptotic_matches_coin(name: str) -> None:
    ref = DATA["van_elteren"][name]
    r = stratified_wilcoxon(ref["y"], ref["g"], ref["s"], exact=False)
    assert r.p_value_exact is None and r.not_run is None
    assert r.note is not None and "large-sample mode" in r.note
    assert_close(r.statistic, ref["statistic"], f"{name} statistic", rel=REL)
    assert_close(r.expectation, ref["expectation"], f"{name} expectation", rel=REL)
    assert_close(r.variance, ref["variance"], f"{name} variance", rel=REL)
    assert_close(r.z, ref["z"], f"{name} z", rel=REL)
    assert_close(r.p_value_asymptotic, ref["p_asymptotic"], f"{name} p", rel=REL)


@pytest.mark.parametrize("name", sorted(DATA["signed_rank"]))
def test_stratified_signed_rank_asymptotic_matches_r(name: str) -> None:
    ref = DATA["signed_rank"][name]
    r = stratified_signed_rank(ref["d"], ref["s"], exact=False)
    assert r.p_value_exact is None
    for field in ("statistic", "expectation", "variance", "z"):
        assert_close(getattr(r, field), ref[field], f"{name} {field}", rel=REL)
    assert_close(r.p_value_asymptotic, ref["p_asymptotic"], f"{name} p", rel=REL)


def test_nested_mixed_model_large_matches_lme4() -> None:
    """400 patients in 10 sites, 4 weeks, 20% of follow-up visits missing (tolerances as in
    test_stats_nested_mixed: 1e-6 estimates, 1e-9 REML criterion)."""
    ref = DATA["nested"]["sites_10_n400"]
    r = nested_mixed_model(ref["site"], ref["id"], ref["week"], ref["value"])
    assert r.not_run is None and r.converged and r.n_patients == 400
    assert_close(r.intercept, ref["fixef"][0], "intercept", rel=1e-6)
    for effect, estimate, error in zip(r.estimates, ref["fixef"][1:], ref["se"][1:],
                                       strict=True):
        assert_close(effect.estimate, estimate, f"week {effect.week}", rel=1e-6)
        assert_close(effect.se, error, f"week {effect.week} SE", rel=1e-6)
    assert_close(r.reml_criterion, ref["reml"], "REML criterion", rel=1e-9)
    for ours, theirs in ((r.sd_site, ref["sd_site"]), (r.sd_patient, ref["sd_patient"]),
                         (r.sd_residual, ref["sd_residual"])):
        assert_close(ours, theirs, "SD", rel=1e-6)
