"""The report's tables as one workbook: a contents sheet, a sheet per table, the visits.

Numbers are stored at full precision and shown at the report's rounding (a cell number
format), so the spreadsheet shows what the report prints and computes with what the
analysis computed. Composite cells such as ``41.0 (29.0, 44.0)`` are text.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .format import printable
from .model import Document, Table

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
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    wb = Workbook(write_only=True)
    if isinstance(generated, str):
        try:
            when = datetime.fromisoformat(generated).replace(tzinfo=None)
            wb.properties.created = wb.properties.modified = when
        except ValueError:
            pass
    wb.properties.creator = "jdmtrack"
    bold = Font(bold=True)
    names = sheet_names(document)
    tables = document.tables()

    contents = wb.create_sheet(CONTENTS_SHEET)
    contents.column_dimensions["A"].width = 24
    contents.column_dimensions["B"].width = 60
    contents.append([_styled(contents, document.title, bold, WriteOnlyCell)])
    if document.banner:
        contents.append([f"SYNTHETIC DATA. {document.banner}"])
    contents.append([document.subtitle])
    contents.append([])
    contents.append([_styled(contents, h, bold, WriteOnlyCell)
                     for h in ("Sheet", "Table", "Notes")])
    for name, table in zip(names[1:], tables, strict=False):
        label = f"{table.label}. {table.title}" if table.label else table.title
        contents.append([name, label, " ".join(n for n in table.notes if n)])
    contents.append([VISITS_SHEET, "Scored visits table (one row per patient per visit)", ""])

    for name, table in zip(names[1:], tables, strict=False):
        ws = wb.create_sheet(name)
        ws.freeze_panes = "A3"
        for j in range(len(table.header)):
            ws.column_dimensions[_column(j)].width = _width(table, j)
        title = f"{table.label}. {table.title}" if table.label else table.title
        ws.append([_styled(ws, title, bold, WriteOnlyCell)])
        ws.append([_styled(ws, h, bold, WriteOnlyCell) for h in table.header])
        for row in table.rows:
            ws.append([_cell(ws, c, WriteOnlyCell, Alignment) for c in row])
        ws.append([])
        for note in table.notes:
            if note:
                ws.append([note])

    ws = wb.create_sheet(VISITS_SHEET)
    ws.freeze_panes = "C2"
    columns = [str(c) for c in visits.columns]
    ws.append([_styled(ws, c, bold, WriteOnlyCell) for c in columns])
    for record in visits.itertuples(index=False, name=None):
        ws.append([_plain(v) for v in record])
    wb.save(str(path))


def _column(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def _width(table: Table, j: int) -> float:
    longest = max([len(table.header[j])] + [len(r[j].text) for r in table.rows[:200]
                                            if j < len(r)])
    return float(min(60, max(8, longest + 2)))


def _styled(ws: Any, value: object, font: Any, cell_type: Any) -> Any:
    cell = cell_type(ws, value=value)
    cell.font = font
    return cell


def _cell(ws: Any, cell: Any, cell_type: Any, alignment_type: Any) -> Any:
    if cell.number_format is not None and cell.value is not None:
        out = cell_type(ws, value=cell.value)
        out.number_format = cell.number_format
        return out
    if cell.level:
        out = cell_type(ws, value=cell.text)
        out.alignment = alignment_type(indent=cell.level)
        return out
    return cell.text if cell.text else None


def _plain(value: object) -> object:
    """A visits-table value as a spreadsheet cell (missing -> empty)."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return _plain(value.item())
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, bool | int | float):
        return value
    text = str(value)
    if text in ("nan", "NaT", "<NA>", "None"):
        return None
    return str(value.isoformat()) if hasattr(value, "isoformat") else text
