"""The output formatting as it was before it was vectorised (jdmtrack 5b743fb), kept as an
oracle (a cell at a time, as then): the new ``format_for_output`` must write the same CSV
bytes for every frame."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from jdmtrack.fields import LIST_SEPARATOR

NOT_EVALUABLE = "not_evaluable"


def old_format_for_output(frame: pd.DataFrame, derived_bools: set[str] | None = None) -> pd.DataFrame:
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
    """Whole numbers (all below 2^53) as Int64, else float64: one value at a time."""
    finite = [v for v in column.tolist() if v is not None and not pd.isna(v)]
    whole = bool(finite) and all(float(v).is_integer() and abs(v) < 2**53 for v in finite)
    return column.astype("Int64" if whole else "float64")


def _cell(value: object) -> str:
    """The text of one cell, written out case by case."""
    text = ""
    if isinstance(value, tuple):
        text = LIST_SEPARATOR.join(value)
    elif isinstance(value, bool):
        text = {True: "yes", False: "no"}[value]
    elif isinstance(value, float):
        if not np.isnan(value):
            text = str(int(value)) if value.is_integer() else repr(value)
    elif value is not None:
        text = str(value)
    return text


def old_csv_text(frame: pd.DataFrame, derived_bools: set[str] | None = None) -> str:
    """The CSV text the old ``write_table`` wrote."""
    text: str = old_format_for_output(frame, derived_bools).to_csv(index=False, lineterminator="\n")
    return text
