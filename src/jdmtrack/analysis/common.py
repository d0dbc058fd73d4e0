"""Small helpers shared by the analysis sections."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["column", "describe_dict", "end_of_followup", "week_key"]


def week_key(week: float) -> str:
    """Results-file key of a week.

    >>> week_key(4.0), week_key(2.5)
    ('4', '2.5')
    """
    return str(int(week)) if float(week).is_integer() else repr(float(week))


def column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column, or all-missing when the table does not have it."""
    if name in frame.columns:
        return frame[name]
    return pd.Series(np.nan, index=frame.index, name=name)


def describe_dict(values: Any, quantile_method: int) -> dict[str, Any]:
    """``{n, missing, median, q1, q3, mean, sd, min, max}`` at full precision."""
    # Imported here: jdmtrack.stats loads scipy, which the settings (visit windows, via
    # week_key) and so `jdmtrack score` do not need.
    from ..stats.descriptive import describe

    r = describe(np.asarray(values, dtype="float64"), quantile_method)
    return {"n": r.n, "missing": r.missing, "median": r.median, "q1": r.q1, "q3": r.q3,
            "mean": r.mean, "sd": r.sd, "min": r.min, "max": r.max}


def end_of_followup(patients: pd.DataFrame, visits: pd.DataFrame,
                    events: pd.DataFrame) -> pd.Series:
    """Weeks of follow-up per patient: ``followup_weeks`` when given, else the last visit or
    event, whichever is later (indexed by patient_id)."""
    ids = patients["patient_id"]
    last_visit = visits.groupby("patient_id")["week"].max()
    last_event = (events.groupby("patient_id")["week"].max() if len(events)
                  else pd.Series(dtype="float64"))
    observed = pd.concat([last_visit, last_event], axis=1).max(axis=1)
    given = column(patients, "followup_weeks").astype("float64")
    end = pd.Series(given.to_numpy(), index=ids.to_numpy())
    fallback = observed.reindex(ids.to_numpy())
    return end.where(~end.isna(), fallback).astype("float64")


def finite(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)
