"""Errors and data warnings.

Hierarchy::

    JdmtrackError                 anything jdmtrack reports to a user (CLI: exit 1)
     ├── InputError               bad input: carries every Problem found, all at once
     ├── SettingsError            a setting or settings file that cannot be used
     └── ComputationError         a statistic asked of data that cannot give it

A ``Problem`` names one bad cell (or file, or row) so that a person can find it:
file (and sheet), the row as a spreadsheet numbers it (header = 1), the column,
the value as given and what was expected.

A ``DataWarning`` is a data-quality note that did not stop the work (a total left
missing because an item is missing, a dose that could not be derived), for code that
finds problems one at a time. Warnings travel aggregated (``jdmtrack.warning_log``:
code x table x column with a count and examples), never one object per row on the
scoring path; a ``DataWarning`` converts into that aggregate. They never change a value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "ComputationError",
    "DataWarning",
    "InputError",
    "JdmtrackError",
    "Problem",
    "SettingsError",
]


class JdmtrackError(Exception):
    """Base class of every error jdmtrack reports to a user."""


class SettingsError(JdmtrackError):
    """A setting, option or settings file that cannot be used."""


class ComputationError(JdmtrackError):
    """A statistic or score that cannot be computed from what was given."""


@dataclass(frozen=True)
class Problem:
    """One problem in the input, located as a spreadsheet user would look for it.

    >>> str(Problem("visits.csv", 3, "cmas_01", "9", "an integer 0-5"))
    "visits.csv, row 3, column 'cmas_01': got '9', expected an integer 0-5"
    >>> str(Problem("cohort.xlsx", None, None, None, "a sheet named 'patients'"))
    "cohort.xlsx: expected a sheet named 'patients'"
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str
    sheet: str | None = None

    def location(self) -> str:
        parts = [self.file if self.sheet is None else f"{self.file} [sheet {self.sheet}]"]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        got = "" if self.value is None else f"got {_shown(self.value)}, "
        return f"{self.location()}: {got}expected {self.expected}"

    def sort_key(self) -> tuple[str, str, int, str]:
        return (self.file, self.sheet or "", self.row or 0, self.column or "")


class InputError(JdmtrackError):
    """Bad input. Holds every problem found, so the user can fix them in one pass."""

    def __init__(self, problems: Iterable[Problem], *, limit: int = 200) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        shown = [f"  {p}" for p in self.problems[:limit]]
        if len(self.problems) > limit:
            shown.append(f"  ... and {len(self.problems) - limit} more")
        count = len(self.problems)
        header = f"{count} problem{'s' if count != 1 else ''} in the input:"
        super().__init__("\n".join([header, *shown]))


@dataclass(frozen=True)
class DataWarning:
    """A data-quality note that did not stop the analysis (see the results file's ``warnings``).

    >>> DataWarning("item_missing", "CMAS total left missing: cmas_04 is missing",
    ...             patient_id="007", week=4.0, column="cmas_04").as_dict()["column"]
    'cmas_04'
    """

    code: str
    message: str
    patient_id: str | None = None
    week: float | None = None
    column: str | None = None
    table: str | None = None  # cohort table; None: visits when a week is given

    def as_dict(self) -> dict[str, str | float | None]:
        return {
            "code": self.code,
            "message": self.message,
            "patient_id": self.patient_id,
            "week": self.week,
            "column": self.column,
            "table": self.table,
        }


# A value longer than this is shown by its start and length (a pasted note can be
# megabytes); the Problem keeps it whole.
_SHOWN_CHARACTERS = 60


def _shown(value: str) -> str:
    """A value as a message shows it: quoted, and cut short when long.

    >>> _shown("9"), _shown("x" * 100)
    ("'9'", "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' (100 characters)")
    """
    if len(value) <= _SHOWN_CHARACTERS:
        return repr(value)
    start = repr(value[:_SHOWN_CHARACTERS])
    return f"{start[:-1]}...{start[-1]} ({len(value)} characters)"


def sorted_problems(problems: Sequence[Problem]) -> list[Problem]:
    """Problems in reading order: file, sheet, row, column."""
    return sorted(problems, key=Problem.sort_key)
