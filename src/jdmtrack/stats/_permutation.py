"""Permutation distributions shared by the group-comparison tests (not public API).

* ``subset_sum_distribution``: the exact distribution of the sum of the scores of a random
  subset of fixed size ``m`` (every subset equally likely), for integer scores such as doubled
  mid-ranks. This is the conditional null distribution of a two-sample linear rank statistic
  (coin's "exact" distribution; Streitberg & Roehmel's shift algorithm gives the same). It is
  built one score at a time with the probability recurrence::

      P_i(j, s) = (j / i) P_{i-1}(j - 1, s - a_i) + ((i - j) / i) P_{i-1}(j, s)

  (the i-th score is in a random j-subset of the first i with probability j / i), so every
  number stays in [0, 1] and is only ever multiplied by a weight and added: no overflow of
  binomial counts and no cancellation. Work is O(N m S) for S the largest sum.
* ``convolve``: the distribution of a sum of independent integer-valued variables.
* ``monte_carlo_group_sums``: sums of scores per group over random relabellings, in batches,
  from ``numpy.random.default_rng(seed)``; p = (1 + hits) / (1 + resamples) as the Friedman
  Monte Carlo p (Phipson & Smyth 2010), so it is never 0.

References
----------
Streitberg B, Roehmel J. Exact distributions for permutation and rank tests. Statistical
Software Newsletter. 1986;12:10-17.
Hothorn T, Hornik K, van de Wiel MA, Zeileis A. Implementing a class of permutation tests:
the coin package. J Stat Softw. 2008;28(8).
Phipson B, Smyth GK. Permutation P-values should never be zero. Stat Appl Genet Mol Biol.
2010;9:Article39.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from jdmtrack.errors import SettingsError
from jdmtrack.stats._common import FloatArray, IntArray
from jdmtrack.stats._json import AsDict

__all__ = [
    "EXACT_MAX_WORK",
    "MONTE_CARLO_MAX_CELLS",
    "IntegerDistribution",
    "PermutationMode",
    "PermutationOrNone",
    "PermutationTest",
    "RealDistribution",
    "check_resamples",
    "convolve",
    "convolve_real",
    "monte_carlo_feasible",
    "monte_carlo_group_sums",
    "monte_carlo_p",
    "sign_sum_distribution",
    "subset_sum_distribution",
    "subset_sum_real",
    "subset_sum_work",
    "too_large_for_monte_carlo",
    "two_sided_real",
]

#: How a permutation p-value is computed: exact when feasible ("auto"), always exact, or Monte
#: Carlo.
PermutationMode = Literal["auto", "exact", "monte_carlo"]
#: The same, or "none": no permutation p-value at all, the large-sample (asymptotic) form
#: only, as coin's ``distribution = "asymptotic"`` (for samples above a stated threshold).
PermutationOrNone = Literal["auto", "exact", "monte_carlo", "none"]

@dataclass(frozen=True)
class PermutationTest(AsDict):
    """The fields every k-group test result shares (``KruskalResult``, ``LogrankResult``):
    the statistic with its chi-square p-value, and the permutation p-value with how it was
    computed (``resamples`` and ``seed`` set when by Monte Carlo)."""

    statistic: float | None
    df: int | None
    p_value: float | None
    p_value_exact: float | None
    p_value_exact_method: str | None
    resamples: int | None
    seed: int | None


#: Largest exact subset-sum computation, in cell updates (N x m x S): about a second.
EXACT_MAX_WORK = 300_000_000
#: Largest Monte Carlo computation in ``auto`` mode, in permuted values (N x resamples): 100
#: patients at the default 100,000 resamples.
MONTE_CARLO_MAX_CELLS = 10_000_000
# Relabellings made at once in the Monte Carlo loops.
_BATCH = 2_000


class IntegerDistribution:
    """A distribution on ``offset + step * (0, 1, ..., len(prob) - 1)`` (integers)."""

    def __init__(self, offset: int, step: int, prob: FloatArray) -> None:
        self.offset, self.step, self.prob = offset, step, prob

    def values(self) -> IntArray:
        """The support points, ascending."""
        return self.offset + self.step * np.arange(self.prob.size, dtype=np.int64)


def subset_sum_work(n_total: int, m: int, scores_span: int) -> float:
    """Cell updates of ``subset_sum_distribution`` (for choosing exact or Monte Carlo)."""
    return float(n_total) * float(m + 1) * float(m * scores_span + 1)


def subset_sum_distribution(scores: IntArray, m: int) -> IntegerDistribution:
    """Exact distribution of the sum of a uniformly random ``m``-subset of integer ``scores``.

    >>> d = subset_sum_distribution(np.array([1, 2, 3, 4]), 2)   # sums 3, 4, 5, 5, 6, 7
    >>> d.values().tolist(), (d.prob * 6).round(12).tolist()
    ([3, 4, 5, 6, 7], [1.0, 1.0, 2.0, 1.0, 1.0])
    """
    low = int(scores.min()) if scores.size else 0
    units = scores.astype(np.int64) - low
    step = int(np.gcd.reduce(units)) if units.size else 0
    if step == 0 or m == 0 or m == scores.size:
        total = int(scores.sum()) if m == scores.size else m * low
        return IntegerDistribution(total, 1, np.ones(1))
    units //= step
    top = int(np.sort(units)[-m:].sum())
    prob = np.zeros((m + 1, top + 1))
    prob[0, 0] = 1.0
    j = np.arange(m + 1, dtype=np.float64)
    reach = 0
    for i, a in enumerate(units.tolist(), start=1):
        stay = np.clip((i - j) / i, 0.0, None)[:, None]
        new = prob * stay
        width = min(reach + a, top) - a + 1
        if width > 0:
            new[1:, a : a + width] += (j[1:] / i)[:, None] * prob[:-1, :width]
        prob = new
        reach = min(reach + a, top)
    # Sums below that of the m smallest scores (and above the m largest) cannot happen.
    first = int(np.sort(units)[:m].sum())
    return IntegerDistribution(m * low + step * first, step, prob[m, first:])


def convolve(first: IntegerDistribution, second: IntegerDistribution) -> IntegerDistribution:
    """Distribution of the sum of two independent integer-valued variables.

    >>> coin = IntegerDistribution(0, 1, np.array([0.5, 0.5]))
    >>> convolve(coin, coin).prob.tolist()
    [0.25, 0.5, 0.25]
    """
    step = math.gcd(first.step, second.step) or 1
    offset = first.offset + second.offset

    def spread(d: IntegerDistribution) -> FloatArray:
        if d.prob.size == 1:
            return d.prob
        out = np.zeros((d.prob.size - 1) * (d.step // step) + 1)
        out[:: d.step // step] = d.prob
        return out

    return IntegerDistribution(offset, step, np.convolve(spread(first), spread(second)))


def sign_sum_distribution(units: IntArray) -> IntegerDistribution:
    """Distribution of the sum of the positive entries of ``units`` under random signs
    (each + or - with probability 1/2): the signed-rank null distribution, ties allowed.

    >>> sign_sum_distribution(np.array([1, 2])).prob.tolist()     # 0, 1, 2, 3
    [0.25, 0.25, 0.25, 0.25]
    """
    step = int(np.gcd.reduce(units)) if units.size else 0
    if step == 0:
        return IntegerDistribution(0, 1, np.ones(1))
    reduced = (units // step).tolist()
    prob = np.zeros(sum(reduced) + 1)
    prob[0] = 1.0
    top = 0
    for a in reduced:
        prob[a : top + a + 1] += prob[: top + 1]  # overlapping views act as if copied first
        prob *= 0.5
        top += a
    return IntegerDistribution(0, step, prob)


#: A distribution on real values: (ascending distinct values, probabilities).
RealDistribution = tuple[FloatArray, FloatArray]
# Real sums equal to this many decimals are one value (scores are O(1), sums O(N)).
_SUM_DECIMALS = 9


def _merge(values: FloatArray, probs: FloatArray) -> RealDistribution:
    _, first, inverse = np.unique(np.round(values, _SUM_DECIMALS), return_index=True,
                                  return_inverse=True)
    return values[first], np.bincount(inverse, weights=probs).astype(np.float64)


def subset_sum_real(scores: FloatArray, m: int, max_states: float) -> RealDistribution | None:
    """Distribution of the sum of a random ``m``-subset of real ``scores`` (sums equal to
    1e-9 merged), by the recurrence of ``subset_sum_distribution``; ``None`` once more than
    ``max_states`` (subset size, sum) pairs would be kept."""
    levels: list[RealDistribution] = [(np.zeros(1), np.ones(1))]
    for i, a in enumerate(scores.tolist(), start=1):
        new: list[RealDistribution] = []
        for j in range(min(i, m) + 1):
            parts_v, parts_p = [], []
            if j < len(levels) and j < i:  # the i-th score is not in the j-subset
                parts_v.append(levels[j][0])
                parts_p.append(levels[j][1] * ((i - j) / i))
            if j >= 1:  # it is
                parts_v.append(levels[j - 1][0] + a)
                parts_p.append(levels[j - 1][1] * (j / i))
            new.append(_merge(np.concatenate(parts_v), np.concatenate(parts_p)))
        levels = new
        if sum(level[0].size for level in levels) > max_states:
            return None
    return levels[m]


def convolve_real(first: RealDistribution, second: RealDistribution,
                  max_states: float) -> RealDistribution | None:
    """Distribution of the sum of two independent real-valued variables (``None`` past
    ``max_states`` support points before merging)."""
    if first[0].size * second[0].size > max_states:
        return None
    values = np.add.outer(first[0], second[0]).ravel()
    probs = np.multiply.outer(first[1], second[1]).ravel()
    return _merge(values, probs)


def two_sided_real(dist: RealDistribution, centre: float, observed: float) -> float:
    """P(|S - centre| >= |observed - centre|), with the 1e-9 tolerance of the merging."""
    distance = abs(observed - centre)
    tolerance = 10.0 ** -_SUM_DECIMALS * max(1.0, distance)
    extreme = np.abs(dist[0] - centre) >= distance - tolerance
    return min(1.0, math.fsum(dist[1][extreme].tolist()))


def check_resamples(resamples: int, seed: int) -> None:
    """Refuse a resample count or seed that cannot be used."""
    if isinstance(resamples, bool) or not isinstance(resamples, int) or resamples < 1:
        raise SettingsError(f"resamples must be a positive integer; got {resamples!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise SettingsError(f"seed must be a non-negative integer; got {seed!r}")


def monte_carlo_group_sums(
    scores: FloatArray,
    labels: IntArray,
    n_groups: int,
    resamples: int,
    seed: int,
    extreme: Callable[[FloatArray], np.ndarray[tuple[int], np.dtype[np.bool_]]],
) -> int:
    """Count random relabellings whose per-group score sums are ``extreme``.

    ``labels`` holds each score's group (0 .. n_groups - 1). Each resample assigns the scores
    to the groups uniformly at random (a random permutation of the scores, cut into blocks of
    the group sizes); ``extreme`` takes the resamples x groups matrix of sums and says which
    resamples are at least as extreme as the data.
    """
    rng = np.random.default_rng(seed)
    sizes = np.bincount(labels, minlength=n_groups)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    hits = 0
    done = 0
    while done < resamples:
        size = min(_BATCH, resamples - done)
        permuted = rng.permuted(np.broadcast_to(scores, (size, scores.size)), axis=1)
        sums = np.add.reduceat(permuted, starts, axis=1) if scores.size else np.zeros(
            (size, n_groups))
        sums[:, sizes == 0] = 0.0  # reduceat gives the next element for an empty block
        hits += int(np.count_nonzero(extreme(sums)))
        done += size
    return hits


def monte_carlo_feasible(n: int, resamples: int) -> bool:
    """Whether ``auto`` mode draws a Monte Carlo p: at most ``MONTE_CARLO_MAX_CELLS`` values
    permuted in all (about a second). Beyond it the asymptotic p is accurate anyway."""
    return n * resamples <= MONTE_CARLO_MAX_CELLS


def too_large_for_monte_carlo(n: int, resamples: int) -> str:
    """The note of a permutation p skipped by ``auto`` mode."""
    return (f"N = {n}: permutation p not computed in auto mode (N x resamples > "
            f"{MONTE_CARLO_MAX_CELLS}); the asymptotic p is accurate at this size")


def monte_carlo_p(hits: int, resamples: int) -> float:
    """(1 + hits) / (1 + resamples): a Monte Carlo permutation p-value that is never 0."""
    return (1.0 + hits) / (1.0 + resamples)
