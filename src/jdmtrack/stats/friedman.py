"""Friedman test for repeated measures (complete cases), with an exact permutation p-value.

Conventions (design.md, "Friedman"):

* Patients with every week observed are used (complete cases, as R ``friedman.test``).
* Values are ranked within each patient (mid-ranks for ties). The statistic is the
  tie-corrected chi-square of R ``friedman.test``:
  ``Q = 12 sum_j (R_j - n(k + 1)/2)^2 / (n k (k + 1) - sum(t^3 - t) / (k - 1))``,
  with k - 1 degrees of freedom; Kendall's W = Q / (n (k - 1)).
* **Permutation p-value** (``p_value_exact``): under the null hypothesis the k values of a
  patient are exchangeable, so the rank vector of each patient is permuted uniformly and
  independently (k! arrangements each, (k!)^n in all). For a given set of within-patient tie
  patterns Q is an increasing function of ``S = sum_j R_j^2``, so p = P(S >= s_obs).
  - *Exact*: the distribution of the vector of column rank sums is built by convolution over
    patients, adding one patient at a time with its distinct rank permutations, instead of
    enumerating (k!)^n arrangements. The distribution is exchangeable, so only sorted sum
    vectors are kept, about 1/k! of the dense (k - 1)-dimensional array (``_friedman_exact``).
    Used when that dense array would have at most ``exact_max_cells`` cells (default 4
    million) and building it would take at most ``EXACT_MAX_WORK`` cell updates (8e8): e.g.
    k = 4 and n <= 45 without ties, about 26 with ties; k = 3 and n up to several hundred;
    k = 5 and n <= 10. Probabilities are double precision (relative error of order 1e-14).
  - *Monte Carlo* otherwise (or when asked): ``resamples`` random within-patient
    permutations from ``numpy.random.default_rng(seed)``, p = (1 + #{S* >= s_obs}) /
    (1 + resamples) (Phipson & Smyth 2010), so it is never 0.
* With no ties the smallest attainable permutation p-value is (k!)^(1 - n) (every patient
  ranks the weeks the same way); with the exact distribution it is read off for any ties.

References
----------
Friedman M. The use of ranks to avoid the assumption of normality implicit in the analysis of
variance. JASA. 1937;32:675-701.
Hollander M, Wolfe DA, Chicken E. Nonparametric Statistical Methods. 3rd ed. Wiley; 2014,
§7.1 (tie correction).
Kendall MG, Babington Smith B. The problem of m rankings. Ann Math Stat. 1939;10:275-287.
Phipson B, Smyth GK. Permutation P-values should never be zero. Stat Appl Genet Mol Biol.
2010;9:Article39.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from jdmtrack.errors import ComputationError, SettingsError
from jdmtrack.progress import report_progress
from jdmtrack.stats._common import (
    DEFAULT_ALPHA,
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    IntArray,
    check_alpha,
    finite_or_none,
    join_notes,
    week_keys,
)
from jdmtrack.stats._friedman_exact import statistic_distribution
from jdmtrack.stats._permutation import PermutationOrNone
from jdmtrack.stats._ranks import doubled_midranks
from jdmtrack.stats.layout import week_table

__all__ = [
    "DEFAULT_RESAMPLES",
    "DEFAULT_SEED",
    "FriedmanResult",
    "friedman_permutation_p",
    "friedman_test",
]

#: Largest exact distribution, in cells of the dense (k - 1)-dimensional array of column
#: sums (32 MB of float64); the sorted-state convolution used stores at most that many.
EXACT_MAX_CELLS = 4_000_000
#: Largest exact computation, in cell updates of a dense convolution (``_exact_work``); the
#: sorted-state convolution actually used does far fewer.
EXACT_MAX_WORK = 800_000_000
# Above this many weeks the per-patient permutation table is not built (k! rows).
_TABLE_MAX_K = 7
_BATCH = 20_000

PermutationMode = PermutationOrNone


@dataclass(frozen=True)
class FriedmanResult:
    """Friedman test over the complete cases of a patients x weeks table."""

    weeks: tuple[float | str, ...]
    n_complete: int
    n_excluded: int
    k: int
    statistic: float | None
    df: int
    p_value: float | None
    p_value_exact: float | None
    permutation_method: str | None
    resamples: int | None
    seed: int | None
    kendall_w: float | None
    mean_ranks: tuple[float, ...] | None
    min_attainable_p: float | None
    alpha: float
    can_reach_alpha: bool | None
    method: str
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Results-file form: ``{weeks, n_complete, statistic, df, p_value, p_value_exact,
        kendall_w}`` plus the permutation details, ``min_attainable_p``, method and note."""
        return {
            "weeks": week_keys(self.weeks),
            "n_complete": self.n_complete,
            "statistic": finite_or_none(self.statistic),
            "df": self.df,
            "p_value": finite_or_none(self.p_value),
            "p_value_exact": finite_or_none(self.p_value_exact),
            "p_value_exact_method": self.permutation_method,
            "resamples": self.resamples,
            "seed": self.seed,
            "kendall_w": finite_or_none(self.kendall_w),
            "min_attainable_p": finite_or_none(self.min_attainable_p),
            "can_reach_alpha": self.can_reach_alpha,
            "method": self.method,
            "note": self.note,
        }


