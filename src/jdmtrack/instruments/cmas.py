"""Childhood Myositis Assessment Scale (CMAS): 14 items, total 0-52.

Sources: Lovell DJ et al. Arthritis Rheum 1999;42:2213-2219 (development and score
sheet); Huber AM et al. Arthritis Rheum 2004;50:1595-1603 (validation, item maxima).
Items and their maxima are in the field dictionary (``jdmtrack.fields.CMAS_ITEMS``).
The score sheet is not reproduced here; jdmtrack stores item scores, not item text.

Timed items 1 (head elevation), 3 (straight leg lift) and 8 (arm raise, duration) may be
recorded in seconds (``cmas_01_seconds`` ...); the score is then derived with the bands of
the score sheet: < 1 s = 0, 1-9 s = 1, 10-29 s = 2, 30-59 s = 3, 60-119 s = 4,
>= 120 s = 5; item 8 stops at 4 (>= 60 s). The band edges of items 1 and 3 are on the
Lovell sheet; the item-8 bands follow the same sheet as commonly reproduced and are
consistent with its maximum of 4 (treat as unverified; see docs/instruments.md).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..fields import CMAS_ITEMS

__all__ = [
    "CMAS_ITEM_COLUMNS",
    "CMAS_MAXIMA",
    "SECONDS_BAND_EDGES",
    "TIMED_ITEMS",
    "cmas_item_from_seconds",
]

CMAS_ITEM_COLUMNS: tuple[str, ...] = tuple(name for name, _, _ in CMAS_ITEMS)
CMAS_MAXIMA: tuple[int, ...] = tuple(top for _, _, top in CMAS_ITEMS)

# Lower edges (seconds) of item scores 1..5 on the Lovell score sheet.
SECONDS_BAND_EDGES: tuple[float, ...] = (1.0, 10.0, 30.0, 60.0, 120.0)
# Timed items and their maximum score: items 1 and 3 reach 5 (>= 2 min), item 8 reaches 4.
TIMED_ITEMS: dict[int, int] = {1: 5, 3: 5, 8: 4}


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
