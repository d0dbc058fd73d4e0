"""The report's tables as one workbook: a contents sheet, a sheet per table, the visits.

Numbers are stored at full precision and shown at the report's rounding (a cell number
format), so the spreadsheet shows what the report prints and computes with what the
analysis computed. Composite cells such as ``41.0 (29.0, 44.0)`` are text.

The workbook is written directly as SpreadsheetML (ECMA-376 part 1, §18), with only what
the report uses: inline strings, numbers, booleans, bold, indents, number formats,
column widths and frozen panes. openpyxl's import alone took longer than writing the
whole file this way, and its write-only mode spends a temporary file on every sheet.
The output is deterministic: the same document and visits give the same bytes.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from .format import printable
from .model import Cell, Document, Table

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["sheet_names", "write_xlsx"]

VISITS_SHEET = "visits"
CONTENTS_SHEET = "contents"
_BAD = re.compile(r"[\[\]:*?/\\]")

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so that the same workbook gives the same bytes
# Number formats every spreadsheet program knows by id (ECMA-376 §18.8.30); others get ids
# from 164 on.
_BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9,
                    "0.00%": 10}

Value = str | int | float | bool | None


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


@dataclass(frozen=True)
class _Styled:
    """A value with a cell format: bold, an indent, a number format."""

    value: Value
    bold: bool = False
    indent: int = 0
    number_format: str | None = None


class _Styles:
    """The workbook's cell formats (``cellXfs``), each added when first used."""

    def __init__(self) -> None:
        self._xfs: dict[tuple[bool, int, int], int] = {(False, 0, 0): 0}
        self._formats: dict[str, int] = {}

    def index(self, cell: _Styled) -> int:
        code, number_format = cell.number_format, 0
        if code in _BUILTIN_FORMATS:
            number_format = _BUILTIN_FORMATS[code]
        elif code is not None:
            number_format = self._formats.setdefault(code, 164 + len(self._formats))
        return self._xfs.setdefault((cell.bold, cell.indent, number_format), len(self._xfs))

    def xml(self) -> str:
        formats = "".join(f'<numFmt numFmtId="{i}" formatCode="{_attr(code)}"/>'
                          for code, i in self._formats.items())
        xfs = []
        for bold, indent, number_format in self._xfs:
            applied = (' applyNumberFormat="1"' if number_format else "") + (
                ' applyFont="1"' if bold else "") + (' applyAlignment="1"' if indent else "")
            alignment = f'<alignment indent="{indent}"/>' if indent else ""
            xfs.append(f'<xf numFmtId="{number_format}" fontId="{int(bold)}" fillId="0" '
                       f'borderId="0" xfId="0"{applied}>{alignment}</xf>')
        font = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
        return (f'{_HEAD}<styleSheet xmlns="{_MAIN_NS}">'
                + (f'<numFmts count="{len(self._formats)}">{formats}</numFmts>'
                   if self._formats else "")
                + f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
                '<fills count="2"><fill><patternFill patternType="none"/></fill>'
                '<fill><patternFill patternType="gray125"/></fill></fills>'
                '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
                '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
                f'borderId="0"/></cellStyleXfs><cellXfs count="{len(xfs)}">{"".join(xfs)}'
                '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
                'builtinId="0"/></cellStyles></styleSheet>')


