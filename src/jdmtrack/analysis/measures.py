"""Which visit measures are outcomes (tested) and which are covariates (described only).

The names, labels and units come from the field dictionary (``jdmtrack.fields``); this module
only sorts them. design.md, "outcomes": the disease-activity and treatment-burden measures
(instrument totals and raw measures such as ``das_muscle``, ``chaq``, the global VAS, muscle
enzymes, steroid dose) are outcomes; body size, kidney function and JAKi dose are covariates,
described per week but not tested. The ``measures`` setting replaces the default outcome set.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from ..fields import DERIVED_FIELDS, fields_of

__all__ = ["COVARIATES", "covariate_measures", "known_measures", "outcome_measures"]

#: Described, never tested (design.md, "outcomes"): body size, kidney function, JAKi dose.
COVARIATES = ("weight_kg", "height_cm", "creatinine_umol_l", "egfr", "jaki_mg_day",
              "jaki_mg_kg_day")

# Numeric visit columns that are parts of another measure or bookkeeping, not measures.
_NOT_MEASURES = {"week", "jaki_mg_per_dose", "jaki_doses_per_day", "cs_mg_day",
                 "printo_cid_criteria_met", "alt_ctcae_grade", "ast_ctcae_grade"}


@cache
def known_measures() -> dict[str, tuple[str, str]]:
    """Every measure the analysis can summarise: ``{column: (label, unit)}``, in dictionary
    order (instrument items and upper limits of normal are parts, not measures)."""
    # A derived column's entry (e.g. "CMAS total 0-52: sum of the 14 items, else as given")
    # replaces the raw column's of the same name, keeping the raw column's place.
    specs = {f.name: f for f in (*fields_of("visits"), *DERIVED_FIELDS)}
    out: dict[str, tuple[str, str]] = {}
    for name, spec in specs.items():
        if name in _NOT_MEASURES or spec.kind not in ("integer", "number"):
            continue
        if name.endswith(("_seconds", "_uln_u_l")):
            continue
        if spec.group in ("cmas", "mmt8") and not name.endswith("_total"):
            continue
        out[name] = (spec.label, spec.unit)
    return out


def _has_values(visits: pd.DataFrame, name: str) -> bool:
    return (name in visits.columns and pd.api.types.is_numeric_dtype(visits[name])
            and bool(visits[name].notna().any()))


def outcome_measures(visits: pd.DataFrame,
                     chosen: tuple[str, ...] | None = None) -> list[tuple[str, str, str]]:
    """(column, label, unit) of each outcome: exactly ``chosen`` when given (in its order,
    present or not), else every non-covariate measure with a value in ``visits``."""
    catalogue = known_measures()
    if chosen is not None:
        return [(name, *catalogue[name]) for name in chosen]
    return [(name, label, unit) for name, (label, unit) in catalogue.items()
            if name not in COVARIATES and _has_values(visits, name)]


def covariate_measures(visits: pd.DataFrame,
                       chosen: tuple[str, ...] | None = None) -> list[tuple[str, str, str]]:
    """(column, label, unit) of each covariate with a value that is not a chosen outcome."""
    catalogue = known_measures()
    return [(name, *catalogue[name]) for name in COVARIATES
            if name in catalogue and (chosen is None or name not in chosen)
            and _has_values(visits, name)]
