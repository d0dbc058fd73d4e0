"""Benchmark jdmtrack plan: simulated power for the Wilcoxon endpoint.

Run from the repository root::

    python benchmarks/bench_plan.py

Target (issue 20): 2,000 simulated studies per point, a grid of 10 sample sizes, in <= 30 s
on two cores for the Wilcoxon endpoint. Four cases are timed (wall clock, one process, best
of 2 runs):

1. parametric normal change, n = 10, 15, ..., 55, no ties (table look-up path);
2. the same with 8 sites (ICC 0.05) and 10 % dropout per visit over 3 visits (with sites,
   each study is analysed with the site-stratified signed-rank test, the default);
3. the bundled baricitinib pilot, cmas_change (integer scores with ties and a ceiling: the
   exact conditional distribution runs for every tied study), 8 sites, ICC 0.05;
4. the peer: the per-study path, calling ``jdmtrack.stats.wilcoxon_signed_rank`` once per
   simulated study (what a loop over studies would do), on case 3's data at n = 30 only,
   scaled to the 10-point grid.

Then, for information (no target), one run each: case 3 restricted to the pilot patients
with muscle involvement (``--where muscle_involvement=yes``); the two-arm endpoints with 8
sites analysed stratified (van Elteren, exact 2 x 2 x K, stratified log-rank), parametric,
no dropout; and the Friedman endpoint (issue 20: measure and report), decided by the
analysis's permutation p-value: the baricitinib pilot over weeks 0, 4, 12, 24 with 8 sites,
with and without ``--where``, and a parametric untied case (3 visits).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from jdmtrack.plan import plan
from jdmtrack.plan.models import Design
from jdmtrack.plan.pilot import load_pilot
from jdmtrack.stats import wilcoxon_signed_rank

GRID = list(range(10, 60, 5))
SIMS = 2000
TARGET_S = 30.0
DEMO = Path(str(resources.files("jdmtrack") / "data" / "demo" / "baricitinib"))


def best_time(func: Callable[[], Any], repeats: int = 2) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def per_study_peer() -> float:
    pilot = load_pilot(DEMO, "cmas_change")
    traj = pilot.sample(np.random.default_rng(1), SIMS, 30, 3, Design(sites=8, icc=0.05))
    d = traj[..., 3] - traj[..., 0]
    start = time.perf_counter()
    for row in d:
        wilcoxon_signed_rank(row[np.isfinite(row)])
    one_point = time.perf_counter() - start
    return one_point * len(GRID)


def main() -> None:
    cases = {
        "parametric, no ties": dict(test="wilcoxon", effect=0.5, sd=1.0),
        "parametric, 8 sites, dropout": dict(test="wilcoxon", effect=0.5, sd=1.0, sites=8,
                                             icc=0.05, dropout=0.1, visits=3),
        "baricitinib pilot, cmas_change, 8 sites": dict(pilot=DEMO, endpoint="cmas_change",
                                                        sites=8, icc=0.05),
    }
    print(f"jdmtrack plan: {SIMS} studies x {len(GRID)} sample sizes ({GRID[0]}-{GRID[-1]}); "
          f"target <= {TARGET_S:.0f} s")
    for name, kwargs in cases.items():
        seconds = best_time(lambda kw=kwargs: plan(n=GRID, sims=SIMS, seed=1, progress=False, **kw))
        verdict = "met" if seconds <= TARGET_S else "NOT met"
        print(f"  {name:42s} {seconds:7.2f} s   target {verdict}")
    peer = per_study_peer()
    print(f"  {'peer: per-study stats.wilcoxon_signed_rank':42s} {peer:7.2f} s   (estimated from n = 30)")
    muscle = dict(pilot=DEMO, endpoint="cmas_change", sites=8, icc=0.05,
                  where=["muscle_involvement=yes"])
    seconds = best_time(lambda: plan(n=GRID, sims=SIMS, seed=1, progress=False, **muscle),
                        repeats=1)
    print(f"  {'  the same, --where muscle_involvement=yes':42s} {seconds:7.2f} s")
    others = {
        "mann-whitney, 8 sites, van Elteren": dict(test="mann-whitney", effect=0.5, sd=1.0),
        "fisher, 8 sites, exact 2 x 2 x K": dict(test="fisher", p1=0.6, p2=0.3),
        "logrank, 8 sites, stratified": dict(test="logrank", effect=0.5),
    }
    print("  two-arm endpoints (n per arm), stratified by 8 sites, ICC 0.05 (information):")
    for name, kwargs in others.items():
        seconds = best_time(lambda kw=kwargs: plan(n=GRID, sims=SIMS, seed=1, progress=False,
                                                   sites=8, icc=0.05, **kw), repeats=1)
        print(f"  {name:42s} {seconds:7.2f} s")
    friedman = {
        "baricitinib pilot, cmas, 8 sites": dict(pilot=DEMO, endpoint="cmas_change", sites=8),
        "  the same, --where muscle_involvement=yes": dict(pilot=DEMO, endpoint="cmas_change",
                                                          sites=8,
                                                          where=["muscle_involvement=yes"]),
        "parametric, 3 visits, no ties": dict(effect=0.5, sd=1.0, visits=3),
    }
    print("  friedman (permutation p as analysed; information):")
    for name, kwargs in friedman.items():
        seconds = best_time(lambda kw=kwargs: plan(test="friedman", n=GRID, sims=SIMS, seed=1,
                                                   progress=False, **kw), repeats=1)
        print(f"  {name:42s} {seconds:7.2f} s")


if __name__ == "__main__":
    main()
