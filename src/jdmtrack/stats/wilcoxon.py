"""Wilcoxon signed-rank test (exact with ties, and asymptotic) and the Hodges-Lehmann estimate.

Conventions (design.md, "Wilcoxon signed-rank"):

* Zero differences are dropped before ranking (Wilcoxon's method); ``n_nonzero`` is reported.
* The statistic is V, the sum of the mid-ranks of |d| over the positive differences (R's
  ``V``; with differences follow-up - baseline, a large V means an increase).
* **Exact p-value**: the conditional permutation distribution of V given the observed
  mid-ranks (each sign + or - with probability 1/2), two-sided as P(|V - E V| >= |v - E V|).
  It is correct with ties, as R ``coin::wilcoxsign_test(y ~ x, zero.method = "Wilcoxon",
  distribution = "exact")``. Doubled mid-ranks are integers, so the distribution is built by
  dynamic programming over the integer rank sum: O(n * sum of ranks) steps, never 2^n
  enumeration. Counts are exact integers for n <= 62 (one rounding, in the final division).
* **Asymptotic p-value**: normal approximation with tie correction of the variance and
  continuity correction, as R ``wilcox.test(x, y, paired = TRUE, exact = FALSE,
  correct = TRUE)``.
* Above ``EXACT_MAX_N`` (200) non-zero differences the exact p-value is not computed
  (``None``, with a note); the asymptotic one stands in for it.
* The smallest attainable two-sided exact p-value is 2 / 2^n (every difference in one
  direction), whatever the ties: with n_nonzero <= 5 it exceeds 0.05 and the result says so.

Hodges-Lehmann: the median of the n(n + 1)/2 Walsh averages (d_i + d_j)/2, i <= j, of **all**
paired differences (zeros included: a patient who did not change is evidence of no change),
with the distribution-free confidence interval formed by the Walsh averages of order
``qu`` and ``n(n + 1)/2 - qu + 1``, ``qu = qsignrank(alpha / 2, n)`` (at least 1), from the
exact null distribution without ties (Hollander, Wolfe & Chicken 2014, §3.3; Bauer 1972).
This is exactly R ``wilcox.test(d, conf.int = TRUE, exact = TRUE)`` whenever that takes its
exact branch (no ties, no zeros, n < 50); with ties or zeros R switches to an iterative
normal-approximation interval (``uniroot``, tolerance 1e-4), which we do not copy. The
achieved confidence level 1 - 2 P(V <= qu - 1) is reported; with n <= 5 it is below 95 %.
The averages are never all built: the needed order statistics are selected from the
implicit sorted matrix in O(n log n) time and O(n) memory (:mod:`._walsh`), giving the
same numbers as sorting all of them.

References
----------
Wilcoxon F. Individual comparisons by ranking methods. Biometrics Bull. 1945;1(6):80-83.
Hollander M, Wolfe DA, Chicken E. Nonparametric Statistical Methods. 3rd ed. Wiley; 2014.
Bauer DF. Constructing confidence sets using rank statistics. JASA. 1972;67:687-690.
Hothorn T, Hornik K, van de Wiel MA, Zeileis A. Implementing a class of permutation tests:
the coin package. J Stat Softw. 2008;28(8).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from jdmtrack.stats._common import (
    DEFAULT_ALPHA,
    DEFAULT_CONF_LEVEL,
    IntArray,
    as_float_vector,
    check_alpha,
    check_conf_level,
    finite_or_none,
    join_notes,
    pair_or_none,
)
from jdmtrack.stats._hl_interval import HodgesLehmannInterval
from jdmtrack.stats._ranks import doubled_midranks
from jdmtrack.stats._walsh import walsh_order_statistics

__all__ = [
    "HodgesLehmannResult",
    "WilcoxonResult",
    "hodges_lehmann",
    "wilcoxon_min_attainable_p",
    "wilcoxon_signed_rank",
]

#: Above this many non-zero differences the exact distribution is not built: it takes
#: O(n^3) steps (0.05 s at 200, 1 s at 500, 9 s at 1,000 on a 2-core machine), and the
#: normal approximation with tie and continuity correction is then the p-value to report
#: (R's own wilcox.test leaves its exact branch at n = 50; coin computes an exact
#: distribution only when asked).
EXACT_MAX_N = 200
# Integer counts of 2^n sign patterns fit in int64 up to n = 62.
_INT_COUNTS_MAX_N = 62
_METHOD_EXACT = (
    "exact conditional distribution of V given the mid-ranks, zeros dropped "
    "(as coin::wilcoxsign_test, zero.method='Wilcoxon', distribution='exact')"
)
_METHOD_ASYMPTOTIC = (
    "normal approximation with tie and continuity correction "
    "(as wilcox.test, paired, exact=FALSE, correct=TRUE)"
)


@dataclass(frozen=True)
class WilcoxonResult:
    """Wilcoxon signed-rank test of paired differences (two-sided)."""

    n: int
    n_zero: int
    n_nonzero: int
    statistic: float | None
    p_value_exact: float | None
    p_value_asymptotic: float | None
    z: float | None
    min_attainable_p: float | None
    alpha: float
    can_reach_alpha: bool
    method: str
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (``wilcoxon_v`` is the statistic)."""
        return {
            "n": self.n,
            "n_nonzero": self.n_nonzero,
            "wilcoxon_v": finite_or_none(self.statistic),
            "p_value_exact": finite_or_none(self.p_value_exact),
            "p_value_asymptotic": finite_or_none(self.p_value_asymptotic),
            "z": finite_or_none(self.z),
            "min_attainable_p": finite_or_none(self.min_attainable_p),
            "can_reach_alpha": self.can_reach_alpha,
            "method": self.method,
            "note": self.note,
        }


