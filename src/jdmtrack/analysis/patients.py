"""The per-patient table (as study B's Table 2): drug, dose, first and last scores, response."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .common import column
from .settings import AnalysisSettings

__all__ = ["PATIENT_MEASURES", "per_patient"]

PATIENT_MEASURES = ("cmas_total", "mmt8_total", "das_skin", "das_total", "catbm_activity",
                    "ck_u_l", "phga_cm", "cs_mg_kg_day")


def _value(row: pd.Series, name: str) -> float | None:
    if name not in row.index or pd.isna(row[name]):
        return None
    return float(row[name])


def per_patient(patients: pd.DataFrame, visits: pd.DataFrame, adverse: pd.DataFrame,
                settings: AnalysisSettings) -> list[dict[str, Any]]:
    """One entry per patient, in the order of the patients table."""
    ae_counts = (adverse.groupby("patient_id").size() if len(adverse)
                 else pd.Series(dtype="int64"))
    ordered = visits.sort_values(["patient_id", "week"])
    first = (ordered[ordered["week"] == settings.baseline_week]
             .drop_duplicates("patient_id").set_index("patient_id"))
    last = ordered.drop_duplicates("patient_id", keep="last").set_index("patient_id")
    measures = [m for m in PATIENT_MEASURES if m in visits.columns]
    drugs = column(patients, "jaki_drug")
    out = []
    for pid, drug in zip(patients["patient_id"], drugs, strict=True):
        entry: dict[str, Any] = {"patient_id": pid,
                                 "jaki_drug": drug if isinstance(drug, str) else None,
                                 "adverse_events": int(ae_counts.get(pid, 0))}
        if pid not in last.index:
            entry |= {"jaki_mg_day": None, "jaki_mg_kg_day": None, "weight_kg": None,
                      "last_week": None, "baseline": {}, "last": {}, "response_last": None}
            out.append(entry)
            continue
        base = first.loc[pid] if pid in first.index else None
        end = last.loc[pid]
        for name in ("jaki_mg_day", "jaki_mg_kg_day", "weight_kg"):
            entry[name] = None if base is None else _value(base, name)
        entry["last_week"] = float(end["week"])
        entry["baseline"] = {m: (None if base is None else _value(base, m)) for m in measures}
        entry["last"] = {m: _value(end, m) for m in measures}
        response = end["response"] if "response" in last.columns else None
        entry["response_last"] = (None if response is None or
                                  (isinstance(response, float) and np.isnan(response))
                                  else str(response))
        out.append(entry)
    return out
