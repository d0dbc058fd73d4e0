"""Columns that `jdmtrack score` adds to the visits table, as data (for the docs page).

Each derived column is defined by the module named in ``source``; this list only
describes it. Categories that cannot be decided are written ``not_evaluable``;
booleans are written ``yes``/``no``.
"""

from __future__ import annotations

from .model import Field

__all__ = ["DERIVED_FIELDS"]

_V = "visits"

DERIVED_FIELDS: tuple[Field, ...] = (
    Field(_V, "cmas_total", "integer", "CMAS total 0-52: sum of the 14 items, else as given",
          minimum=0, maximum=52, group="cmas", source="jdmtrack.instruments.cmas",
          derived=True),
    Field(_V, "mmt8_total", "integer", "MMT-8 total 0-80: sum of the 8 groups, else as given",
          minimum=0, maximum=80, group="mmt8", source="jdmtrack.instruments.mmt8",
          derived=True),
    Field(_V, "das_total", "integer", "DAS total 0-20: skin + muscle domains, else as given",
          minimum=0, maximum=20, group="das", source="jdmtrack.instruments.das", derived=True),
    Field(_V, "cs_mg_kg_day", "number", "Corticosteroid mg/kg/day: as given, else mg/day / kg",
          unit="mg/kg/day", minimum=0, group="medication",
          source="jdmtrack.instruments.dosing", derived=True),
    Field(_V, "jaki_mg_day", "number", "JAKi daily dose: mg per dose x doses per day",
          unit="mg/day", minimum=0, group="medication", source="jdmtrack.instruments.dosing",
          derived=True),
    Field(_V, "jaki_mg_kg_day", "number", "JAKi daily dose per kg", unit="mg/kg/day",
          minimum=0, group="medication", source="jdmtrack.instruments.dosing", derived=True),
    Field(_V, "egfr", "number", "eGFR, bedside Schwartz (Schwartz 2009)",
          unit="mL/min/1.73 m²", minimum=0, group="labs", source="jdmtrack.instruments.egfr",
          derived=True),
)
