"""Adverse events of special interest for JAK inhibitors, each listed (zero when none),
the serious adverse events with their seriousness criteria, and what happened to the JAKi.

Special interest follows the EMA's 2023 Article 20 review of JAK inhibitors and the
labels' warnings (fields.SPECIAL_INTEREST_CODES); a serious infection is an infection
marked serious, a death an event with outcome fatal. Seriousness criteria are read from
the record as ICH E2A defines them: death (outcome fatal), hospitalisation (hospitalised).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..fields import AE_CATEGORIES, field
from .common import column

__all__ = ["summarise_aesi"]

_CATEGORY_OF = {"thromboembolism": "thromboembolic", "malignancy": "malignancy"}


def _is(series: pd.Series) -> pd.Series:
    return series.map(lambda v: v is True or v == "yes").astype(bool)


def _tally(mask: pd.Series, adverse: pd.DataFrame) -> dict[str, int]:
    return {"n_events": int(mask.sum()),
            "n_patients": int(adverse.loc[mask, "patient_id"].nunique())}


def summarise_aesi(adverse: pd.DataFrame) -> dict[str, Any]:
    """Counts per special-interest item, per category, and the serious events listed."""
    interest = column(adverse, "special_interest")
    category = column(adverse, "category")
    serious = _is(column(adverse, "serious"))
    hospital = _is(column(adverse, "hospitalised"))
    fatal = column(adverse, "outcome") == "fatal"
    items: dict[str, Any] = {
        "serious_infection": _tally((category == "infection") & serious, adverse)}
    for code in field("adverse_events", "special_interest").choices:
        mask = interest == code
        if code in _CATEGORY_OF:
            mask = mask | (category == _CATEGORY_OF[code])
        items[code] = _tally(mask, adverse)
    items["death"] = _tally(fatal, adverse)
    action = column(adverse, "action")
    listed = adverse[serious | hospital | fatal]
    return {
        "special_interest": items,
        "by_category": {c: _tally(category == c, adverse) for c in AE_CATEGORIES},
        "serious": [{"patient_id": str(r["patient_id"]), "week": float(r["week"]),
                     "term": str(r["term"]),
                     "criteria": [c for c, hit in (("death", r["outcome"] == "fatal"),
                                                   ("hospitalisation", r["_h"])) if hit],
                     "action": None if pd.isna(r["action"]) else str(r["action"])}
                    for _, r in listed.assign(
                        _h=hospital[listed.index], outcome=column(listed, "outcome"),
                        action=column(listed, "action")).iterrows()],
        "actions": {"interrupted": _tally(action == "interrupted", adverse),
                    "withdrawn": _tally(action == "withdrawn", adverse),
                    "hospitalised": _tally(hospital, adverse),
                    "interrupted_and_hospitalised":
                        _tally((action == "interrupted") & hospital, adverse)},
    }
