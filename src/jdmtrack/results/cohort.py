"""The ``cohort`` section typed: who was seen, when, and what is missing; how every visit
was mapped to an analysis week (the visit windows)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .read import counts, entries, integer, pair, real, section, text
from .summary import Summary

__all__ = ["Cohort", "VisitWindows", "WindowWeek", "read_cohort"]


@dataclass(frozen=True)
class WindowWeek:
    """One analysis week's window (in weeks) and the visits it holds."""

    window: tuple[float | None, float | None] | None
    mapped: int | None
    used: int | None
    not_used: int | None
    off_target: int | None
    outside_nearest: int | None


@dataclass(frozen=True)
class VisitWindows:
    """Every recorded visit accounted for: the rule, the totals and each week's window."""

    rule: str | None
    n_visits: int | None
    n_used: int | None
    n_not_used: int | None
    n_outside: int | None
    outside_weeks: tuple[float, ...]
    per_week: Mapping[str, WindowWeek]


@dataclass(frozen=True)
class Cohort:
    """Cohort size and follow-up. Per-week maps are keyed by the analysis week (``"4"``);
    ``missing`` is measure -> week -> number of missing values."""

    n_patients: int | None
    n_visits: int | None
    weeks_observed: tuple[float, ...]
    visits_per_week: Mapping[str, int | None]
    in_followup_per_week: Mapping[str, int | None]
    followup_weeks: Summary
    missing: Mapping[str, Mapping[str, int | None]]
    visit_windows: VisitWindows | None


def _numbers(value: Any) -> tuple[float, ...]:
    if not isinstance(value, list | tuple):
        return ()
    return tuple(x for x in (real(v) for v in value) if x is not None)


def _windows(cohort: Mapping[str, Any]) -> VisitWindows | None:
    windows = section(cohort, "visit_windows")
    if not windows:
        return None
    per_week = {w: WindowWeek(pair(s.get("window")), *(integer(s.get(k)) for k in (
        "mapped", "used", "not_used", "off_target", "outside_nearest")))
        for w, s in entries(windows, "per_week").items()}
    return VisitWindows(text(windows.get("rule")), integer(windows.get("n_visits")),
                        integer(windows.get("n_used")), integer(windows.get("n_not_used")),
                        integer(windows.get("n_outside")),
                        _numbers(windows.get("outside_weeks")), MappingProxyType(per_week))


def read_cohort(results: Mapping[str, Any]) -> Cohort | None:
    """The ``cohort`` section, or None when the file has none (absent, null or empty)."""
    cohort = section(results, "cohort")
    if not cohort:
        return None
    missing = {name: MappingProxyType(counts(cohort.get("missing"), name))
               for name in entries(cohort, "missing")}
    return Cohort(integer(cohort.get("n_patients")), integer(cohort.get("n_visits")),
                  _numbers(cohort.get("weeks_observed")),
                  MappingProxyType(counts(cohort, "visits_per_week")),
                  MappingProxyType(counts(cohort, "in_followup_per_week")),
                  Summary.read(cohort.get("followup_weeks")), MappingProxyType(missing),
                  _windows(cohort))
