"""Kruskal-Wallis test of k independent groups, with an exact or Monte Carlo permutation p.

* Statistic: R ``kruskal.test``'s tie-corrected H, ``(12 / (N (N + 1)) sum R_g^2 / n_g -
  3 (N + 1)) / (1 - sum(t^3 - t) / (N^3 - N))`` on the pooled mid-ranks, with k - 1 degrees
  of freedom; ``p_value`` is its chi-square upper tail, as R.
* **Permutation p** (``p_value_exact``): under the null hypothesis every assignment of the
  N observed values to groups of the observed sizes is equally likely (conditional on the
  ties), p = P(H* >= H). H is an increasing function of ``S = sum_g (2 R_g)^2 L / n_g`` (L the
  least common multiple of the group sizes), an integer, so the comparison is exact.
  - two groups: the subset-sum distribution of the first group's rank sum (``_permutation``),
    the same p as ``coin::kruskal_test`` / ``coin::wilcox_test(distribution = "exact")``;
  - k > 2: full enumeration of the N! / prod n_g! assignments when there are at most
    ``EXACT_MAX_ARRANGEMENTS`` (e.g. 5 + 5 + 4 patients: 252,252; four groups of 3:
    369,600). coin has no exact k-sample distribution: the tests pin this against an
    enumeration in R;
  - otherwise Monte Carlo: ``resamples`` random relabellings from
    ``numpy.random.default_rng(seed)``, p = (1 + hits) / (1 + resamples), as
    ``coin::kruskal_test(distribution = approximate(nresample = resamples))`` up to its
    ``hits / resamples``.
* ``permutation="none"``: no permutation p-value (the large-sample mode of
  ``jdmtrack.analysis.group_tests``): the chi-square p-value alone, which is also
  ``coin::kruskal_test(distribution = "asymptotic")``'s (its quadratic form with the
  permutation covariance equals the tie-corrected H). Nothing is enumerated or counted, so
  any number of groups of any size is cheap.
* Epsilon-squared effect size ``H / (N - 1)`` (Tomczak & Tomczak 2014) is reported.

References
----------
Kruskal WH, Wallis WA. Use of ranks in one-criterion variance analysis. JASA.
1952;47:583-621.
Hollander M, Wolfe DA, Chicken E. Nonparametric Statistical Methods. 3rd ed. Wiley; 2014,
§6.1.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from jdmtrack.errors import ComputationError
from jdmtrack.stats import _permutation as perm
from jdmtrack.stats._common import DEFAULT_ALPHA, IntArray, check_alpha, join_notes
from jdmtrack.stats._permutation import PermutationOrNone, PermutationTest
from jdmtrack.stats._ranks import doubled_midranks
from jdmtrack.stats.friedman import DEFAULT_RESAMPLES, DEFAULT_SEED

__all__ = ["EXACT_MAX_ARRANGEMENTS", "KruskalResult", "kruskal_wallis",
           "kruskal_wallis_from_labels"]

#: Largest number of group assignments enumerated for the exact p with k > 2 groups.
EXACT_MAX_ARRANGEMENTS = 400_000


@dataclass(frozen=True)
class KruskalResult(PermutationTest):
    """Kruskal-Wallis test over k groups (statistic and p-values: ``PermutationTest``)."""

    n: int
    group_sizes: tuple[int, ...]
    n_missing: int
    mean_ranks: tuple[float, ...] | None
    epsilon_squared: float | None
    alpha: float
    method: str
    not_run: str | None = None
    note: str | None = None


class _Extreme:
    """Which rank-sum vectors give H >= the observed H.

    In integers, S = sum_g (doubled rank sum)^2 x L / n_g, whenever S cannot overflow int64;
    else in floating point with a relative tolerance of 1e-12 (as coin's comparisons)."""

    def __init__(self, observed_sums: IntArray, sizes: list[int], n: int) -> None:
        lcm = math.lcm(*sizes)
        self.weights = np.array([lcm // s for s in sizes], dtype=np.int64)
        self.exact = (2 * n * n) ** 2 * lcm * len(sizes) < 2**62
        self.sizes = np.array(sizes, dtype=np.float64)
        self.observed = self.score(observed_sums)

    def score(self, sums: Any) -> Any:
        if self.exact:
            return (np.rint(sums).astype(np.int64) ** 2 * self.weights).sum(axis=-1)
        return (np.asarray(sums, dtype=np.float64) ** 2 / self.sizes).sum(axis=-1)

    def __call__(self, sums: Any) -> np.ndarray[tuple[int], np.dtype[np.bool_]]:
        scores = self.score(sums)
        if self.exact:
            return np.asarray(scores >= self.observed)
        return np.asarray(scores >= self.observed * (1.0 - 1e-12))


def _enumerate_sums(doubled: IntArray, sizes: list[int]) -> IntArray:
    """Doubled rank sums per group over every assignment of the values to the groups."""
    n = doubled.size
    labels = np.full((1, n), -1, dtype=np.int8)
    for g, size in enumerate(sizes[:-1]):
        free = n - int((labels[0] >= 0).sum())
        combos = np.array(list(itertools.combinations(range(free), size)), dtype=np.int64)
        free_pos = np.nonzero(labels < 0)[1].reshape(labels.shape[0], free)
        rows = np.repeat(np.arange(labels.shape[0]), combos.shape[0])
        chosen = free_pos[rows[:, None], np.tile(combos, (labels.shape[0], 1))]
        labels = labels[rows]
        np.put_along_axis(labels, chosen, g, axis=1)
    labels[labels < 0] = len(sizes) - 1
    sums = np.stack([np.where(labels == g, doubled, 0).sum(axis=1) for g in range(len(sizes))],
                    axis=1)
    return np.asarray(sums, dtype=np.int64)


def kruskal_wallis(
    groups: Sequence[Sequence[float | None]] | Any,
    *,
    alpha: float = DEFAULT_ALPHA,
    permutation: PermutationOrNone = "auto",
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> KruskalResult:
    """Kruskal-Wallis test of the values in ``groups`` (one sequence per group).

    ``None`` / ``NaN`` are dropped (counted in ``n_missing``); a group left empty is dropped
    with a note. Never raises on degenerate data: fewer than two non-empty groups, or every
    value equal, give ``not_run``.

    Examples
    --------
    >>> r = kruskal_wallis([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    >>> round(r.statistic, 12), r.df, round(r.p_value, 10)   # R kruskal.test: 7.2, 2, 0.02732372
    (7.2, 2, 0.0273237224)
    >>> r.p_value_exact, r.p_value_exact_method    # 6 of the 1680 assignments: 3! orders
    (0.0035714285714285713, 'exact (all 1680 assignments)')
    """
    alpha = check_alpha(alpha)
    perm.check_resamples(resamples, seed)
    values: list[np.ndarray[Any, Any]] = []
    missing = 0
    for g in groups:
        raw = np.array([np.nan if v is None else v for v in g], dtype=np.float64)
        if np.isinf(raw).any():
            raise ComputationError("a group contains an infinite value")
        values.append(raw[~np.isnan(raw)])
        missing += int(np.isnan(raw).sum())
    kept = [v for v in values if v.size]
    sizes = [int(v.size) for v in kept]
    n = sum(sizes)
    k = len(kept)
    method = (
        "Kruskal-Wallis test: tie-corrected H with chi-square p (as kruskal.test); "
        "permutation p conditional on the mid-ranks"
    )
    notes: list[str | None] = []
    if missing:
        notes.append(f"{missing} missing value(s) left out")
    if len(kept) < len(values):
        notes.append(f"{len(values) - len(kept)} empty group(s) left out")

    def not_run(why: str) -> KruskalResult:
        return KruskalResult(None, None, None, None, None, None, None, n, tuple(sizes),
                             missing, None, None, alpha, method, why, join_notes(notes))

    if k < 2:
        return not_run("fewer than two groups with values: nothing to compare")
    pooled = np.concatenate(kept)
    if float(np.ptp(pooled)) == 0.0:
        return not_run("every value is the same: the ranks carry no information")
    doubled = doubled_midranks(pooled)
    labels = np.repeat(np.arange(k), sizes)
    observed_sums = np.array([int(doubled[labels == g].sum()) for g in range(k)])
    _, tie_sizes = np.unique(doubled, return_counts=True)
    ties = float(np.sum(tie_sizes.astype(np.float64) ** 3 - tie_sizes))
    ranks_sq = float(np.sum((observed_sums / 2.0) ** 2 / np.array(sizes)))
    statistic = (12.0 * ranks_sq / (n * (n + 1)) - 3.0 * (n + 1)) / (1.0 - ties / (n**3 - n))
    p_value = float(special.chdtrc(k - 1, statistic))
    mean_ranks = tuple(float(v) for v in observed_sums / 2.0 / np.array(sizes))
    if permutation == "none":
        return KruskalResult(
            statistic, k - 1, p_value, None, None, None, None, n, tuple(sizes), missing,
            mean_ranks, statistic / (n - 1), alpha, method, None, join_notes(notes))
    extreme = _Extreme(observed_sums, sizes, n)
    arrangements = math.factorial(n) // math.prod(math.factorial(s) for s in sizes)
    span = int(doubled.max() - doubled.min())
    exact_ok = (perm.subset_sum_work(n, min(sizes), span) <= perm.EXACT_MAX_WORK if k == 2
                else arrangements <= EXACT_MAX_ARRANGEMENTS)
    used_resamples = used_seed = None
    p_exact: float | None
    p_method: str | None
    if permutation == "exact" or (permutation == "auto" and exact_ok):
        if k == 2:
            dist = perm.subset_sum_distribution(doubled, sizes[0])
            sums = np.stack((dist.values(), int(doubled.sum()) - dist.values()), axis=1)
            p_exact = math.fsum(dist.prob[extreme(sums)].tolist())
            p_method = "exact (conditional on the mid-ranks)"
        else:
            hits = int(np.count_nonzero(extreme(_enumerate_sums(doubled, sizes))))
            p_exact = hits / arrangements
            p_method = f"exact (all {arrangements} assignments)"
        p_exact = min(1.0, p_exact)
    elif permutation == "auto" and not perm.monte_carlo_feasible(n, resamples):
        p_exact = p_method = None
        notes.append(perm.too_large_for_monte_carlo(n, resamples))
    else:
        hits = perm.monte_carlo_group_sums(
            doubled.astype(np.float64), labels, k, resamples, seed, extreme)
        p_exact = perm.monte_carlo_p(hits, resamples)
        p_method = f"Monte Carlo, {resamples} resamples, seed {seed}"
        used_resamples, used_seed = resamples, seed
    return KruskalResult(
        statistic, k - 1, p_value, p_exact, p_method, used_resamples, used_seed, n,
        tuple(sizes), missing, mean_ranks, statistic / (n - 1), alpha, method, None,
        join_notes(notes),
    )


def kruskal_wallis_from_labels(
    group: Sequence[Hashable | None],
    value: Sequence[float | None] | Any,
    **options: Any,
) -> tuple[tuple[Hashable, ...], KruskalResult]:
    """Kruskal-Wallis from aligned group labels and values (long format); a row with a
    missing label is left out. Returns the group levels (sorted by their text) and the result.

    >>> levels, r = kruskal_wallis_from_labels(["b", "a", "b", "a", None], [4, 1, 3, 2, 9])
    >>> levels, r.group_sizes, r.mean_ranks
    (('a', 'b'), (2, 2), (1.5, 3.5))
    """
    values = list(value)
    if len(group) != len(values):
        raise ComputationError(
            f"group and value must be aligned; got {len(group)} and {len(values)} entries")
    levels = tuple(sorted({g for g in group if g is not None and g == g}, key=str))
    by_level: dict[Hashable, list[float | None]] = {g: [] for g in levels}
    for g, v in zip(group, values, strict=True):
        if g is not None and g == g:
            by_level[g].append(v)
    return levels, kruskal_wallis([by_level[g] for g in levels], **options)
