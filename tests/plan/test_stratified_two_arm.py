"""Site-stratified two-arm tests of the simulation (``plan.stratified_two_arm``): the exact
2 x 2 x K test and the stratified log-rank against R (tests/reference/plan_stratified.R,
output pinned here), van Elteren study by study against ``jdmtrack.stats.stratified_wilcoxon``
(pinned against coin on main), and the plan end to end."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special

from jdmtrack.errors import SettingsError
from jdmtrack.plan import models, plan
from jdmtrack.plan.models import Design
from jdmtrack.plan.nulls import fisher_reject_table
from jdmtrack.plan.output import protocol_paragraph
from jdmtrack.plan.power import TESTS
from jdmtrack.plan.stratified_two_arm import (
    cmh_exact_p,
    site_of_columns,
    stratified_logrank_p,
    van_elteren_p,
)
from jdmtrack.stats import stratified_wilcoxon

# R mantelhaen.test(exact = TRUE); per site (arm 1 responders, arm 2 responders, arm 1
# non-responders, arm 2 non-responders), as the R script fills its 2 x 2 x K array.
R_CMH = [
    ([(2, 1, 0, 3), (3, 0, 1, 2), (1, 2, 2, 1)], 0.36),
    ([(4, 1, 1, 4), (3, 1, 0, 2), (2, 0, 1, 3), (3, 2, 1, 1)], 0.0111337868480726),
    ([(5, 0, 0, 5), (0, 0, 1, 1)], 0.00793650793650794),   # = fisher.test of site 1
    ([(2, 2, 1, 1), (4, 0, 0, 3), (0, 0, 3, 3)], 0.114285714285714),
]


@pytest.mark.parametrize(("tables", "expected"), R_CMH)
def test_exact_cmh_matches_r_mantelhaen(tables, expected):
    t = np.array(tables)
    x1, x2 = t[None, :, 0], t[None, :, 1]
    p = cmh_exact_p(x1, x1 + t[None, :, 2], x2, x2 + t[None, :, 3])
    assert p[0] == pytest.approx(expected, rel=1e-12)


def test_one_site_is_fisher_for_every_table():
    """With one site the exact conditional test is Fisher's: every table of 6 vs 7 patients
    is decided as ``fisher_reject_table`` (R fisher.test enumeration, test_power)."""
    x1, x2 = np.meshgrid(np.arange(7), np.arange(8), indexing="ij")
    x1, x2 = x1.reshape(-1, 1), x2.reshape(-1, 1)
    p = cmh_exact_p(x1, np.full_like(x1, 6), x2, np.full_like(x2, 7))
    decided = p <= 0.05 * (1 + 1e-9)
    assert decided.tolist() == fisher_reject_table(6, 7, 0.05)[x1[:, 0], x2[:, 0]].tolist()
    assert 0 < decided.sum() < decided.size


# tests/reference/plan_stratified.R, part 2 and 3: 3 sites of 8 (4 per arm).
TIME = [3.1, 5.2, 7.7, 9.0, 12.5, 15.0, 2.2, 4.1, 4.9, 6.3, 8.8, 10.4, 1.5, 2.7, 6.6, 11.2,
        13.9, 14.4, 3.8, 5.9, 7.1, 8.2, 16.0, 18.5]
STATUS = [1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 1]
ARM = [1, 1, 1, 1, 2, 2, 2, 2] * 3
SITE = [s for s in range(3) for _ in range(8)]


def _columns(sites: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The R data laid out as the simulation lays a study out: column i of each arm at site
    i mod K."""
    keep = [i for i in range(len(TIME)) if SITE[i] < sites]
    per_arm = sum(ARM[i] == 1 for i in keep)
    where = site_of_columns(per_arm, per_arm, sites)
    times, events = np.zeros(2 * per_arm), np.zeros(2 * per_arm, dtype=bool)
    for arm in (1, 2):
        for s in range(sites):
            cols = np.flatnonzero((where == s) & ((np.arange(2 * per_arm) < per_arm) == (arm == 1)))
            rows = [i for i in keep if ARM[i] == arm and SITE[i] == s]
            times[cols] = [TIME[i] for i in rows]
            events[cols] = [STATUS[i] == 1 for i in rows]
    return times[None, :], events[None, :], np.arange(2 * per_arm) < per_arm


