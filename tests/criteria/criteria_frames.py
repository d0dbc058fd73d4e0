"""Hand-built cohort tables for the criteria tests, following jdmtrack.cohort's conventions.

Numbers are float64 with NaN, yes/no columns are pandas nullable "boolean", text and
choices are object columns of str/None, and the index is the spreadsheet row (from 2).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from jdmtrack.fields import DERIVED_FIELDS, field


def _kind(table: str, column: str) -> str:
    try:
        return field(table, column).kind
    except KeyError:
        for f in DERIVED_FIELDS:
            if f.table == table and f.name == column:
                return f.kind
    return "number"


def frame(table: str, records: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """A table from records; a key absent from a record is a missing cell."""
    columns: list[str] = []
    for record in records:
        columns += [c for c in record if c not in columns]
    data: dict[str, Any] = {}
    for column in columns:
        values = [record.get(column) for record in records]
        kind = _kind(table, column)
        if kind in ("number", "integer"):
            data[column] = pd.Series(
                [np.nan if v is None else float(v) for v in values], dtype=np.float64)
        elif kind == "bool":
            data[column] = pd.Series(pd.array(values, dtype="boolean"))
        elif kind == "date":
            data[column] = pd.Series(pd.to_datetime(pd.Series(values, dtype=object)))
        else:
            data[column] = pd.Series(values, dtype=object)
    out = pd.DataFrame(data)
    out.index = pd.RangeIndex(2, len(records) + 2, name="row")
    return out


def visits(*records: Mapping[str, Any]) -> pd.DataFrame:
    """A visits table; ``patient_id`` defaults to "p1"."""
    return frame("visits", [{"patient_id": "p1", **r} for r in records])


def patients(*records: Mapping[str, Any]) -> pd.DataFrame:
    """A patients table; ``patient_id`` defaults to "p1"."""
    return frame("patients", [{"patient_id": "p1", **r} for r in records])


def warning_rows(log: Any) -> list[SimpleNamespace]:
    """Every row an aggregated warning log concerns (from ``per_row``), week NaN as None."""
    out = []
    for record in log.per_row().to_dict("records"):
        week = record["week"]
        record["week"] = None if week != week else week
        out.append(SimpleNamespace(**record))
    return out
