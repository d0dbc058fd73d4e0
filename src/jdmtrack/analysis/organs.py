"""Organ outcomes at the last visit (ILD, calcinosis, MAS) and response percentages.

Organ outcomes are the first-class fields ``ild_outcome``, ``calcinosis_outcome`` and
``mas_outcome``, counted among the patients with the organ involved at JAKi start.
Response percentages are of the patients evaluable at the week (CR, PR or NR).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..fields import field
from .at_start import known_yes
from .common import column, week_key
from .settings import AnalysisSettings

__all__ = ["ORGANS", "summarise_organs", "summarise_response_percent"]

ORGANS = ("ild", "calcinosis", "mas")


def summarise_organs(patients: pd.DataFrame) -> dict[str, Any]:
    """Per organ: patients involved at start, and counts of each outcome among them."""
    out: dict[str, Any] = {}
    for organ in ORGANS:
        involved = patients[known_yes(column(patients, organ)) == True]  # noqa: E712
        outcome = column(involved, f"{organ}_outcome")
        codes = field("patients", f"{organ}_outcome").choices
        out[organ] = {"n_involved": len(involved),
                      "outcomes": {c: int((outcome == c).sum()) for c in codes},
                      "n_missing": int(outcome.isna().sum())}
    return out


def summarise_response_percent(at_weeks: pd.DataFrame,
                               settings: AnalysisSettings) -> dict[str, Any]:
    """Per analysis week: CR, PR, NR and CR or PR, each n and % of the evaluable."""
    out: dict[str, Any] = {}
    for week in settings.weeks[1:]:
        response = column(at_weeks[at_weeks["week"] == week], "response")
        counts = {c: int((response == c).sum()) for c in ("CR", "PR", "NR")}
        n = sum(counts.values())
        counts["CR_or_PR"] = counts["CR"] + counts["PR"]
        out[week_key(week)] = {"n_evaluable": n} | {
            c: {"n": k, "percent": 100.0 * k / n if n else None} for c, k in counts.items()}
    return out