def wilcoxon_min_attainable_p(n_nonzero: int) -> float | None:
    """Smallest two-sided exact p-value of the signed-rank test: ``min(1, 2 / 2^n)``.

    >>> wilcoxon_min_attainable_p(5), wilcoxon_min_attainable_p(6)
    (0.0625, 0.03125)
    """
    if n_nonzero <= 0:
        return None
    return min(1.0, 2.0 ** (1 - n_nonzero))


def _two_sided_tail(scores: IntArray, observed: int) -> float:
    """P(|S - T/2| >= |observed - T/2|) for S = sum of a random subset of ``scores``."""
    g = int(np.gcd.reduce(scores))
    units = scores // g
    obs_units = observed // g  # observed is a sum of scores, so divisible by g
    total = int(units.sum())
    n = int(units.size)
    support = np.arange(total + 1, dtype=np.int64)
    extreme = np.abs(2 * support - total) >= abs(2 * obs_units - total)
    top = 0
    if n <= _INT_COUNTS_MAX_N:
        counts = np.zeros(total + 1, dtype=np.int64)
        counts[0] = 1
        for s in units.tolist():
            # numpy treats overlapping views as if copied first (a 0/1 knapsack step).
            counts[s : top + s + 1] += counts[: top + 1]
            top += s
        return min(1.0, int(counts[extreme].sum()) / 2.0**n)
    # Beyond int64's range: probabilities, halved at each step (exact up to rounding).
    probs = np.zeros(total + 1, dtype=np.float64)
    probs[0] = 1.0
    for s in units.tolist():
        probs[s : top + s + 1] += probs[: top + 1]
        probs *= 0.5
        top += s
    return min(1.0, math.fsum(probs[extreme].tolist()))


