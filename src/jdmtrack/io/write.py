"""Write derived tables as CSV or Excel, in the cohort format's conventions.

Booleans are written ``yes``/``no`` (a missing input boolean stays empty; a derived one
that cannot be decided is ``not_evaluable``), lists are ``;``-joined, dates ISO, and
numbers at full precision (integral values without a trailing ``.0``). Text that a
spreadsheet would run as a formula is written so that it cannot run (:mod:`.formula`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import JdmtrackError
from ..fields import LIST_SEPARATOR
from .csv_columns import csv_lines
from .formula import csv_safe_column

__all__ = ["csv_frame", "format_for_output", "write_csv", "write_table"]

NOT_EVALUABLE = "not_evaluable"


def format_for_output(frame: pd.DataFrame, derived_bools: set[str] | None = None) -> pd.DataFrame:
    """Cells as the user-facing text of the cohort format (a new frame).

    Text, yes/no and date columns become ``object`` columns of ``str``; number columns stay
    numbers (nullable integers where every value is whole). Each column is formatted as a
    whole (numpy/pandas operations); an object column of mixed Python values is formatted
    once per distinct value.

    >>> frame = pd.DataFrame({"a": [1.0, None], "b": pd.array([True, None]),
    ...                       "c": [("x", "y"), None]})
    >>> format_for_output(frame, {"b"}).to_dict("list")
    {'a': [1, None], 'b': ['yes', 'not_evaluable'], 'c': ['x;y', '']}
    """
    derived_bools = derived_bools or set()
    out: dict[str, Any] = {}
    for name in frame.columns:
        column = frame[name]
        missing_text = NOT_EVALUABLE if name in derived_bools else ""
        dtype = column.dtype
        if isinstance(dtype, pd.BooleanDtype) or pd.api.types.is_bool_dtype(dtype):
            out[str(name)] = _yes_no(column, missing_text)
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            out[str(name)] = column.dt.strftime("%Y-%m-%d").fillna("").to_numpy(dtype=object)
        elif pd.api.types.is_float_dtype(dtype):
            out[str(name)] = _numbers(column)
        elif pd.api.types.is_integer_dtype(dtype):
            out[str(name)] = column.astype("Int64")
        else:
            out[str(name)] = _texts(column)
    return pd.DataFrame(out, index=frame.index)


def _yes_no(column: pd.Series, missing_text: str) -> np.ndarray:
    return np.where(column.isna().to_numpy(), missing_text,
                    np.where(column.fillna(False).to_numpy(dtype=bool), "yes", "no")).astype(object)


def _texts(column: pd.Series) -> np.ndarray:
    """An object column as text: strings as they are, anything else as :func:`_cell` says."""
    codes, table = _text_table(column)
    text: np.ndarray = table[codes]
    return text


def _text_table(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct value of an object column as text, once, and which one each cell is:
    ``table[codes]`` is the column as text (code -1, missing, takes the last entry, "")."""
    codes, uniques = pd.factorize(column.to_numpy(dtype=object), use_na_sentinel=True)
    listed = uniques.tolist()
    if pd.api.types.infer_dtype(uniques, skipna=True) not in ("string", "empty"):
        # Mixed Python values (lists as tuples, bools, numbers).
        listed = [_cell(u) for u in listed]
    return codes, np.array([*listed, ""], dtype=object)


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


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell made safe for a spreadsheet (:mod:`.formula`)."""
    safe = {str(name): _safe_texts(frame[name]) if _is_text(frame[name].dtype)
            else frame[name] for name in frame.columns}
    return pd.DataFrame(safe, index=frame.index)


def _safe_texts(column: pd.Series) -> np.ndarray:
    # Each distinct text is checked once (a column holds few: codes, yes/no, ids).
    codes, table = _text_table(column)
    safe: np.ndarray = csv_safe_column(table)[codes]
    return safe


def _is_text(dtype: Any) -> bool:
    return pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype)


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` as UTF-8 CSV (no index, ``\\n`` line ends), text cells formula-safe.

    Missing text is written empty. Use this for every CSV jdmtrack writes. If some text holds
    a carriage return, every text cell is quoted: the csv module quotes only cells holding
    the line end itself, and a reader would take a bare carriage return for one.
    """
    import csv

    path = Path(path)
    safe = csv_frame(frame)
    lines = csv_lines(safe)
    if lines is not None:  # the same bytes as to_csv below, built a column at a time
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.writelines(lines)
        return path
    carriage = any("\r" in "".join(safe[c].tolist())
                   for c in safe.columns if _is_text(safe[c].dtype))
    safe.to_csv(path, index=False, encoding="utf-8", lineterminator="\n",
                quoting=csv.QUOTE_NONNUMERIC if carriage else csv.QUOTE_MINIMAL)
    return path


def write_table(frame: pd.DataFrame, path: str | Path, *, sheet: str = "visits",
                derived_bools: set[str] | None = None) -> Path:
    """Write one table to ``path`` (.csv or .xlsx).

    In CSV, text that a spreadsheet would run as a formula gets a leading ``'``
    (:mod:`.formula`); in .xlsx, text is always a string cell.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise JdmtrackError(f"{path}: the output must end in .csv or .xlsx")
    text = format_for_output(frame, derived_bools)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        write_csv(text, path)
    else:
        _write_xlsx(text, path, sheet)
    return path


def _write_xlsx(frame: pd.DataFrame, path: Path, sheet: str) -> None:
    from .xlsx import Sheet, Styled, Styles, frame_rows, save_workbook

    styles = Styles()
    worksheet = Sheet(sheet, styles)
    worksheet.append([Styled(str(c), bold=True) for c in frame.columns])
    worksheet.extend_xml(frame_rows(frame, worksheet.next_row))
    save_workbook(path, [worksheet], styles, None)
