"""A vectorised CSV writer for large generated tables (no per-cell Python).

Each column becomes an ``(n, width)`` array of UTF-8 bytes, 0 marking unused positions;
the columns are laid side by side with commas and a newline, and the zero bytes are
dropped. This writes a million rows of sixty columns in a few seconds, where
``DataFrame.to_csv`` needs tens of seconds. Only what the generator needs is supported:
non-negative integers, non-negative numbers with a fixed number of decimals, and short
strings from a vocabulary (codes, identifiers, dates); missing is an empty cell.

>>> import io
>>> out = io.BytesIO()
>>> write_csv(out, [("id", text(np.array(["a", "bb"]))),
...                 ("n", integer(np.array([3.0, np.nan]))),
...                 ("x", fixed(np.array([0.25, 12.0]), 2)),
...                 ("ok", choice(np.array([1, -1]), ("no", "yes")))])
>>> out.getvalue().decode()
'id,n,x,ok\\na,3,0.25,yes\\nbb,,12.00,\\n'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt

__all__ = ["Bytes", "choice", "fixed", "integer", "text", "write_csv"]

Bytes = npt.NDArray[np.uint8]
Floats = npt.NDArray[np.floating[Any]]
_ROWS_PER_CHUNK = 200_000
_COMMA, _NEWLINE, _ZERO, _DOT = 44, 10, 48, 46


def _digits(values: npt.NDArray[np.int64], width: int, pad: bool) -> Bytes:
    """Decimal digits of non-negative integers, right-aligned; leading zeros kept if pad."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    digits = (values[:, None] // powers) % 10 + _ZERO
    if pad:
        return digits.astype(np.uint8)
    active = values[:, None] >= powers
    active[:, -1] = True
    return np.where(active, digits, 0).astype(np.uint8)


def _width(values: npt.NDArray[np.int64]) -> int:
    top = int(values.max()) if values.size else 0
    return max(1, len(str(top)))


def integer(values: Floats) -> Bytes:
    """Non-negative whole numbers (NaN = missing) as '0', '12', ..."""
    missing = np.isnan(values)
    whole = np.where(missing, 0, np.rint(values)).astype(np.int64)
    if (whole < 0).any():
        raise ValueError("integer(): negative values are not supported")
    out = _digits(whole, _width(whole), pad=False)
    out[missing] = 0
    return out


def fixed(values: Floats, decimals: int) -> Bytes:
    """Non-negative numbers with exactly ``decimals`` decimals (NaN = missing)."""
    if decimals == 0:
        return integer(values)
    missing = np.isnan(values)
    scaled = np.where(missing, 0, np.rint(values * 10**decimals)).astype(np.int64)
    if (scaled < 0).any():
        raise ValueError("fixed(): negative values are not supported")
    whole, frac = np.divmod(scaled, 10**decimals)
    dot = np.full((len(values), 1), _DOT, dtype=np.uint8)
    out = np.concatenate([_digits(whole, _width(whole), pad=False), dot,
                          _digits(frac, decimals, pad=True)], axis=1)
    out[missing] = 0
    return out


def choice(codes: npt.NDArray[np.int64], vocabulary: Sequence[str]) -> Bytes:
    """Code i -> vocabulary[i]; -1 = missing."""
    encoded = [word.encode("utf-8") for word in vocabulary]
    width = max([1, *(len(w) for w in encoded)])
    table = np.zeros((len(encoded) + 1, width), dtype=np.uint8)
    for i, word in enumerate(encoded):
        if b"," in word or b"\n" in word or b'"' in word:
            raise ValueError(f"choice(): {word!r} would need quoting")
        table[i, : len(word)] = np.frombuffer(word, dtype=np.uint8)
    index = np.where(codes < 0, len(encoded), codes)
    return table[index]


def text(values: npt.NDArray[np.str_]) -> Bytes:
    """Short ASCII strings (identifiers, ISO dates); '' = missing."""
    raw = np.char.encode(values.astype(str), "ascii")
    width = max(1, raw.dtype.itemsize)
    return np.frombuffer(raw.astype(f"S{width}").tobytes(), dtype=np.uint8).reshape(-1, width)


def write_csv(handle: BinaryIO, columns: Sequence[tuple[str, Bytes]]) -> None:
    """Write a header and the rows; every column must have the same number of rows."""
    handle.write((",".join(name for name, _ in columns) + "\n").encode("utf-8"))
    if not columns:
        return
    n = len(columns[0][1])
    if any(len(block) != n for _, block in columns):
        raise ValueError("write_csv(): columns differ in length")
    for start in range(0, n, _ROWS_PER_CHUNK):
        stop = min(n, start + _ROWS_PER_CHUNK)
        rows = stop - start
        parts: list[Bytes] = []
        for i, (_, block) in enumerate(columns):
            if i:
                parts.append(np.full((rows, 1), _COMMA, dtype=np.uint8))
            parts.append(block[start:stop])
        parts.append(np.full((rows, 1), _NEWLINE, dtype=np.uint8))
        flat = np.concatenate(parts, axis=1).ravel()
        handle.write(flat[flat != 0].tobytes())
