"""The ``baseline`` section typed: each characteristic at JAKi start, continuous (a
summary) or categorical (counts and percents per level)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .read import counts, entries, key, real, section, text
from .summary import Summary

__all__ = ["Characteristic", "read_baseline"]


@dataclass(frozen=True)
class Characteristic:
    """One baseline characteristic. ``categorical``: ``counts`` and ``percent`` per level
    (in the file's order); otherwise ``summary`` holds its descriptives."""

    name: str
    label: str | None
    unit: str | None
    categorical: bool
    summary: Summary
    counts: Mapping[str, int | None]
    percent: Mapping[str, float | None]


def read_baseline(results: Mapping[str, Any]) -> Mapping[str, Characteristic]:
    """name -> :class:`Characteristic` (empty when the section is absent)."""
    return MappingProxyType({
        name: Characteristic(
            name, text(s.get("label")) or None, text(s.get("unit")),
            s.get("type") == "categorical", Summary.read(s),
            MappingProxyType(counts(s, "counts")),
            MappingProxyType({key(k): real(v) for k, v in section(s, "percent").items()}))
        for name, s in entries(results, "baseline").items()})
