"""The ``outcomes`` section typed: each measure's summaries per week, its tests against
week 0 (Wilcoxon signed rank, Hodges–Lehmann), the Friedman and Skillings–Mack tests and
the mixed model, each with the reason when it was not run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .counts import SPREAD_STATISTICS, Spread
from .read import entries, integer, pair, real, reason, section, text

__all__ = ["Comparison", "Estimate", "Friedman", "MixedModel", "Outcome", "SkillingsMack",
           "WeekSummary", "read_outcomes"]

Interval = tuple[float | None, float | None]


@dataclass(frozen=True)
class _AtWeek:
    """The week a summary belongs to."""

    week: str


# A dataclass takes its bases' fields in reverse method-resolution order: _AtWeek's week,
# then Spread's n ... max, then mean and SD, the order the positional form has always had.
@dataclass(frozen=True)
class WeekSummary(Spread, _AtWeek):
    """One measure at one week: a :class:`Spread` (n, median (Q1, Q3), range), mean and SD."""

    mean: float | None
    sd: float | None

    @classmethod
    def read(cls, week: str, s: Mapping[str, Any]) -> WeekSummary:
        return cls(week, integer(s.get("n")),
                   *(real(s.get(k)) for k in (*SPREAD_STATISTICS, "mean", "sd")))


@dataclass(frozen=True)
class Comparison:
    """One post-baseline week against baseline (paired; Wilcoxon signed rank), every
    number at full precision as the results file holds it."""

    week: str
    n_pairs: int | None
    median_difference: float | None
    hodges_lehmann: float | None
    ci95: Interval | None
    p_value_exact: float | None
    p_value_asymptotic: float | None
    p_adjusted: float | None
    n_nonzero: int | None = None
    wilcoxon_v: float | None = None
    t: float | None = None
    df: float | None = None
    p_value_t: float | None = None
    mean_difference: float | None = None
    min_attainable_p: float | None = None
    note: str | None = None
    not_run: str | None = None

    @classmethod
    def read(cls, week: str, c: Mapping[str, Any]) -> Comparison:
        return cls(week, integer(c.get("n_pairs")), real(c.get("median_difference")),
                   real(c.get("hodges_lehmann")), pair(c.get("ci95")),
                   real(c.get("p_value_exact")), real(c.get("p_value_asymptotic")),
                   real(c.get("p_adjusted")), n_nonzero=integer(c.get("n_nonzero")),
                   wilcoxon_v=real(c.get("wilcoxon_v")), t=real(c.get("t")),
                   df=real(c.get("df")), p_value_t=real(c.get("p_value_t")),
                   mean_difference=real(c.get("mean_difference")),
                   min_attainable_p=real(c.get("min_attainable_p")),
                   note=text(c.get("note")) or None, not_run=reason(c))


@dataclass(frozen=True)
class Friedman:
    """The Friedman test across weeks on complete cases (chi-square and permutation p)."""

    n_complete: int | None
    statistic: float | None
    df: float | None
    p_value: float | None
    p_value_exact: float | None
    kendall_w: float | None
    method: str | None
    note: str | None
    not_run: str | None

    @classmethod
    def read(cls, fr: Mapping[str, Any]) -> Friedman:
        return cls(integer(fr.get("n_complete")), real(fr.get("statistic")), real(fr.get("df")),
                   real(fr.get("p_value")), real(fr.get("p_value_exact")),
                   real(fr.get("kendall_w")), text(fr.get("method")) or None,
                   text(fr.get("note")) or None, reason(fr))


@dataclass(frozen=True)
class SkillingsMack:
    """The Skillings–Mack test (all patients, missing visits allowed)."""

    n: int | None
    statistic: float | None
    df: float | None
    p_value: float | None
    not_run: str | None


@dataclass(frozen=True)
class Estimate:
    """The mixed model's estimated difference from week 0 at one week."""

    estimate: float | None
    ci95: Interval | None


@dataclass(frozen=True)
class MixedModel:
    """The linear mixed model (every visit used): its size and estimates per week."""

    n_observations: int | None
    n_patients: int | None
    estimates: Mapping[str, Estimate]
    not_run: str | None


@dataclass(frozen=True)
class Outcome:
    """One outcome measure over the weeks. ``label`` is the results' label, else the
    measure's name; ``unit`` None when the file gives none."""

    measure: str
    label: str
    by_week: tuple[WeekSummary, ...]
    vs_baseline: tuple[Comparison, ...]
    unit: str | None = None
    friedman: Friedman | None = None
    skillings_mack: SkillingsMack | None = None
    mixed_model: MixedModel | None = None

    @property
    def friedman_p(self) -> float | None:
        """The permutation p of the Friedman test, else its chi-square p."""
        if self.friedman is None:
            return None
        exact = self.friedman.p_value_exact
        return exact if exact is not None else self.friedman.p_value

    def week(self, week: str | float) -> WeekSummary | None:
        """The summary at a week (``"12"`` or ``12``), or None when it was not assessed."""
        key = str(int(week)) if isinstance(week, (int, float)) and float(week).is_integer() \
            else str(week)
        return next((w for w in self.by_week if w.week == key), None)

    def comparison(self, week: str) -> Comparison | None:
        """The test of ``week`` against week 0, or None."""
        return next((c for c in self.vs_baseline if c.week == week), None)


def _mixed(entry: Mapping[str, Any]) -> MixedModel | None:
    mm = section(entry, "mixed_model")
    if not mm:
        return None
    estimates = {w: Estimate(real(e.get("estimate")), pair(e.get("ci95")))
                 for w, e in entries(mm, "estimates").items()}
    return MixedModel(integer(mm.get("n_observations")), integer(mm.get("n_patients")),
                      MappingProxyType(estimates), reason(mm))


def _skillings_mack(entry: Mapping[str, Any]) -> SkillingsMack | None:
    sm = entry.get("skillings_mack")
    if not isinstance(sm, dict):
        return None
    return SkillingsMack(integer(sm.get("n")), real(sm.get("statistic")), real(sm.get("df")),
                         real(sm.get("p_value")), reason(sm))


def read_outcome(measure: str, entry: Mapping[str, Any]) -> Outcome:
    """One measure's entry of the ``outcomes`` section."""
    fr = entry.get("friedman")
    return Outcome(
        measure, text(entry.get("label")) or measure,
        tuple(WeekSummary.read(w, s) for w, s in entries(entry, "by_week").items()),
        tuple(Comparison.read(w, c) for w, c in entries(entry, "vs_baseline").items() if c),
        unit=text(entry.get("unit")),
        friedman=Friedman.read(fr) if isinstance(fr, dict) else None,
        skillings_mack=_skillings_mack(entry), mixed_model=_mixed(entry))


def read_outcomes(results: Mapping[str, Any]) -> Mapping[str, Outcome]:
    """The ``outcomes`` section: measure -> :class:`Outcome` (empty when absent)."""
    return MappingProxyType({m: read_outcome(m, e)
                             for m, e in entries(results, "outcomes").items()})
