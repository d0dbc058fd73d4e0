"""Tests as the published papers ran them: pairwise weeks after Friedman, SPSS-style tests.

* ``pairwise_signed_rank(table, weeks)``: after a Friedman test, any two weeks compared by the
  Wilcoxon signed-rank test on the patients observed at both (differences later - earlier,
  zeros dropped), every pair by default or the ``pairs`` asked for (e.g. week 24 vs week 4).
  Each comparison carries the exact p (``wilcoxon_signed_rank``, as coin), the SPSS
  asymptotic p (below) and the p adjusted over the comparisons made, by Holm (default) or
  Bonferroni (``adjust``; as R ``p.adjust``), applied to the p named by ``adjust_p``
  (``"exact"`` default, or ``"asymptotic"`` to reproduce a paper's SPSS figures).
* ``spss_signed_rank(differences)``: the asymptotic Wilcoxon signed-rank test of SPSS
  ("Asymp. Sig. (2-tailed)"): normal approximation with the tie-corrected variance and **no**
  continuity correction, z = (V - n(n + 1)/4) / sigma, p = 2 Phi(-|z|), zeros dropped; as R
  ``wilcox.test(x, y, paired = TRUE, exact = FALSE, correct = FALSE)``. SPSS prints z from the
  smaller of the positive and negative rank sums, i.e. -|z|.
* ``spss_paired_tests(baseline, followup)``: that test and the paired t-test (R ``t.test(...,
  paired = TRUE)``) side by side with jdmtrack's exact p, so that a printed SPSS p (e.g.
  0.018) is reproduced and its difference from the exact p shown.

References
----------
IBM SPSS Statistics 27 Algorithms: NPAR TESTS, Wilcoxon signed-rank test. IBM; 2020.
Holm S. A simple sequentially rejective multiple test procedure. Scand J Stat. 1979;6:65-70.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy import special

from jdmtrack.errors import ComputationError, SettingsError
from jdmtrack.stats._common import as_float_vector, as_float_vector_with_missing
from jdmtrack.stats._json import AsDict
from jdmtrack.stats._ranks import doubled_midranks
from jdmtrack.stats.adjust import p_adjust
from jdmtrack.stats.layout import week_table
from jdmtrack.stats.paired import PairedTResult, paired_t
from jdmtrack.stats.wilcoxon import wilcoxon_signed_rank

__all__ = [
    "PairComparison",
    "PairwiseResult",
    "SpssPairedResult",
    "SpssWilcoxonResult",
    "pairwise_signed_rank",
    "spss_paired_tests",
    "spss_signed_rank",
]

Adjust = Literal["holm", "bonferroni"]


@dataclass(frozen=True)
class SpssWilcoxonResult(AsDict):
    """Asymptotic Wilcoxon signed-rank test without continuity correction (SPSS)."""

    n: int
    n_zero: int
    n_positive: int
    n_negative: int
    positive_rank_sum: float | None
    negative_rank_sum: float | None
    z: float | None
    p_value: float | None
    method: str
    not_run: str | None = None


def spss_signed_rank(differences: Sequence[float] | Any) -> SpssWilcoxonResult:
    """SPSS's asymptotic Wilcoxon signed-rank test of paired differences.

    Examples
    --------
    >>> r = spss_signed_rank([2, 4, -1, 3, 5, 6, 0])    # R: p = 0.0463994618709046
    >>> r.n_positive, r.n_negative, r.positive_rank_sum, round(r.z, 6), round(r.p_value, 6)
    (5, 1, 20.0, -1.991741, 0.046399)
    """
    d = as_float_vector(differences, "differences")
    nonzero = d[d != 0.0]
    m = int(nonzero.size)
    method = ("Wilcoxon signed-rank, normal approximation with tie correction and no "
              "continuity correction (SPSS Asymp. Sig.; as wilcox.test exact=FALSE, "
              "correct=FALSE)")
    n_pos, n_neg = int((nonzero > 0).sum()), int((nonzero < 0).sum())
    if m == 0:
        return SpssWilcoxonResult(int(d.size), int(d.size), 0, 0, None, None, None, None,
                                  method, "no non-zero difference")
    doubled = doubled_midranks(np.abs(nonzero))
    positive = float(doubled[nonzero > 0].sum()) / 2.0
    negative = float(doubled[nonzero < 0].sum()) / 2.0
    _, tie_sizes = np.unique(doubled, return_counts=True)
    sigma = math.sqrt(m * (m + 1) * (2 * m + 1) / 24.0
                      - float(np.sum(tie_sizes**3 - tie_sizes)) / 48.0)
    z = -abs(positive - m * (m + 1) / 4.0) / sigma
    return SpssWilcoxonResult(int(d.size), int(d.size) - m, n_pos, n_neg, positive, negative,
                              z, 2.0 * float(special.ndtr(z)), method)


@dataclass(frozen=True)
class SpssPairedResult(AsDict):
    """SPSS-style paired tests beside jdmtrack's exact signed-rank p."""

    n_pairs: int
    wilcoxon_asymptotic: SpssWilcoxonResult
    t_test: PairedTResult
    p_value_exact: float | None
    method: str
    note: str | None = None


