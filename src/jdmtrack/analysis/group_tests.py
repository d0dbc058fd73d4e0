"""Between-group tests for --by, chosen for small samples, as one JSON-ready dict each.

- Two groups, a continuous value: Wilcoxon-Mann-Whitney, exact conditional p given the
  mid-ranks (as coin::wilcox_test distribution="exact"; Monte Carlo with the stated seed
  when enumeration is too large), with the Hodges-Lehmann shift (first group minus
  second) and its 95% CI (``jdmtrack.stats.mann_whitney``).
- More than two groups: Kruskal-Wallis, permutation p given the mid-ranks (exact or
  Monte Carlo with the seed; ``jdmtrack.stats.kruskal``) and the chi-square p with tie
  correction (as R kruskal.test).
- Counts (a categorical variable, a criterion met or not, a response class): Fisher's
  exact test on the groups x levels table (network algorithm, Monte Carlo with the seed
  when too large; ``jdmtrack.stats.fisher``).
- With more than ``EXACT_MAX_N`` patients in the comparison (the **large-sample mode**, as
  coin's ``distribution = "asymptotic"``), the permutation distributions give way to their
  asymptotic forms, which are then accurate, and cheap at any size and number of groups
  (100,000 Monte Carlo relabellings for each of the hundreds of comparisons a by-group
  analysis makes would take minutes; the exact bookkeeping overflows with many large
  groups): two groups, the normal approximation of the rank sum with the tie-corrected
  permutation variance and no continuity correction (``coin::wilcox_test(distribution =
  "asymptotic")``), with the Hodges-Lehmann shift and CI as ever (O(n log n)); more than
  two, the tie-corrected chi-square Kruskal-Wallis p (``coin::kruskal_test`` asymptotic =
  ``kruskal.test``); counts, Pearson's chi-square test (``chisq.test(correct = FALSE)``).
  Every test says which: ``large_sample`` (true / false) and ``large_sample_reason``.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from .settings import AnalysisSettings

__all__ = ["EXACT_MAX_N", "compare_counts", "compare_values", "sample_mode"]

#: Above this many patients in a comparison: the large-sample (asymptotic) mode.
EXACT_MAX_N = 50


def _finite(x: Any) -> float | None:
    value = float(x)
    return value if np.isfinite(value) else None


def _not_run(test: str, levels: Sequence[str], n: int, why: str) -> dict[str, Any]:
    return {"test": test, "groups": list(levels), "n": n, "statistic": None, "p_value": None,
            "p_value_method": None, "not_run": why}


def sample_mode(n: int) -> dict[str, Any]:
    """Which p-value a comparison of ``n`` patients gets, and why (recorded in each test)."""
    large = n > EXACT_MAX_N
    return {"large_sample": large,
            "large_sample_reason": (f"{n} patients, more than {EXACT_MAX_N}: the "
                                    "large-sample (asymptotic) p-value")
                                   if large else None}


def compare_values(groups: dict[str, np.ndarray], settings: AnalysisSettings) -> dict[str, Any]:
    """Compare one continuous variable between the groups (missing values dropped)."""
    clean = {k: v[~np.isnan(v)] for k, v in groups.items()}
    present = {k: v for k, v in clean.items() if v.size}
    n = int(sum(v.size for v in present.values()))
    test = "wilcoxon_mann_whitney" if len(clean) == 2 else "kruskal_wallis"
    if len(present) < 2:
        return _not_run(test, list(present), n, "fewer than two groups with a value")
    if float(np.ptp(np.concatenate(list(present.values())))) == 0.0:
        return _not_run(test, list(present), n, "every value is the same: nothing to compare")
    if len(present) == 2:
        first, second = present.items()
        return _two_groups(first, second, settings)
    from ..stats.kruskal import kruskal_wallis

    mode = sample_mode(n)
    r = kruskal_wallis(list(present.values()), alpha=settings.alpha,
                       permutation="none" if mode["large_sample"] else "auto",
                       resamples=settings.resamples, seed=settings.seed)
    exact = r.p_value_exact is not None
    return {"test": "kruskal_wallis", "groups": list(present), "n": n, "statistic": r.statistic,
            "df": r.df, "p_value": r.p_value_exact if exact else r.p_value,
            "p_value_method": (r.p_value_exact_method if exact else
                               "chi-square approximation with tie correction (as kruskal.test)"),
            "p_value_asymptotic": r.p_value, "not_run": r.not_run, "note": r.note} | mode


def _two_groups(first: tuple[str, np.ndarray], second: tuple[str, np.ndarray],
                settings: AnalysisSettings) -> dict[str, Any]:
    from ..stats.mann_whitney import mann_whitney

    (a, x), (b, y) = first, second
    n = int(x.size + y.size)
    mode = sample_mode(n)
    large = mode["large_sample"]
    r = mann_whitney(x, y, alpha=settings.alpha, resamples=settings.resamples,
                     seed=settings.seed, permutation="none" if large else "auto",
                     correct=not large)
    s = r.shift
    shift = {"estimate": s.estimate, "ci95": None if s.ci_low is None else [s.ci_low, s.ci_high],
             "achieved_conf_level": s.achieved_conf_level, "not_run": s.not_run}
    return {"test": "wilcoxon_mann_whitney", "groups": [a, b], "n": n,
            "n_groups": [int(x.size), int(y.size)], "statistic": r.statistic,
            "p_value": r.p_value_asymptotic if large else r.p_value_exact,
            "p_value_method": ("normal approximation with tie correction, no continuity "
                               "correction (as coin::wilcox_test distribution='asymptotic')"
                               if large else r.p_value_exact_method),
            "p_value_asymptotic": r.p_value_asymptotic, "min_attainable_p": r.min_attainable_p,
            "can_reach_alpha": r.can_reach_alpha, "shift": shift, "not_run": r.not_run,
            "note": r.note} | mode


def _pearson(table: np.ndarray) -> tuple[float | None, int, float | None]:
    """Pearson's chi-square test of independence, as R ``chisq.test(correct = FALSE)``
    (every row and column has a count, so no expected count is zero; scipy.stats is not
    imported for it: that alone takes seconds).

    >>> _pearson(np.array([[10, 20], [30, 40]]))[:2]   # R: X-squared = 0.79365, df = 1
    (0.7936507936507936, 1)
    """
    from scipy import special

    counts = table.astype(np.float64)
    expected = np.outer(counts.sum(axis=1), counts.sum(axis=0)) / counts.sum()
    statistic = float(np.sum((counts - expected) ** 2 / expected))
    df = (table.shape[0] - 1) * (table.shape[1] - 1)
    return _finite(statistic), df, _finite(special.chdtrc(df, statistic))


def compare_counts(group: Sequence[str | None], outcome: Sequence[Hashable | None],
                   settings: AnalysisSettings, levels: Sequence[str] = ()) -> dict[str, Any]:
    """Fisher's exact test (chi-square when large) of group against a categorical outcome.

    Rows follow ``levels`` (then any other group, by its text); columns the outcome's text.
    """
    pairs = [(g, o) for g, o in zip(group, outcome, strict=True)
             if g is not None and o is not None and o == o]
    n = len(pairs)
    seen = {g for g, _ in pairs}
    rows = [lv for lv in levels if lv in seen] + sorted(seen - set(levels), key=str)
    cols = sorted({o for _, o in pairs}, key=str)
    test = "fisher" if n <= EXACT_MAX_N else "chi_square"
    if len(rows) < 2 or len(cols) < 2:
        what = "groups" if len(rows) < 2 else "levels"
        return _not_run(test, [str(r) for r in rows], n,
                        f"fewer than two {what} with a count: nothing to compare")
    table = np.zeros((len(rows), len(cols)), dtype=np.int64)
    row_of = {g: i for i, g in enumerate(rows)}
    col_of = {o: j for j, o in enumerate(cols)}
    np.add.at(table, ([row_of[g] for g, _ in pairs], [col_of[o] for _, o in pairs]), 1)
    base = {"test": test, "groups": [str(r) for r in rows], "levels": [str(c) for c in cols],
            "n": n, "table": table.tolist()} | sample_mode(n)
    if test == "chi_square":
        statistic, df, p = _pearson(table)
        return base | {"statistic": statistic, "df": df, "p_value": p,
                       "p_value_method": f"Pearson chi-square (more than {EXACT_MAX_N} patients)",
                       "not_run": None}
    from ..stats.fisher import fisher_exact

    r = fisher_exact(table, resamples=settings.resamples, seed=settings.seed)
    return base | {"statistic": None, "p_value": r.p_value, "p_value_method": r.p_value_method,
                   # an infinite odds ratio or limit (a zero cell) is written null
                   "odds_ratio": None if r.odds_ratio is None else _finite(r.odds_ratio),
                   "odds_ratio_ci95": (None if r.odds_ratio_ci is None
                                       else [_finite(v) for v in r.odds_ratio_ci]),
                   "not_run": r.not_run, "note": r.note}