def test_stratified_logrank_chi_square_matches_survdiff_strata():
    """24 patients (> 20: chi-square): R survdiff(Surv ~ arm + strata(site))$chisq."""
    times, events, arm1 = _columns(3)
    p = stratified_logrank_p(times, events, arm1, 3)
    assert p[0] == pytest.approx(float(special.chdtrc(1, 0.255852911373127)), rel=1e-12)


def test_stratified_logrank_exact_matches_r_enumeration():
    """16 patients in 2 sites (<= 20: exact): R enumeration of the C(8, 4)^2 within-site
    splits of coin's within-site log-rank scores gives p = 0.933469387755102 (observed sum
    -0.157142857142857). coin's own blocked test pools the scores (0.887), so it is not this
    test."""
    times, events, arm1 = _columns(2)
    assert stratified_logrank_p(times, events, arm1, 2)[0] == pytest.approx(
        0.933469387755102, rel=1e-12)


@pytest.mark.parametrize(("n", "sites", "integer"), [(9, 3, False), (12, 4, True), (30, 4, False)])
def test_van_elteren_equals_stratified_wilcoxon_study_by_study(n, sites, integer):
    """Changes with a site effect and 15 % missing (n = 30 per arm: above 50 patients the
    normal approximation, as the analysis); rounded, ties (handed to stratified_wilcoxon)."""
    rng = np.random.default_rng(n)
    d = Design(sites=sites, icc=0.2, sd=2.0)
    arm1, arm2 = models.changes(rng, 120, n, d, 1.2), models.changes(rng, 120, n, d, 0.0)
    if integer:
        arm1, arm2 = np.round(arm1), np.round(arm2)
    for a in (arm1, arm2):
        a[rng.random(a.shape) < 0.15] = np.nan
    p = van_elteren_p(arm1, arm2, sites)
    site = site_of_columns(n, n, sites)
    group = np.array(["a"] * n + ["b"] * n)
    for i in range(arm1.shape[0]):
        y = np.concatenate([arm1[i], arm2[i]])
        keep = np.isfinite(y)
        r = stratified_wilcoxon(y[keep], list(group[keep]), list(site[keep]),
                                max_states=50_000)
        expected = r.p_value_exact if keep.sum() <= 50 and r.p_value_exact is not None \
            else r.p_value_asymptotic
        assert p[i] == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert 0 < np.sum(p <= 0.05) < p.size


def test_plan_fisher_stratified_is_the_share_the_exact_test_rejects():
    """Power at n = 9 per arm over 3 sites = share of the same simulated studies (seeded
    (seed, n)) whose exact 2 x 2 x 3 p is <= 0.05; the exact closed form is not used."""
    result = plan(test="fisher", n=[9], p1=0.8, p2=0.3, sites=3, icc=0.1, sims=300, seed=4)
    assert result.settings["analysis"] == "stratified" and not result.exact
    rng = np.random.default_rng([4, 9])
    d = Design(p1=0.8, p2=0.3, sites=3, icc=0.1)
    r1, s1 = models.responder_matrix(rng, 300, 9, d, 0.8)
    r2, s2 = models.responder_matrix(rng, 300, 9, d, 0.3)
    by_site = [np.stack([a[:, s::3].sum(axis=1) for s in range(3)], axis=1)
               for a in (r1, s1, r2, s2)]
    assert result.grid[0].power == np.mean(cmh_exact_p(*by_site) <= 0.05)


