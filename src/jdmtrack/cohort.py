"""The in-memory cohort: four typed tables, where they came from, and data warnings.

Conventions every stage relies on (the field kinds are those of ``jdmtrack.fields``):

===========  ==========================================================================
kind         pandas representation
===========  ==========================================================================
id, text,    ``object`` column of ``str``; missing is ``None``
choice
integer,     ``float64``; missing is ``NaN`` (integers are checked integral on reading)
number
bool         pandas nullable ``"boolean"``; missing is ``pd.NA``
date         ``datetime64[ns]``; missing is ``NaT``
list         ``object`` column of ``tuple[str, ...]``; missing is ``None``
x_ extras    ``object`` column of the cell values exactly as read
===========  ==========================================================================

The index of every table is the row number a spreadsheet shows for that row
(header = row 1), named ``row``, so any later stage can point the user at a row.
``week`` is a float (fractional weeks are allowed). Derived visit columns follow the
same conventions; derived categories are ``str`` columns that never hold ``None``
(undecidable is the string ``"not_evaluable"``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .errors import DataWarning

__all__ = ["Cohort", "SourceFile"]


@dataclass(frozen=True)
class SourceFile:
    """One file read: the table it gave, its path (and sheet), and its SHA-256."""

    table: str
    path: str
    sheet: str | None
    sha256: str


@dataclass
class Cohort:
    """A validated cohort. Built by ``jdmtrack.validate.validate_cohort``."""

    patients: pd.DataFrame
    visits: pd.DataFrame
    events: pd.DataFrame
    adverse_events: pd.DataFrame
    sources: tuple[SourceFile, ...] = ()
    warnings: list[DataWarning] = field(default_factory=list)

    def table(self, name: str) -> pd.DataFrame:
        frame: pd.DataFrame = getattr(self, name)
        return frame