def wilcoxon_signed_rank(
    differences: Sequence[float] | Any, *, alpha: float = DEFAULT_ALPHA
) -> WilcoxonResult:
    """Wilcoxon signed-rank test of paired differences, exact and asymptotic (two-sided).

    Parameters
    ----------
    differences
        Paired differences (follow-up - baseline), no missing values.
    alpha
        Significance level used only to say whether the test can reach it.

    Returns
    -------
    WilcoxonResult
        ``p_value_exact`` (conditional on the ties), ``p_value_asymptotic`` and
        ``min_attainable_p``. With no non-zero difference the p-values are ``None`` and the
        ``note`` says why.

    Examples
    --------
    Six differences all in one direction: the smallest exact p there is, 2 / 2^6.

    >>> r = wilcoxon_signed_rank([1, 2, 3, 4, 5, 6])
    >>> r.statistic, r.p_value_exact, r.min_attainable_p, r.can_reach_alpha
    (21.0, 0.03125, 0.03125, True)
    >>> wilcoxon_signed_rank([1, 2, 3, 4, 5]).note
    'n_nonzero = 5: the smallest attainable p-value, 0.0625, is above alpha = 0.05'
    """
    alpha = check_alpha(alpha)
    d = as_float_vector(differences, "differences")
    n = int(d.size)
    nonzero = d[d != 0.0]
    m = int(nonzero.size)
    min_p = wilcoxon_min_attainable_p(m)
    can_reach = min_p is not None and min_p <= alpha
    method = f"Wilcoxon signed-rank test: {_METHOD_EXACT}; {_METHOD_ASYMPTOTIC}"
    if m == 0:
        why = "no paired differences" if n == 0 else "every difference is zero"
        return WilcoxonResult(
            n, n, 0, None, None, None, None, None, alpha, False, method,
            f"{why}: the signed-rank test is not computable",
        )
    doubled = doubled_midranks(np.abs(nonzero))
    observed = int(doubled[nonzero > 0].sum())
    statistic = observed / 2.0
    notes: list[str | None] = []
    if min_p is not None and min_p > alpha:
        notes.append(
            f"n_nonzero = {m}: the smallest attainable p-value, {min_p!r}, "
            f"is above alpha = {alpha!r}"
        )
    p_exact: float | None
    if m <= EXACT_MAX_N:
        p_exact = _two_sided_tail(doubled, observed)
    else:
        p_exact = None
        notes.append(f"n_nonzero > {EXACT_MAX_N}: the exact p-value is not computed; the "
                     "asymptotic p-value (normal approximation) is the one to report")
    # Normal approximation as R wilcox.test(exact = FALSE, correct = TRUE).
    _, tie_sizes = np.unique(doubled, return_counts=True)
    sigma = math.sqrt(
        m * (m + 1) * (2 * m + 1) / 24.0 - float(np.sum(tie_sizes**3 - tie_sizes)) / 48.0
    )
    centred = statistic - m * (m + 1) / 4.0
    z = (centred - math.copysign(0.5, centred) * (centred != 0.0)) / sigma
    p_asymptotic = 2.0 * min(float(special.ndtr(z)), float(special.ndtr(-z)))
    return WilcoxonResult(
        n, n - m, m, statistic, p_exact, p_asymptotic, z, min_p, alpha, can_reach, method,
        join_notes(notes),
    )


@dataclass(frozen=True)
class _OneSample:
    n: int


@dataclass(frozen=True)
class HodgesLehmannResult(HodgesLehmannInterval, _OneSample):
    """Hodges-Lehmann estimate (median of Walsh averages) and its distribution-free CI:
    n, estimate, ci_low, ci_high, conf_level, achieved_conf_level, method, note."""

    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``hodges_lehmann`` and ``ci95``."""
        return {
            "n": self.n,
            "hodges_lehmann": finite_or_none(self.estimate),
            "ci95": pair_or_none(self.ci_low, self.ci_high),
            "conf_level": self.conf_level,
            "achieved_conf_level": finite_or_none(self.achieved_conf_level),
            "method": self.method,
            "note": self.note,
        }


def _signrank_counts(n: int) -> list[int]:
    """Number of sign patterns of ranks 1..n with each rank sum 0..n(n+1)/2 (no ties)."""
    counts = [0] * (n * (n + 1) // 2 + 1)
    counts[0] = 1
    top = 0
    for rank in range(1, n + 1):
        for s in range(top, -1, -1):
            counts[s + rank] += counts[s]
        top += rank
    return counts


def _qsignrank_lower(p: float, n: int, counts: Sequence[int]) -> int:
    """R ``qsignrank(p, n)`` for p <= 0.5, with R's accumulation and 10 * eps fuzz."""
    f = math.exp(-n * math.log(2.0))
    target = p - 10.0 * np.finfo(np.float64).eps
    acc = 0.0
    q = 0
    while True:
        acc += counts[q] * f
        if acc >= target:
            return q
        q += 1


