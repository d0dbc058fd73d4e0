"""The ``patients`` section typed: one row per patient (drug, dose, weight, scores at
week 0 and at the last visit, response at the last visit, adverse events)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .read import identifier, integer, key, real, rows, section, text

__all__ = ["PatientRow", "read_patients"]


@dataclass(frozen=True)
class PatientRow:
    """One patient. ``baseline`` and ``last`` map a measure to its value (None: missing)."""

    patient_id: str | None
    jaki_drug: str | None
    jaki_mg_day: float | None
    jaki_mg_kg_day: float | None
    weight_kg: float | None
    last_week: float | None
    baseline: Mapping[str, float | None]
    last: Mapping[str, float | None]
    response_last: str | None
    adverse_events: int | None


def _values(p: Mapping[str, Any], name: str) -> Mapping[str, float | None]:
    return MappingProxyType({key(m): real(v) for m, v in section(p, name).items()})


def read_patients(results: Mapping[str, Any]) -> tuple[PatientRow, ...]:
    """Every patient's row (empty when the section is absent)."""
    return tuple(
        PatientRow(identifier(p.get("patient_id")), text(p.get("jaki_drug")),
                   real(p.get("jaki_mg_day")), real(p.get("jaki_mg_kg_day")),
                   real(p.get("weight_kg")), real(p.get("last_week")),
                   _values(p, "baseline"), _values(p, "last"),
                   text(p.get("response_last")) or None, integer(p.get("adverse_events")))
        for p in rows(results, "patients"))
