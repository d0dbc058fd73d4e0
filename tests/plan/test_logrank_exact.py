"""The log-rank endpoint of ``jdmtrack plan``: small studies (at most 20 patients in all) are
decided by the exact permutation p-value, as ``jdmtrack.stats.logrank_test`` (pinned against
R coin on main) computes it; larger ones by the chi-square (R survdiff)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special

from jdmtrack.errors import SettingsError
from jdmtrack.plan import models, plan
from jdmtrack.plan import vectorised as vec
from jdmtrack.plan.logrank_exact import EXACT_LOGRANK_MAX_TOTAL, logrank_exact_p
from jdmtrack.plan.models import Design
from jdmtrack.plan.output import protocol_paragraph
from jdmtrack.plan.power import minimum_n
from jdmtrack.stats import logrank_test


def _studies(n: int, hazard_ratio: float, sims: int, seed: int, *, sites: int = 1,
             icc: float = 0.0, dropout: float = 0.0):
    d = Design(sites=sites, icc=icc, dropout=dropout, visits=3, effect=hazard_ratio,
               median=20.0, followup=52.0)
    rng = np.random.default_rng(seed)
    t1, e1 = models.event_times(rng, sims, n, d, hazard_ratio)
    t2, e2 = models.event_times(rng, sims, n, d, 1.0)
    return (np.concatenate([t1, t2], axis=1), np.concatenate([e1, e2], axis=1),
            np.arange(2 * n) < n)


@pytest.mark.parametrize(("n", "sites", "dropout"), [(4, 1, 0.0), (7, 2, 0.2), (10, 4, 0.1)])
def test_small_studies_are_decided_by_logrank_test_exact_p(n, sites, dropout):
    """Study by study (censoring at follow-up and at dropout visits, so tied censoring times
    and studies without events occur), the plan's decision equals
    ``logrank_test(..., permutation="exact").p_value_exact <= 0.05`` (the plan's rule for
    every exact test: p <= alpha, with a 1e-9 relative tolerance)."""
    times, events, arm1 = _studies(n, 0.3, 120, n, sites=sites, icc=0.05 if sites > 1 else 0.0,
                                   dropout=dropout)
    decided = vec.logrank_reject(times, events, arm1, 0.05)
    group = ["arm1" if a else "arm2" for a in arm1]
    expected = []
    for t, e in zip(times, events, strict=True):
        r = logrank_test(t, e, group, permutation="exact")
        expected.append(r.p_value_exact is not None and r.p_value_exact <= 0.05 * (1 + 1e-9))
    assert decided.tolist() == expected
    assert 0 < decided.sum() < len(decided)
    p = logrank_exact_p(times, events, arm1)
    first = logrank_test(times[0], events[0], group, permutation="exact").p_value_exact
    assert p[0] == pytest.approx(first, rel=1e-9)


def test_tiny_case_by_hand_chi_square_rejects_exact_does_not():
    """Three per arm, all six are events, arm 1 at t = 1, 2, 3 and arm 2 at 4, 5, 6.
    Chi-square (docstring of logrank_test, R survdiff): 5.0517, R pchisq(5.0517, 1,
    lower.tail = FALSE) = 0.024602 < 0.05, rejects.
    Exact: the sum of arm 1's scores is the most extreme of C(6, 3) = 20 splits, and its
    mirror image (arm 2 first) is as extreme, so p = 2/20 = 0.1 > 0.05: does not reject.
    The chi-square treats a discrete statistic as continuous and is liberal at this size."""
    t = np.array([[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]])
    e = np.ones_like(t, dtype=bool)
    arm1 = np.arange(6) < 3
    chi2 = vec.logrank_statistic(t, e, arm1)[0]
    assert chi2 == pytest.approx(5.0516605166, rel=1e-9)
    assert float(special.chdtrc(1, chi2)) == pytest.approx(0.024602, abs=1e-6)
    assert logrank_exact_p(t, e, arm1)[0] == pytest.approx(0.1, rel=1e-12)
    assert vec.logrank_reject(t, e, arm1, 0.05).tolist() == [False]
    # Above the threshold the chi-square decides: 11 per arm, fully separated.
    big = np.arange(1.0, 23.0)[None, :]
    assert big.shape[1] > EXACT_LOGRANK_MAX_TOTAL
    split = np.arange(22) < 11
    chi_big = vec.logrank_statistic(big, np.ones_like(big, dtype=bool), split)
    assert vec.logrank_reject(big, np.ones_like(big, dtype=bool), split, 0.05).tolist() == [
        bool(special.chdtrc(1, chi_big[0]) <= 0.05)]


def test_exact_power_is_at_most_chi_square_power_and_holds_alpha():
    """Same simulated studies (fixed seed), 5 and 10 per arm. The chi-square p of the
    log-rank test is liberal at these sizes (it rejects in the tiny case above where no
    split can reach 0.05), so on the same studies the exact test rejects less often:
    power(exact) <= power(chi-square). Under the null (hazard ratio 1) the exact test's
    rejection rate stays within 3 Monte Carlo SE of alpha while the chi-square's exceeds
    alpha by more than 3 SE at 5 per arm."""
    sims = 2000
    se = math.sqrt(0.05 * 0.95 / sims)
    for n in (5, 10):
        for hr in (1.0, 0.3):
            times, events, arm1 = _studies(n, hr, sims, 100 + n)
            exact = vec.logrank_reject(times, events, arm1, 0.05).mean()
            chi2 = vec.logrank_statistic(times, events, arm1)
            chi = ((chi2 > 0) & (special.chdtrc(1, chi2) <= 0.05)).mean()
            assert exact <= chi
            if hr == 1.0:
                assert exact <= 0.05 + 3 * se
                if n == 5:
                    assert chi > 0.05 + 3 * se


def test_plan_logrank_small_n_minimum_reproducibility_and_paragraph():
    """Minimum n per arm for the exact test at alpha 0.05: 2/C(6,3) = 0.1 > 0.05 >=
    2/C(8,4) = 0.0286, so 4; n = 3 is refused. Same seed, same numbers. The paragraph says
    which log-rank p-value decides and where the threshold lies."""
    assert minimum_n("logrank", 0.05) == 4
    with pytest.raises(SettingsError, match="n = 3 is below the minimum for the logrank"):
        plan(test="logrank", n=[3, 8], effect=0.3, sims=50, seed=1)
    first = plan(test="logrank", n=[6, 10, 12], effect=0.3, sims=300, seed=5)
    again = plan(test="logrank", n=[6, 10, 12], effect=0.3, sims=300, seed=5)
    assert [g.power for g in first.grid] == [g.power for g in again.grid]
    assert first.settings["exact_max_total"] == EXACT_LOGRANK_MAX_TOTAL == 20
    text = protocol_paragraph(first)
    assert "exact permutation p-value" in text and "at most 20 patients" in text
