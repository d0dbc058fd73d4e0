"""Write derived tables as CSV or Excel, in the cohort format's conventions.

Booleans are written ``yes``/``no`` (a missing input boolean stays empty; a derived one
that cannot be decided is ``not_evaluable``), lists are ``;``-joined, dates ISO, and
numbers at full precision (integral values without a trailing ``.0``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import JdmtrackError
from ..fields import LIST_SEPARATOR

__all__ = ["format_for_output", "write_table"]

NOT_EVALUABLE = "not_evaluable"


def format_for_output(frame: pd.DataFrame, derived_bools: set[str] | None = None) -> pd.DataFrame:
    """Cells as the user-facing text of the cohort format (a new frame of ``object``)."""
    derived_bools = derived_bools or set()
    out: dict[str, Any] = {}
    for name in frame.columns:
        column = frame[name]
        missing_text = NOT_EVALUABLE if name in derived_bools else ""
        if isinstance(column.dtype, pd.BooleanDtype):
            cells = np.where(column.isna().to_numpy(), missing_text,
                             np.where(column.fillna(False).to_numpy(dtype=bool), "yes", "no"))
        elif pd.api.types.is_datetime64_any_dtype(column.dtype):
            cells = column.dt.strftime("%Y-%m-%d").fillna("").to_numpy(dtype=object)
        elif pd.api.types.is_float_dtype(column.dtype):
            out[str(name)] = _numbers(column)
            continue
        else:
            cells = np.array([_cell(v) for v in column.to_numpy(dtype=object)], dtype=object)
        out[str(name)] = cells
    return pd.DataFrame(out, index=frame.index)


def _numbers(column: pd.Series) -> pd.Series:
    """Whole-number columns become nullable integers (written without '.0'); others stay
    float64, which pandas writes at full (shortest round-trip) precision."""
    values = column.to_numpy(dtype="float64")
    finite = values[~np.isnan(values)]
    if len(finite) and np.all(finite == np.floor(finite)) and np.all(np.abs(finite) < 2**53):
        return column.astype("Int64")
    return column.astype("float64")


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, tuple):
        return LIST_SEPARATOR.join(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def write_table(frame: pd.DataFrame, path: str | Path, *, sheet: str = "visits",
                derived_bools: set[str] | None = None) -> Path:
    """Write one table to ``path`` (.csv or .xlsx)."""
    path = Path(path)
    text = format_for_output(frame, derived_bools)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise JdmtrackError(f"{path}: the output must end in .csv or .xlsx")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        text.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    else:
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            text.to_excel(writer, sheet_name=sheet, index=False)
    return path
