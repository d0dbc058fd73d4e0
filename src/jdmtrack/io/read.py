"""Read a cohort from a folder of CSV files or from one .xlsx workbook.

Reading converts as little as possible: the CSV parser types a column as numeric only
when every non-empty cell is a plain number (``nan``, ``NA``, ``1,5`` and ``1_000``
stay text, to be reported by validation); IDs, dates, yes/no and list columns are
read as text so that leading zeros and the user's spelling survive. Fully blank rows
hold no data and are skipped; row numbers stay those a spreadsheet shows.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataWarning, Problem
from ..fields import TABLES, fields_of
from .raw import RawCohort, RawTable

__all__ = ["read_raw"]

_NUMERIC_KINDS = ("integer", "number")
_WORKBOOK_SUFFIXES = (".xlsx",)
_HINT = "a folder holding patients.csv and visits.csv, or an .xlsx workbook"


def read_raw(path: str | Path) -> RawCohort:
    """Read every table found at ``path``; problems are collected, never raised."""
    path = Path(path)
    cohort = RawCohort(path)
    if not path.exists():
        cohort.problems.append(_file_problem(str(path), f"{_HINT} (nothing exists at this path)"))
    elif path.is_dir():
        _read_folder(path, cohort)
    elif path.suffix.lower() in _WORKBOOK_SUFFIXES:
        _read_workbook(path, cohort)
    else:
        what = f"a {path.suffix} file" if path.suffix else "a file without an extension"
        cohort.problems.append(_file_problem(str(path), f"{_HINT}; this is {what}"))
    return cohort


def _file_problem(file: str, expected: str, sheet: str | None = None) -> Problem:
    return Problem(file, None, None, None, expected, sheet=sheet)


# --- CSV folder -----------------------------------------------------------------------


def _read_folder(folder: Path, cohort: RawCohort) -> None:
    known = {t.filename: t for t in TABLES}
    for t in TABLES:
        file = folder / t.filename
        if file.is_file():
            table = _read_csv(file, t.name, cohort)
            if table is not None:
                cohort.tables[t.name] = table
        elif t.required:
            what = t.description.lower().rstrip(".")
            cohort.problems.append(_file_problem(str(file), f"a file {t.filename} ({what})"))
    for other in sorted(folder.iterdir()):
        if other.suffix.lower() == ".csv" and other.name not in known:
            cohort.warnings.append(
                DataWarning(
                    "file_ignored",
                    f"{other} is not a cohort table (expected "
                    + ", ".join(sorted(known))
                    + "); it was not read",
                )
            )


def _read_csv(file: Path, name: str, cohort: RawCohort) -> RawTable | None:
    data = file.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    shown = str(file)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        cohort.problems.append(
            _problem_at(shown, line, f"UTF-8 text (line {line} has bytes that are not UTF-8; "
                        "save the file as 'CSV UTF-8')")
        )
        return None
    if not text or text.isspace():
        cohort.problems.append(_file_problem(shown, "a header row naming the columns (the file is empty)"))
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        cohort.problems.append(_problem_at(shown, line, "CSV text (this looks like a binary file)"))
        return None
    header = next(csv.reader(_lines(text)))
    del text  # the parser reads the bytes; a second 1-byte-per-character copy is not kept
    if not header:
        cohort.problems.append(_problem_at(shown, 1, "a header row naming the columns in row 1 "
                                           "(row 1 is blank)"))
        return None
    separator = next((c for c in ";\t" if len(header) == 1 and c in header[0]), None)
    if separator is not None:
        cohort.problems.append(_problem_at(
            shown, 1, f"columns separated by commas (the header is one cell holding "
            f"{separator!r} between the names; save the file as 'CSV UTF-8 (comma delimited)')"))
        return None
    if not _header_ok(header, shown, None, cohort):
        return None
    kinds = {f.name: f.kind for f in fields_of(name)}
    as_text = {col: object for col in header if kinds.get(col) not in _NUMERIC_KINDS}
    try:
        # Bytes, not a decoded string: the C parser then reads the buffer directly.
        # It types numeric columns chunk by chunk; a column with a bad cell in one chunk
        # can come out as numbers mixed with text, which is what DtypeWarning says and
        # what validation handles cell by cell, so the warning is not shown.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)
            frame = pd.read_csv(
                io.BytesIO(data),
                encoding="utf-8-sig",
                dtype=as_text,
                keep_default_na=False,
                na_values=[""],
                skip_blank_lines=False,
                on_bad_lines="error",
                engine="c",
            )
    except (pd.errors.ParserError, ValueError) as err:
        cohort.problems.extend(_csv_problems(data.decode("utf-8-sig"), shown, len(header), err))
        return None
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    # A row of empty or space-only cells is blank, as in a workbook (see _read_sheet).
    # Numeric columns first: their check is cheap and usually ends the search.
    blank = np.ones(len(frame), dtype=bool)
    numeric_first = sorted(frame.columns, key=lambda c: not pd.api.types.is_numeric_dtype(frame[c].dtype))
    for column in numeric_first:
        values = frame[column]
        empty = values.isna().to_numpy()
        if not pd.api.types.is_numeric_dtype(values.dtype):
            empty = empty | values.str.isspace().eq(True).to_numpy()
        blank &= empty
        if not blank.any():
            break
    if blank.any():
        frame = frame.loc[~blank]
    return RawTable(name, shown, None, frame, sha)


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` one at a time, for ``csv.reader`` to take only those it needs
    (``io.StringIO`` would first copy the whole file, at four bytes a character).

    >>> list(_lines("a,b\\nc"))
    ['a,b\\n', 'c']
    """
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _csv_problems(text: str, file: str, width: int, err: Exception) -> list[Problem]:
    """The rows behind a CSV parser error: every row with more cells than the header."""
    problems = [
        Problem(file, row, None, None, f"at most {width} cells, one per header column (this "
                f"row has {len(record)}; a comma inside a value needs the value in double quotes)")
        for row, record in enumerate(csv.reader(io.StringIO(text)), start=1)
        if len(record) > width
    ]
    if problems:
        return problems
    message = _parser_message(err)
    unclosed = re.search(r"EOF inside string starting at row (\d+)", message)
    if unclosed:
        # pandas counts rows from 0 at the header; a spreadsheet counts from 1.
        return [Problem(file, int(unclosed.group(1)) + 1, None, None,
                        "a closing double quote for the quoted cell that starts in this row")]
    return [Problem(file, None, None, None, f"well-formed CSV ({message})")]


