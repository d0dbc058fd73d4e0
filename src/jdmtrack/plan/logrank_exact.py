"""Exact permutation log-rank p-values for a stack of small simulated studies.

A two-arm study with at most ``EXACT_LOGRANK_MAX_TOTAL`` patients in all is decided, as
``jdmtrack.stats.logrank_test(..., permutation="exact")`` decides it, by the exact
permutation p-value of coin's log-rank scores (the sum of the scores of arm 1 over every
split of the patients into arms of the same sizes, conditional on the scores; R
``coin::logrank_test(distribution = "exact")``). Above it the chi-square (R ``survdiff``)
is used: the permutation distribution over C(2n, n) splits grows quickly, and by then the
two p-values agree closely.

The distribution depends only on the multiset of scores, and with continuous event times
that multiset is fixed by the order of events and censorings, so it is built once per
distinct (sorted) score vector and reused across the stack.
"""

from __future__ import annotations

import numpy as np

from jdmtrack.plan._types import BoolArray, FloatArray
from jdmtrack.stats._permutation import RealDistribution, subset_sum_real, two_sided_real
from jdmtrack.stats.logrank import logrank_scores

__all__ = ["EXACT_LOGRANK_MAX_TOTAL", "logrank_exact_p"]

#: Largest total number of patients (both arms) decided by the exact permutation p-value;
#: at 20 (10 per arm) there are C(20, 10) = 184,756 splits.
EXACT_LOGRANK_MAX_TOTAL = 20
# Score vectors are compared after rounding, as the exact distribution merges sums 1e-9
# apart.
_KEY_DECIMALS = 12


def logrank_exact_p(times: FloatArray, events: BoolArray, arm1: BoolArray) -> FloatArray:
    """Per study, the exact two-sided permutation p of the log-rank test (NaN: no event).

    ``times`` and ``events`` are (studies x patients); ``arm1`` marks arm 1's columns.

    Three per arm, every patient an event, arm 1 first: the most extreme of C(6, 3) = 20
    splits, and its mirror image, so p = 2 / 20.

    >>> t = np.array([[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]])
    >>> logrank_exact_p(t, np.ones_like(t, dtype=bool), np.arange(6) < 3).round(12).tolist()
    [0.1]
    """
    arm = np.asarray(arm1, dtype=bool)
    m = int(arm.sum())
    cache: dict[bytes, RealDistribution | None] = {}
    p = np.full(times.shape[0], np.nan)
    for i in range(times.shape[0]):
        e = events[i].astype(np.float64)
        if not e.any():
            continue
        scores = logrank_scores(times[i], e)
        key = np.round(np.sort(scores), _KEY_DECIMALS).tobytes()
        if key not in cache:
            cache[key] = subset_sum_real(scores, m, float(2**62))
        dist = cache[key]
        if dist is not None:
            p[i] = two_sided_real(dist, 0.0, float(scores[arm].sum()))
    return p
