"""Table cells: the printed text (from :mod:`.format`) with the full-precision value behind it.

>>> num(0.5333, 2)
Cell(text='0.53', value=0.5333, number_format='0.00', level=0, code=None)
>>> pval(0.0004).text, count(None).text
('< 0.001', '–')
"""

from __future__ import annotations

from . import format as f
from .model import Cell

__all__ = ["blank", "count", "num", "pval", "text"]


def _excel_format(decimals: int) -> str:
    return "0" if decimals <= 0 else "0." + "0" * decimals


def text(value: object, *, level: int = 0) -> Cell:
    """A text cell (None prints as an en dash)."""
    shown = f.MISSING if value is None else str(value)
    return Cell(shown, None if value is None else shown, None, level)


def blank() -> Cell:
    """An empty cell: nothing applies here (different from a missing value)."""
    return Cell("")


def num(value: object, decimals: int) -> Cell:
    """A number rounded for print; the spreadsheet keeps it whole and shows it rounded."""
    if not f.is_number(value):
        return Cell(f.MISSING)
    return Cell(f.fmt_number(value, decimals), value, _excel_format(decimals))


def count(value: object) -> Cell:
    """A count."""
    if not f.is_number(value):
        return Cell(f.MISSING)
    return Cell(f.fmt_int(value), value, "0")


def pval(value: object) -> Cell:
    """A p-value (3 d.p., ``< 0.001``)."""
    if not f.is_number(value):
        return Cell(f.MISSING)
    return Cell(f.fmt_p(value), value, "0.000")
