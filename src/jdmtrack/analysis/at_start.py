"""Disease at JAKi start: rash, decreased muscle strength, muscle enzymes above the upper
limit of normal (at start and throughout), and CMAS not scorable with its reason.

Enzyme and CMAS-course flags are the patient columns of :mod:`jdmtrack.courses`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..fields import DERIVED_FIELDS, field
from .common import column
from .settings import AnalysisSettings

__all__ = ["known_yes", "summarise_at_start"]

_COURSES = next(f.choices for f in DERIVED_FIELDS if f.name == "cmas_course")


def _count(flag: pd.Series, n: int) -> dict[str, Any]:
    known = flag.dropna()
    hit = int((known == True).sum())  # noqa: E712 - nullable booleans and "yes" strings
    return {"n": hit, "of": n, "n_known": len(known),
            "percent": 100.0 * hit / n if n else None}


def known_yes(series: pd.Series) -> pd.Series:
    """True for yes (a nullable True or the text "yes"), False for no, None when missing."""
    return series.map(lambda v: None if v is None or v is pd.NA or v != v
                      else (v is True or v == "yes"))


def summarise_at_start(patients: pd.DataFrame, visits: pd.DataFrame,
                       settings: AnalysisSettings) -> dict[str, Any]:
    """Counts (n, of, percent) of each feature at week 0 among the analysed patients."""
    n = len(patients)
    start = visits[visits["week"] == settings.baseline_week].drop_duplicates("patient_id")
    start = start.set_index("patient_id").reindex(patients["patient_id"].to_numpy())
    reasons = column(start, "reason_cmas_not_scored").dropna()
    codes = field("visits", "reason_cmas_not_scored").choices
    return {
        "rash": _count(known_yes(column(start, "rash")), n),
        "muscle_involvement": _count(known_yes(column(patients, "muscle_involvement")), n),
        "enzymes_high_start": _count(known_yes(column(patients, "enzymes_high_start")), n),
        "enzymes_high_throughout": _count(
            known_yes(column(patients, "enzymes_high_throughout")), n),
        "cmas_course": {c: int((column(patients, "cmas_course") == c).sum())
                        for c in _COURSES},
        "cmas_not_scorable": {"n": len(reasons), "of": n,
                              "reasons": {c: int((reasons == c).sum()) for c in codes}},
    }
