"""Paired comparisons with baseline: the ``vs_baseline`` rows of the results file.

``compare_with_baseline(baseline, followup)`` takes two aligned arrays (one entry per patient,
``NaN`` = missing) and returns, for the patients with both values: the median difference,
the Hodges-Lehmann estimate and CI, the Wilcoxon signed-rank test (exact and asymptotic),
and the paired t-test. Differences are follow-up - baseline (design.md, "Paired
differences"); ``n_pairs`` counts every pair, zeros included, and the Wilcoxon test drops
zeros and reports ``n_nonzero``.

The paired t-test is R ``t.test(followup, baseline, paired = TRUE)``: t = mean / (SD / sqrt n),
n - 1 degrees of freedom, two-sided p, and the t-based CI of the mean difference.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from jdmtrack.errors import ComputationError
from jdmtrack.stats._common import (
    DEFAULT_ALPHA,
    DEFAULT_CONF_LEVEL,
    as_float_vector,
    as_float_vector_with_missing,
    check_alpha,
    check_conf_level,
    finite_or_none,
    join_notes,
    pair_or_none,
)
from jdmtrack.stats.quantiles import sample_quantiles
from jdmtrack.stats.wilcoxon import (
    HodgesLehmannResult,
    WilcoxonResult,
    hodges_lehmann,
    wilcoxon_signed_rank,
)

__all__ = ["PairedTResult", "VsBaselineResult", "compare_with_baseline", "paired_t"]

_EPS = float(np.finfo(np.float64).eps)


@dataclass(frozen=True)
class PairedTResult:
    """Paired (one-sample) t-test of the differences, two-sided."""

    n: int
    mean_difference: float | None
    sd: float | None
    t: float | None
    df: int | None
    p_value: float | None
    ci_low: float | None
    ci_high: float | None
    conf_level: float
    method: str = "paired t-test (as t.test, paired=TRUE)"
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (``p_value_t`` is the p-value)."""
        return {
            "n": self.n,
            "mean_difference": finite_or_none(self.mean_difference),
            "sd": finite_or_none(self.sd),
            "t": finite_or_none(self.t),
            "df": self.df,
            "p_value_t": finite_or_none(self.p_value),
            "ci_mean_difference": pair_or_none(self.ci_low, self.ci_high),
            "method": self.method,
            "note": self.note,
        }


def paired_t(
    differences: Sequence[float] | Any, *, conf_level: float = DEFAULT_CONF_LEVEL
) -> PairedTResult:
    """Paired t-test on the differences (follow-up - baseline), as R ``t.test(paired=TRUE)``.

    With fewer than two differences, or differences that are all equal (R: "data are
    essentially constant"), t and p are ``None`` and the ``note`` says why.

    Examples
    --------
    >>> r = paired_t([1.0, 2.0, 3.0, 4.0])
    >>> r.mean_difference, r.t, r.df
    (2.5, 3.872983346207417, 3)
    >>> paired_t([2.0, 2.0, 2.0]).note
    'all differences are equal: the t statistic is not defined'
    """
    conf_level = check_conf_level(conf_level)
    d = as_float_vector(differences, "differences")
    n = int(d.size)
    if n == 0:
        return PairedTResult(0, None, None, None, None, None, None, None, conf_level,
                             note="no paired differences")
    mean = math.fsum(d.tolist()) / n
    if n == 1:
        return PairedTResult(1, mean, None, None, None, None, None, None, conf_level,
                             note="one difference: the t-test needs at least two")
    sd = math.sqrt(math.fsum(((d - mean) ** 2).tolist()) / (n - 1))
    stderr = sd / math.sqrt(n)
    # R t.test stops with "data are essentially constant" below this bound.
    if stderr == 0.0 or stderr < 10.0 * _EPS * abs(mean):
        return PairedTResult(n, mean, sd, None, n - 1, None, None, None, conf_level,
                             note="all differences are equal: the t statistic is not defined")
    t = mean / stderr
    df = n - 1
    p_value = 2.0 * float(special.stdtr(df, -abs(t)))
    quantile = float(special.stdtrit(df, 0.5 + conf_level / 2.0))
    return PairedTResult(n, mean, sd, t, df, p_value, mean - quantile * stderr,
                         mean + quantile * stderr, conf_level)


