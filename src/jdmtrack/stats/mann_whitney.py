"""Wilcoxon-Mann-Whitney test of two independent groups, exact with ties, and the
Hodges-Lehmann shift with its confidence interval.

Conventions:

* The statistic is R's ``W = R_x - m(m + 1)/2``, with R_x the sum of the pooled mid-ranks of
  the first group (size m; the second has n): the Mann-Whitney U of the first group, so a
  large W means the first group tends to be larger.
* **Exact p-value** (``p_value_exact``): the conditional permutation distribution of R_x given
  the observed mid-ranks (every split of the N = m + n pooled values into groups of m and n
  equally likely), two-sided as P(|R_x - E R_x| >= |r_x - E R_x|). Correct with ties, as
  ``coin::wilcox_test(y ~ g, distribution = "exact")``; without ties it is R ``wilcox.test``'s
  exact p. Doubled mid-ranks are integers and the comparison is made in integers, so no
  tolerance is needed. Built by the subset-sum recurrence of ``_permutation`` when that takes
  at most ``EXACT_MAX_WORK`` cell updates (e.g. 100 + 100 patients), else Monte Carlo
  (``resamples`` relabellings from ``numpy.random.default_rng(seed)``; p = (1 + hits) / (1 +
  resamples)); ``p_value_exact_method`` says which.
* **Asymptotic p-value**: normal approximation with the tie-corrected variance and a
  continuity correction, as R ``wilcox.test(x, y, exact = FALSE, correct = TRUE)``; with
  ``correct=False``, without it, as ``coin::wilcox_test(distribution = "asymptotic")``.
* ``permutation="none"``: no permutation p-value at all (the large-sample mode of
  ``jdmtrack.analysis.group_tests``): the asymptotic p-value is then the p-value.
* The smallest attainable two-sided exact p-value, 2 / C(N, m) without ties (one group
  entirely above the other), is reported; with m = n = 3 it is 0.1 and the note says that
  alpha = 0.05 cannot be reached. It is computed as an exact fraction (C(N, m) is a Python
  integer of any size), so it stays right, if tiny, for groups of thousands.

Hodges-Lehmann shift (first minus second group): the median of the m n differences
x_i - y_j. Its confidence interval is formed by the differences of order ``qu`` and
``mn - qu + 1``, with ``qu = qwilcox(alpha / 2, m, n)`` (at least 1) from the exact
Mann-Whitney distribution without ties (Hollander, Wolfe & Chicken 2014, §4.3; Bauer 1972);
``achieved_conf_level = 1 - 2 P(W <= qu - 1)``. This is exactly R ``wilcox.test(x, y,
conf.int = TRUE)`` when that takes its exact branch (no ties, m and n < 50). **With ties** we
use the same order statistics: the interval is then the one the untied ranking would give,
slightly conservative (Hollander et al. §4.3 comment 10). R instead switches to an iterative
normal-approximation interval (``uniroot``, tolerance 1e-4) and exactRankTests inverts the
conditional test; we copy neither. Above m, n < 50 the critical value uses the normal
approximation (Hollander et al. eq. 4.41). Beyond a million differences the order
statistics are selected without forming them (``_shift_select``).

References
----------
Mann HB, Whitney DR. On a test of whether one of two random variables is stochastically
larger than the other. Ann Math Stat. 1947;18:50-60.
Hodges JL, Lehmann EL. Estimates of location based on rank tests. Ann Math Stat.
1963;34:598-611.
Bauer DF. Constructing confidence sets using rank statistics. JASA. 1972;67:687-690.
Hollander M, Wolfe DA, Chicken E. Nonparametric Statistical Methods. 3rd ed. Wiley; 2014.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import special

from jdmtrack.stats._common import (
    DEFAULT_ALPHA,
    DEFAULT_CONF_LEVEL,
    as_float_vector_with_missing,
    check_alpha,
    check_conf_level,
    join_notes,
)
from jdmtrack.stats._hl_interval import HodgesLehmannInterval
from jdmtrack.stats._json import AsDict
from jdmtrack.stats._permutation import (
    EXACT_MAX_WORK,
    PermutationOrNone,
    check_resamples,
    monte_carlo_feasible,
    monte_carlo_group_sums,
    monte_carlo_p,
    subset_sum_distribution,
    subset_sum_work,
    too_large_for_monte_carlo,
)
from jdmtrack.stats._ranks import doubled_midranks
from jdmtrack.stats._shift_select import difference_order_statistics
from jdmtrack.stats.friedman import DEFAULT_RESAMPLES, DEFAULT_SEED

__all__ = ["MannWhitneyResult", "ShiftEstimate", "hodges_lehmann_shift", "mann_whitney"]

#: R ``wilcox.test`` uses the exact critical value of the interval while both groups are
#: below this size; so do we (the counts are small integers there).
EXACT_CI_MAX_N = 50


@dataclass(frozen=True)
class _TwoSamples:
    n_x: int
    n_y: int


@dataclass(frozen=True)
class ShiftEstimate(AsDict, HodgesLehmannInterval, _TwoSamples):
    """Hodges-Lehmann shift (first group minus second) with its distribution-free CI:
    n_x, n_y, estimate, ci_low, ci_high, conf_level, achieved_conf_level, method, not_run,
    note (the results-file order)."""

    not_run: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class MannWhitneyResult(AsDict):
    """Two-sided Wilcoxon-Mann-Whitney test of two independent groups."""

    n: int
    n_x: int
    n_y: int
    n_missing: int
    statistic: float | None
    rank_sum_x: float | None
    p_value_exact: float | None
    p_value_exact_method: str | None
    resamples: int | None
    seed: int | None
    p_value_asymptotic: float | None
    z: float | None
    min_attainable_p: float | None
    alpha: float
    can_reach_alpha: bool | None
    shift: ShiftEstimate
    method: str
    not_run: str | None = None
    note: str | None = None


def _split(values: Any, name: str) -> tuple[np.ndarray[Any, Any], int]:
    array = as_float_vector_with_missing(values, name)
    kept = array[~np.isnan(array)]
    return kept, int(array.size - kept.size)


@lru_cache(maxsize=64)
def _wilcox_counts(m: int, n: int) -> tuple[int, ...]:
    """Number of arrangements with each U = 0 .. mn (no ties), as R ``cwilcox``."""
    # Generating function prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i), by polynomial steps.
    top = m * n
    poly = [0] * (top + 1)
    poly[0] = 1
    for i in range(1, m + 1):
        for s in range(top, n + i - 1, -1):  # multiply by (1 - q^(n + i))
            poly[s] -= poly[s - n - i]
        for s in range(i, top + 1):  # divide by (1 - q^i)
            poly[s] += poly[s - i]
    return tuple(poly)


def _critical_rank(m: int, n: int, alpha: float) -> tuple[int, float]:
    """(qu, achieved confidence level) of the two-sided interval."""
    if m < EXACT_CI_MAX_N and n < EXACT_CI_MAX_N:
        counts = _wilcox_counts(m, n)
        total = math.comb(m + n, m)
        # R qwilcox(p, m, n) for p <= 0.5: accumulate until >= p - 10 eps.
        target = alpha / 2.0 - 10.0 * float(np.finfo(np.float64).eps)
        acc, q = 0.0, 0
        while True:
            acc += counts[q] / total
            if acc >= target:
                break
            q += 1
        qu = max(q, 1)
        return qu, 1.0 - 2.0 * sum(counts[:qu]) / total
    centre = m * n / 2.0
    spread = math.sqrt(m * n * (m + n + 1) / 12.0)
    z = float(special.ndtri(1.0 - alpha / 2.0))
    qu = max(1, math.floor(centre - z * spread))
    return qu, 1.0 - 2.0 * float(special.ndtr((qu - 0.5 - centre) / spread))


def _min_attainable(total: int, m: int) -> float:
    """2 / C(total, m) as a correctly rounded float (an exact integer division, so no
    overflow: 0.0 only below the smallest double)."""
    return min(1.0, 2 / math.comb(total, m))


def hodges_lehmann_shift(
    x: Sequence[float | None] | Any,
    y: Sequence[float | None] | Any,
    *,
    conf_level: float = DEFAULT_CONF_LEVEL,
) -> ShiftEstimate:
    """Hodges-Lehmann estimate of the shift x - y and its CI (missing values dropped).

    Examples
    --------
    >>> r = hodges_lehmann_shift([1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30],
    ...                          [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.07, 3.14, 1.28])
    >>> r.estimate, round(r.ci_low, 12), r.ci_high   # R wilcox.test(x, y, conf.int = TRUE)
    (0.56, -0.37, 1.183)
    """
    conf_level = check_conf_level(conf_level)
    xs, _ = _split(x, "x")
    ys, _ = _split(y, "y")
    m, n = int(xs.size), int(ys.size)
    method = (
        "Hodges-Lehmann shift: median of all differences x - y; CI from the differences of "
        "order qu and mn - qu + 1 with the Mann-Whitney critical value qu "
        + ("(exact, as wilcox.test conf.int=TRUE)" if m < EXACT_CI_MAX_N and n < EXACT_CI_MAX_N
           else "(normal approximation)")
    )
    if m == 0 or n == 0:
        return ShiftEstimate(m, n, None, None, None, conf_level, None, method,
                             "a group has no values")
    mn = m * n
    mid = [(mn - 1) // 2, mn // 2]
    qu, achieved = _critical_rank(m, n, 1.0 - conf_level)
    ql = mn - qu
    lower, upper = difference_order_statistics(xs, ys, [qu - 1, ql]) if mn > 1 else (
        None, None)
    a, b = difference_order_statistics(xs, ys, mid)
    estimate = a if a == b else (a + b) / 2.0
    note = None
    if lower is None or achieved < conf_level:
        note = (
            f"n = {m} + {n}: the requested {conf_level!r} confidence level is not attainable; "
            f"the interval (smallest to largest difference) has {achieved!r}"
        )
    tied = np.unique(np.concatenate((xs, ys))).size < m + n
    if tied:
        note = join_notes([note, "ties: interval from the untied critical value (conservative)"])
    return ShiftEstimate(m, n, estimate, lower, upper, conf_level, achieved, method, None, note)


def mann_whitney(
    x: Sequence[float | None] | Any,
    y: Sequence[float | None] | Any,
    *,
    alpha: float = DEFAULT_ALPHA,
    conf_level: float = DEFAULT_CONF_LEVEL,
    permutation: PermutationOrNone = "auto",
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    correct: bool = True,
) -> MannWhitneyResult:
    """Wilcoxon-Mann-Whitney test of ``x`` against ``y`` (independent groups, two-sided).

    Parameters
    ----------
    x, y
        The two groups' values; ``None`` / ``NaN`` are dropped and counted in ``n_missing``.
    alpha
        Only used to say whether the exact test can reach it.
    conf_level
        Of the Hodges-Lehmann interval (``shift``).
    permutation
        ``"auto"`` (exact when feasible, else Monte Carlo), ``"exact"``, ``"monte_carlo"``
        or ``"none"`` (asymptotic p-value only).
    resamples, seed
        Of the Monte Carlo p-value.
    correct
        Continuity correction of the asymptotic p-value (``wilcox.test``'s default); False
        gives coin's asymptotic p-value.

    Returns
    -------
    MannWhitneyResult
        Never raises on degenerate data: with an empty group, or every value equal, the
        p-values are ``None`` and ``not_run`` says why.

    Examples
    --------
    >>> r = mann_whitney([1, 2, 3], [4, 5, 6, 7])
    >>> r.statistic, r.p_value_exact, r.min_attainable_p, r.can_reach_alpha
    (0.0, 0.05714285714285714, 0.05714285714285714, False)
    >>> mann_whitney([3, 3], [3, 3, 3]).not_run
    'every value is the same: the ranks carry no information'
    """
    alpha = check_alpha(alpha)
    check_resamples(resamples, seed)
    xs, miss_x = _split(x, "x")
    ys, miss_y = _split(y, "y")
    m, n = int(xs.size), int(ys.size)
    total_n = m + n
    shift = hodges_lehmann_shift(xs, ys, conf_level=conf_level)
    method = (
        "Wilcoxon-Mann-Whitney test: exact conditional distribution of the rank sum given the "
        "mid-ranks (as coin::wilcox_test distribution='exact'); normal approximation with tie "
        + ("and continuity correction (as wilcox.test exact=FALSE, correct=TRUE)" if correct
           else "correction, no continuity correction (as coin::wilcox_test "
                "distribution='asymptotic')")
    )

    def not_run(why: str) -> MannWhitneyResult:
        return MannWhitneyResult(total_n, m, n, miss_x + miss_y, None, None, None, None, None,
                                 None, None, None, None, alpha, None, shift, method, why)

    if m == 0 or n == 0:
        return not_run("a group has no values: two groups are needed")
    pooled = np.concatenate((xs, ys))
    if float(np.ptp(pooled)) == 0.0:
        return not_run("every value is the same: the ranks carry no information")
    doubled = doubled_midranks(pooled)
    total = int(doubled.sum())
    observed = int(doubled[:m].sum())
    statistic = observed / 2.0 - m * (m + 1) / 2.0
    # |N R - m T| >= |N r - m T| in doubled-rank integers: no rounding anywhere. The
    # distribution is built for the smaller group (R_y = T - R_x gives the same distances).
    distance = abs(total_n * observed - m * total)
    size = min(m, n)
    work = subset_sum_work(total_n, size, int(doubled.max() - doubled.min()))
    notes: list[str | None] = []
    used_resamples = used_seed = None
    min_p: float | None
    p_exact: float | None
    p_method: str | None
    untied = np.unique(doubled).size == total_n
    if permutation == "none":
        p_exact = p_method = None
        min_p = _min_attainable(total_n, m) if untied else None
    elif permutation == "exact" or (permutation == "auto" and work <= EXACT_MAX_WORK):
        dist = subset_sum_distribution(doubled, size)
        distances = np.abs(total_n * dist.values() - size * total)
        p_exact = min(1.0, math.fsum(dist.prob[distances >= distance].tolist()))
        widest = distances[dist.prob > 0.0].max()
        min_p = min(1.0, math.fsum(dist.prob[distances == widest].tolist()))
        p_method = "exact (conditional on the mid-ranks)"
    elif permutation == "auto" and not monte_carlo_feasible(total_n, resamples):
        p_exact = p_method = None
        min_p = None
        notes.append(too_large_for_monte_carlo(total_n, resamples))
    else:
        labels = np.repeat(np.array([0, 1], dtype=np.int64), [m, n])
        hits = monte_carlo_group_sums(
            doubled.astype(np.float64), labels, 2, resamples, seed,
            lambda sums: np.abs(total_n * sums[:, 0] - m * total) >= distance - 0.5,
        )
        p_exact = monte_carlo_p(hits, resamples)
        min_p = _min_attainable(total_n, m) if untied else None
        p_method = f"Monte Carlo, {resamples} resamples, seed {seed}"
        used_resamples, used_seed = resamples, seed
    _, tie_sizes = np.unique(doubled, return_counts=True)
    ties = float(np.sum(tie_sizes.astype(np.float64) ** 3 - tie_sizes))
    sigma = math.sqrt(m * n / 12.0 * ((total_n + 1) - ties / (total_n * (total_n - 1))))
    centred = statistic - m * n / 2.0
    z = (centred - math.copysign(0.5, centred) * (centred != 0.0 and correct)) / sigma
    p_asymptotic = 2.0 * min(float(special.ndtr(z)), float(special.ndtr(-z)))
    can_reach = None if min_p is None else min_p <= alpha
    if min_p is not None and min_p > alpha:
        notes.append(f"n = {m} + {n}: the smallest attainable p-value, {min_p!r}, is above "
                     f"alpha = {alpha!r}")
    if miss_x + miss_y:
        notes.append(f"{miss_x + miss_y} missing value(s) left out")
    return MannWhitneyResult(
        total_n, m, n, miss_x + miss_y, statistic, observed / 2.0, p_exact, p_method,
        used_resamples, used_seed, p_asymptotic, z, min_p, alpha, can_reach, shift, method,
        None, join_notes(notes),
    )
