"""Labels the report's tables and figures share: response and TIS categories.

Codes get their words from the field dictionary (:func:`jdmtrack.fields.code_label`); this
module adds what the report prints beside them (the abbreviation, the TIS score range).
"""

from __future__ import annotations

from ..fields import DERIVED_FIELDS, code_label
from .context import Context

__all__ = ["RESPONSES", "TIS_CATEGORIES", "response_label", "tis_category_labels"]



def _categories(name: str) -> tuple[str, ...]:
    """A derived category column's codes (the field dictionary's), less ``not_evaluable``."""
    spec = next(f for f in DERIVED_FIELDS if f.name == name)
    return tuple(c for c in spec.choices if c != "not_evaluable")


RESPONSES = _categories("response")            # CR, PR, NR
TIS_CATEGORIES = _categories("tis_category")   # none, minimal, moderate, major


def response_label(code: str) -> str:
    """A response category's label with its abbreviation: ``Complete response (CR)``."""
    return f"{code_label(code)} ({code})"


def tis_category_labels(ctx: Context) -> list[str]:
    """Each TIS improvement category with its score range, by the thresholds the analysis
    used (tables and figure legends alike)."""
    from ..criteria.tis import TIS_THRESHOLDS

    cuts = TIS_THRESHOLDS.get(str(ctx.typed.recorded_settings.tis_population))
    if cuts is None:
        return [code_label(k) for k in TIS_CATEGORIES]
    low, mid, high = (f"{c:g}" for c in cuts)
    ranges = (f"< {low}", f"{low} to < {mid}", f"{mid} to < {high}", f"≥ {high}")
    return [f"{code_label(k)} ({r})" for k, r in zip(TIS_CATEGORIES, ranges, strict=True)]
