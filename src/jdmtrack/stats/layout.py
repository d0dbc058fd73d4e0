"""From long format (one row per patient and week) to the patients x weeks table.

Friedman and Skillings-Mack take a 2-D table, one row per patient and one column per week,
with ``NaN`` for a missing visit. ``wide_from_long`` builds it and refuses duplicates
(two values for one patient and week), which would otherwise silently break the pairing.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from jdmtrack.errors import ComputationError
from jdmtrack.stats._common import (
    FloatArray,
    as_float_matrix,
    as_float_vector,
    as_float_vector_with_missing,
)

__all__ = ["WideTable", "wide_from_long"]  # week_table: shared by the tests in this package


@dataclass(frozen=True)
class WideTable:
    """Patients x weeks values; ``values[i, j]`` is patient ``subjects[i]`` at ``weeks[j]``."""

    subjects: tuple[Hashable, ...]
    weeks: tuple[float, ...]
    values: FloatArray


def wide_from_long(
    subject: Sequence[Hashable],
    week: Sequence[float] | Any,
    value: Sequence[float | None] | Any,
) -> WideTable:
    """Arrange long-format observations as a patients x weeks table (``NaN`` = missing).

    Rows whose value is missing are kept as ``NaN``; weeks and subjects are sorted.

    Raises
    ------
    ComputationError
        If the three sequences differ in length, a week is missing, or a patient has two
        values at one week.

    Examples
    --------
    >>> t = wide_from_long(["a", "a", "b"], [0, 4, 4], [40, 45, 47])
    >>> t.subjects, t.weeks
    (('a', 'b'), (0.0, 4.0))
    >>> t.values
    array([[40., 45.],
           [nan, 47.]])
    """
    subjects = list(subject)
    weeks = as_float_vector(week, "week")
    values = as_float_vector_with_missing(value, "value")
    if not len(subjects) == weeks.size == values.size:
        raise ComputationError(
            f"subject, week and value must have the same length; got {len(subjects)}, "
            f"{weeks.size} and {values.size}"
        )
    subject_order = sorted(set(subjects), key=lambda s: (str(type(s)), s))
    week_order = sorted(set(weeks.tolist()))
    row = {s: i for i, s in enumerate(subject_order)}
    col = {w: j for j, w in enumerate(week_order)}
    table = np.full((len(subject_order), len(week_order)), np.nan)
    seen: set[tuple[int, int]] = set()
    for s, w, v in zip(subjects, weeks.tolist(), values.tolist(), strict=True):
        cell = (row[s], col[w])
        if cell in seen:
            raise ComputationError(f"patient {s!r} has more than one value at week {w!r}")
        seen.add(cell)
        table[cell] = v
    return WideTable(tuple(subject_order), tuple(float(w) for w in week_order), table)


def week_table(
    data: Any, weeks: Sequence[float | str] | None, test: str
) -> tuple[FloatArray, tuple[float | str, ...]]:
    """A patients x weeks table and its week labels, checked for a repeated-measures test.

    Raises
    ------
    ComputationError
        If the labels do not match the columns, or there are fewer than two weeks.

    Examples
    --------
    >>> table, labels = week_table([[1, 2], [3, 4]], None, "the Friedman test")
    >>> labels
    (0.0, 1.0)
    """
    table = as_float_matrix(data, "data")
    k = table.shape[1]
    labels: tuple[float | str, ...] = (
        tuple(weeks) if weeks is not None else tuple(float(j) for j in range(k))
    )
    if len(labels) != k:
        raise ComputationError(f"{len(labels)} week labels for a table with {k} columns")
    if k < 2:
        raise ComputationError(f"{test} needs at least two weeks; got {k}")
    return table, labels
