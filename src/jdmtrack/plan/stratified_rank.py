"""The site-stratified signed-rank test applied to a stack of simulated multicentre studies.

Per study, as ``jdmtrack.stats.stratified_signed_rank(differences, site)`` (pinned against
an R enumeration of all sign patterns on main): zeros and missing values dropped, |d|
mid-ranked within each site, V = the sum over sites of the positive within-site ranks, and
the exact two-sided p of V from the per-site signed-rank distributions convolved over sites.
Patient (column) i is at site i mod K, as the simulation places them.

The null distribution depends only on each site's multiset of mid-ranks, so it is built
once per distinct pattern (with untied changes and no dropout, once per n) and every study
sharing the pattern is looked up at once.
"""

from __future__ import annotations

import itertools

import numpy as np

from jdmtrack.plan._types import BoolArray, FloatArray
from jdmtrack.plan.nulls import P_TOLERANCE
from jdmtrack.stats._permutation import IntegerDistribution, convolve, sign_sum_distribution

__all__ = ["stratified_signed_rank_p", "stratified_signed_rank_reject"]


def _doubled_within(values: FloatArray, valid: BoolArray) -> np.ndarray:
    """Doubled mid-ranks along the last axis among the valid entries (0 elsewhere)."""
    a = np.where(valid, values, np.nan)
    less = np.sum(a[..., None, :] < a[..., :, None], axis=-1)
    leq = np.sum(a[..., None, :] <= a[..., :, None], axis=-1)
    return np.where(valid, less + leq + 1, 0).astype(np.int64)


def stratified_signed_rank_p(differences: FloatArray, sites: int) -> FloatArray:
    """Per study (row), the exact two-sided p of the site-stratified signed-rank test (NaN:
    no non-zero difference in any site).

    Two sites of three, all differences positive: V is the largest of 2^6 sign patterns,
    and so is its mirror image, so p = 2 / 64.

    >>> stratified_signed_rank_p(np.array([[1.0, 5.0, 2.0, 6.0, 3.0, 7.0]]), 2).tolist()
    [0.03125]
    """
    d = np.asarray(differences, dtype=np.float64)
    count, n = d.shape
    blocks = [np.flatnonzero(np.arange(n) % sites == s) for s in range(min(sites, n))]
    doubled_parts, positive_parts = [], []
    for cols in blocks:
        sub = d[:, cols]
        valid = np.isfinite(sub) & (sub != 0.0)
        ranks = _doubled_within(np.abs(sub), valid)
        doubled_parts.append(np.sort(ranks, axis=1))
        positive_parts.append(np.sum(np.where(valid & (sub > 0), ranks, 0), axis=1))
    doubled = np.concatenate(doubled_parts, axis=1)
    observed = np.sum(positive_parts, axis=0)
    p = np.full(count, np.nan)
    patterns, inverse = np.unique(doubled, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    edges = np.cumsum([0] + [cols.size for cols in blocks])
    for k, pattern in enumerate(patterns):
        dist: IntegerDistribution | None = None
        for lo, hi in itertools.pairwise(edges.tolist()):
            ranks = pattern[lo:hi][pattern[lo:hi] > 0]
            if ranks.size:
                here = sign_sum_distribution(ranks)
                dist = here if dist is None else convolve(dist, here)
        if dist is None:
            continue
        rows = np.flatnonzero(inverse == k)
        t = int(pattern.sum())
        # |2 D - T| >= |2 d - T| in doubled-rank integers, as stratified_signed_rank.
        deviation = np.abs(2 * dist.values() - t)
        order = np.argsort(-deviation, kind="stable")
        tail = np.cumsum(dist.prob[order])
        at_least = np.searchsorted(-deviation[order], -np.abs(2 * observed[rows] - t),
                                   side="right")
        p[rows] = np.minimum(1.0, tail[at_least - 1])
    return p


def stratified_signed_rank_reject(differences: FloatArray, sites: int, alpha: float) -> BoolArray:
    """Per study: does the site-stratified signed-rank test reject at ``alpha``?"""
    p = stratified_signed_rank_p(differences, sites)
    return np.asarray(np.isfinite(p) & (p <= alpha * (1 + P_TOLERANCE)))
