"""Read a cohort from one .xlsx workbook: a sheet per table.

A workbook is untrusted input: a truncated download, a file renamed to .xlsx, or one a
script wrote with broken sheet XML. openpyxl parses each sheet lazily, while its rows are
iterated, so a damaged sheet fails there and not when the workbook is opened; both are
reported as a problem naming the file (and sheet), never as a traceback.

Two kinds of cell would otherwise be read silently wrong and are reported instead:

- a formula without a saved result (a workbook written by a script and never opened in
  Excel holds the formula only; reading it would give an empty cell);
- an Excel error value (``#DIV/0!``, ``#N/A``, ...): the formula behind it failed.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import struct
import warnings
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import Problem
from ..fields import TABLES
from .raw import RawCohort, RawTable
from .read import column_letter, header_ok

__all__ = ["EXCEL_ERRORS", "read_workbook"]

# The error values a cell can hold (ECMA-376 Part 1, 18.17.7 "Error values").
EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                          "#GETTING_DATA"})
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2: .xls, or an encrypted .xlsx
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_RESAVE = "open the workbook in Excel (or LibreOffice) and save it again"


def _damage_errors() -> tuple[type[BaseException], ...]:
    """What openpyxl and the libraries under it raise on a damaged file.

    ``SyntaxError`` covers ``xml.etree.ElementTree.ParseError``; ``LookupError`` a
    missing part (``KeyError``) or an unknown encoding.
    """
    from openpyxl.utils.exceptions import InvalidFileException

    found: list[type[BaseException]] = [
        zipfile.BadZipFile, zlib.error, OSError, EOFError, LookupError, ValueError, TypeError,
        AttributeError, SyntaxError, struct.error, InvalidFileException, RecursionError,
    ]
    try:
        from lxml import etree

        found.append(etree.LxmlError)
    except ImportError:  # lxml is optional for openpyxl
        pass
    return tuple(found)


@contextmanager
def _quiet() -> Iterator[None]:
    # openpyxl warns about workbook features it does not read (data validation
    # extensions, conditional formats): they do not change a value.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def read_workbook(path: Path, cohort: RawCohort) -> None:
    """Add the workbook's sheets to ``cohort`` as tables; problems are collected."""
    from openpyxl import load_workbook

    shown = str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        cohort.problems.append(_problem(shown, f"a file jdmtrack can read ({err.strerror or err})"))
        return
    sha = hashlib.sha256(data).hexdigest()
    if data.startswith(_OLE_MAGIC):
        cohort.problems.append(_problem(
            shown, "an .xlsx workbook; this is a password-protected workbook or an old .xls "
            "file: remove the password, or save it as 'Excel Workbook (.xlsx)'"))
        return
    damaged = _damage_errors()
    try:
        with _quiet():
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except damaged as err:
        cohort.problems.append(_problem(
            shown, f"an .xlsx workbook that Excel can open ({_why(err)}): the file is damaged, "
            "cut short or not a workbook; export or download it again, or "
            f"{_RESAVE}"))
        return
    formulas = _formula_book(data) if _has_formulas(data) else None
    try:
        names = list(book.sheetnames)
        for t in TABLES:
            if t.name not in names:
                if t.required:
                    what = t.description.lower().rstrip(".")
                    near = [s for s in names if s.strip().lower() == t.name]
                    hint = (f"; rename the sheet {near[0]!r} to {t.name!r} (names are "
                            "case-sensitive)" if near else "")
                    cohort.problems.append(_problem(
                        shown, f"a sheet named {t.name!r} ({what}); the workbook has "
                        + ", ".join(repr(s) for s in names) + hint))
                continue
            try:
                with _quiet():
                    rows = list(book[t.name].iter_rows(values_only=True))
                    located = _located_cells(book, formulas, t.name, rows, shown)
            except damaged as err:
                cohort.problems.append(_problem(
                    shown, f"a sheet that can be read (it is damaged: {_why(err)}); {_RESAVE}",
                    sheet=t.name))
                continue
            if located:
                cohort.problems.extend(located)
                continue
            table = _table(rows, t.name, shown, sha, cohort)
            if table is not None:
                cohort.tables[t.name] = table
    finally:
        for opened in (book, formulas):
            if opened is not None:
                with contextlib.suppress(*damaged):  # a damaged archive: nothing more to say
                    opened.close()


def _why(err: BaseException) -> str:
    text = str(err).strip().splitlines()[0] if str(err).strip() else ""
    return f"{type(err).__name__}: {text[:200]}" if text else type(err).__name__


