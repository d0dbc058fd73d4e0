"""Power by simulation over a grid of sample sizes, with Monte Carlo standard errors.

For each n of the grid, ``sims`` studies are drawn (from the parametric model or by
resampling the pilot), each is analysed with the test jdmtrack uses (``vectorised``), and
power is the share that reject at ``alpha``, with ``mc_se = sqrt(power (1 - power) / sims)``.
The generator of each grid point is seeded from ``(seed, n)``, so a given n gives the same
numbers whatever else is on the grid. Where power has a closed form it is exact and its
``mc_se`` is 0: Fisher's test without dropout or sites is enumerated over every pair of
binomial outcomes.

``formula_power`` is what the usual t-test formula gives for the same effect and SD
(noncentral t, two-sided, as R ``pwr.t.test``: one-sample on the change, or two-sample per
arm), shown beside the simulated power because it is what a protocol would otherwise quote.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from jdmtrack.errors import SettingsError
from jdmtrack.plan import models, vectorised
from jdmtrack.plan._types import BoolArray, FloatArray, IntArray
from jdmtrack.plan.friedman_exact import ExactFriedman
from jdmtrack.plan.logrank_exact import EXACT_LOGRANK_MAX_TOTAL
from jdmtrack.plan.models import Design
from jdmtrack.plan.nulls import P_TOLERANCE
from jdmtrack.plan.pilot import Pilot
from jdmtrack.plan.stratified_rank import stratified_signed_rank_reject
from jdmtrack.plan.stratified_two_arm import cmh_exact_p, stratified_logrank_p, van_elteren_p

__all__ = ["TESTS", "GridPoint", "PowerResult", "minimum_n", "simulate_power", "t_test_power"]

TESTS = ("wilcoxon", "mann-whitney", "fisher", "logrank", "friedman")
TWO_ARM = ("mann-whitney", "fisher", "logrank")
PILOT_TESTS = ("wilcoxon", "friedman")
ANALYSES = ("pooled", "stratified")
# Studies simulated at once: bounds the memory of the pairwise rank comparisons
# (studies x patients^2 x 8 bytes stays near 100 MB).
_CHUNK = 500
_CELLS = 12_000_000
#: Largest n (per arm) simulated: far above any JDM study, and it bounds time and memory.
MAX_N = 1000

Progress = Callable[[int, int, int], None]


@dataclass(frozen=True)
class GridPoint:
    n: int
    power: float
    mc_se: float
    formula_power: float | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"n": self.n, "power": self.power, "mc_se": self.mc_se}
        if self.formula_power is not None:
            out["formula_power"] = self.formula_power
        return out


@dataclass(frozen=True)
class PowerResult:
    """Simulated (or exact) power over the grid, with what it was computed from."""

    test: str
    sims: int
    seed: int
    alpha: float
    grid: tuple[GridPoint, ...]
    effect_source: str
    method: str
    settings: dict[str, Any] = field(default_factory=dict)
    exact: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"test": self.test, "sims": self.sims, "seed": self.seed, "alpha": self.alpha,
                "grid": [g.as_dict() for g in self.grid], "exact": self.exact,
                "effect_source": self.effect_source, "method": self.method,
                "settings": self.settings}


def _smallest_two_arm_p(n: int, sites: int) -> float:
    """Smallest two-sided p of an exact two-arm test of n per arm, arms spread over ``sites``
    sites in turn and permuted within site: the most extreme allocation in every site and
    its mirror image, 2 / prod_s C(2 c_s, c_s) with c_s the site's patients per arm (one
    site: 2 / C(2n, n))."""
    per_site = [len(range(s, n, sites)) for s in range(sites)]
    return 2.0 / math.prod(math.comb(2 * c, c) for c in per_site)


def minimum_n(test: str, alpha: float, sites: int = 1) -> int:
    """Smallest n (per arm for two-arm tests) at which the test can reach ``alpha`` at all.

    Signed-rank: the smallest two-sided p is 2 / 2^n (pooled or within sites: the sign
    patterns are the same); rank-sum and Fisher: 2 / C(2n, n) (all of one arm above the
    other), and with ``sites`` > 1 (stratified: van Elteren, the exact 2 x 2 x K test)
    2 / prod_s C(2 c_s, c_s); the exact log-rank test (up to ``EXACT_LOGRANK_MAX_TOTAL``
    patients in all) too, as every split and its mirror image give the same |sum of
    scores|; above that size the log-rank chi-square, like Friedman's, needs two patients
    (per arm).

    >>> minimum_n("wilcoxon", 0.05), minimum_n("mann-whitney", 0.05), minimum_n("fisher", 0.01)
    (6, 4, 5)
    >>> minimum_n("logrank", 0.05), minimum_n("logrank", 1e-6)   # 2/C(22, 11) = 2.9e-6
    (4, 11)

    Four sites, one patient per arm in each (n = 4): 2 / 2^4 = 0.125; n = 5 gives
    2 / (6 x 2 x 2 x 2) = 0.042.

    >>> minimum_n("mann-whitney", 0.05, sites=4)
    5
    """
    if test == "wilcoxon":
        return next(n for n in range(1, 200) if 2.0 / 2.0**n <= alpha)
    if test in ("mann-whitney", "fisher"):
        return next(n for n in range(1, 200) if _smallest_two_arm_p(n, sites) <= alpha)
    if test == "logrank":
        largest_exact = EXACT_LOGRANK_MAX_TOTAL // 2
        return next(n for n in range(1, 200)
                    if n > largest_exact or _smallest_two_arm_p(n, sites) <= alpha)
    return 2


def t_test_power(n: int, effect: float, sd: float, alpha: float, *, two_sample: bool) -> float:
    """Two-sided t-test power from the noncentral t, as R ``pwr.t.test``.

    >>> round(t_test_power(10, 1.0, 1.0, 0.05, two_sample=False), 6)   # R pwr: 0.803096856633
    0.803097
    """
    from scipy import stats

    df = 2 * n - 2 if two_sample else n - 1
    ncp = effect / sd * math.sqrt(n / 2.0 if two_sample else n)
    crit = float(stats.t.ppf(1.0 - alpha / 2.0, df))
    return float(stats.nct.sf(crit, df, ncp) + stats.nct.cdf(-crit, df, ncp))


def _fisher_exact_power(n: int, design: Design, alpha: float) -> float:
    from scipy import stats

    from jdmtrack.plan.nulls import fisher_reject_table

    x = np.arange(n + 1)
    joint = np.outer(stats.binom.pmf(x, n, design.p1), stats.binom.pmf(x, n, design.p2))
    return float(np.sum(joint * fisher_reject_table(n, n, alpha)))


def _significant(p: FloatArray, alpha: float) -> BoolArray:
    return np.asarray(np.isfinite(p) & (p <= alpha * (1 + P_TOLERANCE)))


def _site_sums(per_patient: BoolArray, sites: int) -> IntArray:
    """(sims, sites) counts: patient (column) i is at site i mod K."""
    site = np.arange(per_patient.shape[1]) % sites
    return np.stack([per_patient[:, site == s].sum(axis=1) for s in range(sites)], axis=1)


def _rejections(test: str, rng: np.random.Generator, sims: int, n: int, design: Design,
                alpha: float, pilot: Pilot | None, last: int,
                friedman: ExactFriedman, stratified: bool) -> BoolArray:
    def signed_rank(differences: FloatArray) -> BoolArray:
        if stratified:
            return stratified_signed_rank_reject(differences, design.sites, alpha)
        return vectorised.signed_rank_reject(differences, alpha)

    if pilot is not None:
        traj = pilot.sample(rng, sims, n, last, design)
        if test == "wilcoxon":
            return signed_rank(traj[..., last] - traj[..., 0])
        return vectorised.friedman_reject(traj, alpha, friedman, rng)
    if test == "wilcoxon":
        return signed_rank(models.changes(rng, sims, n, design, design.effect))
    if test == "mann-whitney":
        arm1 = models.changes(rng, sims, n, design, design.effect)
        arm2 = models.changes(rng, sims, n, design, 0.0)
        if stratified:
            return _significant(van_elteren_p(arm1, arm2, design.sites), alpha)
        return vectorised.rank_sum_reject(arm1, arm2, alpha)
    if test == "fisher":
        if stratified:
            r1, s1 = models.responder_matrix(rng, sims, n, design, design.p1)
            r2, s2 = models.responder_matrix(rng, sims, n, design, design.p2)
            by_site = [_site_sums(a, design.sites) for a in (r1, s1, r2, s2)]
            return _significant(cmh_exact_p(*by_site), alpha)
        x1, n1 = models.responders(rng, sims, n, design, design.p1)
        x2, n2 = models.responders(rng, sims, n, design, design.p2)
        return vectorised.fisher_reject(x1, n1, x2, n2, alpha)
    if test == "logrank":
        t1, e1 = models.event_times(rng, sims, n, design, design.effect)
        t2, e2 = models.event_times(rng, sims, n, design, 1.0)
        first_arm = np.arange(2 * n) < n
        times = np.concatenate([t1, t2], axis=1)
        events = np.concatenate([e1, e2], axis=1)
        if stratified:
            return _significant(stratified_logrank_p(times, events, first_arm, design.sites),
                                alpha)
        return vectorised.logrank_reject(times, events, first_arm, alpha)
    return vectorised.friedman_reject(models.trajectories(rng, sims, n, design), alpha, friedman,
                                      rng)


def simulate_power(test: str, ns: Sequence[int], *, sims: int, seed: int, alpha: float,
                   design: Design, pilot: Pilot | None = None, last: int = 1,
                   effect_source: str = "", method: str = "",
                   settings: dict[str, Any] | None = None,
                   progress: Progress | None = None, analysis: str = "pooled") -> PowerResult:
    """Power of ``test`` at each n of ``ns`` (see the module notes).

    ``analysis="stratified"`` decides each study with the site-stratified form of the test
    (``stratified_rank``, ``stratified_two_arm``) instead of the pooled one; Friedman's is the
    same test (patients are blocks nested in sites).
    """
    if analysis not in ANALYSES:
        raise SettingsError(f"analysis must be one of {', '.join(ANALYSES)}; got {analysis!r}")
    if test not in TESTS:
        raise SettingsError(f"unknown test {test!r}; choose from " + ", ".join(TESTS))
    strata = design.sites if analysis == "stratified" else 1
    smallest = minimum_n(test, alpha, strata)
    too_small = [n for n in ns if n < smallest]
    if too_small:
        arm = " per arm" if test in TWO_ARM else ""
        over = f" stratified by {strata} sites" if strata > 1 and test in TWO_ARM else ""
        raise SettingsError(
            f"n = {', '.join(map(str, too_small))} is below the minimum for the {test} test"
            f"{over} at alpha = {alpha!r}: it needs n >= {smallest}{arm} to reach alpha at all"
        )
    too_large = [n for n in ns if n > MAX_N]
    if too_large:
        raise SettingsError(f"n = {', '.join(map(str, too_large))} is above the largest n "
                            f"simulated, {MAX_N}")
    exact = test == "fisher" and pilot is None and design.dropout == 0.0 and (
        design.sites <= 1 or design.icc == 0.0) and analysis == "pooled"
    grid: list[GridPoint] = []
    for done, n in enumerate(ns):
        if exact:
            grid.append(GridPoint(n, _fisher_exact_power(n, design, alpha), 0.0))
        else:
            rng = np.random.default_rng([seed, n])
            friedman = ExactFriedman(alpha)
            hits = 0
            chunk = max(1, min(_CHUNK, _CELLS // (2 * n) ** 2))
            for start in range(0, sims, chunk):
                size = min(chunk, sims - start)
                hits += int(_rejections(test, rng, size, n, design, alpha, pilot, last,
                                        friedman, analysis == "stratified").sum())
            power = hits / sims
            formula = None
            if pilot is None and test in ("wilcoxon", "mann-whitney"):
                formula = t_test_power(n, design.effect, design.sd, alpha,
                                       two_sample=test == "mann-whitney")
            grid.append(GridPoint(n, power, math.sqrt(power * (1.0 - power) / sims), formula))
        if progress is not None:
            progress(done + 1, len(ns), n)
    return PowerResult(test, sims, seed, alpha, tuple(grid), effect_source, method,
                       dict(settings or {}), exact)
