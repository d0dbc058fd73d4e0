"""Site-stratified two-arm tests applied to stacks of simulated multicentre studies.

Patients of each arm are spread over the K sites in turn (column i of an arm at site
i mod K, ``models``), so every site randomises within itself; each test below conditions on
the site, exchanging arm labels only between patients of the same site:

* ``van_elteren_p`` (Mann-Whitney endpoint): the van Elteren test, study by study as
  ``jdmtrack.stats.stratified_wilcoxon(y, arm, site, max_states=VAN_ELTEREN_MAX_STATES)``
  (pinned against R coin on main): mid-ranks within site divided by n_site + 1, statistic
  the sum of arm 1's scores over the sites holding both arms; exact two-sided p from the
  per-site permutation distributions convolved over sites when ``stratified_wilcoxon`` gives
  one, else its normal approximation (no continuity correction). As the analysis
  (``analysis.sites``), the exact p is computed for studies of at most
  ``analysis.group_tests.EXACT_MAX_N`` (50) patients in all; larger studies take the normal
  approximation. Without ties the exact distribution depends only on each site's (size,
  arm-1 count), so it is built once per such pattern; a study with ties is handed to
  ``stratified_wilcoxon`` itself.
* ``cmh_exact_p`` (Fisher endpoint): the exact conditional test of independence in the
  2 x 2 x K tables (Cochran-Mantel-Haenszel's exact form, R ``mantelhaen.test(exact =
  TRUE)``): S = arm 1's responders summed over sites, whose null distribution given every
  site's margins is the convolution of the sites' hypergeometric distributions; two-sided p
  sums the probabilities at most (1 + 1e-7) x that of the observed S, as R. With one site it
  is Fisher's exact test.
* ``stratified_logrank_p`` (log-rank endpoint): with at most ``EXACT_LOGRANK_MAX_TOTAL``
  patients in all, the exact permutation p of coin's log-rank scores computed within each
  site, arm labels permuted within site (per-site subset-sum distributions convolved); above
  it the stratified log-rank chi-square, (sum over sites of O - E)^2 / (sum of the variances),
  one degree of freedom (R ``survdiff(Surv(t, e) ~ arm + strata(site))``).

References
----------
van Elteren PH. On the combination of independent two-sample tests of Wilcoxon. Bull Int
Stat Inst. 1960;37:351-361.
Mantel N, Haenszel W. Statistical aspects of the analysis of data from retrospective studies
of disease. J Natl Cancer Inst. 1959;22:719-748.
Kalbfleisch JD, Prentice RL. The Statistical Analysis of Failure Time Data. 2nd ed. Wiley;
2002, §7.2 (the stratified log-rank test).
"""

from __future__ import annotations

import numpy as np

from jdmtrack.plan._types import BoolArray, FloatArray, IntArray
from jdmtrack.plan.logrank_exact import EXACT_LOGRANK_MAX_TOTAL
from jdmtrack.plan.vectorised import doubled_ranks, logrank_parts
from jdmtrack.stats._permutation import (
    RealDistribution,
    convolve_real,
    subset_sum_real,
    two_sided_real,
)

__all__ = ["cmh_exact_p", "site_of_columns", "stratified_logrank_p", "van_elteren_p"]

# R mantelhaen.test / fisher.test: tables at most this much more likely count as extreme.
_R_RELATIVE_ERROR = 1 + 1e-7
_KEY_DECIMALS = 12


def site_of_columns(n1: int, n2: int, sites: int) -> IntArray:
    """Site of each column of [arm 1 | arm 2]: column i of each arm is at site i mod K."""
    return np.concatenate([np.arange(n1) % sites, np.arange(n2) % sites]).astype(np.int64)


def _normal_two_sided(z: FloatArray) -> FloatArray:
    from scipy import special

    return np.asarray(2.0 * special.ndtr(-np.abs(z)))


