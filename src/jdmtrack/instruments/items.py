"""Summing item columns into a total: the rule shared by CMAS, MMT-8 and DAS.

A total is the plain sum of its items. A total with any item missing is missing: it is
never pro-rated or imputed. When the items were not recorded, a total the user typed is
kept; when both are there they must agree (checked on reading, see
:func:`jdmtrack.validate.items.check_total`, which sums with the same :class:`ItemColumns`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..validate.items import ItemColumns

__all__ = ["ItemSum", "sum_items"]


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
    summed = ItemColumns.of(frame, items)
    complete = summed.n_missing == 0
    given = (frame[given_total].to_numpy(dtype="float64")
             if given_total is not None and given_total in frame.columns
             else np.full(len(frame), np.nan))
    final = np.where(complete, summed.recorded, given)
    partial = (summed.n_missing > 0) & (summed.n_missing < len(items)) & np.isnan(given)
    return ItemSum(final, complete, partial, summed.missing_at(np.flatnonzero(partial)))
