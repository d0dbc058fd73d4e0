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
- With more than ``EXACT_MAX_N`` patients in the comparison, the permutation
  distributions give way to their large-sample forms, which are then accurate, and cheap
  enough for the hundreds of comparisons a by-group analysis makes (100,000 Monte Carlo
  relabellings each would take minutes): the chi-square Kruskal-Wallis p, the normal
  approximation of the Mann-Whitney statistic with tie and continuity correction (as wilcox.test exact=FALSE)
  and Pearson's chi-square test (as chisq.test correct=FALSE). The Hodges-Lehmann shift
  is given while the groups have at most ``SHIFT_MAX_PAIRS`` pairs of patients.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from .settings import AnalysisSettings

__all__ = ["EXACT_MAX_N", "SHIFT_MAX_PAIRS", "compare_counts", "compare_values"]

EXACT_MAX_N = 50
SHIFT_MAX_PAIRS = 250_000


def _finite(x: Any) -> float | None:
    value = float(x)
    return value if np.isfinite(value) else None


def _not_run(test: str, levels: Sequence[str], n: int, why: str) -> dict[str, Any]:
    return {"test": test, "groups": list(levels), "n": n, "statistic": None, "p_value": None,
            "p_value_method": None, "not_run": why}


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
    if n > EXACT_MAX_N:
        # Large-sample form only (the permutation machinery is not needed, and its exact
        # bookkeeping overflows with many groups of large size).
        from scipy import stats

        h, p = stats.kruskal(*present.values())
        return {"test": "kruskal_wallis", "groups": list(present), "n": n,
                "statistic": _finite(h), "df": len(present) - 1, "p_value": _finite(p),
                "p_value_method": f"chi-square approximation with tie correction (as "
                                  f"kruskal.test; more than {EXACT_MAX_N} patients)",
                "p_value_asymptotic": _finite(p), "not_run": None, "note": None}
    from ..stats.kruskal import kruskal_wallis

    r = kruskal_wallis(list(present.values()), alpha=settings.alpha,
                       resamples=settings.resamples, seed=settings.seed)
    exact = r.p_value_exact is not None
    return {"test": "kruskal_wallis", "groups": list(present), "n": n, "statistic": r.statistic,
            "df": r.df, "p_value": r.p_value_exact if exact else r.p_value,
            "p_value_method": (r.p_value_exact_method if exact else
                               "chi-square approximation with tie correction (as kruskal.test)"),
            "p_value_asymptotic": r.p_value, "not_run": r.not_run, "note": r.note}


def _two_groups(first: tuple[str, np.ndarray], second: tuple[str, np.ndarray],
                settings: AnalysisSettings) -> dict[str, Any]:
    (a, x), (b, y) = first, second
    n = int(x.size + y.size)
    shift: dict[str, Any] | None = None
    if x.size * y.size <= SHIFT_MAX_PAIRS:
        from ..stats.mann_whitney import hodges_lehmann_shift

        s = hodges_lehmann_shift(x, y)
        shift = {"estimate": s.estimate, "ci95": None if s.ci_low is None else [s.ci_low, s.ci_high],
                 "achieved_conf_level": s.achieved_conf_level, "not_run": s.not_run}
    out: dict[str, Any] = {"test": "wilcoxon_mann_whitney", "groups": [a, b], "n": n,
                           "n_groups": [int(x.size), int(y.size)]}
    if n <= EXACT_MAX_N:
        from ..stats.mann_whitney import mann_whitney

        r = mann_whitney(x, y, alpha=settings.alpha, resamples=settings.resamples,
                         seed=settings.seed)
        return out | {"statistic": r.statistic, "p_value": r.p_value_exact,
                      "p_value_method": r.p_value_exact_method,
                      "p_value_asymptotic": r.p_value_asymptotic,
                      "min_attainable_p": r.min_attainable_p,
                      "can_reach_alpha": r.can_reach_alpha, "shift": shift,
                      "not_run": r.not_run, "note": r.note}
    from scipy import stats

    u, p = stats.mannwhitneyu(x, y, alternative="two-sided", use_continuity=True,
                              method="asymptotic")
    return out | {"statistic": _finite(u), "p_value": _finite(p),
                  "p_value_method": f"normal approximation with tie and continuity correction "
                                    f"(more than {EXACT_MAX_N} patients)",
                  "p_value_asymptotic": _finite(p), "shift": shift, "not_run": None}


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
    for g, o in pairs:
        table[rows.index(g), cols.index(o)] += 1
    base = {"test": test, "groups": [str(r) for r in rows], "levels": [str(c) for c in cols],
            "n": n, "table": table.tolist()}
    if test == "chi_square":
        from scipy import stats

        chi = stats.chi2_contingency(table, correction=False)
        return base | {"statistic": _finite(chi.statistic), "df": int(chi.dof),
                       "p_value": _finite(chi.pvalue),
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
