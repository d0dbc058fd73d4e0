"""The record of one continuous variable's summary, shared by the statistic and its reader.

``jdmtrack.stats.descriptive`` computes it (counts are always known there) and
``jdmtrack.results.summary`` reads it back from a results file (where a count may be
absent); both hold the same fields in the same order, so they share this one declaration,
generic in the type of the two counts. No numpy here: the results reader stays light.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["STATISTICS", "ContinuousSummary"]

Count = TypeVar("Count", bound=int | None)

# The statistics after n and missing, in field (and results-file) order.
STATISTICS: tuple[str, ...] = ("median", "q1", "q3", "mean", "sd", "min", "max")


@dataclass(frozen=True)
class ContinuousSummary(Generic[Count]):
    """n, missing, median (Q1, Q3), mean, SD and range; a statistic that cannot be had is
    ``None``."""

    n: Count
    missing: Count
    median: float | None
    q1: float | None
    q3: float | None
    mean: float | None
    sd: float | None
    min: float | None
    max: float | None
