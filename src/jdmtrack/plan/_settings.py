"""From the options of ``jdmtrack plan --test`` to a checked simulation: every impossible
request is refused here with a ``SettingsError`` that names the option and the fix."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jdmtrack.errors import SettingsError
from jdmtrack.plan import _checks
from jdmtrack.plan.logrank_exact import EXACT_LOGRANK_MAX_TOTAL
from jdmtrack.plan.models import Design
from jdmtrack.plan.pilot import Pilot, endpoint_week, load_pilot
from jdmtrack.plan.power import (
    ANALYSES,
    PILOT_TESTS,
    TESTS,
    TWO_ARM,
    PowerResult,
    Progress,
    simulate_power,
)

_MAX_SIMS = 1_000_000
#: Sample sizes when none are given: ten points a multicentre JDM study could recruit.
DEFAULT_GRID = (10, 15, 20, 25, 30, 35, 40, 45, 50, 55)
#: ICC between sites when --sites is given without --icc: the upper end of the ICCs
#: usually seen for patient outcomes in multicentre studies (Adams G, Gulliford MC,
#: Ukoumunne OC, et al. Patterns of intra-cluster correlation from primary care research to
#: inform study design and analysis. J Clin Epidemiol. 2004;57:785-794).
DEFAULT_SITE_ICC = 0.05


def _sizes(n: Sequence[int] | int | None) -> list[int]:
    if n is None:
        return list(DEFAULT_GRID)
    sizes = [n] if isinstance(n, int) else list(n)
    if not sizes:
        raise SettingsError("--n must name at least one sample size")
    return sorted({_checks.count(v, "--n", 1) for v in sizes})


def _positive(value: float, name: str) -> float:
    if not (math.isfinite(float(value)) and float(value) > 0.0):
        raise SettingsError(f"{name} must be a positive number; got {value!r}")
    return float(value)


def _parametric(test: str, effect: float | None, sd: float | None, p1: float | None,
                p2: float | None) -> tuple[dict[str, float], str]:
    if test == "fisher":
        if p1 is None or p2 is None:
            raise SettingsError("--test fisher needs --p1 and --p2 (the response rates of the arms)")
        a = _checks.probability(p1, "--p1")
        b = _checks.probability(p2, "--p2")
        return {"p1": a, "p2": b}, f"the settings: response rates {a:g} and {b:g}"
    if effect is None:
        what = "the hazard ratio, arm 1 vs arm 2" if test == "logrank" else "the mean change"
        raise SettingsError(f"--test {test} needs --effect ({what}) or --pilot DATA --endpoint NAME")
    if test == "logrank":
        hr = _positive(effect, "--effect (hazard ratio)")
        return {"effect": hr}, f"the settings: hazard ratio {hr:g}"
    if sd is None:
        raise SettingsError(f"--test {test} with --effect needs --sd (the SD of the change)")
    e = float(effect)
    if not math.isfinite(e):
        raise SettingsError(f"--effect must be a number; got {effect!r}")
    s = _positive(sd, "--sd")
    between = "difference between arms" if test == "mann-whitney" else "mean change"
    return {"effect": e, "sd": s}, f"the settings: {between} {e:g}, SD {s:g} (normal)"


def _analysis(analysis: str | None, sites: int) -> str:
    """``--analysis``: stratified by site by default when there are sites (every test has a
    site-stratified form in the simulation); pooled otherwise."""
    if analysis is None:
        return "stratified" if sites > 1 else "pooled"
    if analysis not in ANALYSES:
        raise SettingsError(f"--analysis must be one of {', '.join(ANALYSES)}; got {analysis!r}")
    if analysis == "stratified" and sites < 2:
        raise SettingsError("--analysis stratified needs --sites K with K >= 2")
    return analysis


def run_power(*, test: str, n: Sequence[int] | int | None, p1: float | None, p2: float | None,
              alpha: float, effect: float | None, sd: float | None, pilot: str | Path | None,
              endpoint: str | None, week: float | None, sites: int, icc: float | None,
              dropout: float,
              visits: int | None, median: float, followup: float, sims: int, seed: int,
              progress: Progress | None, analysis: str | None = None,
              where: Sequence[str] = ()) -> PowerResult:
    """Check every setting, then simulate (``power.simulate_power``)."""
    if test not in TESTS:
        raise SettingsError(f"unknown test {test!r}; choose from " + ", ".join(TESTS))
    sizes = _sizes(n)
    sims = _checks.count(sims, "--sims", 1)
    if sims > _MAX_SIMS:
        raise SettingsError(f"--sims must be at most {_MAX_SIMS}; got {sims}")
    seed = _checks.count(seed, "--seed", 0)
    sites = _checks.count(sites, "--sites", 1)
    if icc is None:
        icc = DEFAULT_SITE_ICC if sites > 1 else 0.0
    icc = _checks.probability(icc, "--icc", open_low=False)
    if icc > 0.0 and sites < 2:
        raise SettingsError("--icc needs --sites K with K >= 2 (site heterogeneity needs sites)")
    dropout = _checks.probability(dropout, "--dropout", open_low=False)
    if sites > sizes[0]:
        arm = " per arm" if test in TWO_ARM else ""
        raise SettingsError(
            f"--sites {sites} is more than the smallest --n ({sizes[0]} patients{arm}): some "
            f"sites would have no patients; give fewer sites or n >= {sites}")
    analysis = _analysis(analysis, sites)
    settings: dict[str, Any] = {"sites": sites, "icc": icc, "dropout": dropout,
                                "analysis": analysis}
    source: Pilot | None = None
    last = 1
    if pilot is not None:
        if test not in PILOT_TESTS:
            raise SettingsError(f"--pilot works with --test {' or '.join(PILOT_TESTS)} (single-arm "
                                f"endpoints); for --test {test} give --effect/--sd or --p1/--p2")
        if endpoint is None:
            raise SettingsError("--pilot needs --endpoint NAME (e.g. cmas_change)")
        source = load_pilot(pilot, endpoint, where)
        last = endpoint_week(source, week)
        if visits is not None:
            raise SettingsError("--visits comes from the pilot's weeks; leave it out with --pilot")
        design = Design(sites=sites, icc=icc, dropout=dropout, visits=last)
        effect_source = (
            f"the pilot cohort {source.source}: {source.measure} at week 0 and week "
            f"{source.weeks[last]:g}, whole patient trajectories resampled with replacement from "
            f"{source.describe()} ({source.pairs(last)} with both values)")
        settings.update(endpoint=endpoint, measure=source.measure, week=source.weeks[last],
                        pilot=str(pilot), pilot_patients=source.n_patients,
                        pilot_pairs=source.pairs(last), pilot_population=source.population,
                        pilot_source_patients=source.n_source_patients)
    else:
        if endpoint is not None or week is not None or where:
            raise SettingsError("--endpoint, --week and --where go with --pilot DATA")
        values, effect_source = _parametric(test, effect, sd, p1, p2)
        steps = _checks.count(visits if visits is not None else (2 if test == "friedman" else 1),
                              "--visits", 1)
        design = Design(sites=sites, icc=icc, dropout=dropout, visits=steps,
                        median=_positive(median, "--median"),
                        followup=_positive(followup, "--followup"), **values)
        settings.update(values, visits=steps)
        if test == "logrank":
            settings.update(median=design.median, followup=design.followup,
                            exact_max_total=EXACT_LOGRANK_MAX_TOTAL)
    if test == "friedman":
        from jdmtrack.analysis.outcomes import PERMUTATION_MAX_N
        from jdmtrack.defaults import DEFAULT_RESAMPLES, DEFAULT_SEED
        from jdmtrack.plan.friedman_ties import SCREEN_RESAMPLES, SCREEN_SE

        settings.update(friedman_p={
            "as_analysed": "permutation p-value of stats.friedman_test (auto: exact, else "
                           "Monte Carlo), chi-square above permutation_max_n",
            "permutation_max_n": PERMUTATION_MAX_N, "resamples": DEFAULT_RESAMPLES,
            "seed": DEFAULT_SEED, "screen_resamples": SCREEN_RESAMPLES,
            "screen_band_se": SCREEN_SE})
    if sites > 1:
        effect_source += f"; {sites} sites with intraclass correlation {icc:g}"
    if dropout > 0.0:
        effect_source += f"; dropout {dropout:g} per visit over {design.visits} visit(s)"
    method = f"{test}, alpha {alpha:g}, {sims} simulated studies per n, seed {seed}"
    if sites > 1:
        method += f", {analysis} analysis"
    return simulate_power(test, sizes, sims=sims, seed=seed, alpha=alpha, design=design,
                          pilot=source, last=last, effect_source=effect_source, method=method,
                          settings=settings, progress=progress, analysis=analysis)
