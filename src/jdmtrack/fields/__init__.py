"""The field dictionary: every table and column jdmtrack knows, as data.

>>> field("visits", "cmas_05").maximum
6
>>> [t.name for t in TABLES]
['patients', 'visits', 'events', 'adverse_events']
>>> sum(f.maximum for f in fields_of("visits") if f.group == "cmas" and f.name[5:].isdigit())
52
"""

from __future__ import annotations

from functools import cache

from .cohort_v1 import (
    AE_CATEGORIES,
    AGENT_CODES,
    CMAS_ITEMS,
    EARLIEST_DATE,
    ENZYMES,
    EVENT_CODES,
    FIELDS,
    JAKI_DRUGS,
    LIST_SEPARATOR,
    MMT8_GROUPS,
    MSA_CODES,
    SCHEDULED_WEEKS,
    TABLES,
    VISIT_DATE_TOLERANCE_FRACTION,
    VISIT_DATE_TOLERANCE_WEEKS,
)
from .derived import DERIVED_FIELDS
from .labels import CODE_LABELS, code_label
from .measure_labels import MEASURE_NAMES, measure_short_label
from .model import Field, Kind, Table

__all__ = [
    "AE_CATEGORIES",
    "AGENT_CODES",
    "CMAS_ITEMS",
    "CODE_LABELS",
    "DERIVED_FIELDS",
    "EARLIEST_DATE",
    "ENZYMES",
    "EVENT_CODES",
    "EXTRA_PREFIX",
    "FIELDS",
    "JAKI_DRUGS",
    "LIST_SEPARATOR",
    "MEASURE_NAMES",
    "MMT8_GROUPS",
    "MSA_CODES",
    "SCHEDULED_WEEKS",
    "TABLES",
    "VISIT_DATE_TOLERANCE_FRACTION",
    "VISIT_DATE_TOLERANCE_WEEKS",
    "Field",
    "Kind",
    "Table",
    "code_label",
    "field",
    "fields_of",
    "measure_short_label",
    "table",
]

# Columns starting with this prefix are the user's own: carried through untouched.
EXTRA_PREFIX = "x_"


@cache
def _index() -> dict[tuple[str, str], Field]:
    return {(f.table, f.name): f for f in FIELDS}


def fields_of(table_name: str) -> tuple[Field, ...]:
    """The input fields of one table, in dictionary order."""
    return tuple(f for f in FIELDS if f.table == table_name)


def field(table_name: str, name: str) -> Field:
    """One input field; KeyError if the table has no such column."""
    return _index()[(table_name, name)]


def table(name: str) -> Table:
    """One table by name; KeyError if there is none."""
    for t in TABLES:
        if t.name == name:
            return t
    raise KeyError(name)
