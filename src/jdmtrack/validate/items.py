"""Item columns of an instrument: their sum, timed CMAS items, and a typed total's check.

One implementation serves both stages: validation checks a typed total against the items
(:func:`check_total`) and scoring sums the items (:func:`jdmtrack.instruments.items.sum_items`)
with the same :class:`ItemColumns`. Item maxima come from the field dictionary.

Timed CMAS items (those with a ``cmas_NN_seconds`` field in the dictionary: items 1, 3
and 8) may be recorded in seconds; the score is then derived with the bands of the Lovell
score sheet (Lovell DJ et al. Arthritis Rheum 1999;42:2213): < 1 s = 0, 1-9 s = 1,
10-29 s = 2, 30-59 s = 3, 60-119 s = 4, >= 120 s = 5, capped at the item's maximum
(item 8 stops at 4, >= 60 s). The item-8 bands follow the same sheet as commonly
reproduced and are consistent with its maximum of 4 (unverified; see docs/instruments.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..fields import CMAS_ITEMS, fields_of

__all__ = [
    "SECONDS_BAND_EDGES",
    "TIMED_ITEMS",
    "ItemColumns",
    "TotalConflict",
    "check_total",
    "cmas_item_from_seconds",
    "cmas_items_with_seconds",
    "item_maxima",
    "number_text",
]

# Lower edges (seconds) of item scores 1..5 on the Lovell score sheet.
SECONDS_BAND_EDGES: tuple[float, ...] = (1.0, 10.0, 30.0, 60.0, 120.0)

_SECONDS_SUFFIX = "_seconds"
_TIMED_COLUMNS = frozenset(f.name.removesuffix(_SECONDS_SUFFIX) for f in fields_of("visits")
                           if f.group == "cmas" and f.name.endswith(_SECONDS_SUFFIX))
# Timed item number -> its maximum score (both from the field dictionary).
TIMED_ITEMS = MappingProxyType({int(name[-2:]): top for name, _, top in CMAS_ITEMS
                                if name in _TIMED_COLUMNS})


def item_maxima(columns: Sequence[str]) -> tuple[float, ...]:
    """The dictionary maximum of each visits column in ``columns``.

    >>> item_maxima(["das_skin", "das_muscle"])
    (9.0, 11.0)
    """
    spec = {f.name: f.maximum for f in fields_of("visits")}
    return tuple(float(spec[c]) for c in columns)  # type: ignore[arg-type]


def cmas_item_from_seconds(seconds: npt.ArrayLike, item: int) -> npt.NDArray[np.float64]:
    """Score of a timed CMAS item from the time held, in seconds (NaN stays NaN).

    >>> cmas_item_from_seconds([0, 0.99, 1, 9.99, 10, 29, 30, 59, 60, 119, 120, 600], 1).tolist()
    [0.0, 0.0, 1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 4.0, 4.0, 5.0, 5.0]
    >>> cmas_item_from_seconds([59.5, 60, 120, float("nan")], 8).tolist()
    [3.0, 4.0, 4.0, nan]
    """
    if item not in TIMED_ITEMS:
        raise ValueError(f"CMAS item {item} is not timed; timed items are {sorted(TIMED_ITEMS)}")
    s = np.asarray(seconds, dtype="float64")
    score = np.searchsorted(np.asarray(SECONDS_BAND_EDGES), s, side="right").astype("float64")
    score = np.minimum(score, TIMED_ITEMS[item])
    return np.where(np.isnan(s), np.nan, score)


def _column(frame: pd.DataFrame, name: str) -> npt.NDArray[np.float64]:
    if name in frame.columns:
        return frame[name].to_numpy(dtype="float64")
    return np.full(len(frame), np.nan)


def cmas_items_with_seconds(visits: pd.DataFrame) -> pd.DataFrame:
    """CMAS item columns, with timed items filled from seconds where only seconds exist."""
    items = {name: _column(visits, name) for name, _, _ in CMAS_ITEMS}
    for item in TIMED_ITEMS:
        column = f"cmas_{item:02d}"
        seconds = column + _SECONDS_SUFFIX
        if seconds in visits.columns:
            derived = cmas_item_from_seconds(visits[seconds].to_numpy(dtype="float64"), item)
            items[column] = np.where(np.isnan(items[column]), derived, items[column])
    return pd.DataFrame(items, index=visits.index, copy=False)


@dataclass(frozen=True)
class ItemColumns:
    """Item columns summed one column at a time (no rows x items matrix is built: for a
    million visits that copy costs more than the sums)."""

    columns: list[npt.NDArray[np.float64]]
    recorded: npt.NDArray[np.float64]  # sum of the items present
    n_missing: npt.NDArray[np.intp]  # number of items missing

    @classmethod
    def of(cls, frame: pd.DataFrame, items: Sequence[str]) -> ItemColumns:
        n = len(frame)
        columns = [_column(frame, c) for c in items]
        recorded = np.zeros(n)
        n_missing = np.zeros(n, dtype=np.intp)
        for values in columns:
            gap = np.isnan(values)
            n_missing += gap
            np.add(recorded, values, out=recorded, where=~gap)
        return cls(columns, recorded, n_missing)

    def missing_at(self, rows: npt.NDArray[np.intp]) -> npt.NDArray[np.bool_]:
        """Which items are missing at the row positions ``rows`` (rows x items)."""
        return np.isnan(np.stack([values[rows] for values in self.columns], axis=1)
                        if self.columns else np.empty((len(rows), 0)))


@dataclass(frozen=True)
class TotalConflict:
    """Rows where the given total cannot be the sum of the recorded items."""

    rows: npt.NDArray[np.intp]  # positions
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
        return TotalConflict(np.array([], dtype=np.intp), [])
    summed = ItemColumns.of(frame, items)
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
            expected.append(f"{number_text(recorded[i])}, the sum of {span} on this row")
        else:
            expected.append(
                f"between {number_text(recorded[i])} and "
                f"{number_text(recorded[i] + headroom[i])} ({span} recorded so far sum to "
                f"{number_text(recorded[i])}; the others can add at most "
                f"{number_text(headroom[i])})")
    return TotalConflict(positions, expected)


def number_text(x: float) -> str:
    """A number as a user typed it: whole numbers without a decimal point."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))