@dataclass(frozen=True)
class VsBaselineResult:
    """One follow-up week against baseline (a ``vs_baseline`` row of the results file)."""

    n_pairs: int
    n_nonzero: int
    median_difference: float | None
    hodges_lehmann: HodgesLehmannResult
    wilcoxon: WilcoxonResult
    t_test: PairedTResult
    method: str
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Results-file form: ``{n_pairs, n_nonzero, median_difference, hodges_lehmann, ci95,
        wilcoxon_v, p_value_exact, p_value_asymptotic, t, df, p_value_t, mean_difference}``
        plus ``min_attainable_p``, ``can_reach_alpha``, ``ci95_achieved_level``, ``method``
        and ``note``. ``p_adjusted`` (Holm across weeks) is added by the caller with
        ``p_adjust``."""
        hl, w, t = self.hodges_lehmann, self.wilcoxon, self.t_test
        return {
            "n_pairs": self.n_pairs,
            "n_nonzero": self.n_nonzero,
            "median_difference": finite_or_none(self.median_difference),
            "hodges_lehmann": finite_or_none(hl.estimate),
            "ci95": pair_or_none(hl.ci_low, hl.ci_high),
            "ci95_achieved_level": finite_or_none(hl.achieved_conf_level),
            "wilcoxon_v": finite_or_none(w.statistic),
            "p_value_exact": finite_or_none(w.p_value_exact),
            "p_value_asymptotic": finite_or_none(w.p_value_asymptotic),
            "min_attainable_p": finite_or_none(w.min_attainable_p),
            "can_reach_alpha": w.can_reach_alpha,
            "t": finite_or_none(t.t),
            "df": t.df,
            "p_value_t": finite_or_none(t.p_value),
            "mean_difference": finite_or_none(t.mean_difference),
            "method": self.method,
            "note": self.note,
        }


def compare_with_baseline(
    baseline: Sequence[float | None] | Any,
    followup: Sequence[float | None] | Any,
    *,
    alpha: float = DEFAULT_ALPHA,
    conf_level: float = DEFAULT_CONF_LEVEL,
) -> VsBaselineResult:
    """Compare a follow-up visit with baseline, patient by patient.

    Parameters
    ----------
    baseline, followup
        Aligned values, one per patient; ``NaN`` or ``None`` = missing. Only patients with
        both values are used.
    alpha
        Used to say whether the exact Wilcoxon test can reach significance at this n.
    conf_level
        Of the Hodges-Lehmann and t intervals.

    Raises
    ------
    ComputationError
        If the arrays differ in length.

    Examples
    --------
    >>> r = compare_with_baseline([40, 42, 38, 50, 52, 45, None],
    ...                           [46, 47, 44, 52, 52, 49, 50])
    >>> r.n_pairs, r.n_nonzero, r.median_difference, r.wilcoxon.p_value_exact
    (6, 5, 4.5, 0.0625)
    >>> r.note
    'n_nonzero = 5: the smallest attainable p-value, 0.0625, is above alpha = 0.05'
    """
    alpha = check_alpha(alpha)
    conf_level = check_conf_level(conf_level)
    base = as_float_vector_with_missing(baseline, "baseline")
    follow = as_float_vector_with_missing(followup, "followup")
    if base.size != follow.size:
        raise ComputationError(
            f"baseline and followup must be aligned per patient; got {base.size} and "
            f"{follow.size} values"
        )
    both = ~np.isnan(base) & ~np.isnan(follow)
    d = follow[both] - base[both]
    n_pairs = int(d.size)
    wilcoxon = wilcoxon_signed_rank(d, alpha=alpha)
    hl = hodges_lehmann(d, conf_level=conf_level)
    t_test = paired_t(d, conf_level=conf_level)
    median = sample_quantiles(d, [0.5], 7)[0] if n_pairs else None
    method = (
        "differences follow-up - baseline over complete pairs; median difference; "
        f"{hl.method}; {wilcoxon.method}; {t_test.method}"
    )
    notes = [wilcoxon.note, hl.note]
    if t_test.note not in notes:
        notes.append(t_test.note)
    return VsBaselineResult(
        n_pairs, wilcoxon.n_nonzero, median, hl, wilcoxon, t_test, method, join_notes(notes)
    )

