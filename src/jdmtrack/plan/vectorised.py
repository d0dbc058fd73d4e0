"""The tests jdmtrack analyses with, applied to thousands of simulated studies at once.

Each function takes a stack of simulated studies (first axis) with NaN for a value not
observed (dropout, missing visit) and returns, per study, whether the two-sided test rejects
at ``alpha``. They reproduce, study by study, what the analysis would conclude:

* ``signed_rank_reject``: Wilcoxon signed-rank, zeros dropped, exact conditional p-value
  given the mid-ranks (as ``jdmtrack.stats.wilcoxon_signed_rank``'s ``p_value_exact`` and R
  ``coin::wilcoxsign_test(distribution = "exact")``). Studies without ties are looked up in
  a table built once per n; studies with ties run the exact distribution for all of them at
  once (one dynamic-programming pass over the stack), up to ``EXACT_TIES_MAX_N`` non-zero
  differences, beyond which they take the analysis's asymptotic p-value.
* ``rank_sum_reject``: Mann-Whitney / Wilcoxon rank-sum as R ``wilcox.test`` by default:
  exact without ties when both arms have fewer than 50, else the normal approximation with
  tie and continuity correction.
* ``fisher_reject``: two-sided Fisher exact test (R ``fisher.test``).
* ``logrank_reject``: log-rank test: with at most ``EXACT_LOGRANK_MAX_TOTAL`` (20) patients
  in all, the exact permutation p-value (``logrank_exact``, as ``jdmtrack.stats.logrank_test``
  with ``permutation="exact"``); above it the chi-square on one degree of freedom (R
  ``survdiff``).
* ``friedman_reject``: Friedman test over complete cases, decided by the p-value the
  analysis reports: the permutation p-value of ``jdmtrack.stats.friedman_test`` up to
  ``analysis.outcomes.PERMUTATION_MAX_N`` (200) complete patients (without ties through one
  exact critical value per n, ``friedman_exact``; with ties through ``friedman_ties``), the
  chi-square with tie correction (R ``friedman.test``) above.
"""

from __future__ import annotations

import numpy as np

from jdmtrack.plan._types import BoolArray, FloatArray, IntArray
from jdmtrack.plan.friedman_exact import ExactFriedman
from jdmtrack.plan.logrank_exact import EXACT_LOGRANK_MAX_TOTAL, logrank_exact_p
from jdmtrack.plan.nulls import (
    P_TOLERANCE,
    fisher_reject_table,
    rank_sum_reject_table,
    signed_rank_reject_table,
)

__all__ = [
    "doubled_ranks",
    "fisher_reject",
    "friedman_reject",
    "friedman_statistic",
    "logrank_parts",
    "logrank_reject",
    "logrank_statistic",
    "rank_sum_reject",
    "signed_rank_reject",
]


#: Above this many non-zero differences a study with ties is decided by the normal
#: approximation: the exact distribution costs O(n^3) per tie pattern, and by then the
#: exact and asymptotic p-values of the analysis agree closely.
EXACT_TIES_MAX_N = 80
# R wilcox.test uses its exact branch only below this many per arm.
_EXACT_RANK_SUM_BELOW = 50


def doubled_ranks(values: FloatArray, valid: BoolArray) -> tuple[IntArray, IntArray]:
    """Doubled mid-ranks along the last axis among the valid entries, and tie-group sizes.

    doubled = #(smaller) + #(smaller or equal) + 1, which is 2 x the mid-rank.
    """
    a = np.where(valid, values, np.nan)
    x = a[..., :, None]
    y = a[..., None, :]
    less = np.sum(y < x, axis=-1)
    leq = np.sum(y <= x, axis=-1)
    doubled = np.where(valid, less + leq + 1, 0).astype(np.int64)
    ties = np.where(valid, leq - less, 0).astype(np.int64)
    return doubled, ties


