"""Hostile and slipped inputs made by mutating valid ones, and the check every one must pass.

Used by ``test_fuzz_inputs.py`` (a bounded number of examples in the suite) and by
``benchmarks/fuzz_inputs.py`` (the long run; see docs/fuzzing.md).

An input starts as the bundled example cohort in one of three forms, a CSV folder, an
.xlsx workbook or a raw REDCap export, and is changed by a few mutations drawn by
hypothesis: cell text (numbers out of range, ``nan``/``inf`` typed, dates numpy would wrap,
formulas, Excel error codes, control characters, quotes, a note longer than the csv
module's field limit), rows and columns deleted or repeated, line endings, encodings,
bytes inserted or deleted, files truncated, removed or replaced by a folder or a dangling
link; in a workbook, typed cell values (huge integers, infinities, year-1 dates, booleans,
formulas) and bytes of the sheet XML inside the zip.

The check (``check_input``): the library (``load_cohort`` then ``score_cohort``, or
``import_records``) returns, or raises ``InputError`` whose every problem names a file;
the CLI (``validate``, ``score``, ``redcap import``) exits 0, or exits 1 with
``Error: `` and the problems; it never ends in a traceback or in the CLI's last-resort
guard (``INTERNAL_ERROR``). Anything else raises ``Unhandled`` with the details.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import tempfile
import traceback
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import strategies as st

from jdmtrack.cli import main
from jdmtrack.cli.errors import INTERNAL_ERROR
from jdmtrack.errors import InputError, JdmtrackError
from jdmtrack.pipeline import example_path, load_cohort, score_cohort

FILES = ("patients.csv", "visits.csv", "events.csv", "adverse_events.csv")
SHEETS = tuple(name[: -len(".csv")] for name in FILES)
FORMS = ("csv", "xlsx", "redcap")

# Cell text a user, a spreadsheet or an export tool really produces, and worse.
NASTY = (
    "", " ", "nan", "NaN", "inf", "-Infinity", "+inf", "1e400", "-1e400", "9" * 400,
    "1e-400", "1e308", "-0", "0x10", "1_000", "1,5", "1.5.2", "١٢", "１２", "½",
    "0001-01-01", "1677-09-21", "1677-09-22", "2262-04-11", "2262-04-12", "9999-12-31",
    "2020-02-30", "2020-1-5", "20200105", "2020-01-05T10:00", "=1+1", "+1", "-1", "@SUM(A1)",
    "#N/A", "#DIV/0!", "#VALUE!", "\x00", "\x01x", "x\x7f", "\r", "\n", "\r\n", '"', '""',
    "a,b", ";", "yes;no", "YES", "True", "é", "\ufeff", "\u2028", "null", "None", "NA", "-",
    "999999999999999999999", "  007  ", "\t1", "x" * 140_000, "<f>1</f>", "&amp;", "]]>",
)
XLSX_OBJECTS: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from(NASTY),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.just(10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.sampled_from(["=1/0", "=A1+1", "=SUM(B2:B3)", "=NA()", "#REF!", "#NAME?"]),
)
CELL_TEXT = st.one_of(st.sampled_from(NASTY), st.text(max_size=12))
SMALL_BYTES = st.binary(min_size=0, max_size=6)

_file = st.sampled_from(FILES)
_cell = st.tuples(st.just("cell"), _file, st.integers(0, 20), st.integers(0, 60), CELL_TEXT)
_row = st.tuples(st.just("row"), _file, st.integers(0, 20),
                 st.sampled_from(["delete", "duplicate", "blank", "shorten", "lengthen"]))
_column = st.tuples(st.just("column"), _file, st.integers(0, 60),
                    st.sampled_from(["delete", "duplicate", "rename_extra", "rename_near"]))
_endings = st.tuples(st.just("endings"), _file, st.sampled_from(["\r", "\r\n", "mixed"]))
_encoding = st.tuples(st.just("encoding"), _file,
                      st.sampled_from(["utf-16", "utf-32", "latin-1", "cp1252", "utf-8-sig"]))
_bytes = st.tuples(st.just("bytes"), _file, st.integers(0, 10_000), SMALL_BYTES,
                   st.integers(0, 6))
_truncate = st.tuples(st.just("truncate"), _file, st.floats(0, 1))
_whole_file = st.tuples(st.just("file"), _file,
                        st.sampled_from(["delete", "empty", "folder", "dangling", "fifo"]))
_xcell = st.tuples(st.just("xcell"), st.sampled_from(SHEETS), st.integers(0, 20),
                   st.integers(0, 60), XLSX_OBJECTS)
_xml = st.tuples(st.just("xml"), st.integers(1, 4), st.integers(0, 20_000), SMALL_BYTES,
                 st.integers(0, 6))
_zip = st.tuples(st.just("zip"), st.floats(0, 1))

TABLE_MUTATIONS = st.one_of(_cell, _cell, _row, _column)
TEXT_MUTATIONS = st.one_of(_endings, _encoding, _bytes, _truncate)
MUTATIONS = {
    "csv": st.one_of(TABLE_MUTATIONS, TABLE_MUTATIONS, TEXT_MUTATIONS, _whole_file),
    "xlsx": st.one_of(TABLE_MUTATIONS, _xcell, _xcell, _xml, _zip),
    "redcap": st.one_of(
        st.tuples(st.just("cell"), st.just("export.csv"), st.integers(0, 20),
                  st.integers(0, 200), CELL_TEXT),
        st.tuples(st.just("row"), st.just("export.csv"), st.integers(0, 20),
                  st.sampled_from(["delete", "duplicate", "blank", "shorten", "lengthen"])),
        st.tuples(st.just("endings"), st.just("export.csv"), st.sampled_from(["\r", "mixed"])),
        st.tuples(st.just("bytes"), st.just("export.csv"), st.integers(0, 10_000), SMALL_BYTES,
                  st.integers(0, 6)),
        st.tuples(st.just("encoding"), st.just("export.csv"),
                  st.sampled_from(["utf-16", "latin-1"])),
    ),
}


def cases(form: str | None = None) -> st.SearchStrategy[tuple[str, list[tuple[Any, ...]]]]:
    """An input form and one to four mutations of it."""
    forms = st.sampled_from(FORMS) if form is None else st.just(form)
    return forms.flatmap(lambda f: st.tuples(st.just(f), st.lists(MUTATIONS[f], min_size=1,
                                                                    max_size=4)))


class Unhandled(AssertionError):
    """An input that ended in something other than success or a located InputError."""


@dataclass
class Outcome:
    form: str
    valid: bool
    problems: int


# --- building the input -----------------------------------------------------------------


@cache
def _example_tables() -> dict[str, list[list[str]]]:
    folder = example_path()
    return {name: list(csv.reader(io.StringIO((folder / name).read_text(encoding="utf-8"))))
            for name in FILES}


@cache
def _example_export() -> list[list[str]]:
    from jdmtrack.redcap import export_records

    return list(csv.reader(io.StringIO(export_records(load_cohort(example_path())))))


def _table_mutation(tables: dict[str, list[list[str]]], m: tuple[Any, ...]) -> None:
    rows = tables[m[1]]
    if not rows:
        return
    kind = m[0]
    if kind == "cell":
        row = rows[m[2] % len(rows)]
        if row:
            row[m[3] % len(row)] = m[4]
    elif kind == "row":
        i = m[2] % len(rows)
        action = m[3]
        if action == "delete":
            del rows[i]
        elif action == "duplicate":
            rows.insert(i, list(rows[i]))
        elif action == "blank":
            rows.insert(i, [""] * len(rows[0]))
        elif action == "shorten":
            rows[i] = rows[i][:-1]
        else:
            rows[i] = [*rows[i], "extra"]
    elif kind == "column":
        j = m[2] % max(1, len(rows[0]))
        for row in rows:
            if j >= len(row):
                continue
            if m[3] == "delete":
                del row[j]
            elif m[3] == "duplicate":
                row.insert(j, row[j])
        if m[3].startswith("rename") and j < len(rows[0]):
            name = rows[0][j]
            rows[0][j] = "x_" + name if m[3] == "rename_extra" else name[:-1] + name[-1:].upper()


def _csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _text_mutation(data: bytes, m: tuple[Any, ...]) -> bytes:
    kind = m[0]
    if kind == "endings":
        if m[2] == "mixed":
            lines = data.split(b"\n")
            ends = (b"\n", b"\r", b"\r\n")
            return b"".join(line + ends[i % 3] for i, line in enumerate(lines))
        return data.replace(b"\n", m[2].encode())
    if kind == "encoding":
        text = data.decode("utf-8", errors="replace") + "é"
        return text.encode(m[2], errors="replace")
    if kind == "bytes":
        at = m[2] % (len(data) + 1)
        return data[:at] + m[3] + data[at + m[4]:]
    if kind == "truncate":
        return data[: int(len(data) * m[2])]
    return data


def build_input(form: str, mutations: list[tuple[Any, ...]], root: Path) -> Path:
    """Write the mutated input under ``root`` (emptied first); the path to give jdmtrack."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    if form == "redcap":
        rows = [list(r) for r in _example_export()]
        data = None
        for m in mutations:
            if m[0] in ("cell", "row"):
                _table_mutation({"export.csv": rows}, m)
        data = _csv_bytes(rows)
        for m in mutations:
            data = _text_mutation(data, m)
        path = root / "export.csv"
        path.write_bytes(data)
        return path
    tables = {name: [list(r) for r in rows] for name, rows in _example_tables().items()}
    for m in mutations:
        if m[0] in ("cell", "row", "column"):
            _table_mutation(tables, m)
    if form == "xlsx":
        return _build_workbook(tables, mutations, root)
    files = {name: _csv_bytes(rows) for name, rows in tables.items()}
    for m in mutations:
        if m[0] in ("endings", "encoding", "bytes", "truncate"):
            files[m[1]] = _text_mutation(files[m[1]], m)
    folder = root / "cohort"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    for m in mutations:
        if m[0] == "file":
            _whole_file_mutation(folder / m[1], m[2])
    return folder