def _attr(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _column(index: int) -> str:
    """The letters of the column ``index`` (from 0).

    >>> _column(0), _column(25), _column(26), _column(701), _column(702)
    ('A', 'Z', 'AA', 'ZZ', 'AAA')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _value_xml(ref: str, value: Value, style: int) -> str:
    """One ``<c>`` element; empty for a missing or non-finite value with no style."""
    s = f' s="{style}"' if style else ""
    if value is None or value == "" or (isinstance(value, float) and not math.isfinite(value)):
        return f'<c r="{ref}"{s}/>' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    space = ' xml:space="preserve"' if value != value.strip() or "\n" in value else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{escape(printable(value))}</t></is></c>'


class _Sheet:
    """One worksheet, written row by row."""

    def __init__(self, name: str, styles: _Styles, *, freeze: tuple[int, int] = (0, 0),
                 widths: Sequence[float] = ()) -> None:
        self.name = name
        self._styles = styles
        self._freeze = freeze  # (columns, rows) kept in view
        self._widths = widths
        self._rows: list[str] = []

    def append(self, values: Iterable[Value | _Styled]) -> None:
        number = len(self._rows) + 1
        cells = []
        for j, value in enumerate(values):
            ref = f"{_column(j)}{number}"
            if isinstance(value, _Styled):
                cells.append(_value_xml(ref, value.value, self._styles.index(value)))
            else:
                cells.append(_value_xml(ref, value, 0))
        self._rows.append(f'<row r="{number}">{"".join(cells)}</row>' if cells else "")

    def append_xml(self, cells: str) -> None:
        """A row of ready ``<c>`` elements (their references must be on this row)."""
        number = len(self._rows) + 1
        self._rows.append(f'<row r="{number}">{cells}</row>')

    @property
    def next_row(self) -> int:
        return len(self._rows) + 1

    def xml(self) -> str:
        columns, rows = self._freeze
        view = ""
        if columns or rows:
            corner = f"{_column(columns)}{rows + 1}"
            pane = "bottomRight" if columns and rows else "bottomLeft" if rows else "topRight"
            split = (f' xSplit="{columns}"' if columns else "") + (
                f' ySplit="{rows}"' if rows else "")
            view = (f'<pane{split} topLeftCell="{corner}" activePane="{pane}" state="frozen"/>'
                    f'<selection pane="{pane}" activeCell="{corner}" sqref="{corner}"/>')
        cols = "".join(f'<col min="{j}" max="{j}" width="{width:g}" customWidth="1"/>'
                       for j, width in enumerate(self._widths, start=1))
        return (f'{_HEAD}<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_DOC_REL}">'
                f'<sheetViews><sheetView workbookViewId="0">{view}</sheetView></sheetViews>'
                '<sheetFormatPr defaultRowHeight="15"/>'
                + (f"<cols>{cols}</cols>" if cols else "")
                + f'<sheetData>{"".join(self._rows)}</sheetData></worksheet>')


def write_xlsx(document: Document, visits: pd.DataFrame, path: Path, *,
               generated: object = None) -> None:
    """Write every table of ``document`` and the scored visits to ``path``."""
    styles = _Styles()
    names = sheet_names(document)
    tables = document.tables()

    contents = _Sheet(CONTENTS_SHEET, styles, widths=(24, 60))
    contents.append([_Styled(document.title, bold=True)])
    if document.banner:
        contents.append([f"SYNTHETIC DATA. {document.banner}"])
    contents.append([document.subtitle])
    contents.append([])
    contents.append([_Styled(h, bold=True) for h in ("Sheet", "Table", "Notes")])
    for name, table in zip(names[1:], tables, strict=False):
        label = f"{table.label}. {table.title}" if table.label else table.title
        contents.append([name, label, " ".join(n for n in table.notes if n)])
    contents.append([VISITS_SHEET, "Scored visits table (one row per patient per visit)", ""])

    sheets = [contents]
    for name, table in zip(names[1:], tables, strict=False):
        ws = _Sheet(name, styles, freeze=(0, 2),
                    widths=[_width(table, j) for j in range(len(table.header))])
        title = f"{table.label}. {table.title}" if table.label else table.title
        ws.append([_Styled(title, bold=True)])
        ws.append([_Styled(h, bold=True) for h in table.header])
        for row in table.rows:
            ws.append([_cell(c) for c in row])
        ws.append([])
        for note in table.notes:
            if note:
                ws.append([note])
        sheets.append(ws)

    sheets.append(_visits_sheet(visits, styles))
    _save(path, sheets, styles, _created(generated))


def _visits_sheet(visits: pd.DataFrame, styles: _Styles) -> _Sheet:
    """The scored visits, built a column at a time (a large cohort has a million cells)."""
    ws = _Sheet(VISITS_SHEET, styles, freeze=(2, 1))
    ws.append([_Styled(str(c), bold=True) for c in visits.columns])
    first = ws.next_row
    columns = []
    for j, name in enumerate(visits.columns):
        letter = _column(j)
        columns.append([_value_xml(f"{letter}{first + i}", _plain(v), 0)
                        for i, v in enumerate(visits[name].tolist())])
    for cells in zip(*columns, strict=True):
        ws.append_xml("".join(cells))
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


def _save(path: Path, sheets: list[_Sheet], styles: _Styles, created: str | None) -> None:
    count = len(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, count + 1))
    content_types = (
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/'
        f'vnd.openxmlformats-package.core-properties+xml"/>{overrides}</Types>')
    package_rels = (
        f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_DOC_REL}/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>')
    stamps = "".join(f'<dcterms:{kind} xsi:type="dcterms:W3CDTF">{created}</dcterms:{kind}>'
                     for kind in ("created", "modified")) if created else ""
    core = (
        f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:creator>jdmtrack</dc:creator>{stamps}</cp:coreProperties>")
    workbook = (
        f'{_HEAD}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_DOC_REL}"><bookViews><workbookView/>'
        "</bookViews><sheets>"
        + "".join(f'<sheet name="{_attr(sheet.name)}" sheetId="{i}" r:id="rId{i}"/>'
                  for i, sheet in enumerate(sheets, start=1))
        + "</sheets></workbook>")
    workbook_rels = (
        f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'
        + "".join(f'<Relationship Id="rId{i}" Type="{_DOC_REL}/worksheet" '
                  f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, count + 1))
        + f'<Relationship Id="rId{count + 1}" Type="{_DOC_REL}/styles" Target="styles.xml"/>'
        "</Relationships>")
    parts = [("[Content_Types].xml", content_types), ("_rels/.rels", package_rels),
             ("docProps/core.xml", core), ("xl/workbook.xml", workbook),
             ("xl/_rels/workbook.xml.rels", workbook_rels)]
    parts += [(f"xl/worksheets/sheet{i}.xml", sheet.xml())
              for i, sheet in enumerate(sheets, start=1)]
    parts.append(("xl/styles.xml", styles.xml()))  # last: the sheets' styles are now known
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts:
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))


def _width(table: Table, j: int) -> float:
    longest = max([len(table.header[j])] + [len(r[j].text) for r in table.rows[:200]
                                            if j < len(r)])
    return float(min(60, max(8, longest + 2)))


def _cell(cell: Cell) -> Value | _Styled:
    if cell.number_format is not None and cell.value is not None:
        return _Styled(_plain(cell.value), number_format=cell.number_format)
    if cell.level:
        return _Styled(cell.text, indent=cell.level)
    return cell.text if cell.text else None


def _plain(value: object) -> Value:
    """A value as a spreadsheet cell: Python's own types, numpy's unwrapped, missing -> None.

    >>> import numpy as np
    >>> _plain(np.int64(3)), _plain(np.float64(0.5)), _plain(np.nan), _plain(np.bool_(True))
    (3, 0.5, None, True)
    """
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
