"""Checks within a visit row: item scores against a given total, seconds against scores."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import Problem
from ..instruments.cmas import (
    CMAS_ITEM_COLUMNS,
    CMAS_MAXIMA,
    TIMED_ITEMS,
    cmas_item_from_seconds,
)
from ..instruments.das import DAS_DOMAINS
from ..instruments.items import check_total
from ..instruments.mmt8 import MMT8_COLUMNS, MMT8_GROUP_MAXIMUM
from ..io.raw import RawTable

__all__ = ["check_visit_consistency"]

# DAS domain maxima, Bode 2003: skin 0-9, muscle 0-11.
_DAS_MAXIMA = (9, 11)


def check_visit_consistency(raw: RawTable, visits: pd.DataFrame) -> list[Problem]:
    """Problems where recorded items contradict a recorded total or recorded seconds."""
    problems: list[Problem] = []
    for item, _top in TIMED_ITEMS.items():
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
                                            f"{_n(s[i])} s recorded in {seconds}"))
    wanted = [c for c in (*CMAS_ITEM_COLUMNS, *MMT8_COLUMNS, *DAS_DOMAINS,
                          "cmas_total", "mmt8_total", "das_total") if c in visits.columns]
    items = visits[wanted]
    for item in TIMED_ITEMS:
        column, seconds = f"cmas_{item:02d}", f"cmas_{item:02d}_seconds"
        if seconds in visits.columns:
            derived = pd.Series(cmas_item_from_seconds(visits[seconds].to_numpy(dtype="float64"),
                                                       item), index=visits.index)
            items[column] = (visits[column].astype("float64") if column in visits.columns
                             else pd.Series(np.nan, index=visits.index)).fillna(derived)
    checks = (
        (CMAS_ITEM_COLUMNS, CMAS_MAXIMA, "cmas_total"),
        (tuple(MMT8_COLUMNS), (MMT8_GROUP_MAXIMUM,) * len(MMT8_COLUMNS), "mmt8_total"),
        (DAS_DOMAINS, _DAS_MAXIMA, "das_total"),
    )
    for columns, maxima, total in checks:
        conflict = check_total(items, columns, maxima, total)
        for position, expected in zip(conflict.rows.tolist(), conflict.expected, strict=True):
            problems.append(raw.problem(int(visits.index[position]), total,
                                        float(visits[total].iloc[position]), expected))
    return problems


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))