@dataclass(frozen=True)
class _PermutationP:
    p_value: float
    method: str
    resamples: int | None
    seed: int | None
    min_attainable_p: float | None


def _exact_cells(units: IntArray) -> float:
    k = units.shape[1]
    return float((int(units.max(axis=1).sum()) + 1) ** (k - 1))


def _exact_work(units: IntArray) -> float:
    """Cell updates of ``_exact``: sum over patients of #orderings x cells so far."""
    k = units.shape[1]
    rows = []
    for row in units:
        _, sizes = np.unique(row, return_counts=True)
        orderings = math.factorial(k) // math.prod(math.factorial(int(t)) for t in sizes)
        rows.append((orderings, int(row.max())))
    rows.sort(key=lambda item: -item[0])
    work, side = 0.0, 1
    for orderings, span in rows:
        work += orderings * float(side) ** (k - 1)
        side += span
    return work


def _exact(units: IntArray) -> _PermutationP:
    """Exact P(S >= s_obs) from the distribution of S over all within-patient permutations."""
    observed = units.sum(axis=0)
    s_obs = int(np.sum(observed.astype(np.int64) ** 2))
    # The distribution depends only on each patient's multiset of scores: sorted, and without
    # the all-tied patients (who add nothing), it keys the cache shared by repeated calls.
    rows = tuple(sorted(tuple(sorted(row)) for row in units.tolist() if any(row)))
    s_values, probabilities = statistic_distribution(rows or ((0,) * units.shape[1],))
    p_value = min(1.0, float(np.sum(probabilities[s_values >= s_obs])))
    min_p = min(1.0, float(probabilities[-1]))
    return _PermutationP(p_value, "exact (convolution over patients)", None, None, min_p)


def _monte_carlo(units: IntArray, resamples: int, seed: int) -> _PermutationP:
    """P(S >= s_obs) estimated from ``resamples`` random within-patient permutations."""
    n, k = units.shape
    s_obs = int(np.sum(units.sum(axis=0).astype(np.int64) ** 2))
    rng = np.random.default_rng(seed)
    tables: list[IntArray] = []
    if k <= _TABLE_MAX_K:
        orders = np.array(list(itertools.permutations(range(k))), dtype=np.int64)
        tables = [units[b][orders].astype(np.int32) for b in range(n)]
    hits = 0
    done = 0
    while done < resamples:
        size = min(_BATCH, resamples - done)
        sums = np.zeros((size, k), dtype=np.int32)
        if tables:
            picks = rng.integers(0, tables[0].shape[0], size=(size, n))
            for b in range(n):
                sums += tables[b][picks[:, b]]
        else:
            for b in range(n):
                order = np.argsort(rng.random((size, k)), axis=1)
                sums += units[b][order].astype(np.int32)
        wide = sums.astype(np.int64)
        hits += int(np.count_nonzero(np.einsum("ij,ij->i", wide, wide) >= s_obs))
        done += size
        report_progress(done, resamples, "Friedman permutations")
    p_value = (1.0 + hits) / (1.0 + resamples)
    no_ties = all(np.unique(units[b]).size == k for b in range(n))
    min_p = float(math.factorial(k)) ** (1 - n) if no_ties else None
    method = f"Monte Carlo, {resamples} resamples, seed {seed}, p = (1 + hits) / (1 + resamples)"
    return _PermutationP(p_value, method, resamples, seed, min_p)


def friedman_permutation_p(
    doubled_ranks: IntArray,
    *,
    mode: PermutationMode = "auto",
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    exact_max_cells: float = EXACT_MAX_CELLS,
) -> tuple[float, str, int | None, int | None, float | None]:
    """Permutation p-value of the Friedman statistic from integer within-patient scores.

    ``doubled_ranks`` is the n x k array of 2 x mid-ranks (any integer scores work: the test
    statistic is the sum of squared column sums). Returns ``(p, method, resamples, seed,
    min_attainable_p)``; ``resamples`` and ``seed`` are ``None`` for the exact p-value.

    Examples
    --------
    Three patients ranking three weeks identically: p = 3! / (3!)^3 = 1/36.

    >>> ranks = np.array([[2, 4, 6]] * 3)
    >>> p, method, *_ = friedman_permutation_p(ranks)
    >>> round(p * 36, 12), method
    (1.0, 'exact (convolution over patients)')
    """
    if mode not in ("auto", "exact", "monte_carlo"):
        raise SettingsError(f"permutation mode must be auto, exact or monte_carlo; got {mode!r}")
    if isinstance(resamples, bool) or not isinstance(resamples, int) or resamples < 1:
        raise SettingsError(f"resamples must be a positive integer; got {resamples!r}")
    units = doubled_ranks - doubled_ranks.min(axis=1, keepdims=True)
    g = int(np.gcd.reduce(units.ravel()))
    if g == 0:  # every patient tied at every week: one arrangement only
        return 1.0, "exact (a single arrangement)", None, None, 1.0
    if g > 1:
        units = units // g
    feasible = (units.shape[1] <= 8 and _exact_cells(units) <= exact_max_cells
                and _exact_work(units) <= EXACT_MAX_WORK)
    if mode == "exact" and not feasible:
        raise ComputationError(
            "the exact permutation distribution is too large for this table "
            f"({_exact_cells(units):.3g} cells > {exact_max_cells:.3g}); use Monte Carlo"
        )
    if mode == "exact" or (mode == "auto" and feasible):
        result = _exact(units)
    else:
        result = _monte_carlo(units, resamples, seed)
    return result.p_value, result.method, result.resamples, result.seed, result.min_attainable_p


