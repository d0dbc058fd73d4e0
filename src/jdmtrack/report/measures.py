"""Measure names as the report prints them: short labels, panel labels and the decimal
places of each measure's summaries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..fields import EVENT_CODES, code_label

__all__ = ["FALLBACK_LABELS", "decimals_for", "measure_label", "short_label"]

#: Short labels of the measures the report knows (the results' labels describe fields).
FALLBACK_LABELS: dict[str, str] = {
    "cmas_total": "CMAS (0–52)",
    "mmt8_total": "MMT-8 (0–80)",
    "das_skin": "Skin-DAS (0–9)",
    "das_muscle": "Muscle-DAS (0–11)",
    "das_total": "DAS total (0–20)",
    "catbm_activity": "CAT-BM activity (0–17)",
    "catbm_damage": "CAT-BM damage (0–11)",
    "phga_cm": "Physician global activity (cm)",
    "ptga_cm": "Patient/parent global (cm)",
    "extramuscular_cm": "Extramuscular global (cm)",
    "chaq": "CHAQ (0–3)",
    "cs_mg_kg_day": "Corticosteroid dose (mg/kg/day)",
    "jaki_mg_kg_day": "JAKi dose (mg/kg/day)",
    "jaki_mg_day": "JAKi dose (mg/day)",
    "weight_kg": "Weight (kg)",
    "height_cm": "Height (cm)",
    "egfr": "eGFR (mL/min/1.73 m²)",
    "creatinine_umol_l": "Creatinine (µmol/L)",
    "cs_change_pct": "Corticosteroid dose change from week 0 (%)",
    "ck_u_l": "CK (U/L)",
    "ldh_u_l": "LDH (U/L)",
    "aldolase_u_l": "Aldolase (U/L)",
    "ast_u_l": "AST (U/L)",
    "alt_u_l": "ALT (U/L)",
    "tis": "Total Improvement Score",
    "printo_cid": "PRINTO clinically inactive disease",
    "skin_inactive": "Inactive skin",
    "rash_improved": "Rash improved",
}


def decimals_for(name: str, unit: object = None) -> int:
    """Decimal places of a measure's summaries: 2 for doses per kilogram, else 1.

    >>> decimals_for("cs_mg_kg_day"), decimals_for("cmas_total"), decimals_for("x", "mg/kg/day")
    (2, 1, 2)
    """
    if "mg_kg" in name or (isinstance(unit, str) and "mg/kg" in unit):
        return 2
    return 1


def measure_label(name: str, given: Mapping[str, Any] | str | None = None) -> str:
    """A short display label: the report's own for known measures, else the label the
    results give (a field description, often long; ``given`` is the label or the results'
    entry holding it), else the column name.

    >>> measure_label("cmas_total", {"label": "CMAS total 0-52: sum of the 14 items"})
    'CMAS (0–52)'
    >>> measure_label("x_new", {"label": "New score"}), measure_label("odd_column")
    ('New score', 'odd_column')
    >>> measure_label("x_new", "New score"), measure_label("x_new", "")
    ('New score', 'x_new')
    >>> measure_label("jaki_discontinuation")
    'JAK inhibitor discontinued'

    """
    if name in FALLBACK_LABELS:
        return FALLBACK_LABELS[name]
    if name in EVENT_CODES:  # time to an event: the event's label in the dictionary
        return code_label(name)
    label = given.get("label") if isinstance(given, Mapping) else given
    if isinstance(label, str) and label:
        return label
    return name


def short_label(label: str) -> str:
    """A label cut before any bracket or comma (figure panels, narrow columns).

    >>> short_label("Corticosteroid dose, prednisone equivalent"), short_label("CMAS (0–52)")
    ('Corticosteroid dose', 'CMAS')
    """
    return label.split(" (")[0].split(",")[0]
