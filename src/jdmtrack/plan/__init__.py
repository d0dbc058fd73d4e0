"""Planning a study: Simon two-stage and exact binomial designs, and power by simulation.

``plan(...)`` is the library form of ``jdmtrack plan`` (design.md, "Planning"), also
``jdmtrack.plan(...)`` in the package's front door: with ``design="simon"`` or
``design="binomial"`` it returns the exact design; with ``test=...`` the simulated power over
a grid of sample sizes, from parametric settings or by resampling a pilot cohort. Modules:
``simon``, ``binomial``, ``power`` (grid, Monte Carlo SE), ``vectorised`` (the tests over
stacks of studies), ``stratified_rank`` and ``stratified_two_arm`` (their site-stratified
forms), ``nulls`` (exact null tables), ``models`` (parametric studies), ``pilot`` (resampled
trajectories), ``output`` (figure, table, paragraph).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jdmtrack.errors import SettingsError
from jdmtrack.plan import _checks
from jdmtrack.plan.binomial import BinomialDesign, binomial_design
from jdmtrack.plan.power import TESTS, PowerResult, Progress
from jdmtrack.plan.simon import SimonResult, simon_designs

__all__ = ["TESTS", "BinomialDesign", "PowerResult", "SimonResult", "plan"]

DEFAULT_SIMS = 2000
DEFAULT_SEED = 20261204


def _stderr_progress(done: int, total: int, n: int) -> None:
    sys.stderr.write(f"\rplan: n = {n} done ({done}/{total})" + ("\n" if done == total else ""))
    sys.stderr.flush()


def _conditions(where: Sequence[str] | str) -> list[str]:
    """``where`` as a list of condition texts (one text, or a list of them)."""
    if isinstance(where, str):
        return [where]
    if not isinstance(where, Sequence) or not all(isinstance(w, str) for w in where):
        raise SettingsError(f"where must be a condition text or a list of them, e.g. "
                            f"['muscle_involvement=yes']; got {where!r}")
    return list(where)


def plan(*, design: str | None = None, test: str | None = None, n: Sequence[int] | int | None = None,
         p0: float | None = None, p1: float | None = None, p2: float | None = None,
         alpha: float = 0.05, beta: float = 0.2, nmax: int = 100,
         effect: float | None = None, sd: float | None = None,
         pilot: str | Path | None = None, endpoint: str | None = None, week: float | None = None,
         sites: int = 1, icc: float | None = None, dropout: float = 0.0, visits: int | None = None,
         median: float = 24.0, followup: float = 52.0,
         sims: int = DEFAULT_SIMS, seed: int = DEFAULT_SEED,
         progress: bool | Progress | None = None,
         analysis: str | None = None,
         where: Sequence[str] | str = ()) -> SimonResult | BinomialDesign | PowerResult:
    """Size a study (the library form of ``jdmtrack plan``).

    Examples
    --------
    >>> plan(design="binomial", n=20, p0=0.2, p1=0.5).critical
    8
    >>> r = plan(test="fisher", n=[10], p1=0.8, p2=0.2)
    >>> r.exact, round(r.grid[0].power, 4)
    (True, 0.6353)

    ``where`` (with ``pilot``) keeps the pilot patients meeting every condition, in the
    syntax and with the code of ``jdmtrack analyze --where`` (``analysis/population.py``).
    """
    from jdmtrack.plan._settings import run_power

    if design is None and test is None and pilot is not None:
        test = "wilcoxon"  # a pilot's change from baseline: the signed-rank test, as analysed
    if (design is None) == (test is None):
        raise SettingsError("give either a design (simon, binomial) or a test ("
                            + ", ".join(TESTS) + ")")
    if design == "simon":
        if p0 is None or p1 is None:
            raise SettingsError("--design simon needs --p0 and --p1")
        return simon_designs(p0, p1, alpha, beta, nmax=nmax)
    if design == "binomial":
        if p0 is None or p1 is None or n is None:
            raise SettingsError("--design binomial needs --n, --p0 and --p1")
        sizes = [n] if isinstance(n, int) else list(n)
        if len(sizes) != 1:
            raise SettingsError("--design binomial takes one --n")
        return binomial_design(sizes[0], p0, p1, alpha)
    if design is not None or test is None:
        raise SettingsError(f"unknown design {design!r}; choose simon or binomial")
    _checks.probability(alpha, "--alpha")
    callback: Progress | None
    if progress is None or progress is True:
        callback = _stderr_progress if sys.stderr.isatty() else None
    elif progress is False:
        callback = None
    else:
        callback = progress
    return run_power(test=test, n=n, p1=p1, p2=p2, alpha=alpha, effect=effect, sd=sd,
                     pilot=pilot, endpoint=endpoint, week=week, sites=sites, icc=icc,
                     dropout=dropout, visits=visits, median=median, followup=followup,
                     sims=sims, seed=seed, progress=callback, analysis=analysis,
                     where=_conditions(where))


def as_json(result: SimonResult | BinomialDesign | PowerResult) -> dict[str, Any]:
    """The JSON-ready form of any planning result (design.md, "Planning")."""
    return result.as_dict()
