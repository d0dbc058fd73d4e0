"""Instrument scoring: pure, vectorised functions from item columns to totals.

``score_visits`` adds to the visits table every total and dose that can be computed
from the items recorded on the same row: ``cmas_total``, ``mmt8_total``, ``das_total``,
``cs_mg_kg_day`` (when derived), ``jaki_mg_day``, ``jaki_mg_kg_day`` and ``egfr``.
CAT-BM activity and damage are recorded as domain totals (Huber 2008) and used as given.
Nothing is imputed or pro-rated: a value that cannot be derived is missing, and the
reason is an aggregated warning (``jdmtrack.warning_log``) naming the column, with the
rows it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..warning_log import RowSource, WarningLog
from .cmas import CMAS_ITEM_COLUMNS, cmas_items_with_seconds
from .das import DAS_DOMAINS
from .dosing import daily_dose, per_kg
from .egfr import egfr_bedside_schwartz
from .items import ItemSum, sum_items
from .mmt8 import MMT8_COLUMNS

__all__ = ["ScoredVisits", "cmas_items_with_seconds", "score_visits"]

# How far a typed mg/kg/day may lie from mg/day / kg before we say so: recorded values
# are usually rounded to 2 decimals, so a difference above 0.01 and 5 % is not rounding.
_CS_AGREEMENT_ABS = 0.01
_CS_AGREEMENT_REL = 0.05


@dataclass(frozen=True)
class ScoredVisits:
    """The visits table with the derived columns, and the warnings raised deriving them."""

    visits: pd.DataFrame
    warnings: WarningLog


def score_visits(visits: pd.DataFrame) -> ScoredVisits:
    """Add the derived totals and doses to a validated visits table (a new frame)."""
    # A shallow copy: copy-on-write keeps ``visits`` unchanged as columns are added.
    out = visits.copy(deep=False)
    warnings = WarningLog()
    cmas_items = cmas_items_with_seconds(visits)
    cmas_items["cmas_total"] = _col(visits, "cmas_total")
    cmas = sum_items(cmas_items, CMAS_ITEM_COLUMNS, "cmas_total")
    mmt8 = sum_items(visits, MMT8_COLUMNS, "mmt8_total")
    das = sum_items(visits, DAS_DOMAINS, "das_total")
    for name, columns, result in (("cmas_total", CMAS_ITEM_COLUMNS, cmas),
                                  ("mmt8_total", MMT8_COLUMNS, mmt8),
                                  ("das_total", DAS_DOMAINS, das)):
        out[name] = result.total
        warnings += _partial_warnings(visits, name, columns, result)
    weight = _col(visits, "weight_kg")
    cs_given = _col(visits, "cs_mg_kg_day")
    cs_mg_day = _col(visits, "cs_mg_day")
    cs_derived = per_kg(cs_mg_day, weight)
    if "cs_mg_kg_day" in visits.columns or "cs_mg_day" in visits.columns:
        out["cs_mg_kg_day"] = np.where(np.isnan(cs_given), cs_derived, cs_given)
        warnings += _row_warnings(visits, ~np.isnan(cs_mg_day) & np.isnan(cs_given) & np.isnan(weight),
                                  "weight_missing", "weight_kg",
                                  "corticosteroid mg/kg/day left missing: cs_mg_day is recorded "
                                  "but weight_kg is not")
        with np.errstate(invalid="ignore"):
            gap = np.abs(cs_given - cs_derived)
            disagree = (gap > _CS_AGREEMENT_ABS) & (gap > _CS_AGREEMENT_REL * cs_derived)
        warnings += _row_warnings(visits, disagree, "cs_dose_disagrees", "cs_mg_kg_day",
                                  "cs_mg_kg_day differs from cs_mg_day / weight_kg by more than "
                                  "rounding; the recorded cs_mg_kg_day is used")
    if "jaki_mg_per_dose" in visits.columns or "jaki_doses_per_day" in visits.columns:
        per_dose = _col(visits, "jaki_mg_per_dose")
        per_day = _col(visits, "jaki_doses_per_day")
        out["jaki_mg_day"] = daily_dose(per_dose, per_day)
        out["jaki_mg_kg_day"] = per_kg(out["jaki_mg_day"].to_numpy(), weight)
        warnings += _row_warnings(visits, np.isnan(per_dose) ^ np.isnan(per_day),
                                  "dose_incomplete", "jaki_doses_per_day",
                                  "JAKi daily dose left missing: needs both jaki_mg_per_dose and "
                                  "jaki_doses_per_day")
        warnings += _row_warnings(visits, ~np.isnan(per_dose * per_day) & np.isnan(weight),
                                  "weight_missing", "weight_kg",
                                  "JAKi mg/kg/day left missing: weight_kg is not recorded")
    if "creatinine_umol_l" in visits.columns:
        out["egfr"] = egfr_bedside_schwartz(_col(visits, "height_cm"),
                                            _col(visits, "creatinine_umol_l"))
        warnings += _row_warnings(visits, ~np.isnan(_col(visits, "creatinine_umol_l"))
                                  & np.isnan(_col(visits, "height_cm")), "height_missing",
                                  "height_cm", "eGFR left missing: creatinine is recorded but "
                                  "height_cm is not")
    return ScoredVisits(out, warnings)


def _col(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name in frame.columns:
        return frame[name].to_numpy(dtype="float64")
    return np.full(len(frame), np.nan)


def _row_warnings(visits: pd.DataFrame, mask: np.ndarray, code: str, column: str,
                  message: str) -> WarningLog:
    log = WarningLog()
    if mask.any():
        log.add_mask(code, message, RowSource.of_frame("visits", visits), mask, column=column)
    return log


def _partial_warnings(visits: pd.DataFrame, total: str, columns: tuple[str, ...],
                      result: ItemSum) -> WarningLog:
    """One record per item that left ``total`` missing on partly recorded rows."""
    log = WarningLog()
    if not result.partial.any():
        return log
    source = RowSource.of_frame("visits", visits)
    partial_rows = np.flatnonzero(result.partial)
    for position, column in enumerate(columns):
        log.add_rows("item_missing", f"{total} left missing (never pro-rated): {column} not "
                     "recorded while other items were", source,
                     partial_rows[result.missing_items[:, position]], column=column)
    return log
