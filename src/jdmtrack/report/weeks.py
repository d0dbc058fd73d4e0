"""Weeks and timestamps as the report prints them: week keys in time order, ``Week 4``,
and the generation time with its zone.

>>> week_label("12.0"), sorted_weeks(["12", "4", "0"])
('Week 12', ['0', '4', '12'])
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta

from .rounding import MISSING

__all__ = ["fmt_datetime", "sorted_weeks", "week_label", "week_number"]


def sorted_weeks(keys: Iterable[str]) -> list[str]:
    """Week keys in time order (keys that are not numbers last).

    >>> sorted_weeks(["12", "0", "24", "4", "end"])
    ['0', '4', '12', '24', 'end']
    """
    return sorted(keys, key=_week_order)


def _week_order(key: str) -> float:
    number = week_number(key)
    return math.inf if number is None else number


def week_number(key: object) -> float | None:
    """A week key as a number; None when it is not one.

    >>> week_number("12"), week_number(4.5), week_number("baseline")
    (12.0, 4.5, None)
    """
    try:
        value = float(str(key))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def week_label(key: object) -> str:
    """``Week 4`` (fractional weeks as recorded).

    >>> week_label("4"), week_label(2.5), week_label("12.0")
    ('Week 4', 'Week 2.5', 'Week 12')
    """
    try:
        return f"Week {float(str(key)):g}"
    except ValueError:
        return f"Week {key}"


def fmt_datetime(text: object) -> str:
    """An ISO 8601 timestamp as ``YYYY-MM-DD HH:MM`` with its zone.

    >>> fmt_datetime("2025-01-31T10:00:00+00:00"), fmt_datetime("2025-01-31T10:00:00+01:00")
    ('2025-01-31 10:00 UTC', '2025-01-31 10:00 UTC+01:00')
    >>> fmt_datetime("yesterday"), fmt_datetime(None)
    ('yesterday', '–')
    """
    if not isinstance(text, str) or not text:
        return MISSING
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return text
    offset = when.utcoffset()
    if offset is None:
        zone = ""
    elif offset == timedelta(0):
        zone = " UTC"
    else:
        zone = " UTC" + when.strftime("%z")[:3] + ":" + when.strftime("%z")[3:]
    return when.strftime("%Y-%m-%d %H:%M") + zone
