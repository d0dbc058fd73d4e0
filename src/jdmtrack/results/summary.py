"""A descriptive summary of one variable (n, median, quartiles, mean, SD, range), typed.

Every section that describes a variable (follow-up, baseline characteristics, covariates
and outcomes per week) holds the same keys; :meth:`Summary.read` reads them once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..stats.continuous import STATISTICS, ContinuousSummary
from .read import integer, real

__all__ = ["Summary"]


@dataclass(frozen=True)
class Summary(ContinuousSummary[int | None]):
    """n, missing, median (Q1, Q3), mean, SD and range; None where the file has no number.

    >>> Summary.read({"n": 3, "median": 41, "q1": None, "sd": "x"})
    Summary(n=3, missing=None, median=41, q1=None, q3=None, mean=None, sd=None, min=None, \
max=None)
    """

    @classmethod
    def read(cls, entry: Any) -> Summary:
        get = entry.get if isinstance(entry, dict) else (lambda _key: None)
        return cls(integer(get("n")), integer(get("missing")),
                   *(real(get(k)) for k in STATISTICS))
