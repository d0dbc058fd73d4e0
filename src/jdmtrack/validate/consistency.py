"""Checks within a visit row: item scores against a given total, seconds against scores."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import Problem
from ..fields import CMAS_ITEMS, MMT8_GROUPS, fields_of
from ..io.raw import RawTable
from .items import (
    TIMED_ITEMS,
    check_total,
    cmas_item_from_seconds,
    cmas_items_with_seconds,
    item_maxima,
    number_text,
)

__all__ = ["check_visit_consistency"]

# Each instrument's item columns and the total they must add up to (dictionary order).
_CMAS = tuple(name for name, _, _ in CMAS_ITEMS)
_MMT8 = tuple(name for name, _ in MMT8_GROUPS)
_DAS = tuple(f.name for f in fields_of("visits") if f.group == "das" and f.name != "das_total")
_CHECKS = ((_CMAS, "cmas_total"), (_MMT8, "mmt8_total"), (_DAS, "das_total"))


def check_visit_consistency(raw: RawTable, visits: pd.DataFrame) -> list[Problem]:
    """Problems where recorded items contradict a recorded total or recorded seconds."""
    problems: list[Problem] = []
    for item in TIMED_ITEMS:
        column = f"cmas_{item:02d}"
        seconds = f"{column}_seconds"
        if column in visits.columns and seconds in visits.columns:
            s = visits[seconds].to_numpy(dtype="float64")
            scores = cmas_item_from_seconds(s, item)
            given = visits[column].to_numpy(dtype="float64")
            bad = ~np.isnan(given) & ~np.isnan(scores) & (given != scores)
            for i in np.flatnonzero(bad).tolist():
                problems.append(raw.problem(int(visits.index[i]), column, float(given[i]),
                                            f"{int(scores[i])}, the score for "
                                            f"{number_text(s[i])} s recorded in {seconds}"))
    wanted = [c for c in (*_MMT8, *_DAS, "cmas_total", "mmt8_total", "das_total")
              if c in visits.columns]
    items = pd.concat([cmas_items_with_seconds(visits), visits[wanted]], axis=1)
    for columns, total in _CHECKS:
        conflict = check_total(items, columns, item_maxima(columns), total)
        for position, expected in zip(conflict.rows.tolist(), conflict.expected, strict=True):
            problems.append(raw.problem(int(visits.index[position]), total,
                                        float(visits[total].iloc[position]), expected))
    return problems
