"""Safety, typed: adverse events overall, by category, term and CTCAE grade, the listing
(``safety`` of the results file), and the events of special interest for JAK inhibitors
(``aesi``).

>>> s = read_safety({"safety": {"n_events": 2, "rate_ci95": [0, None],
...                             "by_term": [{"term": "Rash", "events": 2, "by_grade": [{}]}]}})
>>> s.n_events, s.rate_ci95, s.by_term[0].by_grade[0].grade, read_safety({}).present
(2, (0, None), None, False)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .counts import Tally, tallies, tally
from .read import identifier, integer, num, pair, reason, rows, section, text, texts

__all__ = ["AdverseEvent", "Aesi", "GradeCount", "Safety", "SeriousEvent", "TermCount",
           "read_aesi", "read_safety"]


@dataclass(frozen=True)
class GradeCount:
    """Events of one term at one CTCAE grade (None: grade not recorded)."""

    grade: int | None
    events: int | None
    patients: int | None
    rate_per_100py: float | None
    rate_ci95: tuple[float | None, float | None] | None


@dataclass(frozen=True)
class TermCount:
    """Events of one term (all grades), then per grade."""

    term: str | None
    events: int | None
    patients: int | None
    rate_per_100py: float | None
    rate_ci95: tuple[float | None, float | None] | None
    by_grade: tuple[GradeCount, ...]


@dataclass(frozen=True)
class AdverseEvent:
    """One row of the adverse-event listing (``serious`` as recorded: a flag or a code)."""

    patient_id: str | None
    week: float | None
    term: str | None
    category: str | None
    ctcae_grade: float | None
    serious: bool | str | None


@dataclass(frozen=True)
class Safety:
    """Adverse events over the whole exposure; ``present`` False when the file has none."""

    present: bool
    n_events: int | None
    n_patients: int | None
    n_exposed: int | None
    serious: int | None
    patient_years: float | None
    rate_per_100py: float | None
    rate_ci95: tuple[float | None, float | None] | None
    not_run: str | None
    by_category: tuple[Tally, ...]
    by_grade: tuple[tuple[str, int | None], ...]
    by_term: tuple[TermCount, ...]
    events: tuple[AdverseEvent, ...]


@dataclass(frozen=True)
class SeriousEvent:
    """A serious adverse event: who, when, what, ICH E2A criteria, action with the JAKi."""

    patient_id: str | None
    week: float | None
    term: str | None
    criteria: tuple[str, ...]
    action: str | None


@dataclass(frozen=True)
class Aesi:
    """Events of special interest (listed with zero counts), actions, serious events."""

    present: bool
    special_interest: tuple[Tally, ...]
    actions: Mapping[str, Tally]
    serious: tuple[SeriousEvent, ...]


def _grade_count(entry: Mapping[str, Any]) -> GradeCount:
    return GradeCount(integer(entry.get("grade")), integer(entry.get("events")),
                      integer(entry.get("patients")), num(entry.get("rate_per_100py")),
                      pair(entry.get("rate_ci95")))


def _term_count(entry: Mapping[str, Any]) -> TermCount:
    return TermCount(text(entry.get("term")), integer(entry.get("events")),
                     integer(entry.get("patients")), num(entry.get("rate_per_100py")),
                     pair(entry.get("rate_ci95")),
                     tuple(_grade_count(g) for g in rows(entry, "by_grade")))


def _serious_flag(value: Any) -> bool | str | None:
    return value if isinstance(value, bool) else text(value)


def _adverse_event(e: Mapping[str, Any]) -> AdverseEvent:
    return AdverseEvent(identifier(e.get("patient_id")), num(e.get("week")), text(e.get("term")),
                        text(e.get("category")), num(e.get("ctcae_grade")),
                        _serious_flag(e.get("serious")))


def read_safety(data: Mapping[str, Any]) -> Safety:
    """The ``safety`` section (empty and ``present=False`` when absent or not a dict)."""
    s = section(data, "safety")
    by_category = tuple(Tally(str(k), integer(v.get("events")), integer(v.get("patients")))
                        for k, v in section(s, "by_category").items() if isinstance(v, dict))
    by_grade = tuple((str(g), integer(n)) for g, n in section(s, "by_grade").items())
    return Safety(bool(s), integer(s.get("n_events")), integer(s.get("n_patients")),
                  integer(s.get("n_exposed")), integer(s.get("serious")),
                  num(s.get("patient_years")), num(s.get("rate_per_100py")),
                  pair(s.get("rate_ci95")), reason(s), by_category, by_grade,
                  tuple(_term_count(t) for t in rows(s, "by_term")),
                  tuple(_adverse_event(e) for e in rows(s, "events")))


def read_aesi(data: Mapping[str, Any]) -> Aesi:
    """The ``aesi`` section (empty and ``present=False`` when absent or not a dict)."""
    a = section(data, "aesi")
    actions = {k: tally(k, section(a, "actions").get(k))
               for k in section(a, "actions")}
    serious = tuple(SeriousEvent(identifier(e.get("patient_id")), num(e.get("week")),
                                 text(e.get("term")),
                                 texts(e.get("criteria")),
                                 text(e.get("action")))
                    for e in rows(a, "serious"))
    return Aesi(bool(a), tallies(a, "special_interest"), actions, serious)
