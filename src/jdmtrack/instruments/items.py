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
    the rows whose total was computed here.
    """

    total: np.ndarray
    from_items: np.ndarray
    partial: np.ndarray
    missing_items: np.ndarray  # bool (rows x items)


def _matrix(frame: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    n = len(frame)
    return np.column_stack(
        [frame[c].to_numpy(dtype="float64") if c in frame.columns else np.full(n, np.nan)
         for c in columns]
    ) if columns else np.empty((n, 0))


def sum_items(frame: pd.DataFrame, items: Sequence[str], given_total: str | None) -> ItemSum:
    """Sum ``items`` row by row; fall back to the ``given_total`` column where items are absent.

    >>> f = pd.DataFrame({"a": [1.0, 2.0, np.nan, np.nan], "b": [3.0, np.nan, np.nan, np.nan],
    ...                   "t": [np.nan, np.nan, 7.0, np.nan]})
    >>> s = sum_items(f, ["a", "b"], "t")
    >>> s.total.tolist()
    [4.0, nan, 7.0, nan]
    >>> s.partial.tolist(), s.from_items.tolist()
    ([False, True, False, False], [True, False, False, False])
    """
    values = _matrix(frame, items)
    missing = np.isnan(values)
    complete = ~missing.any(axis=1)
    total = np.where(complete, values.sum(axis=1, where=~missing), np.nan)
    given = (frame[given_total].to_numpy(dtype="float64")
             if given_total is not None and given_total in frame.columns
             else np.full(len(frame), np.nan))
    final = np.where(complete, total, given)
    partial = missing.any(axis=1) & ~missing.all(axis=1) & np.isnan(given)
    return ItemSum(final, complete, partial, missing)


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
    values = _matrix(frame, items)
    given = frame[given_total].to_numpy(dtype="float64")
    missing = np.isnan(values)
    recorded = values.sum(axis=1, where=~missing)
    headroom = (np.asarray(maxima, dtype="float64") * missing).sum(axis=1)
    some = ~missing.all(axis=1) & ~np.isnan(given)
    complete = ~missing.any(axis=1)
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
