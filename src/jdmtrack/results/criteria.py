"""The ``criteria`` and ``response`` sections typed: each criterion met per week (PRINTO
inactive disease, inactive skin, rash improvement), the Total Improvement Score per week,
and CR / PR / NR per week, each with the reason when it was not computed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .read import entries, integer, key, pair, real, reason, section

__all__ = ["Criteria", "CriterionWeek", "ResponseWeek", "TisWeek", "read_criteria",
           "read_response"]

Interval = tuple[float | None, float | None]
_TIS_SUMMARY = ("n", "median", "q1", "q3", "mean", "sd", "min", "max", "not_run",
                "not_evaluable")


@dataclass(frozen=True)
class CriterionWeek:
    """One criterion at one week: evaluable, met, the proportion and its 95% CI."""

    n_evaluable: int | None
    n_met: int | None
    proportion: float | None
    ci95: Interval | None
    not_run: str | None


@dataclass(frozen=True)
class TisWeek:
    """The Total Improvement Score at one week: n, median (Q1, Q3), and patients per
    improvement category (code -> count)."""

    n: int | None
    median: float | None
    q1: float | None
    q3: float | None
    categories: Mapping[str, int | None]


@dataclass(frozen=True)
class Criteria:
    """``met``: criterion -> week -> :class:`CriterionWeek` (every criterion the file
    holds); ``tis``: week -> :class:`TisWeek`."""

    met: Mapping[str, Mapping[str, CriterionWeek]]
    tis: Mapping[str, TisWeek]


@dataclass(frozen=True)
class ResponseWeek:
    """CR / PR / NR at one week: counts, percents and 95% CIs per category."""

    n_evaluable: int | None
    counts: Mapping[str, int | None]
    percent: Mapping[str, float | None]
    ci95: Mapping[str, Interval | None]
    not_evaluable: int | None
    not_run: str | None


def _criterion_week(s: Mapping[str, Any]) -> CriterionWeek:
    return CriterionWeek(integer(s.get("n_evaluable")), integer(s.get("n_met")),
                         real(s.get("proportion")), pair(s.get("ci95")), reason(s))


def _tis_week(s: Mapping[str, Any]) -> TisWeek:
    return TisWeek(integer(s.get("n")), real(s.get("median")), real(s.get("q1")),
                   real(s.get("q3")),
                   MappingProxyType({key(k): integer(v) for k, v in s.items()
                                     if k not in _TIS_SUMMARY}))


def read_criteria(results: Mapping[str, Any]) -> Criteria:
    """The ``criteria`` section (empty when absent)."""
    criteria = section(results, "criteria")
    met = {key(name): MappingProxyType({w: _criterion_week(s)
                                   for w, s in entries(criteria, name).items()})
           for name, value in criteria.items() if name != "tis" and isinstance(value, dict)}
    tis = {w: _tis_week(s) for w, s in entries(criteria, "tis").items()}
    return Criteria(MappingProxyType(met), MappingProxyType(tis))


def _response_week(s: Mapping[str, Any]) -> ResponseWeek:
    percent, ci = section(s, "percent"), section(s, "ci95")
    categories = [k for k in s if k not in ("n_evaluable", "not_evaluable", "percent", "ci95",
                                             "not_run")]
    return ResponseWeek(
        integer(s.get("n_evaluable")),
        MappingProxyType({key(k): integer(s.get(k)) for k in categories}),
        MappingProxyType({key(k): real(v) for k, v in percent.items()}),
        MappingProxyType({key(k): pair(v) for k, v in ci.items()}),
        integer(s.get("not_evaluable")), reason(s))


def read_response(results: Mapping[str, Any]) -> Mapping[str, ResponseWeek]:
    """The ``response`` section: week -> :class:`ResponseWeek` (empty when absent)."""
    return MappingProxyType({w: _response_week(s)
                             for w, s in entries(results, "response").items()})
