"""The analysis's Friedman permutation p-value for simulated studies with ties, at speed.

``jdmtrack analyze`` reports, as a measure's Friedman p-value, the within-patient permutation
p-value of ``jdmtrack.stats.friedman_test`` (``analysis/outcomes.py``: ``permutation="auto"``
up to ``PERMUTATION_MAX_N`` complete patients, exact when the distribution is small enough,
else Monte Carlo with the analysis's default resamples and seed; the chi-square above that
size). With ties the null distribution depends on each study's own tie pattern (resampled
integer scores give a new pattern in almost every study), so no table can be shared.

Each study is first screened with ``SCREEN_RESAMPLES`` random within-patient permutations
drawn for all the studies at once (numpy, from the grid point's generator). The screen's
estimate p* of the permutation p-value decides the study when it lies more than
``SCREEN_SE`` binomial standard errors (at p = alpha) away from alpha; otherwise, and for
every study near alpha, the study is handed to the analysis's own
``stats.friedman_test`` with the analysis's settings, whose p-value decides it exactly as
``jdmtrack analyze`` would. A screened decision differs from the analysis's only when the
screen's estimate is more than 5 standard errors off, probability below 1e-6 per study
(plus the analysis's own Monte Carlo error when it uses Monte Carlo). Patients whose values
are all equal (tied at every visit) add nothing to the statistic and are skipped.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from jdmtrack.defaults import DEFAULT_RESAMPLES, DEFAULT_SEED
from jdmtrack.plan._types import BoolArray, FloatArray, IntArray
from jdmtrack.plan.nulls import P_TOLERANCE

__all__ = ["SCREEN_RESAMPLES", "SCREEN_SE", "analysis_p", "permutation_reject", "screen_hits"]

#: Random within-patient permutations per study in the screen.
SCREEN_RESAMPLES = 2000
#: Half-width of the band around alpha, in binomial standard errors of the screen, within
#: which the analysis's own p-value is computed: P(|Z| > 5) = 5.7e-7.
SCREEN_SE = 5.0
# Studies x resamples x weeks cells summed at once (int32: 16 MB).
_CELLS = 4_000_000
# Above this many weeks permutations are drawn by sorting random keys (k! rows otherwise).
_TABLE_MAX_K = 5


def screen_hits(units: IntArray, rng: np.random.Generator, resamples: int) -> IntArray:
    """Per study, how many of ``resamples`` random within-patient permutations give
    ``S = sum_j R_j^2`` at least the observed one.

    ``units`` is (studies, patients, weeks) of integer within-patient scores (doubled
    mid-ranks; 0 for a patient left out). Every permutation of a patient whose scores are
    all equal gives the same row, so such patients are not permuted.

    >>> units = np.array([[[2, 4, 6]] * 3])        # 3 patients ranking 3 weeks the same way
    >>> hits = screen_hits(units, np.random.default_rng(1), 36_000)
    >>> bool(abs(hits[0] / 36_000 - 1 / 36) < 0.003)    # exact p = 3! / 3!^3
    True
    """
    studies, _, k = units.shape
    s_obs = np.sum(units.sum(axis=1).astype(np.int64) ** 2, axis=1)
    varying = np.flatnonzero(np.any(units != units[..., :1], axis=(0, 2)))
    table = np.array(list(itertools.permutations(range(k))), dtype=np.int64) \
        if k <= _TABLE_MAX_K else None
    fixed = units.sum(axis=1) - units[:, varying, :].sum(axis=1)  # the unpermuted patients
    hits = np.zeros(studies, dtype=np.int64)
    block = max(1, _CELLS // (resamples * k))
    for lo in range(0, studies, block):
        part = units[lo: lo + block]
        size = part.shape[0]
        sums = np.broadcast_to(fixed[lo: lo + block, None, :], (size, resamples, k)).astype(np.int32)
        for j in varying.tolist():
            if table is not None:
                order = table[rng.integers(0, table.shape[0], size=(size, resamples))]
            else:
                order = np.argsort(rng.random((size, resamples, k)), axis=2)
            sums += np.take_along_axis(part[:, j, None, :].astype(np.int32), order, axis=2)
        wide = sums.astype(np.int64)
        s_null = np.einsum("ijk,ijk->ij", wide, wide)
        hits[lo: lo + size] = np.sum(s_null >= s_obs[lo: lo + size, None], axis=1)
    return hits


def analysis_p(values: FloatArray, permutation_max_n: int) -> float | None:
    """The Friedman p-value ``jdmtrack analyze`` reports for one study (patients x weeks,
    complete cases): the permutation p-value, or the chi-square one above
    ``permutation_max_n`` complete patients; None when the test cannot run."""
    from jdmtrack.stats.friedman import PermutationMode, friedman_test

    mode: PermutationMode = "auto" if values.shape[0] <= permutation_max_n else "none"
    result = friedman_test(values, permutation=mode, resamples=DEFAULT_RESAMPLES,
                           seed=DEFAULT_SEED)
    return result.p_value_exact if result.p_value_exact is not None else result.p_value


def permutation_reject(values: FloatArray, units: IntArray, alpha: float,
                       rng: np.random.Generator, permutation_max_n: int) -> BoolArray:
    """Per study: does the analysis's Friedman permutation p-value reject at ``alpha``?

    ``values`` is (studies, patients, weeks) with NaN rows for incomplete patients, ``units``
    the matching doubled within-patient mid-ranks (0 for incomplete patients).
    """
    resamples = SCREEN_RESAMPLES
    hits = screen_hits(units, rng, resamples)
    estimate = (1.0 + hits) / (1.0 + resamples)
    band = SCREEN_SE * math.sqrt(alpha * (1.0 - alpha) / resamples)
    reject = estimate < alpha - band
    unsure = np.flatnonzero((estimate >= alpha - band) & (estimate <= alpha + band))
    for i in unsure.tolist():
        study = values[i]
        p = analysis_p(study[np.all(np.isfinite(study), axis=1)], permutation_max_n)
        reject[i] = p is not None and p <= alpha * (1 + P_TOLERANCE)
    return np.asarray(reject)
