"""Summing item columns into a total: the rule shared by CMAS, MMT-8 and DAS.

A total is the plain sum of its items. A total with any item missing is missing: it is
never pro-rated or imputed. When the items were not recorded, a total the user typed is
kept; when both are there they must agree (checked on reading, see ``check_total``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["ItemSum", "TotalConflict", "check_total", "sum_items"]


@dataclass(frozen=True)
class ItemSum:
    """Totals of one instrument for every visit.

    ``total`` is NaN where an item is missing and no total was given. ``partial`` marks
    rows with some but not all items (the rows that deserve a warning), and ``from_items``
    the rows whose total was computed here. ``missing_items`` has one row per partial
    row, in order, marking which items are missing there.
    """

    total: np.ndarray
    from_items: np.ndarray
    partial: np.ndarray
    missing_items: np.ndarray  # bool (partial rows x items)


@dataclass(frozen=True)
class _Items:
    """Item columns summed one column at a time (no rows x items matrix is built: for a
    million visits that copy costs more than the sums)."""

    columns: list[np.ndarray]
    recorded: np.ndarray  # sum of the items present
    n_missing: np.ndarray  # number of items missing

    @classmethod
    def of(cls, frame: pd.DataFrame, items: Sequence[str]) -> _Items:
        n = len(frame)
        columns = [frame[c].to_numpy(dtype="float64") if c in frame.columns else np.full(n, np.nan)
                   for c in items]
        recorded = np.zeros(n)
        n_missing = np.zeros(n, dtype=np.intp)
        for values in columns:
            gap = np.isnan(values)
            n_missing += gap
            np.add(recorded, values, out=recorded, where=~gap)
        return cls(columns, recorded, n_missing)

    def missing_at(self, rows: np.ndarray) -> np.ndarray:
        """Which items are missing at the row positions ``rows`` (rows x items)."""
        return np.isnan(np.stack([values[rows] for values in self.columns], axis=1)
                        if self.columns else np.empty((len(rows), 0)))


def sum_items(frame: pd.DataFrame, items: Sequence[str], given_total: str | None) -> ItemSum:
    """Sum ``items`` row by row; fall back to the ``given_total`` column where items are absent.

    >>> f = pd.DataFrame({"a": [1.0, 2.0, np.nan, np.nan], "b": [3.0, np.nan, np.nan, np.nan],
    ...                   "t": [np.nan, np.nan, 7.0, np.nan]})
    >>> s = sum_items(f, ["a", "b"], "t")
    >>> s.total.tolist()
    [4.0, nan, 7.0, nan]
    >>> s.partial.tolist(), s.from_items.tolist(), s.missing_items.tolist()
    ([False, True, False, False], [True, False, False, False], [[False, True]])
    """
    summed = _Items.of(frame, items)
    complete = summed.n_missing == 0
    given = (frame[given_total].to_numpy(dtype="float64")
             if given_total is not None and given_total in frame.columns
             else np.full(len(frame), np.nan))
    final = np.where(complete, summed.recorded, given)
    partial = (summed.n_missing > 0) & (summed.n_missing < len(items)) & np.isnan(given)
    return ItemSum(final, complete, partial, summed.missing_at(np.flatnonzero(partial)))


@dataclass(frozen=True)
class TotalConflict:
    """Rows where the given total cannot be the sum of the recorded items."""

    rows: np.ndarray  # positions
    expected: list[str]


def check_total(
    frame: pd.DataFrame, items: Sequence[str], maxima: Sequence[float], given_total: str
) -> TotalConflict:
    """Given totals that contradict the items: the sum of complete items must equal the
    total; with items missing, the total must lie between the sum of the recorded items
    and that sum plus the maxima of the missing ones.

    >>> f = pd.DataFrame({"a": [1.0, 1.0, 1.0], "b": [2.0, np.nan, np.nan], "t": [4.0, 9.0, 2.0]})
    >>> c = check_total(f, ["a", "b"], [3, 3], "t")
    >>> c.rows.tolist()
    [0, 1]
    >>> for text in c.expected:
    ...     print(text)
    3, the sum of a-b on this row
    between 1 and 4 (a-b recorded so far sum to 1; the others can add at most 3)
    """
    if given_total not in frame.columns:
        return TotalConflict(np.array([], dtype=int), [])
    summed = _Items.of(frame, items)
    given = frame[given_total].to_numpy(dtype="float64")
    recorded = summed.recorded
    some = (summed.n_missing < len(items)) & ~np.isnan(given)
    complete = summed.n_missing == 0
    headroom = np.zeros(len(frame))  # the maxima of the items missing on each row
    rows = np.flatnonzero(some & ~complete)
    if len(rows):
        headroom[rows] = summed.missing_at(rows) @ np.asarray(maxima, dtype="float64")
    wrong = some & np.where(complete, given != recorded,
                            (given < recorded) | (given > recorded + headroom))
    span = f"{items[0]}-{items[-1]}"
    expected = []
    positions = np.flatnonzero(wrong)
    for i in positions:
        if complete[i]:
            expected.append(f"{_n(recorded[i])}, the sum of {span} on this row")
        else:
            expected.append(f"between {_n(recorded[i])} and {_n(recorded[i] + headroom[i])} "
                            f"({span} recorded so far sum to {_n(recorded[i])}; the others can "
                            f"add at most {_n(headroom[i])})")
    return TotalConflict(positions, expected)


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))
