"""Groups side by side, typed: the ``by`` section (``--by FIELD``: per-group descriptives and
between-group tests) and the ``sites`` section (the same for site, with site x week
completeness).

>>> g = read_groups({"by": {"field": "sex", "levels": ["F", "M"], "n": {"F": 2, "M": "x"},
...                         "time_to_event": {"relapse": {"groups": {"F": {"n": 2}},
...                                                       "test": {"p_value": 0.5}}}}}, "by")
>>> g.levels, dict(g.n), g.time_to_event[0].test.p_value, g.time_to_event[0].groups["F"].n
(('F', 'M'), {'F': 2, 'M': None}, 0.5, 2)
>>> read_groups({}, "sites").present
False
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .counts import Spread, spread
from .events import TimeToEvent, time_to_event
from .read import entries, integer, num, section, text

__all__ = ["Characteristic", "GroupEvent", "GroupOutcome", "GroupTest", "GroupValue",
           "GroupWeek", "Groups", "SiteWeek", "read_groups"]


@dataclass(frozen=True)
class GroupTest:
    """A between-group test: its p-value, or why it was not run."""

    test: str | None  # the results' name: logrank, fisher, kruskal_wallis ...
    p_value: float | None
    not_run: str | None


@dataclass(frozen=True)
class GroupValue:
    """One characteristic in one group: counts and % per level (categorical), else the
    median (Q1, Q3)."""

    categorical: bool
    counts: tuple[tuple[str, int | None], ...]
    percent: Mapping[str, float | None]
    median: float | None
    q1: float | None
    q3: float | None
    unit: str | None


@dataclass(frozen=True)
class Characteristic:
    """A baseline characteristic per group, and the between-group test."""

    name: str
    label: str | None
    groups: Mapping[str, GroupValue]
    test: GroupTest | None


@dataclass(frozen=True)
class GroupWeek:
    """An outcome at one week per group, and the tests of the values and of the changes."""

    week: str
    groups: Mapping[str, Spread]
    value_test: GroupTest | None
    change_test: GroupTest | None


@dataclass(frozen=True)
class GroupOutcome:
    """An outcome per group over the weeks (``tested`` False: described, not compared)."""

    name: str
    label: str | None
    tested: bool
    weeks: tuple[GroupWeek, ...]


@dataclass(frozen=True)
class GroupEvent:
    """Time to one event: a Kaplan–Meier estimate per group, and the log-rank test."""

    event: str
    groups: Mapping[str, TimeToEvent]
    test: GroupTest | None


@dataclass(frozen=True)
class SiteWeek:
    """Patients with a visit used at a week, of those still followed."""

    week: str
    seen: int | None
    in_followup: int | None


@dataclass(frozen=True)
class Groups:
    """The groups of ``by`` (or ``sites``); ``present`` False when the file has none."""

    present: bool
    field: str | None
    label: str | None
    levels: tuple[str, ...]
    n: Mapping[str, int | None]
    n_missing: int | None
    baseline: tuple[Characteristic, ...]
    outcomes: tuple[GroupOutcome, ...]
    time_to_event: tuple[GroupEvent, ...]
    completeness: Mapping[str, tuple[SiteWeek, ...]]


def _test(value: Any) -> GroupTest | None:
    if not isinstance(value, Mapping):
        return None
    reason = value.get("not_run")
    return GroupTest(text(value.get("test")), num(value.get("p_value")),
                     None if not reason else text(str(reason)))


def _value(entry: Mapping[str, Any]) -> GroupValue:
    percent = section(entry, "percent")
    return GroupValue(entry.get("type") == "categorical",
                      tuple((text(str(k)) or "", integer(v))
                            for k, v in section(entry, "counts").items()),
                      MappingProxyType({text(str(k)) or "": num(v) for k, v in percent.items()}),
                      num(entry.get("median")), num(entry.get("q1")), num(entry.get("q3")),
                      text(entry.get("unit")))


def _outcome(name: str, entry: Mapping[str, Any]) -> GroupOutcome:
    tests = entries(entry, "tests")
    weeks = tuple(GroupWeek(w, MappingProxyType({lv: s for lv, v in per.items()
                                                 if (s := spread(v)) is not None}),
                            _test(section(tests, w).get("value")),
                            _test(section(tests, w).get("change")))
                  for w, per in entries(entry, "by_week").items())
    return GroupOutcome(name, text(entry.get("label")), entry.get("tested") is True, weeks)


def _levels(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else []
    return tuple(t for t in (text(str(v)) for v in items if v is not None) if t)


def read_groups(data: Mapping[str, Any], key: str) -> Groups:
    """The ``by`` or ``sites`` section, levels as the file orders them."""
    by = section(data, key)
    baseline = tuple(Characteristic(name, text(e.get("label")),
                                    MappingProxyType({lv: _value(v) for lv, v in
                                                      entries(e, "groups").items()}),
                                    _test(e.get("test")))
                     for name, e in entries(by, "baseline").items())
    events = tuple(GroupEvent(event, MappingProxyType({lv: time_to_event(event, v) for lv, v
                                                       in entries(e, "groups").items()}),
                              _test(e.get("test")))
                   for event, e in entries(by, "time_to_event").items())
    completeness = {site: tuple(SiteWeek(w, integer(c.get("seen")),
                                         integer(c.get("in_followup")))
                                for w, c in per.items())
                    for site, per in entries(by, "completeness").items()
                    if all(isinstance(c, dict) for c in per.values())}
    return Groups(bool(by), text(by.get("field")), text(by.get("label")),
                  _levels(by.get("levels")),
                  MappingProxyType({str(k): integer(v) for k, v in section(by, "n").items()}),
                  integer(by.get("n_missing")), baseline,
                  tuple(_outcome(n, e) for n, e in entries(by, "outcomes").items()), events,
                  MappingProxyType(completeness))