def _problem(file: str, expected: str, sheet: str | None = None) -> Problem:
    return Problem(file, None, None, None, expected, sheet=sheet)


def _has_formulas(data: bytes) -> bool:
    """Whether any worksheet part holds a formula element (a cheap look before a second,
    formula-keeping parse of the workbook)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                name = info.filename
                if (name.startswith("xl/worksheets/") and name.endswith(".xml")
                        and _FORMULA_TAG.search(archive.read(info))):
                    return True
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError):
        return False  # openpyxl has read the sheets; a part that fails here is not a formula
    return False


def _formula_book(data: bytes) -> Any:
    from openpyxl import load_workbook

    try:
        with _quiet():
            return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except _damage_errors():
        return None


def _located_cells(book: Any, formulas: Any, name: str, rows: Sequence[Sequence[object]],
                   file: str) -> list[Problem]:
    """Formula cells without a saved result and Excel error values, by row and column."""
    problems = []
    if any(isinstance(v, str) and v in EXCEL_ERRORS for row in rows for v in row):
        for cell in _cells(book[name]):
            if cell.data_type == "e":
                problems.append(Problem(
                    file, cell.row, _header_name(rows, cell.column), str(cell.value),
                    "a value, not an Excel error: the formula in this cell failed; fix it or "
                    "type the value", sheet=name))
    if formulas is not None and name in formulas.sheetnames:
        for cell in _cells(formulas[name]):
            if cell.data_type != "f":
                continue
            r, c = cell.row - 1, cell.column - 1
            if r < len(rows) and c < len(rows[r]) and rows[r][c] is None:
                problems.append(Problem(
                    file, cell.row, _header_name(rows, cell.column), str(cell.value)[:200],
                    "a value: this formula has no saved result (the workbook was written by a "
                    "program and never calculated); open it in Excel and save it, or type "
                    "the value", sheet=name))
    return problems


def _cells(sheet: Any) -> Iterator[Any]:
    for row in sheet.iter_rows():
        for cell in row:
            if getattr(cell, "row", None) is not None:
                yield cell


def _header_name(rows: Sequence[Sequence[object]], column: int) -> str:
    header = rows[0] if rows else ()
    name = header[column - 1] if column - 1 < len(header) else None
    return str(name) if name is not None and str(name).strip() else column_letter(column)


def _table(rows: list[tuple[object, ...]], name: str, file: str, sha: str,
           cohort: RawCohort) -> RawTable | None:
    while rows and all(_blank(v) for v in rows[-1]):
        rows.pop()
    if not rows:
        cohort.problems.append(_problem(
            file, "a header row naming the columns (the sheet is empty)", sheet=name))
        return None
    header = list(rows[0])
    width = max(len(r) for r in rows)
    header += [None] * (width - len(header))
    # Trailing header cells with no name and no data are formatting, not columns.
    while header and _blank(header[-1]) and all(
        len(r) < len(header) or _blank(r[len(header) - 1]) for r in rows[1:]
    ):
        header.pop()
    if not header_ok(header, file, name, cohort):
        return None
    columns: dict[str, list[object]] = {str(h): [] for h in header}
    row_numbers: list[int] = []
    for number, values in enumerate(rows[1:], start=2):
        cells = list(values[: len(header)]) + [None] * max(0, len(header) - len(values))
        if all(_blank(v) for v in cells):
            continue
        row_numbers.append(number)
        for h, v in zip(header, cells, strict=True):
            columns[str(h)].append(None if _blank(v) else v)
    index = pd.Index(row_numbers, name="row", dtype="int64")
    # An explicit dtype per column: pandas >= 3 would otherwise re-infer object columns
    # (datetime cells become datetime64 with NaT, text becomes its string dtype).
    series = {}
    for h, v in columns.items():
        array = _excel_column(v)
        series[h] = pd.Series(array, index=index, dtype=array.dtype)
    frame = pd.DataFrame(series, index=index)
    return RawTable(name, file, name, frame, sha)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _excel_column(values: list[object]) -> np.ndarray:
    """A numeric column when every cell is a number, else the cells as objects."""
    if all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in values):
        try:
            return np.array([np.nan if v is None else float(v)  # type: ignore[arg-type]
                             for v in values], dtype="float64")
        except OverflowError:
            pass  # an integer too large for a float: validation reports it, as typed
    column = np.empty(len(values), dtype=object)
    column[:] = values
    return column