def _whole_file_mutation(path: Path, action: str) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):  # a file, a link (dangling or not), a FIFO
        path.unlink()
    if action == "empty":
        path.write_bytes(b"")
    elif action == "folder":
        path.mkdir()
    elif action == "dangling":
        os.symlink("nowhere.csv", path)
    elif action == "fifo" and hasattr(os, "mkfifo"):
        os.mkfifo(path)


_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _typed(text: str) -> object:
    """A cell as Excel would hold what a person typed: a number, a date or text."""
    if _NUMBER.fullmatch(text):
        return float(text) if "." in text else int(text)
    if _DATE.fullmatch(text):
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            return text
    return text


def _build_workbook(tables: dict[str, list[list[str]]], mutations: list[tuple[Any, ...]],
                    root: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    sheets = {name[: -len(".csv")]: [[_typed(c) for c in row] for row in rows]
              for name, rows in tables.items()}
    for m in mutations:
        if m[0] == "xcell":
            rows = sheets[m[1]]
            if rows and rows[m[2] % len(rows)]:
                row = rows[m[2] % len(rows)]
                row[m[3] % len(row)] = m[4]
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            try:
                sheet.append(row)
            except (IllegalCharacterError, ValueError, TypeError):
                # Excel cannot hold this value (a control character, a date before 1900):
                # the cell is left empty, as any writer would have to.
                sheet.append([v if _writable(v) else None for v in row])
    out = io.BytesIO()
    try:
        book.save(out)
    except (OverflowError, ValueError, TypeError):
        # openpyxl cannot write this value (a huge integer, an infinity): such a workbook
        # is written as text cells instead, as a CSV import into Excel would leave it.
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if not isinstance(cell.value, (str, type(None), dt.datetime)):
                        cell.value = str(cell.value)
        out = io.BytesIO()
        book.save(out)
    data = out.getvalue()
    for m in mutations:
        if m[0] == "xml":
            data = _mutate_part(data, f"xl/worksheets/sheet{m[1]}.xml",
                                lambda xml, m=m: _text_mutation(xml, ("bytes", "", *m[2:])))
        elif m[0] == "zip":
            data = data[: int(len(data) * m[1])]
    path = root / "cohort.xlsx"
    path.write_bytes(data)
    return path


def _writable(value: object) -> bool:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.search(value) is None
    if isinstance(value, dt.datetime):
        return value.year >= 1900
    return True


def _mutate_part(data: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return data
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            target.writestr(info, change(body) if info.filename == part else body)
    return out.getvalue()


# --- the check --------------------------------------------------------------------------


def scratch_folder() -> tempfile.TemporaryDirectory[str]:
    """A temporary folder, in memory where the system has one (the inputs are small and
    many: a disk would be the bottleneck)."""
    shm = Path("/dev/shm")
    return tempfile.TemporaryDirectory(dir=shm if shm.is_dir() and os.access(shm, os.W_OK)
                                       else None)


def check_input(form: str, path: Path, out: Path, *, cli: bool = True) -> Outcome:
    """Run jdmtrack on ``path`` as a user would; raise ``Unhandled`` unless it succeeds or
    reports located problems. ``out`` is a scratch folder for written outputs."""
    problems: tuple[Any, ...] = ()
    try:
        if form == "redcap":
            from jdmtrack.redcap import import_records

            import_records(path)
        else:
            score_cohort(load_cohort(path))
    except InputError as err:
        problems = err.problems
        for problem in problems:
            if not problem.file or not str(problem).strip():
                raise Unhandled(f"a problem that names no file: {problem!r}") from err
    except JdmtrackError:
        pass  # a settings or computation error names itself; not an input traceback
    except Exception as err:
        raise Unhandled(f"{form} {path}: the library raised "
                        f"{''.join(traceback.format_exception(err))}") from err
    if cli:
        _check_cli(form, path, out, valid=not problems)
    return Outcome(form, not problems, len(problems))


def _check_cli(form: str, path: Path, out: Path, *, valid: bool) -> None:
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    if form == "redcap":
        args = ["redcap", "import", str(path), "-o", str(out / "cohort")]
    elif valid:
        args = ["score", str(path), "-o", str(out / "scored.csv")]
    else:
        args = ["validate", str(path)]
    result = CliRunner().invoke(main, args)
    text = result.output
    if INTERNAL_ERROR in text:
        raise Unhandled(f"jdmtrack {' '.join(args)}: the last-resort guard fired: {text}")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise Unhandled(f"jdmtrack {' '.join(args)}: "
                        + "".join(traceback.format_exception(result.exception)))
    if result.exit_code not in (0, 1) or "Traceback" in text:
        raise Unhandled(f"jdmtrack {' '.join(args)} exited {result.exit_code}: {text}")
    if result.exit_code == 1 and not text.startswith("Error: "):
        raise Unhandled(f"jdmtrack {' '.join(args)} failed without a message: {text!r}")
