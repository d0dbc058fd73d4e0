"""Fisher's exact test for r x c tables of counts (groups x categories), as R ``fisher.test``.

* **p-value**: the sum of the probabilities, under the multivariate hypergeometric law of the
  tables with the observed margins, of every table no more probable than the observed one
  (with R's relative tolerance 1 + 1e-7). Computed exactly by a network of partial tables
  (Mehta & Patel 1983): columns are filled one at a time; a node is the multiset of the row
  totals still to fill (the rest of a table's probability does not depend on which row is
  which), and it carries the distinct probabilities of the partial tables reaching it with
  their summed mass. When the network would exceed ``EXACT_MAX_STEPS`` (node, probability)
  pairs the p-value is **Monte Carlo** instead: ``resamples`` tables drawn with the observed
  margins (a random pairing of the N row labels with the N column labels, from
  ``numpy.random.default_rng(seed)``), p = (1 + #{P(table) <= P(observed)}) / (1 +
  resamples), as R ``fisher.test(simulate.p.value = TRUE, B = resamples)`` (R's own random
  tables come from ``r2dtable``, so the two agree within Monte Carlo error, not digit for
  digit).
* **2 x 2 tables** also get the conditional maximum-likelihood odds ratio and its exact
  conditional confidence interval, as R (the roots are found to 1e-12, where R's ``uniroot``
  stops at about 1e-4: expect agreement with R to about 4 digits there, and exactly with the
  same equations solved precisely, see tests/reference/groupstats).
* Pearson's chi-square (``chi_square``, ``p_value_chi_square``; as R ``chisq.test(table,
  correct = FALSE)``) is given beside it, and alone when a large table (N x resamples over
  10 million in ``auto`` mode) gets neither the exact nor the Monte Carlo p.
* Rows or columns with no count are dropped first (they do not change the p-value); fewer
  than two rows or two columns left: ``not_run``.

References
----------
Fisher RA. On the interpretation of chi-square from contingency tables, and the calculation
of P. J R Stat Soc. 1922;85:87-94.
Mehta CR, Patel NR. A network algorithm for performing Fisher's exact test in r x c
contingency tables. JASA. 1983;78:427-434.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import special

from jdmtrack.errors import ComputationError
from jdmtrack.stats._common import DEFAULT_CONF_LEVEL, FloatArray, check_conf_level, join_notes
from jdmtrack.stats._json import AsDict
from jdmtrack.stats._permutation import (
    PermutationMode,
    check_resamples,
    monte_carlo_feasible,
    monte_carlo_p,
    too_large_for_monte_carlo,
)
from jdmtrack.stats.friedman import DEFAULT_RESAMPLES, DEFAULT_SEED

__all__ = ["EXACT_MAX_STEPS", "FisherResult", "fisher_exact", "fisher_exact_from_labels"]

#: Largest exact network, in (node, column filling) steps: about a second of work. Tables of
#: a few dozen patients in 2-4 groups x 2-4 categories take far fewer (a 3 x 3 table of 13
#: patients: 20 steps; 3 x 4 of 33 patients: about 1,000; 4 x 3 with 120 patients: 33,000,
#: so Monte Carlo unless asked for ``p_value="exact"``).
EXACT_MAX_STEPS = 20_000
#: Above this many patients ``auto`` does not try the network (its columns have too many
#: fillings for the step budget anyway).
EXACT_MAX_N = 300
# R fisher.test's relative tolerance in "no more probable than the observed table".
_REL_ERR = 1.0 + 1e-7
# Partial log-probabilities equal to this many decimals are merged (far below 1e-7).
_LOG_DECIMALS = 9
_BATCH = 2_000


@dataclass(frozen=True)
class FisherResult(AsDict):
    """Fisher's exact test of a table of counts (two-sided)."""

    n: int
    table: tuple[tuple[int, ...], ...]
    p_value: float | None
    p_value_method: str | None
    resamples: int | None
    seed: int | None
    chi_square: float | None
    chi_square_df: int | None
    p_value_chi_square: float | None
    odds_ratio: float | None
    odds_ratio_ci: tuple[float, float] | None
    conf_level: float
    method: str
    not_run: str | None = None
    note: str | None = None


