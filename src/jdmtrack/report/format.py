"""The report's formatting, under one name: ``from . import format as f``.

The rules live in modules named for what they hold: numbers and rounding
(:mod:`.rounding`), measure labels and decimals (:mod:`.measures`), weeks and timestamps
(:mod:`.weeks`) and table footnotes (:mod:`.notes`); this module gathers them so that a
table builder reads ``f.fmt_number``, ``f.week_label`` or ``f.rounding_note`` alike.

>>> fmt_median_iqr(41, 29, 44, 1), week_label("4"), measure_label("cmas_total")
('41.0 (29.0, 44.0)', 'Week 4', 'CMAS (0–52)')
"""

from __future__ import annotations

from typing import Any

from ..xmltext import printable
from .measures import FALLBACK_LABELS, decimals_for, measure_label, short_label
from .notes import quartile_note, rounding_note
from .rounding import (
    MINUS,
    MISSING,
    count_pct,
    decimals_in,
    fmt_ci,
    fmt_int,
    fmt_mean_sd,
    fmt_median_iqr,
    fmt_number,
    fmt_p,
    fmt_pct,
    fmt_range,
    fmt_value,
    is_number,
    p_clause,
    percent,
    percent_decimals,
)
from .weeks import fmt_datetime, sorted_weeks, week_label, week_number

__all__ = [
    "FALLBACK_LABELS",
    "MINUS",
    "MISSING",
    "count_pct",
    "decimals_for",
    "decimals_in",
    "fmt_ci",
    "fmt_datetime",
    "fmt_int",
    "fmt_mean_sd",
    "fmt_median_iqr",
    "fmt_number",
    "fmt_p",
    "fmt_pct",
    "fmt_range",
    "fmt_value",
    "is_number",
    "measure_label",
    "p_clause",
    "percent",
    "percent_decimals",
    "printable",
    "printable_tree",
    "quartile_note",
    "rounding_note",
    "short_label",
    "sorted_weeks",
    "week_label",
    "week_number",
]


def printable_tree(value: Any) -> Any:
    """A copy of a JSON-like value with every string made :func:`printable`."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {k: printable_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [printable_tree(v) for v in value]
    return value