def _signed_rank_p_with_ties(doubled: IntArray, positive: BoolArray) -> FloatArray:
    """Exact two-sided conditional p-values for rows of m doubled mid-ranks (all valid).

    Rows sharing a tie pattern share a null distribution, so it is built once per distinct
    pattern (one dynamic-programming pass over all of them at once, each step shifting every
    row by its own rank through a sliding-window view). The distribution of the positive-rank
    sum S is symmetric about T/2 (T = m(m + 1), the sum of doubled ranks), so the two-sided
    p-value is min(1, 2 P(S <= min(s, T - s))).
    """
    patterns, inverse = np.unique(np.sort(doubled, axis=1), axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    count, m = patterns.shape
    top = int(patterns[0].sum())
    padded = np.zeros((count, 2 * top + 1))
    padded[:, top] = 1.0
    rows = np.arange(count)
    for j in range(m):
        windows = np.lib.stride_tricks.sliding_window_view(padded, top + 1, axis=1)
        shifted = windows[rows, top - patterns[:, j]]
        padded[:, top:] = 0.5 * (padded[:, top:] + shifted)
    cdf = np.cumsum(padded[:, top:], axis=1)
    observed = np.sum(np.where(positive, doubled, 0), axis=1)
    nearer = np.minimum(observed, top - observed)
    return np.asarray(np.minimum(1.0, 2.0 * cdf[inverse, nearer]))


def signed_rank_reject(differences: FloatArray, alpha: float) -> BoolArray:
    """Per study (row): does the exact signed-rank test of the differences reject?"""
    d = np.asarray(differences, dtype=np.float64)
    valid = np.isfinite(d) & (d != 0.0)
    doubled, ties = doubled_ranks(np.abs(d), valid)
    m = valid.sum(axis=1)
    v2 = np.sum(np.where(valid & (d > 0), doubled, 0), axis=1)
    tied = np.any(ties > 1, axis=1)
    reject = np.zeros(d.shape[0], dtype=bool)
    for size in np.unique(m).tolist():
        if size == 0:
            continue
        rows = m == size
        plain = rows & ~tied
        if plain.any():
            reject[plain] = signed_rank_reject_table(size, alpha)[v2[plain]]
        with_ties = np.flatnonzero(rows & tied)
        if with_ties.size:
            keep = valid[with_ties]
            dr = doubled[with_ties][keep].reshape(with_ties.size, size)
            pos = (d[with_ties] > 0)[keep].reshape(with_ties.size, size)
            if size <= EXACT_TIES_MAX_N:
                p = _signed_rank_p_with_ties(dr, pos)
                reject[with_ties] = p <= alpha * (1 + P_TOLERANCE)
            else:
                reject[with_ties] = _signed_rank_p_normal(dr, pos) <= alpha
    return reject


def _signed_rank_p_normal(doubled: IntArray, positive: BoolArray) -> FloatArray:
    """Normal approximation with tie and continuity correction (the analysis's
    ``p_value_asymptotic``, R ``wilcox.test(exact = FALSE, correct = TRUE)``)."""
    m = doubled.shape[1]
    statistic = np.sum(np.where(positive, doubled, 0), axis=1) / 2.0
    # each tie group of size t has t members of equal doubled rank: sum(t^3 - t) per row
    same = np.sum(doubled[:, :, None] == doubled[:, None, :], axis=2)
    tie_term = np.sum(same**2 - 1, axis=1)
    sigma = np.sqrt(m * (m + 1) * (2 * m + 1) / 24.0 - tie_term / 48.0)
    centred = statistic - m * (m + 1) / 4.0
    return _normal_two_sided((centred - np.sign(centred) * 0.5) / sigma)


def _normal_two_sided(z: FloatArray) -> FloatArray:
    from scipy import special

    return np.asarray(2.0 * special.ndtr(-np.abs(z)))


def rank_sum_reject(arm1: FloatArray, arm2: FloatArray, alpha: float) -> BoolArray:
    """Per study: does the two-sided rank-sum test (R ``wilcox.test`` default) reject?"""
    values = np.concatenate([arm1, arm2], axis=1)
    valid = np.isfinite(values)
    in1 = np.zeros(values.shape[1], dtype=bool)
    in1[: arm1.shape[1]] = True
    doubled, ties = doubled_ranks(values, valid)
    n1 = valid[:, in1].sum(axis=1)
    n2 = valid[:, ~in1].sum(axis=1)
    u2 = np.sum(np.where(valid[:, in1], doubled[:, in1], 0), axis=1) - n1 * (n1 + 1)
    tie_term = np.sum(ties**2 - 1, axis=1)  # sum over tie groups of t^3 - t
    tied = tie_term > 0
    reject = np.zeros(values.shape[0], dtype=bool)
    exact = ~tied & (n1 < _EXACT_RANK_SUM_BELOW) & (n2 < _EXACT_RANK_SUM_BELOW) & (n1 > 0) & (n2 > 0)
    for a, b in {(int(x), int(y)) for x, y in zip(n1[exact], n2[exact], strict=True)}:
        rows = exact & (n1 == a) & (n2 == b)
        reject[rows] = rank_sum_reject_table(a, b, alpha)[u2[rows]]
    approx = ~exact & (n1 > 0) & (n2 > 0)
    if approx.any():
        a, b = n1[approx].astype(float), n2[approx].astype(float)
        total = a + b
        centred = u2[approx] / 2.0 - a * b / 2.0
        sigma = np.sqrt(a * b / 12.0 * ((total + 1) - tie_term[approx] / (total * (total - 1))))
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (centred - np.sign(centred) * 0.5) / sigma
        p = np.where(sigma > 0, _normal_two_sided(np.nan_to_num(z)), 1.0)
        reject[approx] = p <= alpha
    return reject


def fisher_reject(x1: IntArray, n1: IntArray, x2: IntArray, n2: IntArray, alpha: float) -> BoolArray:
    """Per study: does the two-sided Fisher exact test of x1/n1 against x2/n2 reject?"""
    reject = np.zeros(x1.shape[0], dtype=bool)
    usable = (n1 > 0) & (n2 > 0)
    for a, b in {(int(x), int(y)) for x, y in zip(n1[usable], n2[usable], strict=True)}:
        rows = usable & (n1 == a) & (n2 == b)
        reject[rows] = fisher_reject_table(a, b, alpha)[x1[rows], x2[rows]]
    return reject


def logrank_parts(times: FloatArray, events: BoolArray, arm1: BoolArray
                  ) -> tuple[FloatArray, FloatArray]:
    """Per study, arm 1's observed minus expected events and its hypergeometric variance
    (continuous times: no two events at the same time); a study without patients gives 0."""
    order = np.argsort(times, axis=1, kind="stable")
    e = np.take_along_axis(events, order, axis=1)
    g = np.broadcast_to(arm1, times.shape)
    g = np.take_along_axis(g, order, axis=1)
    total = times.shape[1]
    at_risk = total - np.arange(total)[None, :].astype(float)
    at_risk1 = (g.sum(axis=1, keepdims=True) - np.cumsum(g, axis=1) + g).astype(float)
    observed = np.sum(e & g, axis=1)
    expected = np.sum(e * at_risk1 / at_risk, axis=1)
    variance = np.sum(e * at_risk1 * (at_risk - at_risk1) / at_risk**2, axis=1)
    return np.asarray(observed - expected, dtype=np.float64), np.asarray(variance,
                                                                         dtype=np.float64)


def logrank_statistic(times: FloatArray, events: BoolArray, arm1: BoolArray) -> FloatArray:
    """Log-rank chi-square per study (continuous times: no two events at the same time)."""
    score, variance = logrank_parts(times, events, arm1)
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = np.where(variance > 0, score**2 / variance, 0.0)
    return np.asarray(chi2, dtype=np.float64)


def logrank_reject(times: FloatArray, events: BoolArray, arm1: BoolArray, alpha: float) -> BoolArray:
    """Per study: does the log-rank test reject? (A study without events never does.)

    Exact permutation p-value up to ``EXACT_LOGRANK_MAX_TOTAL`` patients, else chi-square.
    """
    from scipy import special

    if times.shape[1] <= EXACT_LOGRANK_MAX_TOTAL:
        p = logrank_exact_p(times, events, arm1)
        return np.asarray(np.isfinite(p) & (p <= alpha * (1 + P_TOLERANCE)))
    chi2 = logrank_statistic(times, events, arm1)
    return np.asarray((chi2 > 0) & (special.chdtrc(1, chi2) <= alpha))


def friedman_statistic(values: FloatArray) -> tuple[FloatArray, IntArray]:
    """Tie-corrected Friedman chi-square over complete cases, per study: (statistic, n)."""
    complete = np.all(np.isfinite(values), axis=2)
    doubled, ties = doubled_ranks(values, np.broadcast_to(complete[..., None], values.shape))
    n = complete.sum(axis=1)
    k = values.shape[2]
    sums = doubled.sum(axis=1) / 2.0  # column rank sums over complete patients
    centred = np.sum((sums - n[:, None] * (k + 1) / 2.0) ** 2, axis=1)
    # ties: each tie group of size t contributes t entries of t; sum(t^3 - t) over groups.
    tie_term = np.sum(np.where(complete[..., None], ties**2 - 1, 0), axis=(1, 2))
    denominator = n * k * (k + 1) - tie_term / (k - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = np.where(denominator > 0, 12.0 * centred / denominator, 0.0)
    return statistic, n


def friedman_reject(values: FloatArray, alpha: float, exact: ExactFriedman | None = None,
                    rng: np.random.Generator | None = None) -> BoolArray:
    """Per study: does the Friedman test (complete cases) reject?

    With ``exact``, each study is decided by the p-value the analysis reports
    (``analysis/outcomes.py``): up to ``PERMUTATION_MAX_N`` complete patients the
    permutation p-value (studies without ties through one exact critical value per n,
    ``friedman_exact``; studies with ties, or beyond the exact distribution's size, through
    ``friedman_ties``, drawing its screen from ``rng``), above it the chi-square p-value.
    Without ``exact``, every study is decided by the chi-square p-value.
    """
    from scipy import special

    from jdmtrack.analysis.outcomes import PERMUTATION_MAX_N
    from jdmtrack.plan.friedman_ties import permutation_reject

    statistic, n = friedman_statistic(values)
    k = values.shape[2]
    reject = np.asarray((n >= 2) & (special.chdtrc(k - 1, statistic) <= alpha))
    if exact is None:
        return reject
    complete = np.all(np.isfinite(values), axis=2)
    doubled, ties = doubled_ranks(values, np.broadcast_to(complete[..., None], values.shape))
    permuted = (n >= 2) & (n <= PERMUTATION_MAX_N)
    reject[permuted] = False
    pending = permuted.copy()
    untied = permuted & ~np.any(ties > 1, axis=(1, 2))
    for size in np.unique(n[untied]).tolist():
        rows = np.flatnonzero(untied & (n == size))
        tables = doubled[rows][complete[rows]].reshape(rows.size, size, k)
        s_values = np.sum(tables.sum(axis=1) ** 2, axis=1)
        decided = exact.decide(tables, s_values)
        if decided is not None:
            reject[rows] = decided
            pending[rows] = False
    rest = np.flatnonzero(pending)
    if rest.size:
        reject[rest] = permutation_reject(values[rest], doubled[rest], alpha,
                                          rng if rng is not None else np.random.default_rng(0),
                                          PERMUTATION_MAX_N)
    return reject
