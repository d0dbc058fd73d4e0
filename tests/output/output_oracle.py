"""The output formatting as it was before it was vectorised (jdmtrack 5b743fb), kept as an
oracle: the new ``format_for_output`` must write the same CSV bytes for every frame."""

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


def old_csv_text(frame: pd.DataFrame, derived_bools: set[str] | None = None) -> str:
    """The CSV text the old ``write_table`` wrote."""
    text: str = old_format_for_output(frame, derived_bools).to_csv(index=False, lineterminator="\n")
    return text
