"""The ``listing`` section typed: per-patient values the papers quote, by measure and
week, and the patients whose value rose between two weeks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .read import entries, integer, key, real, rows, section, text, texts

__all__ = ["Listing", "Rise", "RiseWeek", "read_listing"]


@dataclass(frozen=True)
class Rise:
    """One patient's value before and after."""

    patient_id: str | None
    before: float | None
    after: float | None


@dataclass(frozen=True)
class RiseWeek:
    """Rises at one week: how many, of how many pairs, and who (lowest week-0 value first)."""

    n: int | None
    n_pairs: int | None
    patients: tuple[Rise, ...]


@dataclass(frozen=True)
class Listing:
    """``patients``: patient -> measure -> week -> value; ``rises``: measure -> week ->
    :class:`RiseWeek`."""

    measures: tuple[str, ...]
    patients: Mapping[str, Mapping[str, Mapping[str, float]]]
    rises: Mapping[str, Mapping[str, RiseWeek]]


def _by_week(values: Mapping[str, Any]) -> Mapping[str, float]:
    return MappingProxyType({key(w): v for w, v in ((w, real(x)) for w, x in values.items())
                             if v is not None})


def _rise_week(s: Mapping[str, Any]) -> RiseWeek:
    return RiseWeek(integer(s.get("n")), integer(s.get("n_pairs")),
                    tuple(Rise(text(r.get("patient_id")), real(r.get("before")),
                               real(r.get("after"))) for r in rows(s, "patients")))


def read_listing(results: Mapping[str, Any]) -> Listing | None:
    """The ``listing`` section, or None when the file has none (absent, null or empty)."""
    raw = section(results, "listing")
    if not raw:
        return None
    patients = {pid: MappingProxyType({key(m): _by_week(v) for m, v in values.items()
                                       if isinstance(v, dict)})
                for pid, values in entries(raw, "patients").items()}
    rises = {m: MappingProxyType({key(w): _rise_week(s) for w, s in weeks.items()
                                  if isinstance(s, dict)})
             for m, weeks in entries(raw, "rises").items()}
    return Listing(texts(raw.get("measures")), MappingProxyType(patients),
                   MappingProxyType(rises))
