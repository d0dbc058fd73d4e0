"""Between the registry's rows and the cohort format: typed frames in, text tables out.

Going in, a validated ``Cohort`` (pandas, ``jdmtrack.cohort`` conventions) becomes plain
Python values per row: ``Decimal`` for numbers (from the shortest text that gives the same
float, i.e. the number as typed), ``int``, ``bool``, ``date``, ``str``, and lists joined by
the dictionary's separator. Going out, each row becomes the cohort format's text (numbers
without trailing zeros, ``yes``/``no``, ISO dates), which is what export writes and what
the visit form hands to the library's validator.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from ..fields import EXTRA_PREFIX, LIST_SEPARATOR, Field, fields_of
from ..io.raw import RawCohort, RawTable, show_value

__all__ = ["frame_rows", "python_value", "raw_cohort", "row_text", "text_value"]

# Columns of a table that are links in the registry, not stored fields of the row.
LINK_COLUMNS = {"patients": ("site",), "visits": ("patient_id",), "events": ("patient_id",),
                "adverse_events": ("patient_id",)}


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def python_value(spec: Field, value: Any) -> Any:
    """A validated cell (pandas conventions) as the value a model field stores."""
    if _missing(value):
        return None
    if spec.kind == "number":
        return Decimal(repr(float(value)))
    if spec.kind == "integer":
        return int(value)
    if spec.kind == "bool":
        return bool(value)
    if spec.kind == "date":
        return pd.Timestamp(value).date()
    if spec.kind == "list":
        return LIST_SEPARATOR.join(value)
    return str(value)


def frame_rows(frame: pd.DataFrame, table: str) -> Iterator[tuple[int, dict[str, Any], list[list[str]]]]:
    """(spreadsheet row, stored values, x_ extras) for each row of a validated table."""
    specs = [s for s in fields_of(table) if s.name in frame.columns]
    extras = [c for c in frame.columns if str(c).startswith(EXTRA_PREFIX)]
    for row, record in zip(frame.index, frame.to_dict("records"), strict=True):
        values = {s.name: python_value(s, record[s.name]) for s in specs}
        # Every x_ column, empty ones as "": the file's column order survives the round trip.
        mine = [[str(c), "" if _missing(record[c]) else _extra_text(record[c])] for c in extras]
        yield int(row), values, mine


def _extra_text(value: Any) -> str:
    return value if isinstance(value, str) else show_value(value)


def text_value(value: Any) -> str:
    """A stored value as the cohort format writes it.

    >>> text_value(Decimal("6.6000000000")), text_value(Decimal("100.00")), text_value(True)
    ('6.6', '100', 'yes')
    >>> text_value(None), text_value(date(2024, 1, 31)), text_value(3)
    ('', '2024-01-31', '3')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def row_text(table: str, row: Any) -> dict[str, str]:
    """One stored row as cohort-format text: dictionary columns, then its x_ columns."""
    out: dict[str, str] = {}
    for spec in fields_of(table):
        if spec.name == "site" and table == "patients":
            out["site"] = row.site.code
        elif spec.name == "patient_id" and table != "patients":
            out["patient_id"] = row.patient.patient_id
        else:
            out[spec.name] = text_value(getattr(row, spec.name))
    for name, value in row.extras:
        out[name] = value
    return out


def text_frame(table: str, rows: list[dict[str, str]]) -> pd.DataFrame:
    """Text rows as one table: the dictionary's columns that hold a value (and the required
    ones), then the x_ columns in the order first met."""
    required = [s.name for s in fields_of(table) if s.required or s.name == "site"]
    used = {name for row in rows for name, value in row.items() if value != ""}
    columns = [s.name for s in fields_of(table) if s.name in used or s.name in required]
    for row in rows:
        columns += [n for n in row if n.startswith(EXTRA_PREFIX) and n not in columns]
    frame = pd.DataFrame([[row.get(c, "") for c in columns] for row in rows], columns=columns,
                         dtype=object)
    return frame


def raw_cohort(tables: dict[str, pd.DataFrame], label: str) -> RawCohort:
    """Text tables as the reader would give them, for ``jdmtrack.validate.validate_cohort``."""
    raw = RawCohort(path=Path(label))
    for name, frame in tables.items():
        cells = frame.astype(object).where(frame != "", None)
        cells.index = pd.RangeIndex(2, 2 + len(frame), name="row")
        raw.tables[name] = RawTable(name, f"{label}/{name}.csv", None, cells, "")
    return raw
