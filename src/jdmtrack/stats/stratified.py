"""Site-stratified rank tests for multi-site cohorts.

Every test here conditions on the site: values are only ever exchanged between patients of
the same site, so a site that differs in level (a centre that scores CMAS higher) cannot
create or mask an effect.

* ``stratified_wilcoxon(y, group, site)``: two groups within sites.
  - ``scores="van_elteren"`` (default): mid-ranks within each site divided by (n_s + 1), the
    van Elteren (1960) test, locally most powerful when the sites differ in size. The
    statistic is the sum over sites of group 1's scores.
  - ``scores="pooled"``: mid-ranks over all sites pooled, permuted within site. This is what
    ``coin::wilcox_test(y ~ g | site)`` computes (its ranks are not taken within blocks).
  Exact p: the per-site permutation distributions of group 1's score sum, convolved over
  sites, two-sided P(|T - E T| >= |t - E T|) as coin. In integers (doubled mid-ranks, or
  van Elteren scores times the lcm of the n_s + 1) while the support stays below 50,000
  values, at any N; else with real sums (equal to 1e-9 merged) up to ``EXACT_MAX_N``
  patients and ``EXACT_MAX_STATES`` values; else ``None`` with a note. Asymptotic p:
  normal, ``(t - E T) / sqrt(sum of the per-site permutation variances)``, no continuity
  correction, as coin's asymptotic test.
* ``stratified_signed_rank(differences, site)``: paired differences (follow-up - baseline)
  ranked within site (zeros dropped, mid-ranks of |d| within each site); statistic V = sum
  over sites of the positive within-site ranks; exact p by convolving the per-site signed-rank
  distributions, two-sided as ``wilcoxon_signed_rank``; asymptotic p normal, ``(V - E V) /
  sqrt(sum r^2 / 4)``, no continuity correction. coin has no site-stratified signed-rank test
  (``wilcoxsign_test(y ~ x | block)``'s block is the pairing); the tests pin it against an
  enumeration of all sign patterns in R.
* ``exact=False`` (both tests): no exact distribution is built, the normal approximation is
  the p-value; the large-sample mode of ``jdmtrack.analysis.sites`` (cheap at any N; the
  tests pin it against coin's asymptotic van Elteren test and the normal form written out
  in R).

References
----------
van Elteren PH. On the combination of independent two-sample tests of Wilcoxon. Bull Int
Stat Inst. 1960;37:351-361.
Lehmann EL. Nonparametrics: Statistical Methods Based on Ranks. Holden-Day; 1975, §3.3.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy import special

from jdmtrack.errors import ComputationError
from jdmtrack.stats._common import as_float_vector_with_missing, join_notes
from jdmtrack.stats._json import AsDict
from jdmtrack.stats._permutation import (
    EXACT_MAX_WORK,
    IntegerDistribution,
    RealDistribution,
    convolve,
    convolve_real,
    sign_sum_distribution,
    subset_sum_distribution,
    subset_sum_real,
    subset_sum_work,
    two_sided_real,
)
from jdmtrack.stats._ranks import doubled_midranks

__all__ = [
    "EXACT_MAX_STATES",
    "StratifiedResult",
    "stratified_signed_rank",
    "stratified_wilcoxon",
]

#: Largest exact distribution kept while convolving over sites (distinct values).
EXACT_MAX_STATES = 300_000
#: Above this many patients the exact stratified two-group distribution is not tried (the
#: normal approximation is then accurate; the exact one would take seconds).
EXACT_MAX_N = 100
# Largest integer support of the exact distribution (doubled ranks, or scaled van Elteren
# scores): beyond it, the real-valued route.
_INTEGER_MAX_SPAN = 50_000

Scores = Literal["van_elteren", "pooled"]


@dataclass(frozen=True)
class StratifiedResult(AsDict):
    """A site-stratified rank test (two-sided)."""

    n: int
    n_sites: int
    n_sites_used: int
    statistic: float | None
    expectation: float | None
    variance: float | None
    z: float | None
    p_value_exact: float | None
    p_value_asymptotic: float | None
    method: str
    not_run: str | None = None
    note: str | None = None


def _site_codes(site: Sequence[Hashable], size: int, name: str) -> np.ndarray[Any, Any]:
    if len(site) != size:
        raise ComputationError(f"{name} and site must be aligned; got {size} and {len(site)}")
    levels = {s: i for i, s in enumerate(sorted(set(site), key=str))}
    return np.array([levels[s] for s in site], dtype=np.int64)


def _normal(statistic: float, mean: float, variance: float) -> tuple[float | None, float | None]:
    if variance <= 0.0:
        return None, None
    z = (statistic - mean) / math.sqrt(variance)
    return z, 2.0 * float(special.ndtr(-abs(z)))


def stratified_wilcoxon(
    y: Sequence[float | None] | Any,
    group: Sequence[Hashable],
    site: Sequence[Hashable],
    *,
    scores: Scores = "van_elteren",
    max_states: float = EXACT_MAX_STATES,
    exact: bool = True,
) -> StratifiedResult:
    """Two-group rank test stratified by site (van Elteren by default); see the module notes.

    ``group`` must hold exactly two labels (sorted by text; the statistic is the first's
    score sum). Rows with a missing ``y`` are dropped; sites with only one group contribute
    nothing and are counted out in ``n_sites_used``.

    Examples
    --------
    Two sites of four, group a below group b in both: with van Elteren scores each site's
    sum for a is (1 + 2) / 5; exact p = 2 (1/6)^2 (both sites extreme, either direction).

    >>> r = stratified_wilcoxon([1, 2, 3, 4, 5, 6, 7, 8], list("aabbaabb"), [1, 1, 1, 1, 2, 2, 2, 2])
    >>> round(r.statistic, 12), r.expectation, round(r.p_value_exact, 15)
    (1.2, 2.0, 0.055555555555556)
    """
    values = as_float_vector_with_missing(y, "y")
    if len(group) != values.size:
        raise ComputationError(f"y and group must be aligned; got {values.size} and {len(group)}")
    codes = _site_codes(site, values.size, "y")
    levels = sorted(set(group), key=str)
    method = (
        "site-stratified Wilcoxon-Mann-Whitney, "
        + ("van Elteren scores (mid-ranks within site / (n_site + 1))" if scores == "van_elteren"
           else "pooled mid-ranks permuted within site (as coin::wilcox_test(y ~ g | site))")
        + "; exact permutation p convolved over sites; normal approximation without continuity "
        "correction"
    )
    n_sites = int(np.unique(codes).size)
    if len(levels) != 2:
        return StratifiedResult(int(values.size), n_sites, 0, None, None, None, None, None, None,
                                method, f"{len(levels)} group(s): exactly two are needed")
    first = np.array([g == levels[0] for g in group])
    keep = ~np.isnan(values)
    values, first, codes = values[keep], first[keep], codes[keep]
    n = int(values.size)
    pooled_doubled = doubled_midranks(values) if n else np.zeros(0, dtype=np.int64)
    statistic = mean = variance = fixed = 0.0
    # Integer scores per site (doubled mid-ranks, times L / (n_s + 1) for van Elteren with L
    # the lcm of the n_s + 1) for the exact integer distribution; ``unit`` turns them back.
    sites: list[tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], int]] = []
    for s in np.unique(codes):
        here = codes == s
        m, size = int(first[here].sum()), int(here.sum())
        doubled = doubled_midranks(values[here]) if scores == "van_elteren" else \
            pooled_doubled[here]
        a = doubled / 2.0 / (size + 1) if scores == "van_elteren" else doubled / 2.0
        # A one-group site adds the same constant to the statistic and its expectation (so
        # that the statistic is coin's), and nothing to the variance or the p-value.
        statistic += float(a[first[here]].sum())
        mean += m * float(a.mean())
        if m == 0 or m == size:
            fixed += float(a[first[here]].sum())
            continue
        # Sampling m of the site's scores without replacement.
        variance += m * (size - m) / (size * (size - 1.0)) * float(np.sum((a - a.mean()) ** 2))
        sites.append((doubled, first[here], size))
    used = len(sites)
    dist = _exact_distribution(sites, scores, n, max_states) if exact else None
    notes: list[str | None] = []
    if int(keep.size - n):
        notes.append(f"{int(keep.size - n)} missing value(s) left out")
    if used < n_sites:
        notes.append(f"{n_sites - used} site(s) with only one group left out")
    if used == 0:
        return StratifiedResult(n, n_sites, 0, None, None, None, None, None, None, method,
                                "no site has patients in both groups", join_notes(notes))
    if variance <= 0.0:
        return StratifiedResult(n, n_sites, used, statistic, mean, variance, None, None, None,
                                method, "every value is tied within each site",
                                join_notes(notes))
    z, p_asymptotic = _normal(statistic, mean, variance)
    p_exact = None if dist is None else two_sided_real(dist, mean - fixed, statistic - fixed)
    if p_exact is not None:
        p_exact = min(1.0, p_exact)
    if dist is None:
        notes.append(f"exact p not computed (N > {EXACT_MAX_N} or over {max_states:.0f} "
                     "states): the normal approximation is the p-value" if exact else
                     "large-sample mode: the normal approximation is the p-value")
    return StratifiedResult(n, n_sites, used, statistic, mean, variance, z, p_exact,
                            p_asymptotic, method, None, join_notes(notes))


def _exact_distribution(
    sites: list[tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], int]],
    scores: Scores, n: int, max_states: float,
) -> RealDistribution | None:
    """Exact distribution of group 1's score sum over the sites with both groups: in
    integers when the sums stay small (any N), else with real sums up to EXACT_MAX_N."""
    lcm = math.lcm(*(size + 1 for _, _, size in sites)) if scores == "van_elteren" else 1
    unit = 2.0 * lcm
    integer = [doubled.astype(np.int64) * (lcm // (size + 1) if scores == "van_elteren" else 1)
               for doubled, _, size in sites]
    work = sum(subset_sum_work(size, int(g.sum()), int(i.max() - i.min()))
               for i, (_, g, size) in zip(integer, sites, strict=True))
    span = sum(int(np.sort(i)[-int(g.sum()):].sum()) for i, (_, g, _) in zip(integer, sites,
                                                                             strict=True))
    # np.convolve is direct (support x support): keep the integer supports small.
    if work <= EXACT_MAX_WORK and span <= _INTEGER_MAX_SPAN:
        total = IntegerDistribution(0, 1, np.ones(1))
        for i, (_, g, _) in zip(integer, sites, strict=True):
            total = convolve(total, subset_sum_distribution(i, int(g.sum())))
        kept = total.prob > 0.0
        return total.values()[kept] / unit, total.prob[kept]
    if n > EXACT_MAX_N:
        return None
    dist: RealDistribution | None = (np.zeros(1), np.ones(1))
    for doubled, g, size in sites:
        a = doubled / 2.0 / (size + 1) if scores == "van_elteren" else doubled / 2.0
        site_dist = subset_sum_real(a, int(g.sum()), max_states)
        if site_dist is None:
            return None
        dist = convolve_real(dist, site_dist, max_states) if dist is not None else None
        if dist is None:
            return None
    return dist


def stratified_signed_rank(
    differences: Sequence[float | None] | Any,
    site: Sequence[Hashable],
    *,
    exact: bool = True,
) -> StratifiedResult:
    """Wilcoxon signed-rank test with differences ranked within site (see the module notes).

    ``n`` counts the non-missing differences, zeros included; zeros are dropped before
    ranking, as in ``wilcoxon_signed_rank``.

    Examples
    --------
    Two sites of three, every difference positive: V = 6 + 6, the largest of 2^6 patterns;
    two-sided p = 2 / 64.

    >>> r = stratified_signed_rank([1, 2, 3, 5, 6, 7], ["A", "A", "A", "B", "B", "B"])
    >>> r.statistic, r.expectation, r.p_value_exact
    (12.0, 6.0, 0.03125)
    """
    d = as_float_vector_with_missing(differences, "differences")
    codes = _site_codes(site, d.size, "differences")
    keep = ~np.isnan(d)
    d, codes = d[keep], codes[keep]
    n = int(d.size)
    n_sites = int(np.unique(codes).size)
    method = (
        "site-stratified Wilcoxon signed-rank: zeros dropped, |d| mid-ranked within site, "
        "V = sum over sites of the positive ranks; exact p convolved over sites; normal "
        "approximation without continuity correction"
    )
    doubled_total = doubled_positive = 0
    squares = 0.0  # sum of squared doubled ranks: Var V = sum r^2 / 4 = squares / 16
    dist = None
    used = 0
    for s in np.unique(codes):
        here = d[(codes == s) & (d != 0.0)]
        if here.size == 0:
            continue
        used += 1
        doubled = doubled_midranks(np.abs(here))
        doubled_total += int(doubled.sum())
        doubled_positive += int(doubled[here > 0].sum())
        squares += float(np.sum(doubled.astype(np.float64) ** 2))
        if exact:
            site_dist = sign_sum_distribution(doubled)
            dist = site_dist if dist is None else convolve(dist, site_dist)
    notes: list[str | None] = []
    if int(keep.size - n):
        notes.append(f"{int(keep.size - n)} missing difference(s) left out")
    if used == 0:
        return StratifiedResult(n, n_sites, 0, None, None, None, None, None, None, method,
                                "no non-zero difference in any site", join_notes(notes))
    statistic = doubled_positive / 2.0
    mean = doubled_total / 4.0
    variance = squares / 16.0
    z, p_asymptotic = _normal(statistic, mean, variance)
    if dist is None:
        notes.append("large-sample mode: the normal approximation is the p-value")
        return StratifiedResult(n, n_sites, used, statistic, mean, variance, z, None,
                                p_asymptotic, method, None, join_notes(notes))
    # |2 D - T| >= |2 d - T| in doubled-rank integers (D the positive doubled-rank sum).
    support = dist.values()
    extreme = np.abs(2 * support - doubled_total) >= abs(2 * doubled_positive - doubled_total)
    p_exact = min(1.0, math.fsum(dist.prob[extreme].tolist()))
    return StratifiedResult(n, n_sites, used, statistic, mean, variance, z, p_exact,
                            p_asymptotic, method, None, join_notes(notes))

