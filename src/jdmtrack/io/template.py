"""A blank cohort workbook a clinician can fill in Excel.

One sheet per table with the column names as headers, Excel data validation (drop-down
lists for choices and yes/no, whole-number and decimal ranges, dates) taken from the
field dictionary, text format on ID columns so leading zeros survive, and a
``dictionary`` sheet explaining every column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..fields import FIELDS, LIST_SEPARATOR, TABLES, Field, fields_of
from ..fields.markdown import range_or_choices

__all__ = ["write_template"]

_ROWS = 2000  # validation covers this many data rows
_HEADER_FILL = "DDE7F0"


def write_template(path: str | Path) -> Path:
    """Write the blank workbook to ``path`` (.xlsx)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    book = Workbook()
    book.remove(book.active)
    for t in TABLES:
        sheet = book.create_sheet(t.name)
        for position, f in enumerate(fields_of(t.name), start=1):
            letter = get_column_letter(position)
            cell = sheet.cell(row=1, column=position, value=f.name)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
            cell.comment = Comment(f"{f.label}. {f.expected()}"
                                   + (f" ({f.unit})" if f.unit else "")
                                   + (". Required." if f.required else "."), "jdmtrack")
            sheet.column_dimensions[letter].width = max(12, min(28, len(f.name) + 2))
            cells = f"{letter}2:{letter}{_ROWS + 1}"
            _format_cells(sheet, letter, f)
            validation = _validation(f, DataValidation)
            if validation is not None:
                validation.add(cells)
                sheet.add_data_validation(validation)
        sheet.freeze_panes = "A2"
    _dictionary_sheet(book.create_sheet("dictionary"), Font)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _format_cells(sheet: object, letter: str, f: Field) -> None:
    number_format = {"id": "@", "text": "@", "list": "@", "date": "yyyy-mm-dd"}.get(f.kind)
    if number_format is None:
        return
    for row in range(2, _ROWS + 2):
        sheet[f"{letter}{row}"].number_format = number_format  # type: ignore[index]


def _validation(f: Field, DataValidation: Any) -> Any:
    message = f.expected()
    common = {"showErrorMessage": True, "errorTitle": f.name, "error": f"Expected {message}",
              "showInputMessage": True, "promptTitle": f.name[:32], "prompt": f.label[:255],
              "allow_blank": True}
    if f.kind == "choice" or f.kind == "bool":
        choices = f.choices if f.kind == "choice" else ("yes", "no")
        return DataValidation(type="list", formula1='"' + ",".join(choices) + '"', **common)
    if f.kind in ("integer", "number"):
        kind = "whole" if f.kind == "integer" else "decimal"
        low, high = f.minimum, f.maximum
        if low is not None and high is not None and not f.minimum_exclusive:
            return DataValidation(type=kind, operator="between", formula1=str(low),
                                  formula2=str(high), **common)
        if low is not None:
            operator = "greaterThan" if f.minimum_exclusive else "greaterThanOrEqual"
            if high is not None:
                # Excel has no exclusive 'between'; the reader applies the exact rule.
                return DataValidation(type=kind, operator="between", formula1=str(low),
                                      formula2=str(high), **common)
            return DataValidation(type=kind, operator=operator, formula1=str(low), **common)
        return DataValidation(type=kind, operator="between", formula1="-1E+300",
                              formula2="1E+300", **common)
    if f.kind == "date":
        return DataValidation(type="date", operator="greaterThan", formula1="1",
                              **{**common, "error": "Expected a date (YYYY-MM-DD)"})
    if f.kind == "list":
        codes = LIST_SEPARATOR.join(f.choices)
        return DataValidation(type=None, **{**common, "prompt": (
            f"{f.label}: codes separated by '{LIST_SEPARATOR}', from {codes}")[:255]})
    return None


def _dictionary_sheet(sheet: object, Font: type) -> None:
    header = ("table", "column", "type", "unit", "allowed", "required", "label", "source")
    sheet.append(header)  # type: ignore[attr-defined]
    for cell in sheet[1]:  # type: ignore[index]
        cell.font = Font(bold=True)
    for f in FIELDS:
        sheet.append((f.table, f.name, f.kind, f.unit, range_or_choices(f),  # type: ignore[attr-defined]
                      "yes" if f.required else "", f.label, f.source))
    widths = (16, 26, 10, 12, 40, 9, 60, 50)
    for letter, width in zip("ABCDEFGH", widths, strict=True):
        sheet.column_dimensions[letter].width = width  # type: ignore[attr-defined]
    sheet.freeze_panes = "A2"  # type: ignore[attr-defined]
