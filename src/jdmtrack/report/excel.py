"""The report's tables as one workbook: a contents sheet, a sheet per table, the visits.

Numbers are stored at full precision and shown at the report's rounding (a cell number
format), so the spreadsheet shows what the report prints and computes with what the
analysis computed. Composite cells such as ``41.0 (29.0, 44.0)`` are text.

The workbook is written by :mod:`jdmtrack.io.xlsx` (SpreadsheetML directly, text always
as string cells, never formulas). The same document and visits give the same bytes.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..io.xlsx import Sheet, Styled, Styles, Value, cell_body, frame_rows, save_workbook
from .model import Cell, Document, Table

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["sheet_names", "write_xlsx"]

VISITS_SHEET = "visits"
CONTENTS_SHEET = "contents"
_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_names(document: Document) -> list[str]:
    """The sheets ``write_xlsx`` writes, in order."""
    names = [CONTENTS_SHEET]
    for table in document.tables():
        names.append(_unique(_BAD.sub("_", table.key)[:31], names))
    return [*names, VISITS_SHEET]


def _unique(name: str, taken: list[str]) -> str:
    candidate, i = name, 2
    while candidate in taken:
        suffix = f"_{i}"
        candidate, i = name[: 31 - len(suffix)] + suffix, i + 1
    return candidate


def write_xlsx(document: Document, visits: pd.DataFrame, path: Path, *,
               generated: object = None) -> None:
    """Write every table of ``document`` and the scored visits to ``path``."""
    styles = Styles()
    names = sheet_names(document)
    tables = document.tables()

    contents = Sheet(CONTENTS_SHEET, styles, widths=(24, 60))
    contents.append([Styled(document.title, bold=True)])
    if document.banner:
        contents.append([f"SYNTHETIC DATA. {document.banner}"])
    contents.append([document.subtitle])
    contents.append([])
    contents.append([Styled(h, bold=True) for h in ("Sheet", "Table", "Notes")])
    for name, table in zip(names[1:], tables, strict=False):
        label = f"{table.label}. {table.title}" if table.label else table.title
        contents.append([name, label, " ".join(n for n in table.notes if n)])
    contents.append([VISITS_SHEET, "Scored visits table (one row per patient per visit)", ""])

    sheets = [contents]
    cells = _Cells(styles)
    for name, table in zip(names[1:], tables, strict=False):
        ws = Sheet(name, styles, freeze=(0, 2),
                    widths=[_width(table, j) for j in range(len(table.header))])
        title = f"{table.label}. {table.title}" if table.label else table.title
        ws.append([Styled(title, bold=True)])
        ws.append([Styled(h, bold=True) for h in table.header])
        body = cells.body
        for row in table.rows:
            ws.append_bodies([body(c) for c in row])
        ws.append([])
        for note in table.notes:
            if note:
                ws.append([note])
        sheets.append(ws)

    sheets.append(_visits_sheet(visits, styles))
    save_workbook(path, sheets, styles, _created(generated))


def _visits_sheet(visits: pd.DataFrame, styles: Styles) -> Sheet:
    """The scored visits, built a column at a time (a large cohort has a million cells)."""
    ws = Sheet(VISITS_SHEET, styles, freeze=(2, 1))
    ws.append([Styled(str(c), bold=True) for c in visits.columns])
    ws.extend_xml(frame_rows(visits, ws.next_row))
    return ws


def _created(generated: object) -> str | None:
    """W3C date-time of the results' ``generated`` stamp, as written (zone dropped)."""
    if not isinstance(generated, str):
        return None
    try:
        when = datetime.fromisoformat(generated)
    except ValueError:
        return None
    return when.replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M:%SZ")


def _width(table: Table, j: int) -> float:
    longest = max([len(table.header[j])] + [len(r[j].text) for r in table.rows[:200]
                                            if j < len(r)])
    return float(min(60, max(8, longest + 2)))


class _Cells:
    """A report cell as (value, style index): a number (its format kept), an indented label,
    text, or nothing; the style of each format and indent looked up once."""

    def __init__(self, styles: Styles) -> None:
        self._styles = styles
        self._formats: dict[str, int] = {}
        self._indents: dict[int, int] = {}
        self._bodies: dict[int, str] = {}

    def body(self, cell: Cell) -> str:
        """The cell's XML after its reference. Cells are immutable and the report shares one
        object among equal cells (report/cells.py), so each object is written once: by its
        id, which stays its own while the document being written holds it."""
        found = self._bodies.get(id(cell))
        if found is None:
            found = self._bodies[id(cell)] = cell_body(*self(cell))
        return found

    def __call__(self, cell: Cell) -> tuple[Value, int]:
        if cell.number_format is not None and cell.value is not None:
            style = self._formats.get(cell.number_format)
            if style is None:
                style = self._formats[cell.number_format] = self._styles.index(
                    Styled(None, number_format=cell.number_format))
            return _plain(cell.value), style
        # A label with its dictionary code, which a data manager filters on.
        shown = f"{cell.text} [{cell.code}]" if cell.code else cell.text
        if cell.level:
            style = self._indents.get(cell.level)
            if style is None:
                style = self._indents[cell.level] = self._styles.index(
                    Styled(None, indent=cell.level))
            return shown, style
        return (shown if shown else None), 0


def _plain(value: object) -> Value:
    """A value as a spreadsheet cell: Python's own types, numpy's unwrapped, missing -> None.

    >>> import numpy as np
    >>> _plain(np.int64(3)), _plain(np.float64(0.5)), _plain(np.nan), _plain(np.bool_(True))
    (3, 0.5, None, True)
    """
    if type(value) is float:  # the usual case, first
        return None if math.isnan(value) else value
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return _plain(value.item())
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return value
    text = str(value)
    if text in ("nan", "NaT", "<NA>", "None"):
        return None
    return str(value.isoformat()) if hasattr(value, "isoformat") else text
