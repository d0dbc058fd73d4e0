"""Exact null distributions computed once per sample size, for vectorised simulation.

A simulated study is rejected by looking its statistic up in a table built once for its
sample size, instead of running the test's exact algorithm 2,000 times:

* signed-rank statistic without ties: the distribution of 2V (doubled ranks 2, 4, ..., 2m)
  over the 2^m sign patterns, two-sided p = P(|2V - E| >= |2v - E|);
* rank-sum statistic without ties: the distribution of 2W (doubled ranks of arm 1) over the
  C(n1 + n2, n1) allocations, two-sided likewise (R ``wilcox.test`` exact branch);
* Fisher's exact test: the two-sided p-value of every 2 x 2 table with margins n1, n2 given
  the column total, as R ``fisher.test`` (tables at most as likely as the observed one, with
  R's relative tolerance 1e-7).

Each table holds booleans "reject at alpha" and is cached per (sizes, alpha).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from jdmtrack.plan._types import BoolArray, FloatArray

__all__ = ["fisher_reject_table", "rank_sum_reject_table", "signed_rank_reject_table"]


# p-values are compared with alpha after a relative allowance for floating-point rounding,
# so that a p-value that is exactly alpha in exact arithmetic counts as significant.
P_TOLERANCE = 1e-9


def _two_sided_reject(probs: FloatArray, alpha: float) -> BoolArray:
    """Reject-at-alpha for every value 0..T of a statistic symmetric about T/2."""
    total = probs.size - 1
    support = np.arange(total + 1)
    distance = np.abs(2 * support - total)
    order = np.argsort(-distance, kind="stable")
    # p(v) = P(distance >= distance(v)): cumulative over decreasing distance, ties grouped.
    sorted_d = distance[order]
    cum = np.cumsum(probs[order])
    last_of_group = np.searchsorted(-sorted_d, -sorted_d, side="right") - 1
    p_sorted = cum[last_of_group]
    p = np.empty_like(p_sorted)
    p[order] = p_sorted
    return np.asarray(p <= alpha * (1 + P_TOLERANCE))


def _on_doubled_scale(reject: BoolArray) -> BoolArray:
    """Index a table by twice the statistic (doubled mid-ranks are integers)."""
    doubled = np.zeros(2 * reject.size - 1, dtype=bool)
    doubled[::2] = reject
    return doubled


@lru_cache(maxsize=256)
def signed_rank_reject_table(m: int, alpha: float) -> BoolArray:
    """``table[2v]`` is True when the signed-rank V = v (m untied ranks) is significant.

    >>> t = signed_rank_reject_table(6, 0.05)   # only V = 0 or 21: p = 2/64
    >>> [v for v in range(22) if t[2 * v]]
    [0, 21]
    """
    probs = np.zeros(m * (m + 1) // 2 + 1)
    probs[0] = 1.0
    top = 0
    for rank in range(1, m + 1):
        probs[rank : top + rank + 1] = probs[rank : top + rank + 1] + probs[: top + 1]
        probs *= 0.5
        top += rank
    return _on_doubled_scale(_two_sided_reject(probs, alpha))


@lru_cache(maxsize=1024)
def rank_sum_reject_table(n1: int, n2: int, alpha: float) -> BoolArray:
    """``table[2w]`` is True when arm 1's rank sum minus n1(n1 + 1)/2 equals w and is significant.

    >>> t = rank_sum_reject_table(4, 4, 0.05)   # only the two extreme allocations: 2/70
    >>> [w for w in range(17) if t[2 * w]]
    [0, 16]
    """
    # counts[k][u]: allocations of k of the first j ranks to arm 1 with Mann-Whitney U = u.
    size = n1 * n2
    counts = np.zeros((n1 + 1, size + 1))
    counts[0, 0] = 1.0
    for j in range(1, n1 + n2 + 1):
        # adding rank j to arm 1 when k - 1 of the earlier j - 1 are in arm 1 adds
        # (j - 1) - (k - 1) = j - k arm-2 values below it to U.
        for k in range(min(j, n1), 0, -1):
            shift = j - k
            if shift > n2:
                continue
            counts[k, shift:] += counts[k - 1, : size + 1 - shift]
    probs = counts[n1] / counts[n1].sum()
    return _on_doubled_scale(_two_sided_reject(probs, alpha))


@lru_cache(maxsize=1024)
def fisher_reject_table(n1: int, n2: int, alpha: float) -> BoolArray:
    """``table[x1, x2]``: two-sided Fisher exact test of x1/n1 vs x2/n2 significant at alpha.

    4/5 vs 0/5: p = 2 C(5,4) C(5,0) / C(10,4) = 10/210 = 0.0476; 4/5 vs 1/5: p = 0.206.

    >>> t = fisher_reject_table(5, 5, 0.05)
    >>> bool(t[5, 0]), bool(t[4, 0]), bool(t[4, 1])
    (True, True, False)
    """
    from scipy import stats

    reject = np.zeros((n1 + 1, n2 + 1), dtype=bool)
    for total in range(n1 + n2 + 1):
        lo, hi = max(0, total - n2), min(n1, total)
        x1 = np.arange(lo, hi + 1)
        d = stats.hypergeom.pmf(x1, n1 + n2, n1, total)
        # R fisher.test: sum of the probabilities of tables at most (1 + 1e-7) x as likely.
        ordered = np.sort(d)
        cumulative = np.cumsum(ordered)
        p = cumulative[np.searchsorted(ordered, d * (1 + 1e-7), side="right") - 1]
        reject[x1, total - x1] = p <= alpha * (1 + P_TOLERANCE)
    return reject
