"""The JAK-inhibitor dose check, typed (``dosing`` of the results file, with each patient's
dose and weight at start from ``patients`` for the dose figure).

>>> d = read_dosing({"dosing": {"below_reference": ["P1", 2], "reference_bands": [
...     {"drug": "tofacitinib", "weight_max_kg": 25, "reference_mg_day": 5}]},
...     "patients": [{"patient_id": "P1", "weight_kg": 20, "jaki_mg_kg_day": 0.25}, {}]})
>>> d.below_reference, d.bands[0].weight_max_kg, len(d.points)
(('P1', '2'), 25.0, 1)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .counts import Spread, spread
from .read import identifier, integer, num, rows, section, text

__all__ = ["DoseBand", "DosePoint", "Dosing", "read_dosing"]


@dataclass(frozen=True)
class DoseBand:
    """One row of the dose reference table (``jdmtrack.protocol.dosing``)."""

    drug: str | None
    recommended: bool | None
    egfr_max: float | None
    weight_min_kg: float | None
    weight_max_kg: float | None
    reference_mg_kg_day: float | None
    reference_mg_day: float | None
    maximum_mg_kg_day: float | None
    maximum_mg_day: float | None


@dataclass(frozen=True)
class DosePoint:
    """A patient with both a weight and a dose per kilogram at start."""

    patient_id: str
    drug: str
    weight_kg: float
    mg_kg_day: float


@dataclass(frozen=True)
class Dosing:
    """Dose at start and the check against the reference; ``present`` False when absent."""

    present: bool
    reference: str | None
    below_reference: tuple[str, ...]
    above_maximum: tuple[str, ...]
    bands: tuple[DoseBand, ...] | None
    mg_kg_day: Spread | None
    mg_day: Spread | None
    by_drug: tuple[tuple[str, int | None], ...]
    points: tuple[DosePoint, ...]


def _ids(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else []
    return tuple(t for t in map(identifier, items) if t is not None)


def _band(b: Mapping[str, Any]) -> DoseBand:
    recommended = b.get("recommended")
    return DoseBand(text(b.get("drug")), recommended if isinstance(recommended, bool) else None,
                    *(num(b.get(k)) for k in (
                        "egfr_max", "weight_min_kg", "weight_max_kg", "reference_mg_kg_day",
                        "reference_mg_day", "maximum_mg_kg_day", "maximum_mg_day")))


def _points(data: Mapping[str, Any]) -> tuple[DosePoint, ...]:
    points = []
    for p in rows(data, "patients"):
        weight, dose = num(p.get("weight_kg")), num(p.get("jaki_mg_kg_day"))
        if weight is not None and dose is not None:
            points.append(DosePoint(text(str(p.get("patient_id"))) or "",
                                    text(p.get("jaki_drug")) or "unknown", weight, dose))
    return tuple(points)


def read_dosing(data: Mapping[str, Any]) -> Dosing:
    """The ``dosing`` section and the patients' dose points."""
    d = section(data, "dosing")
    bands = d.get("reference_bands")
    return Dosing(bool(d), text(d.get("reference")), _ids(d.get("below_reference")),
                  _ids(d.get("above_maximum")),
                  tuple(_band(b) for b in rows(d, "reference_bands"))
                  if isinstance(bands, list) else None,
                  spread(d.get("jaki_mg_kg_day")), spread(d.get("jaki_mg_day")),
                  tuple((str(k), integer(n)) for k, n in section(d, "by_drug").items()),
                  _points(data))