def friedman_test(
    data: Sequence[Sequence[float]] | Any,
    *,
    weeks: Sequence[float | str] | None = None,
    alpha: float = DEFAULT_ALPHA,
    permutation: PermutationMode = "auto",
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    exact_max_cells: float = EXACT_MAX_CELLS,
) -> FriedmanResult:
    """Friedman test on a patients x weeks table (``NaN`` = missing; complete cases used).

    Parameters
    ----------
    data
        One row per patient, one column per week (see ``wide_from_long``).
    weeks
        Week labels of the columns (default 0, 1, ...).
    alpha
        Used to say whether the permutation test can reach significance.
    permutation
        ``"auto"`` (exact when the distribution fits in ``exact_max_cells``, else Monte Carlo),
        ``"exact"`` or ``"monte_carlo"``.
    resamples, seed
        Monte Carlo resamples and the seed of ``numpy.random.default_rng``.

    Raises
    ------
    ComputationError
        With fewer than two weeks.

    Examples
    --------
    >>> r = friedman_test([[1, 2, 3], [1, 3, 2], [1, 2, 3], [2, 1, 3]], weeks=[0, 4, 12])
    >>> r.n_complete, r.statistic, r.df, r.kendall_w
    (4, 4.5, 2, 0.5625)
    >>> round(r.p_value, 6), r.permutation_method
    (0.105399, 'exact (convolution over patients)')
    """
    alpha = check_alpha(alpha)
    table, labels = week_table(data, weeks, "the Friedman test")
    n_rows, k = table.shape
    complete = table[~np.isnan(table).any(axis=1)]
    n = int(complete.shape[0])
    method = (
        "Friedman test on complete cases: tie-corrected chi-square (as friedman.test), "
        "Kendall's W = Q / (n (k - 1)), within-patient permutation p-value"
    )
    excluded = n_rows - n

    def not_computable(note: str) -> FriedmanResult:
        return FriedmanResult(labels, n, excluded, k, None, k - 1, None, None, None, None,
                              None, None, None, None, alpha, None, method, note)

    if n == 0:
        return not_computable("no patient has every week observed")
    doubled = doubled_midranks(complete)
    ranks = doubled / 2.0
    # Tie groups of every row at once: doubled ranks lie in 2 .. 2k, so row x (2k + 1) +
    # rank identifies a (row, rank) pair; its count is a tie group's size.
    keys = np.arange(n, dtype=np.int64)[:, None] * (2 * k + 1) + doubled
    _, tie_sizes = np.unique(keys, return_counts=True)
    ties = float(np.sum(tie_sizes.astype(np.float64) ** 3 - tie_sizes))
    denominator = n * k * (k + 1) - ties / (k - 1)
    column_sums = ranks.sum(axis=0)
    if denominator <= 0.0:
        return not_computable("every patient has the same value at every week (all tied)")
    statistic = 12.0 * float(np.sum((column_sums - n * (k + 1) / 2.0) ** 2)) / denominator
    p_value = float(special.chdtrc(k - 1, statistic))  # the chi-square upper tail
    notes: list[str | None] = []
    p_exact: float | None
    perm_method: str | None
    used_resamples: int | None
    used_seed: int | None
    min_p: float | None
    if permutation == "none":
        # Asked for by callers with many patients, where the chi-square is accurate.
        p_exact = perm_method = used_resamples = used_seed = min_p = None
        notes.append(f"n_complete = {n}: permutation p-value not computed (chi-square used)")
    else:
        p_exact, perm_method, used_resamples, used_seed, min_p = friedman_permutation_p(
            doubled, mode=permutation, resamples=resamples, seed=seed,
            exact_max_cells=exact_max_cells,
        )
    if excluded:
        notes.append(f"{excluded} patient(s) with a missing week excluded")
    can_reach = None if min_p is None else min_p <= alpha
    if min_p is not None and min_p > alpha:
        notes.append(
            f"n_complete = {n}: the smallest attainable permutation p-value, {min_p!r}, "
            f"is above alpha = {alpha!r}"
        )
    return FriedmanResult(
        labels, n, excluded, k, statistic, k - 1, p_value, p_exact, perm_method,
        used_resamples, used_seed, statistic / (n * (k - 1)),
        tuple(float(v) for v in column_sums / n),
        min_p, alpha, can_reach, method, join_notes(notes),
    )


#: Short name kept for callers that import it from this module (not re-exported by
#: ``jdmtrack.stats``, where it would hide this module).
friedman = friedman_test
