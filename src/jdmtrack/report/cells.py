"""Table cells: the printed text (from :mod:`.format`) with the full-precision value behind it.

>>> num(0.5333, 2)
Cell(text='0.53', value=0.5333, number_format='0.00', level=0, code=None)
>>> pval(0.0004).text, count(None).text
('< 0.001', '–')
"""

from __future__ import annotations

from functools import lru_cache

from . import format as f
from .model import Cell

__all__ = ["blank", "count", "num", "pval", "text"]

# Cells are immutable, so one object serves every cell that prints and stores the same: a
# 2,000-patient report has 50,000 number cells of 6,000 distinct values, and fewer objects
# also mean shorter garbage-collector passes over the document.
_MISSING = Cell(f.MISSING)
_BLANK = Cell("")


def _excel_format(decimals: int) -> str:
    return "0" if decimals <= 0 else "0." + "0" * decimals


@lru_cache(maxsize=1 << 14, typed=True)
def _number(value: float | int, decimals: int) -> Cell:
    """A non-zero int or float's cell (typed: 7 and 7.0 are stored apart; zero is left out,
    as 0.0 == -0.0 but the spreadsheet keeps the sign)."""
    return Cell(f.fmt_number(value, decimals), value, _excel_format(decimals))


def text(value: object, *, level: int = 0) -> Cell:
    """A text cell (None prints as an en dash)."""
    if type(value) is str:
        return _text(value, level)
    shown = f.MISSING if value is None else str(value)
    return Cell(shown, None if value is None else shown, None, level)


@lru_cache(maxsize=1 << 14)
def _text(value: str, level: int) -> Cell:
    """A text's cell: one object for the texts a table repeats (labels, "6 → 0")."""
    return Cell(value, value, None, level)


def blank() -> Cell:
    """An empty cell: nothing applies here (different from a missing value)."""
    return _BLANK


def num(value: object, decimals: int) -> Cell:
    """A number rounded for print; the spreadsheet keeps it whole and shows it rounded."""
    if not f.is_number(value):
        return _MISSING
    if value and (type(value) is float or type(value) is int):
        return _number(value, decimals)
    return Cell(f.fmt_number(value, decimals), value, _excel_format(decimals))


def count(value: object) -> Cell:
    """A count."""
    if not f.is_number(value):
        return _MISSING
    if value and (type(value) is float or type(value) is int):
        return _number(value, 0)
    return Cell(f.fmt_int(value), value, "0")


def pval(value: object) -> Cell:
    """A p-value (3 d.p., ``< 0.001``)."""
    if not f.is_number(value):
        return _MISSING
    return Cell(f.fmt_p(value), value, "0.000")
