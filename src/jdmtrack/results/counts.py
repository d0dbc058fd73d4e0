"""Small typed values many sections share: a count of a total (n/of, %) and a spread
(n, median, quartiles, range), read from the results file by :mod:`.read`.

>>> share({"n": 3, "of": 4, "percent": 75.0})
Share(n=3, of=4, percent=75.0)
>>> spread({"n": 2, "median": 1.5, "q1": "x"}).q1 is None, share(None)
(True, None)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .read import integer, num, section

__all__ = ["SPREAD_STATISTICS", "Share", "Spread", "Tally", "share", "spread", "tallies", "tally"]


@dataclass(frozen=True)
class Share:
    """``n`` of ``of`` patients, and the %."""

    n: int | None
    of: int | None  # None when the section gives no total
    percent: float | None


# A spread's statistics after n, in field order.
SPREAD_STATISTICS = ("median", "q1", "q3", "min", "max")


@dataclass(frozen=True)
class Spread:
    """A measure's spread over patients: n, median (Q1, Q3), range."""

    n: int | None
    median: float | None
    q1: float | None
    q3: float | None
    min: float | None
    max: float | None


@dataclass(frozen=True)
class Tally:
    """Events and patients of one kind (an adverse-event category, an action)."""

    key: str
    n_events: int | None
    n_patients: int | None


def share(value: Any) -> Share | None:
    """A ``{n, of, percent}`` entry; None when the value is not a dict."""
    if not isinstance(value, Mapping):
        return None
    return Share(integer(value.get("n")), integer(value.get("of")), num(value.get("percent")))


def spread(value: Any) -> Spread | None:
    """A ``{n, median, q1, q3, min, max}`` entry; None when the value is not a dict."""
    if not isinstance(value, Mapping):
        return None
    return Spread(integer(value.get("n")), *(num(value.get(k)) for k in SPREAD_STATISTICS))


def tally(key: str, value: Any) -> Tally:
    """``{n_events, n_patients}`` (either may be absent)."""
    entry = value if isinstance(value, Mapping) else {}
    return Tally(key, integer(entry.get("n_events")), integer(entry.get("n_patients")))


def tallies(mapping: Any, key: str) -> tuple[Tally, ...]:
    """Each entry of ``mapping[key]`` as a tally, in the file's order."""
    return tuple(tally(str(k), v) for k, v in section(mapping, key).items())
