"""Childhood Myositis Assessment Scale (CMAS): 14 items, total 0-52.

Sources: Lovell DJ et al. Arthritis Rheum 1999;42:2213-2219 (development and score
sheet); Huber AM et al. Arthritis Rheum 2004;50:1595-1603 (validation, item maxima).
Items and their maxima are in the field dictionary (``jdmtrack.fields.CMAS_ITEMS``).
The score sheet is not reproduced here; jdmtrack stores item scores, not item text.

Timed items 1 (head elevation), 3 (straight leg lift) and 8 (arm raise, duration) may be
recorded in seconds (``cmas_01_seconds`` ...); the score bands are in
:mod:`jdmtrack.validate.items`, which validation and scoring share.
"""

from __future__ import annotations

from ..fields import CMAS_ITEMS
from ..validate.items import (
    SECONDS_BAND_EDGES,
    TIMED_ITEMS,
    cmas_item_from_seconds,
    cmas_items_with_seconds,
)

__all__ = [
    "CMAS_ITEM_COLUMNS",
    "CMAS_MAXIMA",
    "SECONDS_BAND_EDGES",
    "TIMED_ITEMS",
    "cmas_item_from_seconds",
    "cmas_items_with_seconds",
]

CMAS_ITEM_COLUMNS: tuple[str, ...] = tuple(name for name, _, _ in CMAS_ITEMS)
CMAS_MAXIMA: tuple[int, ...] = tuple(top for _, _, top in CMAS_ITEMS)
