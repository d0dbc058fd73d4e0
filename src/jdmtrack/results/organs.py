"""Organ outcomes at the last visit and response percentages per week, typed (results
sections ``organs`` and ``response_percent`` of analysis/organs.py).

>>> o = read_organs({"organs": {"ild": {"n_involved": 2, "outcomes": {"resolved": 1}}}})
>>> o[0].organ, o[0].outcomes
('ild', (('resolved', 1),))
>>> r = read_response_percent({"response_percent": {"4": {"n_evaluable": 5, "CR": {"n": 1}}}})
>>> r[0].levels["CR"].n, r[0].levels["PR"]
(1, None)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .counts import Share, share
from .courses import counts_of
from .read import entries, integer

__all__ = ["OrganOutcome", "PercentWeek", "read_organs", "read_response_percent"]

# The levels of a response-percent week, as analysis/organs.py keys them.
RESPONSE_LEVELS = ("CR", "PR", "NR", "CR_or_PR")


@dataclass(frozen=True)
class OrganOutcome:
    """One organ: patients involved at start, their outcome codes, not recorded."""

    organ: str
    n_involved: int | None
    outcomes: tuple[tuple[str, int | None], ...]
    n_missing: int | None


@dataclass(frozen=True)
class PercentWeek:
    """Response at one week: evaluable patients, and each level's n (%)."""

    week: str
    n_evaluable: int | None
    levels: Mapping[str, Share | None]


def read_organs(data: Mapping[str, Any]) -> tuple[OrganOutcome, ...]:
    """Each organ of the ``organs`` section, in the file's order."""
    return tuple(OrganOutcome(organ, integer(e.get("n_involved")), counts_of(e, "outcomes"),
                              integer(e.get("n_missing")))
                 for organ, e in entries(data, "organs").items())


def read_response_percent(data: Mapping[str, Any]) -> tuple[PercentWeek, ...]:
    """Each week of the ``response_percent`` section, in the file's order."""
    return tuple(PercentWeek(week, integer(w.get("n_evaluable")),
                              MappingProxyType({k: share(w.get(k)) for k in RESPONSE_LEVELS}))
                 for week, w in entries(data, "response_percent").items())
