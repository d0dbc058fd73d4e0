"""Short display labels of the measures: a short name from here, the rest from the field.

The report prints a measure by a short name with its scale: the range of a unitless score
(``CMAS (0–52)``, from the field's minimum and maximum) or the unit (``CK (U/L)``). Only the
short name is written here; the range and unit are the field dictionary's own, so a scale
changed there changes every label.

>>> measure_short_label("cmas_total"), measure_short_label("ck_u_l")
('CMAS (0–52)', 'CK (U/L)')
>>> measure_short_label("tis"), measure_short_label("no_such_measure") is None
('Total Improvement Score', True)
"""

from __future__ import annotations

from functools import cache

from .cohort_v1 import FIELDS
from .derived import DERIVED_FIELDS
from .model import Field

__all__ = ["MEASURE_NAMES", "measure_short_label", "measure_short_labels"]

#: measure -> (short name, whether the label shows the field's range or unit).
#: Composite scores and criteria print by name alone (their scale is in the methods).
MEASURE_NAMES: dict[str, tuple[str, bool]] = {
    "cmas_total": ("CMAS", True),
    "mmt8_total": ("MMT-8", True),
    "das_skin": ("Skin-DAS", True),
    "das_muscle": ("Muscle-DAS", True),
    "das_total": ("DAS total", True),
    "catbm_activity": ("CAT-BM activity", True),
    "catbm_damage": ("CAT-BM damage", True),
    "phga_cm": ("Physician global activity", True),
    "ptga_cm": ("Patient/parent global", True),
    "extramuscular_cm": ("Extramuscular global", True),
    "chaq": ("CHAQ", True),
    "cs_mg_kg_day": ("Corticosteroid dose", True),
    "jaki_mg_kg_day": ("JAKi dose", True),
    "jaki_mg_day": ("JAKi dose", True),
    "weight_kg": ("Weight", True),
    "height_cm": ("Height", True),
    "egfr": ("eGFR", True),
    "creatinine_umol_l": ("Creatinine", True),
    "cs_change_pct": ("Corticosteroid dose change from week 0", True),
    "ck_u_l": ("CK", True),
    "ldh_u_l": ("LDH", True),
    "aldolase_u_l": ("Aldolase", True),
    "ast_u_l": ("AST", True),
    "alt_u_l": ("ALT", True),
    "tis": ("Total Improvement Score", False),
    "printo_cid": ("PRINTO clinically inactive disease", False),
    "skin_inactive": ("Inactive skin", False),
    "rash_improved": ("Rash improved", False),
}


def _scale(field: Field) -> str:
    if field.unit:
        return f" ({field.unit})"
    if field.minimum is not None and field.maximum is not None:
        return f" ({field.minimum:g}–{field.maximum:g})"
    return ""


@cache
def _visit_fields() -> dict[str, Field]:
    found: dict[str, Field] = {}
    for f in (*DERIVED_FIELDS, *FIELDS):
        if f.table == "visits":
            found.setdefault(f.name, f)
    return found


def measure_short_label(name: str) -> str | None:
    """The short label of a known measure, or None."""
    entry = MEASURE_NAMES.get(name)
    if entry is None:
        return None
    short, with_scale = entry
    field = _visit_fields().get(name)
    return short + (_scale(field) if with_scale and field is not None else "")


def measure_short_labels() -> dict[str, str]:
    """Every known measure's short label."""
    return {name: str(measure_short_label(name)) for name in MEASURE_NAMES}