def test_friedman_stratified_is_the_pooled_test():
    kw = {"test": "friedman", "n": [8], "effect": 1.0, "sd": 1.0, "sites": 2, "sims": 200,
          "seed": 5}
    stratified, pooled = plan(**kw), plan(**kw, analysis="pooled")
    assert stratified.settings["analysis"] == "stratified"
    assert stratified.grid == pooled.grid


@pytest.mark.parametrize("test", TESTS)
def test_every_test_defaults_to_stratified_and_says_which(test):
    settings = {"fisher": {"p1": 0.8, "p2": 0.3}, "logrank": {"effect": 0.4}}.get(
        test, {"effect": 1.0, "sd": 1.0})
    result = plan(test=test, n=[8], sites=4, sims=40, seed=2, **settings)
    assert result.settings["analysis"] == "stratified"
    text = protocol_paragraph(result)
    named = {"wilcoxon": "site-stratified Wilcoxon signed-rank", "mann-whitney": "van Elteren",
             "fisher": "mantelhaen.test(exact = TRUE)", "logrank": "stratified by site",
             "friedman": "nested in sites"}[test]
    assert "stratified by site (4 sites" in text and named in text


def test_stratified_minimum_n_is_where_the_test_first_can_reject():
    """Four sites: n = 4 per arm puts one patient per arm in each site, smallest p
    2 / 2^4 = 0.125, refused; at n = 5 (2 / 48 = 0.042) an overwhelming effect is detected
    in every simulated study, by van Elteren and by the exact 2 x 2 x K test alike."""
    with pytest.raises(SettingsError, match=r"stratified by 4 sites at alpha = 0\.05: it needs "
                                            r"n >= 5 per arm"):
        plan(test="mann-whitney", n=[4, 8], effect=10.0, sd=1.0, sites=4, icc=0.0)
    assert plan(test="mann-whitney", n=[5], effect=50.0, sd=1.0, sites=4, icc=0.0,
                sims=50, seed=1).grid[0].power == 1.0
    assert plan(test="fisher", n=[5], p1=0.999, p2=0.001, sites=4, icc=0.0,
                sims=50, seed=1).grid[0].power > 0.9
    # pooled, the same n = 4 is allowed (2 / C(8, 4) = 0.029)
    assert plan(test="mann-whitney", n=[4], effect=50.0, sd=1.0, sites=4, icc=0.0, sims=50,
                seed=1, analysis="pooled").grid[0].power == 1.0


def test_stratified_fisher_power_exact_and_simulated_match_r():
    """R (plan_stratified.R, part 4): 6 per arm over 2 sites, rates 0.8 and 0.3, every
    outcome decided by mantelhaen.test(exact = TRUE): power 0.201969032512. The same
    enumeration through ``cmh_exact_p`` gives it to 1e-10 (the decisions agree table by
    table), and the plan's simulated power lies within 3 Monte Carlo SE of it."""
    from scipy import stats

    grid = np.array(np.meshgrid(*[np.arange(4)] * 4, indexing="ij")).reshape(4, -1).T
    a, b, d, e = grid.T
    x1, x2 = np.stack([a, d], axis=1), np.stack([b, e], axis=1)
    three = np.full_like(x1, 3)
    reject = cmh_exact_p(x1, three, x2, three) <= 0.05 * (1 + 1e-9)
    weight = (stats.binom.pmf(a, 3, 0.8) * stats.binom.pmf(b, 3, 0.3)
              * stats.binom.pmf(d, 3, 0.8) * stats.binom.pmf(e, 3, 0.3))
    assert float(np.sum(weight[reject])) == pytest.approx(0.201969032512, abs=1e-10)
    result = plan(test="fisher", n=[6], p1=0.8, p2=0.3, sites=2, icc=0.0, sims=4000, seed=6)
    point = result.grid[0]
    assert abs(point.power - 0.201969032512) <= 3 * point.mc_se
