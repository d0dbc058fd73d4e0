"""Time to event (``time_to_event`` of the results file), typed: each event's Kaplan–Meier
estimate with its curve, as the report's table and figure draw it.

>>> tte = read_time_to_event({"time_to_event": {"relapse": {"n": 3, "events": 1,
...     "median_weeks": None, "curve": {"time": [4, 8], "survival": [1.0, 0.5],
...     "n_risk": [3, 2]}}, "odd": None}})
>>> list(tte), tte["relapse"].curve.survival, tte["relapse"].median_weeks
(['relapse'], (1.0, 0.5), None)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .read import entries, integer, num, pair, reason, text

__all__ = ["Curve", "TimeToEvent", "curve", "read_time_to_event", "time_to_event"]


@dataclass(frozen=True)
class Curve:
    """The Kaplan–Meier step function: survival after each distinct time, and the number
    at risk just before it (empty when the file gives none of the same length)."""

    time: tuple[float, ...]
    survival: tuple[float, ...]
    n_risk: tuple[int, ...]


@dataclass(frozen=True)
class TimeToEvent:
    """One event's Kaplan–Meier estimate (weeks since JAKi start)."""

    event: str
    n: int | None
    events: int | None
    median_weeks: float | None
    ci95: tuple[float | None, float | None] | None
    q1_weeks: float | None
    q3_weeks: float | None
    curve: Curve | None
    not_run: str | None
    definition: str | None
    # Rash improvement: how many events came from the events table, how many from visits.
    events_from_events_table: int | None = None
    events_from_visits: int | None = None


def curve(value: Any) -> Curve | None:
    """A curve whose times and survival are numbers of the same, non-zero length."""
    if not isinstance(value, Mapping):
        return None
    times = value.get("time")
    surv = value.get("survival")
    if not isinstance(times, list) or not isinstance(surv, list) or not times \
            or len(times) != len(surv):
        return None
    t = tuple(num(x) for x in times)
    s = tuple(num(x) for x in surv)
    if any(x is None for x in t) or any(x is None for x in s):
        return None
    risk = value.get("n_risk")
    r = tuple(integer(x) for x in risk) if isinstance(risk, list) else ()
    return Curve(tuple(x for x in t if x is not None), tuple(x for x in s if x is not None),
                 tuple(x for x in r if x is not None) if len(r) == len(t)
                 and None not in r else ())


def time_to_event(event: str, entry: Mapping[str, Any]) -> TimeToEvent:
    """One event's estimate from its entry."""
    return TimeToEvent(event, integer(entry.get("n")), integer(entry.get("events")),
                       num(entry.get("median_weeks")), pair(entry.get("ci95")),
                       num(entry.get("q1_weeks")), num(entry.get("q3_weeks")),
                       curve(entry.get("curve")), reason(entry),
                       text(entry.get("definition")),
                       integer(entry.get("events_from_events_table")),
                       integer(entry.get("events_from_visits")))


def read_time_to_event(data: Mapping[str, Any]) -> Mapping[str, TimeToEvent]:
    """Every event's estimate, in the file's order."""
    return MappingProxyType({e: time_to_event(e, v)
                             for e, v in entries(data, "time_to_event").items()})
