"""Raw tables: what a file held, before validation."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import DataWarning, Problem

__all__ = ["RawCohort", "RawTable"]


@dataclass
class RawTable:
    """One table as read.

    ``frame`` columns are either numeric (``float64``/``int64``: every non-empty cell
    parsed as a number by the file reader) or ``object``; in an object column a cell is
    ``None``/NaN when empty, else the value as the format gave it (``str`` from CSV;
    ``str``, ``int``, ``float``, ``bool`` or ``datetime`` from Excel). The index holds
    the row numbers a spreadsheet shows (header = row 1).
    """

    name: str
    file: str
    sheet: str | None
    frame: pd.DataFrame
    sha256: str

    def problem(self, row: int | None, column: str | None, value: object, expected: str) -> Problem:
        shown = None if value is None else show_value(value)
        return Problem(self.file, row, column, shown, expected, sheet=self.sheet)


@dataclass
class RawCohort:
    """Every table found at a path, plus the problems met while reading the files."""

    path: Path
    tables: dict[str, RawTable] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[DataWarning] = field(default_factory=list)


def show_value(value: object) -> str:
    """A cell value as the user typed it, as near as the file lets us tell.

    >>> show_value(9.0), show_value(1.5), show_value("  x"), show_value(True)
    ('9', '1.5', '  x', 'TRUE')
    """
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)
