"""Skillings-Mack test: a Friedman-type test that keeps patients with missing visits.

Following Skillings & Mack (1981):

1. Patients with fewer than two observed weeks carry no information and are left out
   (``n`` counts the patients used).
2. Within each patient the k_i observed values are ranked (mid-ranks for ties); a missing
   week gets the average rank (k_i + 1)/2.
3. Adjusted rank sums ``A_j = sum_i sqrt(12 / (k_i + 1)) (r_ij - (k_i + 1)/2)``.
4. Their covariance: ``sigma_st = -lambda_st`` (patients observed at both weeks s and t),
   ``sigma_tt = sum_{s != t} lambda_st``.
5. ``SM = A' Sigma^- A`` (a generalised inverse; A sums to 0), referred to chi-square with
   k - 1 degrees of freedom.

As in the paper and the R implementations (``Skillings.Mack::Ski.Mack``,
``PMCMRplus::skillingsMackTest``), the variance has no tie correction: with complete data and
no ties SM equals the Friedman statistic, with ties it is smaller than the tie-corrected one.
The test needs the weeks to be connected through patients observed at both (Sigma of rank
k - 1); otherwise the result says it is not computable.

References
----------
Skillings JH, Mack GA. On the use of a Friedman-type statistic in balanced and unbalanced
block designs. Technometrics. 1981;23(2):171-177. doi:10.1080/00401706.1981.10486261
Chatfield M, Mander A. The Skillings-Mack test (Friedman test when there are missing data).
Stata J. 2009;9(2):299-305.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from jdmtrack.stats._common import finite_or_none, join_notes, week_keys
from jdmtrack.stats._ranks import midranks
from jdmtrack.stats.layout import week_table

__all__ = ["SkillingsMackResult", "skillings_mack_test"]


@dataclass(frozen=True)
class SkillingsMackResult:
    """Skillings-Mack test over the patients with at least two observed weeks."""

    weeks: tuple[float | str, ...]
    n: int
    n_excluded: int
    n_observations: int
    statistic: float | None
    df: int
    p_value: float | None
    method: str
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Results-file form: ``{weeks, n, statistic, df, p_value}`` plus method and note."""
        return {
            "weeks": week_keys(self.weeks),
            "n": self.n,
            "n_observations": self.n_observations,
            "statistic": finite_or_none(self.statistic),
            "df": self.df,
            "p_value": finite_or_none(self.p_value),
            "method": self.method,
            "note": self.note,
        }


def skillings_mack_test(
    data: Sequence[Sequence[float]] | Any, *, weeks: Sequence[float | str] | None = None
) -> SkillingsMackResult:
    """Skillings-Mack test on a patients x weeks table with missing visits (``NaN``).

    Raises
    ------
    ComputationError
        With fewer than two weeks, or week labels that do not match the columns.

    Examples
    --------
    Complete data without ties: the Friedman statistic.

    >>> skillings_mack_test([[1, 2, 3], [1, 3, 2], [1, 2, 3], [2, 1, 3]]).statistic
    4.5
    >>> r = skillings_mack_test([[1, 2, 3], [1, None, 2], [3, 2, float("nan")], [5, 6, 7]])
    >>> r.n, r.n_observations, round(r.statistic, 12)
    (4, 10, 4.132600461468)
    """
    table, labels = week_table(data, weeks, "the Skillings-Mack test")
    n_rows, k = table.shape
    observed = ~np.isnan(table)
    per_patient = observed.sum(axis=1)
    used = per_patient >= 2
    table, observed, k_i = table[used], observed[used], per_patient[used]
    n = int(table.shape[0])
    method = (
        "Skillings-Mack (1981) chi-square, patients with >= 2 observed weeks, mid-ranks, "
        "no tie correction"
    )
    notes: list[str | None] = []
    if n_rows - n:
        notes.append(f"{n_rows - n} patient(s) with fewer than two observed weeks left out")

    def not_computable(why: str) -> SkillingsMackResult:
        return SkillingsMackResult(labels, n, n_rows - n, int(observed.sum()), None, k - 1,
                                   None, method, join_notes([*notes, why]))

    if n == 0:
        return not_computable("no patient has two observed weeks")
    # Each patient's observed weeks ranked among themselves (a missing week has NaN rank).
    ranks = np.where(observed, midranks(table), 0.0)
    centre = (k_i + 1.0) / 2.0
    weight = np.sqrt(12.0 / (k_i + 1.0))
    adjusted = np.where(observed, weight[:, None] * (ranks - centre[:, None]), 0.0)
    a = adjusted.sum(axis=0)
    both = observed.astype(np.float64)
    lam = both.T @ both
    np.fill_diagonal(lam, 0.0)
    sigma = -lam
    np.fill_diagonal(sigma, lam.sum(axis=1))
    if np.linalg.matrix_rank(sigma) < k - 1:
        return not_computable(
            "the weeks are not all connected by patients observed at both: not computable"
        )
    if not np.any(a):
        notes.append("every adjusted rank sum is zero")
    # A sums to zero and the null space of Sigma is the constant vector, so dropping the last
    # week gives the same value as a generalised inverse (Skillings & Mack 1981, eq. 2.3).
    statistic = float(a[:-1] @ np.linalg.solve(sigma[:-1, :-1], a[:-1]))
    statistic = max(statistic, 0.0)
    p_value = float(special.chdtrc(k - 1, statistic))  # the chi-square upper tail
    return SkillingsMackResult(labels, n, n_rows - n, int(observed.sum()), statistic, k - 1,
                               p_value, method, join_notes(notes))


#: Short name kept for callers that import it from this module (not re-exported by
#: ``jdmtrack.stats``, where it would hide this module).
skillings_mack = skillings_mack_test
