"""Friedman test blocked within site: pooled over sites, per site, and site heterogeneity.

What "blocked within site" means here: the Friedman blocks are the patients, and every
patient belongs to one site, so the blocks are nested in the sites. Ranking the weeks within
each patient already removes every between-patient difference, a site's level included, and
the permutation distribution (weeks exchanged within each patient) is already conditional on
the site. The **pooled** test (``pooled``) over the complete cases of all sites is therefore
the site-stratified Friedman test; it equals ``friedman.test`` on all patients and
``coin::friedman_test(y ~ week | patient)`` with the patient identified within site.

``per_site`` holds the same test in each site (the report's by-site table). ``heterogeneity``
asks whether the sites' time courses differ (site x week interaction): the per-site
chi-squares sum to the pooled one plus a remainder, ``Q_het = sum_s Q_s - Q_pooled``, with
(S - 1)(k - 1) degrees of freedom (the partition of the Friedman chi-square over groups of
blocks; Marascuilo & McSweeney 1977, §14.8). It is exact in the partition only without
ties and asymptotic always: a statement of heterogeneity, not a confirmatory test.

Reference
---------
Marascuilo LA, McSweeney M. Nonparametric and Distribution-Free Methods for the Social
Sciences. Brooks/Cole; 1977.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from jdmtrack.errors import ComputationError
from jdmtrack.stats._json import AsDict
from jdmtrack.stats.friedman import (
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    FriedmanResult,
    PermutationMode,
    friedman_test,
)
from jdmtrack.stats.layout import week_table

__all__ = ["SiteFriedmanResult", "friedman_by_site"]


@dataclass(frozen=True)
class SiteFriedmanResult(AsDict):
    """Friedman test pooled over sites (patients as blocks nested in sites) and per site."""

    n: int
    n_sites: int
    pooled: FriedmanResult
    per_site: tuple[tuple[Hashable, FriedmanResult], ...]
    heterogeneity_statistic: float | None
    heterogeneity_df: int | None
    heterogeneity_p_value: float | None
    method: str
    not_run: str | None = None
    note: str | None = None


def friedman_by_site(
    data: Sequence[Sequence[float]] | Any,
    site: Sequence[Hashable],
    *,
    weeks: Sequence[float | str] | None = None,
    permutation: PermutationMode = "auto",
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> SiteFriedmanResult:
    """Friedman test of a patients x weeks table whose rows belong to ``site``.

    Sites are ordered by their text. The heterogeneity statement needs at least two sites
    with a computable Friedman statistic, else it is ``None`` and ``not_run`` says why (the
    pooled and per-site results are still given).

    Examples
    --------
    Column rank sums (4, 6, 8) in site A and (5, 6, 7) in B, (9, 12, 15) pooled: Q = 12 /
    (n k (k + 1)) sum R_j^2 - 3 n (k + 1) gives 8/3, 2/3 and 3; Q_het = 10/3 - 3.

    >>> table = [[1, 2, 3], [1, 3, 2], [2, 1, 3], [1, 2, 3], [3, 2, 1], [1, 2, 3]]
    >>> r = friedman_by_site(table, ["A", "A", "A", "B", "B", "B"], weeks=[0, 4, 12])
    >>> r.pooled.statistic, [round(q.statistic, 12) for _, q in r.per_site]
    (3.0, [2.666666666667, 0.666666666667])
    >>> round(r.heterogeneity_statistic, 12), r.heterogeneity_df
    (0.333333333333, 2)
    """
    table, labels = week_table(data, weeks, "the Friedman test")
    if len(site) != table.shape[0]:
        raise ComputationError(
            f"site must have one entry per patient (row); got {len(site)} for "
            f"{table.shape[0]} rows")
    options: dict[str, Any] = {"weeks": labels, "permutation": permutation,
                               "resamples": resamples, "seed": seed}
    pooled = friedman_test(table, **options)
    levels = sorted(set(site), key=str)
    index = {s: i for i, s in enumerate(levels)}
    codes = np.array([index[s] for s in site])
    per_site = tuple((s, friedman_test(table[codes == i], **options))
                     for i, s in enumerate(levels))
    method = (
        "Friedman test with patients as blocks nested in sites (site-stratified by "
        "construction), pooled and per site; site x week heterogeneity as the remainder of "
        "the partition sum_s Q_s - Q_pooled, chi-square with (S - 1)(k - 1) df"
    )
    computed = [r.statistic for _, r in per_site if r.statistic is not None]
    k = table.shape[1]
    n = int(table.shape[0])
    if pooled.statistic is None or len(computed) < 2:
        why = ("fewer than two sites with a computable Friedman statistic: no heterogeneity "
               "statement")
        return SiteFriedmanResult(n, len(levels), pooled, per_site, None, None, None, method,
                                  why, pooled.note)
    q_het = float(sum(computed)) - pooled.statistic
    df = (len(computed) - 1) * (k - 1)
    note = None
    if q_het < 0.0:
        note = "the per-site statistics sum to less than the pooled one (ties): heterogeneity 0"
        q_het = 0.0
    return SiteFriedmanResult(n, len(levels), pooled, per_site, q_het, df,
                              float(special.chdtrc(df, q_het)), method, None, note)