def van_elteren_p(arm1: FloatArray, arm2: FloatArray, sites: int) -> FloatArray:
    """Per study (row), the two-sided p of the van Elteren test (NaN: not computable).

    Two sites of four, arm 1 below arm 2 in both: exact p = 2 (1/6)^2 (see
    ``stratified_wilcoxon``'s example).

    >>> van_elteren_p(np.array([[1.0, 5.0, 2.0, 6.0]]), np.array([[3.0, 7.0, 4.0, 8.0]]), 2)
    array([0.05555556])
    """
    from jdmtrack.analysis.group_tests import EXACT_MAX_N
    from jdmtrack.analysis.sites import VAN_ELTEREN_MAX_STATES
    from jdmtrack.stats.stratified import _exact_distribution, stratified_wilcoxon

    values = np.concatenate([arm1, arm2], axis=1)
    valid = np.isfinite(values)
    first = np.arange(values.shape[1]) < arm1.shape[1]
    site = site_of_columns(arm1.shape[1], arm2.shape[1], sites)
    count = values.shape[0]
    statistic, mean, variance = np.zeros(count), np.zeros(count), np.zeros(count)
    tied = np.zeros(count, dtype=bool)
    sizes, firsts = [], []
    for s in range(sites):
        cols = site == s
        doubled, ties = doubled_ranks(values[:, cols], valid[:, cols])
        size = valid[:, cols].sum(axis=1)
        m = (valid[:, cols] & first[cols]).sum(axis=1)
        used = (m > 0) & (m < size)
        with np.errstate(divide="ignore", invalid="ignore"):
            a = doubled / 2.0 / (size[:, None] + 1.0)
            # mid-ranks average (size + 1) / 2, so the scores average 1/2
            spread = np.sum(np.where(valid[:, cols], (a - 0.5) ** 2, 0.0), axis=1)
            share = m * (size - m) / (size * (size - 1.0))
        statistic += np.where(used, np.sum(np.where(valid[:, cols] & first[cols], a, 0.0), axis=1),
                              0.0)
        mean += np.where(used, m / 2.0, 0.0)
        variance += np.where(used, share * spread, 0.0)
        tied |= np.any(ties > 1, axis=1)
        sizes.append(np.where(used, size, 0))
        firsts.append(np.where(used, m, 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(variance > 0, _normal_two_sided((statistic - mean) / np.sqrt(variance)),
                     np.nan)
    # Sites stay in their order: the real-valued convolution's state limit is checked site
    # after site, so the order can decide between exact and normal, as in the analysis.
    keys = np.stack(sizes, axis=1) * (values.shape[1] + 1) + np.stack(firsts, axis=1)
    small = valid.sum(axis=1) <= EXACT_MAX_N
    plain = ~tied & (variance > 0) & small
    cache: dict[bytes, RealDistribution | None] = {}
    for row in np.flatnonzero(plain):
        key = keys[row].tobytes()
        if key not in cache:
            parts = [(2 * np.arange(1, size + 1, dtype=np.int64), np.arange(size) < m, int(size))
                     for size, m in (divmod(int(v), values.shape[1] + 1) for v in keys[row])
                     if size > 0]
            cache[key] = _exact_distribution(parts, "van_elteren",
                                             int(valid[row].sum()), VAN_ELTEREN_MAX_STATES)
        dist = cache[key]
        if dist is not None:
            p[row] = min(1.0, two_sided_real(dist, float(mean[row]), float(statistic[row])))
    for row in np.flatnonzero(tied & small):
        keep = valid[row]
        r = stratified_wilcoxon(values[row][keep], list(np.where(first, "a", "b")[keep]),
                                list(site[keep]), max_states=VAN_ELTEREN_MAX_STATES)
        best = r.p_value_exact if r.p_value_exact is not None else r.p_value_asymptotic
        p[row] = np.nan if best is None else best
    return p


def _hypergeometric_pmf(n1: IntArray, n2: IntArray, total: IntArray, width: int) -> FloatArray:
    """(studies, width) P(X = k), X arm 1's responders given the margins, k = 0..width-1."""
    from scipy import special

    k = np.arange(width)[None, :]
    n1c, n2c, tc = n1[:, None], n2[:, None], total[:, None]
    possible = (k <= n1c) & (tc - k >= 0) & (tc - k <= n2c)

    def log_comb(a: IntArray, b: IntArray) -> FloatArray:
        return np.asarray(special.gammaln(a + 1.0) - special.gammaln(b + 1.0)
                          - special.gammaln(a - b + 1.0))

    with np.errstate(invalid="ignore"):
        log_p = (log_comb(n1c, np.clip(k, 0, n1c)) + log_comb(n2c, np.clip(tc - k, 0, n2c))
                 - log_comb(n1c + n2c, tc))
    return np.where(possible, np.exp(np.where(possible, log_p, 0.0)), 0.0)


def cmh_exact_p(x1: IntArray, n1: IntArray, x2: IntArray, n2: IntArray) -> FloatArray:
    """Per study, the exact conditional two-sided p of the 2 x 2 x K tables (R
    ``mantelhaen.test(exact = TRUE)``); arrays are (studies, sites) responders and patients.

    One site is Fisher's test: 4/5 vs 0/5 gives p = 2 C(5,4) / C(10,4) = 10/210.

    >>> round(float(cmh_exact_p(*(np.array([[v]]) for v in (4, 5, 0, 5)))[0]) * 210, 10)
    10.0
    """
    count, sites = x1.shape
    width = int(n1.max(initial=0)) + 1
    dist = np.ones((count, 1))
    for s in range(sites):
        pmf = _hypergeometric_pmf(n1[:, s], n2[:, s], x1[:, s] + x2[:, s], width)
        grown = np.zeros((count, dist.shape[1] + width - 1))
        for k in range(width):
            grown[:, k : k + dist.shape[1]] += dist * pmf[:, k : k + 1]
        dist = grown
    observed = dist[np.arange(count), x1.sum(axis=1)]
    extreme = dist <= observed[:, None] * _R_RELATIVE_ERROR
    return np.asarray(np.minimum(1.0, np.sum(np.where(extreme, dist, 0.0), axis=1)))


def stratified_logrank_p(times: FloatArray, events: BoolArray, arm1: BoolArray,
                         sites: int) -> FloatArray:
    """Per study, the two-sided p of the site-stratified log-rank test (NaN: no event).

    Exact (scores within site, labels permuted within site) up to
    ``EXACT_LOGRANK_MAX_TOTAL`` patients in all, else the stratified chi-square.
    """
    n1 = int(np.sum(arm1))
    site = site_of_columns(n1, times.shape[1] - n1, sites)
    if times.shape[1] > EXACT_LOGRANK_MAX_TOTAL:
        from scipy import special

        score = np.zeros(times.shape[0])
        variance = np.zeros(times.shape[0])
        for s in range(sites):
            cols = site == s
            u, v = logrank_parts(times[:, cols], events[:, cols], arm1[cols])
            score += u
            variance += v
        with np.errstate(divide="ignore", invalid="ignore"):
            chi2 = np.where(variance > 0, score**2 / variance, np.nan)
        return np.asarray(np.where(np.isfinite(chi2), special.chdtrc(1, chi2), np.nan))
    return _exact_within_sites(times, events, arm1, site, sites)


def _exact_within_sites(times: FloatArray, events: BoolArray, arm1: BoolArray,
                        site: IntArray, sites: int) -> FloatArray:
    from jdmtrack.stats.logrank import logrank_scores

    p = np.full(times.shape[0], np.nan)
    cache: dict[bytes, RealDistribution | None] = {}
    for i in range(times.shape[0]):
        if not events[i].any():
            continue
        observed = 0.0
        key_parts: list[FloatArray] = []
        per_site: list[tuple[FloatArray, int]] = []
        for s in range(sites):
            cols = site == s
            scores = logrank_scores(times[i, cols], events[i, cols].astype(np.float64))
            m = int(arm1[cols].sum())
            observed += float(scores[arm1[cols]].sum())
            per_site.append((scores, m))
            key_parts.append(np.append(np.round(np.sort(scores), _KEY_DECIMALS), m))
        key = np.concatenate(key_parts).tobytes()
        if key not in cache:
            dist: RealDistribution | None = (np.zeros(1), np.ones(1))
            for scores, m in per_site:
                here = subset_sum_real(scores, m, float(2**62))
                dist = None if dist is None or here is None else convolve_real(
                    dist, here, float(2**62))
            cache[key] = dist
        found = cache[key]
        if found is not None:
            p[i] = two_sided_real(found, 0.0, observed)
    return p
