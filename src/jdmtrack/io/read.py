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
import os
import re
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataWarning, Problem
from ..fields import TABLES, fields_of
from .csvtext import lifted_field_limit, records
from .raw import RawCohort, RawTable

__all__ = ["column_letter", "csv_table", "header_ok", "read_raw"]

_NUMERIC_KINDS = ("integer", "number")
_WORKBOOK_SUFFIXES = (".xlsx",)
# The first bytes of a zip archive (.xlsx) and of an OLE2 file (.xls, an encrypted .xlsx).
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")
_HINT = "a folder holding patients.csv and visits.csv, or an .xlsx workbook"


def read_raw(path: str | Path) -> RawCohort:
    """Read every table found at ``path``; problems are collected, never raised."""
    path = Path(path)
    cohort = RawCohort(path)
    try:
        path.stat()
    except FileNotFoundError:
        pass  # reported below, as nothing being there
    except (OSError, ValueError) as err:  # a name too long, a loop of links, a NUL byte
        cohort.problems.append(_file_problem(str(path), f"{_HINT} (this path cannot be "
                                             f"opened: {getattr(err, 'strerror', None) or err})"))
        return cohort
    if not path.exists():
        cohort.problems.append(_file_problem(str(path), f"{_HINT} (nothing exists at this path)"))
    elif path.is_dir():
        _read_folder(path, cohort)
    elif not path.is_file():
        cohort.problems.append(_file_problem(str(path), f"{_HINT}; {_not_a_file(path)}"))
    elif path.suffix.lower() in _WORKBOOK_SUFFIXES:
        from .workbook import read_workbook

        read_workbook(path, cohort)
    else:
        what = f"a {path.suffix} file" if path.suffix else "a file without an extension"
        cohort.problems.append(_file_problem(str(path), f"{_HINT}; this is {what}"))
    return cohort


def _file_problem(file: str, expected: str, sheet: str | None = None) -> Problem:
    return Problem(file, None, None, None, expected, sheet=sheet)


def _case_hint(folder: Path, name: str) -> str:
    """'; rename X to name' when the folder holds ``name`` in another letter case."""
    try:
        near = [p.name for p in folder.iterdir() if p.name.lower() == name.lower()]
    except OSError:
        return ""
    return f"; rename {near[0]!r} to {name!r} (names are case-sensitive)" if near else ""


def _not_a_file(path: Path) -> str:
    """What is at ``path`` instead of a regular file, in a user's words."""
    if path.is_symlink() and not path.exists():
        return f"this is a link to {os.readlink(path)!r}, which does not exist"
    if path.is_dir():
        return "this is a folder"
    return "this is not a regular file (a named pipe, socket or device); copy the data into a file"


# --- CSV folder -----------------------------------------------------------------------


def _read_folder(folder: Path, cohort: RawCohort) -> None:
    known = {t.filename: t for t in TABLES}
    for t in TABLES:
        file = folder / t.filename
        if file.is_file():
            table = _read_csv(file, t.name, cohort)
            if table is not None:
                cohort.tables[t.name] = table
        elif os.path.lexists(file):
            # There, but not a file to read: an optional table is not silently absent.
            cohort.problems.append(_file_problem(
                str(file), f"a CSV file ({t.filename}); {_not_a_file(file)}"))
        elif t.required:
            what = t.description.lower().rstrip(".")
            cohort.problems.append(_file_problem(str(file), f"a file {t.filename} ({what})"
                                                 + _case_hint(folder, t.filename)))
    try:
        others = sorted(folder.iterdir())
    except OSError as err:
        cohort.problems.append(_file_problem(
            str(folder), f"a folder jdmtrack can list ({err.strerror or err})"))
        return
    for other in others:
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
    shown = str(file)
    try:
        data = file.read_bytes()
    except OSError as err:
        cohort.problems.append(_file_problem(
            shown, f"a file jdmtrack can read ({err.strerror or err}); check its permissions"))
        return None
    return csv_table(data, shown, name, cohort)


def csv_table(data: bytes, shown: str, name: str, cohort: RawCohort) -> RawTable | None:
    """The bytes of one CSV file as table ``name`` (columns of a cohort table that hold
    numbers read as numbers, every other column as text), or None with the problems
    added to ``cohort``. Also for tables that are not cohort tables (all read as text),
    so that every CSV file jdmtrack reads is reported the same way."""
    sha = hashlib.sha256(data).hexdigest()
    if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        cohort.problems.append(_problem_at(
            shown, 1, "CSV text (this looks like a binary file: an Excel workbook with a .csv "
            "name; give jdmtrack the workbook under its .xlsx name, or save each sheet as "
            "'CSV UTF-8')"))
        return None
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
    try:
        with lifted_field_limit():
            header = next(csv.reader(_lines(text)), [])
    except csv.Error as err:
        cohort.problems.append(_problem_at(shown, 1, f"a well-formed CSV header row ({err})"))
        return None
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
    if not header_ok(header, shown, None, cohort):
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
    except (pd.errors.ParserError, ValueError, OverflowError) as err:
        cohort.problems.extend(_csv_problems(data.decode("utf-8-sig"), shown, len(header), err))
        return None
    frame = _as_typed(frame, data)
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


def _as_typed(frame: pd.DataFrame, data: bytes) -> pd.DataFrame:
    """The frame, with each numeric column holding an infinite value read again as text.

    The C parser reads ``inf``, ``Infinity`` and numbers beyond a float's range (``1e400``,
    a 400-digit integer) as infinity; validation must show the cell as the user typed it.
    """
    infinite = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c].dtype)
                and np.isinf(frame[c].to_numpy()).any()]
    if not infinite:
        return frame
    again = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", usecols=infinite, dtype=object,
                        keep_default_na=False, na_values=[""], skip_blank_lines=False,
                        engine="c")
    frame = frame.copy()
    for column in infinite:
        frame[column] = again[column].to_numpy(dtype=object)
    return frame


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` one at a time, each ending in ``\\r\\n``, ``\\n`` or a bare
    ``\\r``, for ``csv.reader`` to take only those it needs (``io.StringIO`` would first
    copy the whole file, at four bytes a character).

    >>> list(_lines("a,b\\nc\\rd\\r\\ne"))
    ['a,b\\n', 'c\\r', 'd\\r\\n', 'e']
    """
    for match in _LINE.finditer(text):
        if match.group():
            yield match.group()


def _csv_problems(text: str, file: str, width: int, err: Exception) -> list[Problem]:
    """The rows behind a CSV parser error: every row with more cells than the header."""
    try:
        problems = [
            Problem(file, row, None, None, f"at most {width} cells, one per header column "
                    f"(this row has {len(record)}; a comma inside a value needs the value in "
                    "double quotes)")
            for row, record in enumerate(records(text), start=1)
            if len(record) > width
        ]
    except csv.Error:
        problems = []  # the parser's own message below says what is wrong
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


def header_ok(header: Sequence[object], file: str, sheet: str | None, cohort: RawCohort) -> bool:
    """Whether every header cell names a column once, without spaces at its edges."""
    ok = True
    seen: dict[str, int] = {}
    for position, raw in enumerate(header, start=1):
        name = "" if raw is None else str(raw)
        letter = column_letter(position)
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


def column_letter(position: int) -> str:
    """Spreadsheet column letter.

    >>> column_letter(1), column_letter(26), column_letter(28)
    ('A', 'Z', 'AB')
    """
    letters = ""
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