class _Walsh:
    """The sorted Walsh averages of sorted differences, never built (:mod:`._walsh`)."""

    def __init__(self, d: np.ndarray) -> None:
        self._d = d
        self.size = d.size * (d.size + 1) // 2

    def order_statistics(self, ks: list[int]) -> list[float]:
        return walsh_order_statistics(self._d, ks)

    def median(self) -> float:
        """As ``np.median`` of the sorted averages: the middle one, or the mean of two."""
        half = self.size // 2
        if self.size % 2:
            return self.order_statistics([half])[0]
        return float(np.mean(self.order_statistics([half - 1, half])))


def hodges_lehmann(
    differences: Sequence[float] | Any, *, conf_level: float = DEFAULT_CONF_LEVEL
) -> HodgesLehmannResult:
    """Hodges-Lehmann estimate of the median difference with its exact-critical-value CI.

    Uses every difference, zeros included (see the module notes for how this relates to R).

    Examples
    --------
    >>> r = hodges_lehmann([1.5, 2.0, -0.5, 3.0, 4.5, 2.5, 1.0, 5.0])  # R: 2.25, 0.75, 4.00
    >>> r.estimate, r.ci_low, r.ci_high, r.achieved_conf_level
    (2.25, 0.75, 4.0, 0.9609375)
    """
    conf_level = check_conf_level(conf_level)
    d = as_float_vector(differences, "differences")
    n = int(d.size)
    method = (
        "Hodges-Lehmann median of Walsh averages of all differences; CI from Walsh averages "
        "with the exact signed-rank critical value (as wilcox.test conf.int=TRUE, exact branch)"
    )
    if n == 0:
        return HodgesLehmannResult(
            0, None, None, None, conf_level, None, method, "no paired differences"
        )
    walsh = _Walsh(np.sort(d))
    estimate = walsh.median()
    if n == 1:
        return HodgesLehmannResult(
            1, estimate, None, None, conf_level, None, method,
            "one difference: no confidence interval",
        )
    alpha = 1.0 - conf_level
    note = None
    if n > _INT_COUNTS_MAX_N:
        # Normal approximation of the critical rank (Hollander & Wolfe, Nonparametric
        # Statistical Methods, 2nd ed., 1999, eq. 3.25): the exact counts overflow and take
        # O(n^3) time beyond here, and R itself leaves the exact branch at n >= 50.
        z = float(special.ndtri(1.0 - alpha / 2.0))
        centre = n * (n + 1) / 4.0
        spread = math.sqrt(n * (n + 1) * (2 * n + 1) / 24.0)
        qu = max(1, math.floor(centre - z * spread))
        ql = n * (n + 1) // 2 - qu
        achieved = 1.0 - 2.0 * float(special.ndtr((qu - 0.5 - centre) / spread))
        method = method.replace("with the exact signed-rank critical value (as wilcox.test "
                                "conf.int=TRUE, exact branch)",
                                "with the normal-approximation critical value (n > "
                                f"{_INT_COUNTS_MAX_N}; Hollander & Wolfe 1999)")
        low, high = walsh.order_statistics([qu - 1, ql])
        return HodgesLehmannResult(n, estimate, low, high, conf_level, achieved, method, note)
    counts = _signrank_counts(n)
    qu = _qsignrank_lower(alpha / 2.0, n, counts)
    qu = max(qu, 1)
    ql = n * (n + 1) // 2 - qu
    achieved = 1.0 - 2.0 * sum(counts[:qu]) / 2.0**n
    if achieved < conf_level:
        note = (
            f"n = {n}: the requested {conf_level!r} confidence level is not attainable; "
            f"the interval (min to max Walsh average) has {achieved!r}"
        )
    low, high = walsh.order_statistics([qu - 1, ql])
    return HodgesLehmannResult(n, estimate, low, high, conf_level, achieved, method, note)
