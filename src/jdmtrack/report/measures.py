"""Measure names as the report prints them: short labels, panel labels and the decimal
places of each measure's summaries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..fields import EVENT_CODES, code_label
from ..fields.measure_labels import measure_short_labels

__all__ = ["FALLBACK_LABELS", "decimals_for", "measure_label", "short_label"]

#: Short labels of the measures the report knows (the results' labels describe fields):
#: the field dictionary's short names with each field's range or unit.
FALLBACK_LABELS: dict[str, str] = measure_short_labels()


def decimals_for(name: str, unit: object = None) -> int:
    """Decimal places of a measure's summaries: 2 for doses per kilogram, else 1.

    >>> decimals_for("cs_mg_kg_day"), decimals_for("cmas_total"), decimals_for("x", "mg/kg/day")
    (2, 1, 2)
    """
    if "mg_kg" in name or (isinstance(unit, str) and "mg/kg" in unit):
        return 2
    return 1


def measure_label(name: str, given: Mapping[str, Any] | str | None = None) -> str:
    """A short display label: the report's own for known measures, else the label the
    results give (a field description, often long; ``given`` is the label or the results'
    entry holding it), else the column name.

    >>> measure_label("cmas_total", {"label": "CMAS total 0-52: sum of the 14 items"})
    'CMAS (0–52)'
    >>> measure_label("x_new", {"label": "New score"}), measure_label("odd_column")
    ('New score', 'odd_column')
    >>> measure_label("x_new", "New score"), measure_label("x_new", "")
    ('New score', 'x_new')
    >>> measure_label("jaki_discontinuation")
    'JAK inhibitor discontinued'

    """
    if name in FALLBACK_LABELS:
        return FALLBACK_LABELS[name]
    if name in EVENT_CODES:  # time to an event: the event's label in the dictionary
        return code_label(name)
    label = given.get("label") if isinstance(given, Mapping) else given
    if isinstance(label, str) and label:
        return label
    return name


def short_label(label: str) -> str:
    """A label cut before any bracket or comma (figure panels, narrow columns).

    >>> short_label("Corticosteroid dose, prednisone equivalent"), short_label("CMAS (0–52)")
    ('Corticosteroid dose', 'CMAS')
    """
    return label.split(" (")[0].split(",")[0]