def _parser_message(err: Exception) -> str:
    message = str(err).strip().splitlines()[-1]
    return message.replace("Error tokenizing data. C error: ", "")


def _problem_at(file: str, row: int, expected: str) -> Problem:
    return Problem(file, row, None, None, expected)


def _header_ok(header: Sequence[object], file: str, sheet: str | None, cohort: RawCohort) -> bool:
    from ..errors import Problem

    ok = True
    seen: dict[str, int] = {}
    for position, raw in enumerate(header, start=1):
        name = "" if raw is None else str(raw)
        letter = _column_letter(position)
        if not name.strip():
            cohort.problems.append(Problem(file, 1, None, None,
                                           f"a column name in header cell {letter}1",
                                           sheet=sheet))
            ok = False
        elif name != name.strip():
            cohort.problems.append(Problem(file, 1, name, name,
                                           "a column name without leading or trailing spaces",
                                           sheet=sheet))
            ok = False
        elif name in seen:
            cohort.problems.append(Problem(file, 1, name, name,
                                           f"each column once (also in column {seen[name]})",
                                           sheet=sheet))
            ok = False
        else:
            seen[name] = position
    return ok


def _column_letter(position: int) -> str:
    """Spreadsheet column letter.

    >>> _column_letter(1), _column_letter(26), _column_letter(28)
    ('A', 'Z', 'AB')
    """
    letters = ""
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- Excel workbook -------------------------------------------------------------------


def _read_workbook(path: Path, cohort: RawCohort) -> None:
    import zipfile

    from openpyxl import load_workbook

    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    shown = str(path)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as err:
        cohort.problems.append(
            _file_problem(shown, f"an .xlsx workbook that Excel can open ({type(err).__name__}: {err})")
        )
        return
    try:
        names = set(book.sheetnames)
        for t in TABLES:
            if t.name in names:
                table = _read_sheet(book[t.name], t.name, shown, sha, cohort)
                if table is not None:
                    cohort.tables[t.name] = table
            elif t.required:
                what = t.description.lower().rstrip(".")
                cohort.problems.append(
                    _file_problem(shown, f"a sheet named {t.name!r} ({what}); "
                                  f"the workbook has " + ", ".join(repr(s) for s in book.sheetnames))
                )
    finally:
        book.close()


def _read_sheet(sheet: object, name: str, file: str, sha: str, cohort: RawCohort) -> RawTable | None:
    rows = list(sheet.iter_rows(values_only=True))  # type: ignore[attr-defined]
    while rows and all(_blank(v) for v in rows[-1]):
        rows.pop()
    if not rows:
        cohort.problems.append(_file_problem(
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
    if not _header_ok(header, file, name, cohort):
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
        return np.array([np.nan if v is None else v for v in values], dtype="float64")
    column = np.empty(len(values), dtype=object)
    column[:] = values
    return column