def _compositions(total: int, caps: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
    """Every vector n with 0 <= n_i <= caps_i and sum(n) = total."""
    if len(caps) == 1:
        if total <= caps[0]:
            yield (total,)
        return
    rest = sum(caps[1:])
    for first in range(max(0, total - rest), min(caps[0], total) + 1):
        for tail in _compositions(total - first, caps[1:]):
            yield (first, *tail)


_LOG_FACTORIALS = [math.lgamma(k + 1) for k in range(1024)]


def _log_factorial(k: int) -> float:
    return _LOG_FACTORIALS[k] if k < 1024 else math.lgamma(k + 1)


@lru_cache(maxsize=65536)
def _column_bounds(c: int, caps: tuple[int, ...]) -> tuple[float, float]:
    """Largest and smallest log(c! / prod n_i!) over columns n with sum c and n_i <= caps_i.

    The sum of log n_i! is Schur-convex, so the most even column (water-filling) gives the
    largest value and the most concentrated one (fill the largest caps first) the smallest.
    """
    even: list[int] = []
    left, rows = c, len(caps)
    for cap in sorted(caps):  # water-filling: small caps are filled, the rest share evenly
        share = min(cap, left // rows + (1 if left % rows else 0))
        if cap > share:
            # Every remaining row is above the level: split left as evenly as integers go.
            base, extra = divmod(left, rows)
            even.extend([base + 1] * extra + [base] * (rows - extra))
            break
        even.append(cap)
        left -= cap
        rows -= 1
    packed, left = [], c
    for cap in sorted(caps, reverse=True):
        take = min(cap, left)
        packed.append(take)
        left -= take
    top = _log_factorial(c)
    return (top - sum(_log_factorial(v) for v in even),
            top - sum(_log_factorial(v) for v in packed))


def _exact_p(table: np.ndarray[Any, Any], max_steps: int) -> float | None:
    """Exact two-sided p by the network algorithm; ``None`` if it takes over ``max_steps``.

    A partial table whose every completion is surely no more probable than the observed table
    is counted whole (the completions of remaining row totals s sum to N'! / prod s_i!), and
    one none of whose completions can be is dropped, using column-by-column bounds.
    """
    if table.shape[0] > table.shape[1]:
        table = table.T  # the same p-value; states are multisets of the (fewer) rows
    rows = tuple(int(v) for v in table.sum(axis=1))
    cols = sorted((int(v) for v in table.sum(axis=0)), reverse=True)
    n = sum(rows)
    constant = sum(_log_factorial(r) for r in rows) - _log_factorial(n)
    observed = constant + sum(
        _log_factorial(int(c)) for c in table.sum(axis=0)
    ) - sum(_log_factorial(int(v)) for v in table.ravel())
    threshold = observed + math.log(_REL_ERR)
    # Bounds are only trusted beyond rounding noise in the sums of log-factorials.
    margin = 1e-9 * max(1.0, abs(observed))
    total = 0.0
    # node: sorted remaining row totals -> (partial log-probabilities, multiplicities); equal
    # partial probabilities (to _LOG_DECIMALS) are merged after each column.
    nodes: dict[tuple[int, ...], tuple[FloatArray, FloatArray]] = {
        tuple(sorted(rows)): (np.zeros(1), np.ones(1))}
    steps = 0
    for j, c in enumerate(cols[:-1]):
        pieces: dict[tuple[int, ...], list[tuple[FloatArray, FloatArray]]] = defaultdict(list)
        for state, (logs, masses) in nodes.items():
            for column in set(_compositions(c, state)):
                steps += 1
                if steps > max_steps:
                    return None
                step = _log_factorial(c) - sum(_log_factorial(v) for v in column)
                rest = tuple(sorted(a - b for a, b in zip(state, column, strict=True)))
                high = low = 0.0
                for later in cols[j + 1:]:
                    h, lo_ = _column_bounds(later, rest)
                    high, low = high + h, low + lo_
                log_p = constant + logs + step
                surely = log_p + high <= threshold - margin
                if surely.any():
                    every = _log_factorial(sum(rest)) - sum(_log_factorial(v) for v in rest)
                    total += float(np.sum(masses[surely] * np.exp(log_p[surely] + every)))
                maybe = ~surely & (log_p + low <= threshold + margin)
                if maybe.any():
                    pieces[rest].append((logs[maybe] + step, masses[maybe]))
        nodes = {}
        for rest, parts in pieces.items():
            logs = np.concatenate([part[0] for part in parts])
            masses = np.concatenate([part[1] for part in parts])
            _, first, inverse = np.unique(np.round(logs, _LOG_DECIMALS), return_index=True,
                                          return_inverse=True)
            nodes[rest] = (logs[first],
                           np.bincount(inverse, weights=masses).astype(np.float64))
    last = cols[-1]
    for state, (logs, masses) in nodes.items():
        step = _log_factorial(last) - sum(_log_factorial(v) for v in state)
        log_p = constant + logs + step
        keep = log_p <= threshold
        total += float(np.sum(masses[keep] * np.exp(log_p[keep])))
    return min(1.0, total)


def _monte_carlo_p(table: np.ndarray[Any, Any], resamples: int, seed: int) -> float:
    r, c = table.shape
    row_labels = np.repeat(np.arange(r), table.sum(axis=1))
    col_labels = np.repeat(np.arange(c), table.sum(axis=0))
    log_fact = special.gammaln(np.arange(int(table.sum()) + 1) + 1.0)
    observed = -float(log_fact[table].sum())
    # R: STATISTIC <= observed / almost.1 in -sum(log x!) units; + log(1 + 1e-7) is ours.
    threshold = observed + math.log(_REL_ERR)
    rng = np.random.default_rng(seed)
    hits = done = 0
    while done < resamples:
        size = min(_BATCH, resamples - done)
        permuted = rng.permuted(np.broadcast_to(col_labels, (size, col_labels.size)), axis=1)
        cells = row_labels[None, :] * c + permuted + (np.arange(size) * r * c)[:, None]
        counts = np.bincount(cells.ravel(), minlength=size * r * c).reshape(size, r * c)
        statistic = -log_fact[counts].sum(axis=1)
        hits += int(np.count_nonzero(statistic <= threshold))
        done += size
    return monte_carlo_p(hits, resamples)


def _odds_ratio(table: np.ndarray[Any, Any], conf_level: float) -> tuple[float, tuple[float,
                                                                                     float]]:
    """Conditional MLE of the odds ratio and its exact CI (R fisher.test, 2 x 2)."""
    m, n_ = int(table[:, 0].sum()), int(table[:, 1].sum())
    k, x = int(table[0].sum()), int(table[0, 0])
    lo, hi = max(0, k - n_), min(k, m)
    support = np.arange(lo, hi + 1)
    logdc = (special.gammaln(m + 1) - special.gammaln(support + 1) - special.gammaln(m - support + 1)
             + special.gammaln(n_ + 1) - special.gammaln(k - support + 1)
             - special.gammaln(n_ - k + support + 1))

    def density(ncp: float) -> np.ndarray[Any, Any]:
        d = logdc + math.log(ncp) * support
        d = np.exp(d - d.max())
        return np.asarray(d / d.sum())

    def mean(ncp: float) -> float:
        if ncp == 0.0:
            return float(lo)
        if math.isinf(ncp):
            return float(hi)
        return float(np.sum(support * density(ncp)))

    def tail(ncp: float, upper: bool) -> float:
        d = density(ncp)
        return float(d[support >= x].sum() if upper else d[support <= x].sum())

    def solve(f: Any) -> float:
        """Root in t of f over (0, 1] or, through 1/t, over [1, inf)."""
        from scipy import optimize  # lazily: importing it costs ~0.4 s

        at_one = f(1.0)
        if at_one == 0.0:
            return 1.0
        if at_one > 0.0:
            return float(optimize.brentq(f, 1e-300, 1.0, xtol=1e-300, rtol=1e-12))
        inverse = float(optimize.brentq(lambda t: f(1.0 / t), 1e-300, 1.0, xtol=1e-300,
                                        rtol=1e-12))
        return 1.0 / inverse

    if x == lo:
        estimate = 0.0
    elif x == hi:
        estimate = math.inf
    else:
        estimate = solve(lambda t: mean(t) - x)
    alpha = (1.0 - conf_level) / 2.0
    upper = math.inf if x == hi else solve(lambda t: alpha - tail(t, upper=False))
    lower = 0.0 if x == lo else solve(lambda t: tail(t, upper=True) - alpha)
    return estimate, (lower, upper)


def fisher_exact(
    table: Sequence[Sequence[int]] | Any,
    *,
    conf_level: float = DEFAULT_CONF_LEVEL,
    p_value: PermutationMode = "auto",
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    max_steps: int = EXACT_MAX_STEPS,
) -> FisherResult:
    """Fisher's exact test of an r x c table of counts (rows = groups, columns = outcomes).

    Examples
    --------
    >>> r = fisher_exact([[3, 1], [1, 3]])     # R fisher.test: p = 0.4857142857142858
    >>> round(r.p_value, 12), r.p_value_method
    (0.485714285714, 'exact (network algorithm)')
    >>> fisher_exact([[3, 0], [2, 0]]).not_run
    'fewer than two columns with a count: nothing to compare'
    """
    conf_level = check_conf_level(conf_level)
    check_resamples(resamples, seed)
    counts = np.asarray(table)
    if counts.ndim != 2 or counts.size == 0:
        raise ComputationError(f"the table must be two-dimensional; got shape {counts.shape}")
    if (counts.dtype.kind not in "iub" and not np.all(np.mod(counts, 1) == 0)) or np.any(
            counts < 0):
        raise ComputationError("the table must hold non-negative whole counts")
    counts = counts.astype(np.int64)
    original = tuple(tuple(int(v) for v in row) for row in counts)
    n = int(counts.sum())
    method = ("Fisher's exact test (as fisher.test): sum of the probabilities of the tables "
              "with the same margins no more probable than the observed one")
    kept = counts[counts.sum(axis=1) > 0][:, counts.sum(axis=0) > 0]
    if min(kept.shape) < 2:
        what = "rows" if kept.shape[0] < 2 else "columns"
        return FisherResult(n, original, None, None, None, None, None, None, None, None, None,
                            conf_level, method,
                            f"fewer than two {what} with a count: nothing to compare")
    notes: list[str | None] = []
    if kept.shape != counts.shape:
        notes.append("rows or columns with no count left out")
    exact = None
    if p_value == "exact" or (p_value == "auto" and n <= EXACT_MAX_N):
        exact = _exact_p(kept, max_steps if p_value == "auto" else 2**62)
    used_resamples = used_seed = None
    p: float | None
    p_method: str | None
    if exact is not None:
        p, p_method = exact, "exact (network algorithm)"
    elif p_value == "auto" and not monte_carlo_feasible(n, resamples):
        p = p_method = None
        notes.append(too_large_for_monte_carlo(n, resamples).replace(
            "the asymptotic p", "Pearson's chi-square p"))
    else:
        p = _monte_carlo_p(kept, resamples, seed)
        p_method = f"Monte Carlo, {resamples} resamples, seed {seed}"
        used_resamples, used_seed = resamples, seed
        if p_value == "auto":
            notes.append(f"exact network over {max_steps} steps or N > {EXACT_MAX_N}: "
                         "Monte Carlo p-value")
    odds = ci = None
    if counts.shape == (2, 2):
        odds, ci = _odds_ratio(counts, conf_level)
        if math.isinf(odds) or math.isinf(ci[1]):
            notes.append("a zero cell: the odds ratio or its upper limit is infinite (null in "
                         "as_dict)")
    expected = np.outer(kept.sum(axis=1), kept.sum(axis=0)) / float(n)
    chi_square = float(np.sum((kept - expected) ** 2 / expected))
    df = (kept.shape[0] - 1) * (kept.shape[1] - 1)
    return FisherResult(n, original, p, p_method, used_resamples, used_seed, chi_square, df,
                        float(special.chdtrc(df, chi_square)), odds, ci, conf_level, method,
                        None, join_notes(notes))


def fisher_exact_from_labels(
    group: Sequence[Hashable | None],
    outcome: Sequence[Hashable | None],
    **options: Any,
) -> tuple[tuple[Hashable, ...], tuple[Hashable, ...], FisherResult]:
    """Cross-tabulate two aligned label sequences (``None`` = missing, left out) and test.

    Returns the row levels, the column levels (each sorted by their text) and the result.

    >>> rows, cols, r = fisher_exact_from_labels(["a", "a", "b", "b", None], [1, 1, 2, 2, 1])
    >>> rows, cols, r.table
    (('a', 'b'), (1, 2), ((2, 0), (0, 2)))
    """
    if len(group) != len(outcome):
        raise ComputationError(
            f"group and outcome must be aligned; got {len(group)} and {len(outcome)} values")
    pairs = [(g, o) for g, o in zip(group, outcome, strict=True)
             if g is not None and o is not None and g == g and o == o]
    row_levels = tuple(sorted({g for g, _ in pairs}, key=str))
    col_levels = tuple(sorted({o for _, o in pairs}, key=str))
    table = np.zeros((max(len(row_levels), 1), max(len(col_levels), 1)), dtype=np.int64)
    row_at = {g: i for i, g in enumerate(row_levels)}
    col_at = {o: j for j, o in enumerate(col_levels)}
    for g, o in pairs:
        table[row_at[g], col_at[o]] += 1
    return row_levels, col_levels, fisher_exact(table, **options)