def spss_paired_tests(
    baseline: Sequence[float | None] | Any, followup: Sequence[float | None] | Any
) -> SpssPairedResult:
    """SPSS asymptotic Wilcoxon and paired t on the complete pairs, with the exact p.

    >>> r = spss_paired_tests([40, 42, 38, 50, 45, 41], [46, 47, 44, 52, 49, 40])
    >>> round(r.wilcoxon_asymptotic.p_value, 6), r.p_value_exact
    (0.0458, 0.0625)
    """
    base = as_float_vector_with_missing(baseline, "baseline")
    follow = as_float_vector_with_missing(followup, "followup")
    if base.size != follow.size:
        raise ComputationError(f"baseline and followup must be aligned; got {base.size} and "
                               f"{follow.size} values")
    both = ~np.isnan(base) & ~np.isnan(follow)
    d = follow[both] - base[both]
    exact = wilcoxon_signed_rank(d)
    return SpssPairedResult(
        int(d.size), spss_signed_rank(d), paired_t(d), exact.p_value_exact,
        "differences follow-up - baseline over complete pairs; SPSS asymptotic Wilcoxon, "
        "paired t-test (as t.test paired=TRUE), and the exact conditional signed-rank p",
        exact.note,
    )


@dataclass(frozen=True)
class PairComparison(AsDict):
    """One pair of weeks: Wilcoxon signed-rank on the patients observed at both."""

    week_a: float | str
    week_b: float | str
    n_pairs: int
    n_nonzero: int
    statistic: float | None
    p_value_exact: float | None
    p_value_asymptotic: float | None
    p_adjusted: float | None
    not_run: str | None = None


@dataclass(frozen=True)
class PairwiseResult(AsDict):
    """Pairwise comparisons of weeks after a Friedman test, with their adjustment."""

    n: int
    adjust: str
    adjust_p: str
    n_comparisons: int
    comparisons: tuple[PairComparison, ...]
    method: str


def pairwise_signed_rank(
    data: Sequence[Sequence[float]] | Any,
    *,
    weeks: Sequence[float | str] | None = None,
    pairs: Sequence[tuple[float | str, float | str]] | None = None,
    adjust: Adjust = "holm",
    adjust_p: Literal["exact", "asymptotic"] = "exact",
) -> PairwiseResult:
    """Wilcoxon signed-rank between pairs of weeks of a patients x weeks table (NaN missing).

    Examples
    --------
    >>> table = [[10, 14, 15], [12, 15, 19], [9, 13, 12], [11, 16, 18], [13, 14, 20],
    ...          [8, 12, 15]]
    >>> r = pairwise_signed_rank(table, weeks=[0, 4, 24], pairs=[(4, 24)])
    >>> c = r.comparisons[0]
    >>> c.week_a, c.week_b, c.statistic, c.p_value_exact, c.p_adjusted
    (4, 24, 19.5, 0.09375, 0.09375)
    """
    if adjust not in ("holm", "bonferroni"):
        raise SettingsError(f"adjust must be holm or bonferroni; got {adjust!r}")
    if adjust_p not in ("exact", "asymptotic"):
        raise SettingsError(f"adjust_p must be exact or asymptotic; got {adjust_p!r}")
    table, labels = week_table(data, weeks, "a pairwise comparison")
    index = {w: j for j, w in enumerate(labels)}
    wanted = list(pairs) if pairs is not None else list(itertools.combinations(labels, 2))
    for a, b in wanted:
        for w in (a, b):
            if w not in index:
                raise ComputationError(f"week {w!r} is not a column; weeks are {list(labels)}")
    raw: list[tuple[float | str, float | str, int, int, float | None, float | None,
                    float | None, str | None]] = []
    for a, b in wanted:
        x, y = table[:, index[a]], table[:, index[b]]
        both = ~np.isnan(x) & ~np.isnan(y)
        d = y[both] - x[both]
        exact = wilcoxon_signed_rank(d)
        spss = spss_signed_rank(d)
        why = None if exact.p_value_exact is not None else exact.note
        raw.append((a, b, int(d.size), exact.n_nonzero, exact.statistic, exact.p_value_exact,
                    spss.p_value, why))
    chosen = [row[5] if adjust_p == "exact" else row[6] for row in raw]
    adjusted = p_adjust(chosen, adjust).adjusted
    comparisons = tuple(
        PairComparison(a, b, n_pairs, n_nonzero, v, p_exact, p_spss, adj, why)
        for (a, b, n_pairs, n_nonzero, v, p_exact, p_spss, why), adj in zip(raw, adjusted,
                                                                              strict=True))
    method = (
        "pairwise Wilcoxon signed-rank tests between weeks on the patients observed at both "
        "(differences later - earlier; exact conditional p, and SPSS's asymptotic p without "
        f"continuity correction); {adjust.capitalize()} adjustment of the {adjust_p} p-values "
        f"over the {len(raw)} comparison(s) made (as p.adjust)"
    )
    return PairwiseResult(int(table.shape[0]), adjust, adjust_p, len(raw), comparisons, method)
