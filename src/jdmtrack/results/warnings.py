"""Data warnings, typed (``warnings`` of the results file): one item per kind (code x table
x column x rule), with the rows it concerns and the first of them as examples.

>>> w = read_warnings({"warnings": [{"code": "out_of_range", "count": 3.0,
...     "examples": [{"patient_id": "P1", "week": 4}, "x"]}, None]})
>>> w[0].kind, w[0].count, w[0].examples
('quality', 3, (Example(patient_id='P1', week=4.0),))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .read import integer, num, rows, text

__all__ = ["DataWarning", "Example", "read_warnings"]


@dataclass(frozen=True)
class Example:
    """A row a warning concerns: patient and week (None when the row has none)."""

    patient_id: str | None
    week: float | None


@dataclass(frozen=True)
class DataWarning:
    """One kind of warning. ``kind`` is ``quality`` or ``completeness`` (optional data not
    recorded); ``count`` the rows it concerns (0 when the file gives none)."""

    code: str | None
    table: str | None
    column: str | None
    message: str | None
    count: int
    kind: str
    examples: tuple[Example, ...]


def _example(e: Mapping[str, Any]) -> Example:
    pid = e.get("patient_id")
    return Example(None if pid is None else text(str(pid)), num(e.get("week")))


def read_warnings(data: Mapping[str, Any]) -> tuple[DataWarning, ...]:
    """Every warning kind, in the file's order."""
    return tuple(DataWarning(text(w.get("code")), text(w.get("table")), text(w.get("column")),
                             text(w.get("message")), integer(w.get("count")) or 0,
                             text(w.get("kind", "quality")) or "quality",
                             tuple(_example(e) for e in rows(w, "examples")))
                 for w in rows(data, "warnings"))
