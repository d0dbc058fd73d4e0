"""The ``covariates`` section typed: body size, kidney function and JAKi dose per week
(described, not tested)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .read import entries, text
from .summary import Summary

__all__ = ["Covariate", "read_covariates"]


@dataclass(frozen=True)
class Covariate:
    """One covariate: its label and unit as the results give them, and a summary per week."""

    name: str
    label: str | None
    unit: str | None
    by_week: Mapping[str, Summary]


def read_covariates(results: Mapping[str, Any]) -> Mapping[str, Covariate]:
    """name -> :class:`Covariate` (empty when the section is absent)."""
    return MappingProxyType({
        name: Covariate(name, text(e.get("label")) or None, text(e.get("unit")),
                        MappingProxyType({w: Summary.read(s)
                                          for w, s in entries(e, "by_week").items()}))
        for name, e in entries(results, "covariates").items()})
