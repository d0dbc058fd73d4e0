"""CSV text of a frame built a column at a time: byte for byte what pandas' ``to_csv`` writes.

``DataFrame.to_csv`` (``index=False``, quoting minimal, ``"\\n"`` line ends, missing
values empty) turns each float column into text with numpy's ``astype(str)`` and hands
the rows to the csv module: at 200,000 visits that is most of ``jdmtrack score``'s time.
The same text is built here from the distinct values of each column (formatted once:
``repr`` of a float is the shortest text that reads back as the same number, which is
what numpy writes) and rows joined with ``str.join``. Quoting follows the csv module's
minimal rule for a ``,`` delimiter and ``"\\n"`` line end: a field holding ``,``, ``"``
or a line feed is put in double quotes, with ``"`` doubled.

Columns of another kind (dates, booleans, categories, ``float32``...), text holding a
carriage return (``write_csv`` then quotes every text cell) and one-column frames (the
csv module writes an empty row as ``""``) return ``None``: pandas writes those.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["csv_lines"]

#: Rows joined per piece of text (bounds the memory of the joined text).
_ROWS_PER_PIECE = 50_000


def csv_lines(frame: pd.DataFrame) -> Iterator[str] | None:
    """The CSV text of ``frame`` (header first), in pieces, or None (see the module).

    >>> frame = pd.DataFrame({"id": ["a", "b,c"], "x": [0.1, None],
    ...                       "n": pd.array([2, None], dtype="Int64")})
    >>> "".join(csv_lines(frame))
    'id,x,n\\na,0.1,2\\n"b,c",,\\n'
    """
    if frame.shape[1] < 2:
        return None
    header = _quoted(np.array([str(name) for name in frame.columns], dtype=object))
    columns = []
    for name in frame.columns:
        fields = _fields(frame[name])
        if fields is None:
            return None
        columns.append(fields)
    if header is None:
        return None
    return _pieces(",".join(header.tolist()) + "\n", columns, len(frame))


#: A column as CSV fields: the fields themselves, or a table of texts and which one each
#: row is (``table[codes]``; kept apart until written, so that memory stays small).
_Fields = tuple[np.ndarray, np.ndarray | None]


def _pieces(header: str, columns: list[_Fields], rows: int) -> Iterator[str]:
    yield header
    for start in range(0, rows, _ROWS_PER_PIECE):
        part = slice(start, start + _ROWS_PER_PIECE)
        cells = [(table[codes[part]] if codes is not None else table[part]).tolist()
                 for table, codes in columns]
        yield "\n".join(map(",".join, zip(*cells, strict=True))) + "\n"


def _fields(column: pd.Series) -> _Fields | None:
    """One column's cells as CSV fields, or None if pandas must write it."""
    dtype = column.dtype
    if pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype):
        values = column.to_numpy(dtype=object)
        if pd.api.types.infer_dtype(values, skipna=False) not in ("string", "empty"):
            return None  # missing or non-text cells: pandas decides how they read
        quoted = _quoted(values)
        return None if quoted is None else (quoted, None)
    if dtype == np.float64:
        return _by_value(column.to_numpy(), repr, negative_zero=True)
    if isinstance(dtype, pd.Int64Dtype) or (isinstance(dtype, np.dtype) and dtype.kind in "iu"):
        return _by_value(column.array, str, negative_zero=False)
    return None


def _by_value(values: Any, text: Any, *, negative_zero: bool) -> _Fields:
    """Each distinct value formatted once (missing: empty), and which one each row is."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    # Missing (code -1) takes entry 0, "", the value with code k entry k + 1.
    table = np.array(["", *(text(u) for u in np.asarray(uniques).tolist())], dtype=object)
    if negative_zero:  # factorize holds -0.0 and 0.0 as one value; numpy writes "-0.0"
        zero = values == 0
        minus = zero & np.signbit(values)
        if minus.any():
            table = np.append(table, ["0.0", "-0.0"])
            codes = np.where(minus, len(table) - 2, np.where(zero, len(table) - 3, codes))
    return table, (codes + 1).astype(np.min_scalar_type(len(table)))


def _quoted(cells: np.ndarray) -> np.ndarray | None:
    """Text cells with the csv module's minimal quoting; None if one holds a carriage
    return (the caller then lets pandas quote every text cell)."""
    listed = cells.tolist()
    joined = "\x00".join(listed)
    if "\r" in joined:
        return None
    if '"' not in joined and "\n" not in joined and "," not in joined:
        return cells
    return np.array(['"' + cell.replace('"', '""') + '"'
                     if ('"' in cell or "\n" in cell or "," in cell) else cell
                     for cell in listed], dtype=object)
