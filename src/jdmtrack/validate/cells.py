"""Cell checks: turn one raw column into typed values, naming every bad cell.

Every rule here is driven by a ``Field`` of the dictionary; no range is written here.
What is accepted, beyond the exact form the docs give:

- numbers: surrounding spaces; an exponent (``1e3``); numeric Excel cells. Not a comma
  decimal, digit-grouping, ``nan``, ``inf`` or ``NA`` (leave the cell empty for missing).
- yes/no: any letter case (``Yes``, ``NO``) and Excel TRUE/FALSE cells. Nothing else.
- dates: ``YYYY-MM-DD`` text and real Excel date cells (no time of day).
- lists: codes separated by ``;``, spaces around codes ignored.
- choices and codes: exactly as listed (a near miss is reported with a suggestion).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from ..errors import Problem
from ..fields import EARLIEST_DATE, LIST_SEPARATOR, Field
from ..io.csvtext import CONTROL_CHARACTER
from ..io.raw import RawTable, show_value
from ..io.workbook import EXCEL_ERRORS

__all__ = ["parse_column"]

_NUMBER = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$")
_COMMA_DECIMAL = re.compile(r"^\s*[+-]?\d+,\d+\s*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_JOIN = "\x1f"  # ASCII unit separator: never typed in a cell
_EDGE_SPACE = re.compile(r"\x1f[\s\x1f]|\s\x1f")  # no anchors: they make the scan slow
# The ASCII characters str.isspace() and the regex \s both count as space (_JOIN is one).
_ASCII_SPACE = " \t\n\x0b\x0c\r\x1c\x1d\x1e"
# CONTROL_CHARACTER but for _JOIN, to scan cells joined by it (each cell is checked in full
# once the scan finds one).
_ID_CONTROL = re.compile(r"[\x00-\x1e\x7f]")


def parse_column(raw: RawTable, spec: Field, values: pd.Series) -> tuple[pd.Series, list[Problem]]:
    """Typed values of one column (see ``jdmtrack.cohort``) and the problems found."""
    parser = _PARSERS[spec.kind]
    typed, problems = parser(raw, spec, values)
    if spec.required:
        # A cell already reported as bad is not also reported as empty.
        reported = {p.row for p in problems}
        missing = _missing(typed)
        for row in values.index[missing]:
            if int(row) not in reported:
                problems.append(raw.problem(int(row), spec.name, None,
                                            f"{spec.expected()} (this column is required; "
                                            "the cell is empty)"))
    return typed, problems


def _missing(typed: pd.Series) -> np.ndarray:
    return np.asarray(typed.isna(), dtype=bool)


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def _numbers(raw: RawTable, spec: Field, values: pd.Series) -> tuple[pd.Series, list[Problem]]:
    problems: list[Problem] = []
    integers = False
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        # Read-only under copy-on-write; copied below only if a cell must be blanked.
        integers = pd.api.types.is_integer_dtype(values.dtype)
        numbers = values.to_numpy(dtype="float64")
        bad = np.zeros(len(numbers), dtype=bool) if integers else np.isinf(numbers)
    else:
        numbers, bad = _numbers_from_objects(values)
    for row, value in zip(values.index[bad], values.to_numpy()[bad], strict=True):
        problems.append(raw.problem(int(row), spec.name, value, _number_expected(spec, value)))
    with np.errstate(invalid="ignore"):
        out = np.zeros(len(numbers), dtype=bool)
        if spec.minimum is not None:
            out |= (numbers <= spec.minimum) if spec.minimum_exclusive else (numbers < spec.minimum)
        if spec.maximum is not None:
            out |= numbers > spec.maximum
        if spec.kind == "integer" and not integers:
            out |= np.isfinite(numbers) & (numbers != np.floor(numbers))
    out &= ~bad
    for row, value in zip(values.index[out], numbers[out], strict=True):
        problems.append(raw.problem(int(row), spec.name, float(value), spec.expected()))
    blank = bad | out
    if blank.any():
        numbers = numbers.copy()
        numbers[blank] = np.nan
    return pd.Series(numbers, index=values.index, name=spec.name, copy=False), problems


def _numbers_from_objects(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    cells = values.to_numpy(dtype=object)
    numbers = np.full(len(cells), np.nan)
    bad = np.zeros(len(cells), dtype=bool)
    for i, value in enumerate(cells):
        if _is_empty(value):
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                numbers[i] = float(value)
            except OverflowError:  # an integer too large for a float (Excel cell)
                bad[i] = True
                continue
            bad[i] = not np.isfinite(numbers[i])
        elif isinstance(value, str) and _NUMBER.match(value):
            numbers[i] = float(value)  # a float: 1e400 and 400 digits become inf, not an error
            bad[i] = not np.isfinite(numbers[i])
        elif isinstance(value, str) and not value.strip():
            continue
        else:
            bad[i] = True
    return numbers, bad


def _number_expected(spec: Field, value: object) -> str:
    if isinstance(value, str) and _COMMA_DECIMAL.match(value):
        return f"{spec.expected()} (use a decimal point, not a comma)"
    word = value.strip().lower() if isinstance(value, str) else ""
    if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
        return (f"{spec.expected()} (an Excel error value: the formula that made it failed; "
                "fix it in the workbook and save or export again)")
    if word in ("na", "n/a", "nan", "null", "none", "-", "."):
        return f"{spec.expected()} (leave the cell empty when the value is missing)"
    if word.lstrip("+-") in ("inf", "infinity"):
        return f"{spec.expected()} (infinity is not a measurement; type the value recorded)"
    if (isinstance(value, int) and not isinstance(value, bool)) or _NUMBER.match(word):
        return f"{spec.expected()} (this number is beyond the range of any measurement)"
    return spec.expected()


def _as_text(value: object) -> str:
    return value if isinstance(value, str) else show_value(value)


def _all_text(values: pd.Series) -> bool:
    """True when every non-empty cell is a ``str`` (always so for CSV files)."""
    return pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")


def _texts(raw: RawTable, spec: Field, values: pd.Series) -> tuple[pd.Series, list[Problem]]:
    problems: list[Problem] = []
    if _all_text(values):
        # No na_value here: pandas 3.1 then returns a view despite copy=True, and the
        # edits below would change the raw table. Empty cells become None below.
        cells = values.to_numpy(dtype=object, copy=True)
        present = values.notna().to_numpy()
        # One C-level scan of all cells joined: blanks and spaces at a cell's edge are
        # rare, so the per-cell work below runs only when the scan finds one.
        joined = _JOIN + _JOIN.join(cells[present]) + _JOIN
        if spec.kind == "id" and _ID_CONTROL.search(joined):
            cells, problems = _control_characters(raw, spec, values, cells)
        if len(joined) > 2 and not _edge_space(joined):
            cells[~present] = None
            return pd.Series(cells, index=values.index, name=spec.name, dtype=object), problems
        text = values.astype(object).where(values.notna(), "")
        stripped = text.str.strip()
        blank = (stripped == "").to_numpy()
        cells[blank] = None
        if spec.kind == "id":
            reported = [p.row for p in problems if p.row is not None]
            spaced = (~blank) & (stripped != text).to_numpy() & ~np.isin(values.index, reported)
            for i in np.flatnonzero(spaced).tolist():
                problems.append(raw.problem(int(values.index[i]), spec.name, cells[i],
                                            "an identifier without leading or trailing spaces"))
            cells[spaced] = None
        return pd.Series(cells, index=values.index, name=spec.name, dtype=object), problems
    cells = values.to_numpy(dtype=object)
    out = np.empty(len(cells), dtype=object)
    for i, value in enumerate(cells.tolist()):
        if _is_empty(value) or (isinstance(value, str) and not value.strip()):
            out[i] = None
            continue
        shown = _as_text(value)
        if spec.kind == "id" and CONTROL_CHARACTER.search(shown):
            problems += _control_characters(raw, spec, values.iloc[i:i + 1],
                                            np.array([shown], dtype=object))[1]
            out[i] = None
            continue
        if spec.kind == "id" and shown != shown.strip():
            problems.append(raw.problem(int(values.index[i]), spec.name, shown,
                                        "an identifier without leading or trailing spaces"))
            out[i] = None
            continue
        out[i] = shown
    return pd.Series(out, index=values.index, name=spec.name, dtype=object), problems


def _control_characters(raw: RawTable, spec: Field, values: pd.Series,
                        cells: np.ndarray) -> tuple[np.ndarray, list[Problem]]:
    """Identifiers holding a control character: reported, and left out (set to None)."""
    problems = []
    for i, value in enumerate(cells.tolist()):
        found = CONTROL_CHARACTER.search(value) if isinstance(value, str) else None
        if found:
            problems.append(raw.problem(int(values.index[i]), spec.name, value,
                                        "an identifier without control characters (it holds "
                                        f"U+{ord(found.group()):04X}; retype it)"))
            cells[i] = None
    return cells, problems


def _edge_space(joined: str) -> bool:
    """Whether cells joined by (and framed with) ``_JOIN`` hold an empty cell or a cell
    with a space at either edge: ``_EDGE_SPACE.search``, but for ASCII text done with a
    few substring searches, which are several times faster than the regex.

    >>> [_edge_space(t) for t in ("\x1fa\x1fb c\x1f", "\x1fa \x1fb\x1f", "\x1f\x1fb\x1f",
    ...                          "\x1fa\x1f\tb\x1f", "\x1fa\x1fb\xa0\x1f")]
    [False, True, True, True, True]
    """
    if not joined.isascii():
        return _EDGE_SPACE.search(joined) is not None
    if _JOIN + _JOIN in joined:
        return True
    return any(c in joined and (_JOIN + c in joined or c + _JOIN in joined) for c in _ASCII_SPACE)


def _choices(raw: RawTable, spec: Field, values: pd.Series) -> tuple[pd.Series, list[Problem]]:
    texts, problems = _texts(raw, spec, values)
    unknown = (texts.notna() & ~texts.isin(spec.choices)).to_numpy()
    if not unknown.any():
        return texts, problems
    cells = texts.to_numpy(dtype=object, copy=True)
    for i in np.flatnonzero(unknown).tolist():
        problems.append(raw.problem(int(values.index[i]), spec.name, cells[i],
                                    spec.expected() + _suggest(cells[i], spec.choices)))
    cells[unknown] = None
    return pd.Series(cells, index=values.index, name=spec.name, dtype=object), problems


def _suggest(value: str, choices: tuple[str, ...]) -> str:
    folded = {c.lower(): c for c in choices}
    if value.strip().lower() in folded:
        return f" (did you mean {folded[value.strip().lower()]!r}?)"
    close = difflib.get_close_matches(value, choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _lists(raw: RawTable, spec: Field, values: pd.Series) -> tuple[pd.Series, list[Problem]]:
    texts, problems = _texts(raw, spec, values)
    allowed = set(spec.choices)
    cells = texts.to_numpy(dtype=object, copy=True)
    out = np.empty(len(cells), dtype=object)
    for i, value in enumerate(cells):
        if value is None:
            out[i] = None
            continue
        codes = tuple(part.strip() for part in value.split(LIST_SEPARATOR) if part.strip())
        unknown = [c for c in codes if c not in allowed]
        if unknown:
            hint = _suggest(unknown[0], spec.choices)
            problems.append(raw.problem(int(values.index[i]), spec.name, value,
                                        f"{spec.expected()}; {unknown[0]!r} is not one{hint}"))
            out[i] = None
        else:
            out[i] = codes
    return pd.Series(out, index=values.index, name=spec.name, dtype=object), problems


def _bools(raw: RawTable, spec: Field, values: pd.Series) -> tuple[pd.Series, list[Problem]]:
    cells = values.to_numpy(dtype=object)
    yes = (values == "yes").to_numpy(dtype=bool)
    no = (values == "no").to_numpy(dtype=bool)
    if _all_text(values) and (yes | no | values.isna().to_numpy()).all():
        # The usual case, exactly 'yes'/'no' or empty: no per-cell work.
        bad = np.zeros(len(cells), dtype=bool)
    elif _all_text(values):
        words = values.astype(object).where(values.notna(), "").str.strip().str.lower()
        yes = (words == "yes").to_numpy()
        no = (words == "no").to_numpy()
        bad = ~(yes | no | (words == "").to_numpy())
    else:
        yes = np.array([v is True or (isinstance(v, str) and v.strip().lower() == "yes")
                        for v in cells], dtype=bool)
        no = np.array([v is False or (isinstance(v, str) and v.strip().lower() == "no")
                       for v in cells], dtype=bool)
        bad = np.array([not (_is_empty(v) or (isinstance(v, str) and not v.strip()))
                        for v in cells], dtype=bool) & ~(yes | no)
    problems = [raw.problem(int(values.index[i]), spec.name, cells[i], spec.expected())
                for i in np.flatnonzero(bad).tolist()]
    out = pd.array(yes, dtype="boolean")
    out[~(yes | no)] = pd.NA
    return pd.Series(out, index=values.index, name=spec.name), problems


def _dates(raw: RawTable, spec: Field, values: pd.Series) -> tuple[pd.Series, list[Problem]]:
    earliest, today = _date_limits()
    if _all_text(values):
        text = values.astype(object).where(values.notna(), "").str.strip()
        parsed = pd.to_datetime(text.where(text.str.fullmatch(r"\d{4}-\d{2}-\d{2}"), None),
                                format="%Y-%m-%d", errors="coerce")
        # Dates pandas cannot hold (before 1677) come out missing here and are looked at
        # one by one below, as are dates outside the plausible range.
        bad = (((text != "") & parsed.isna()) | (parsed < pd.Timestamp(earliest))
               | (parsed > pd.Timestamp(today))).to_numpy()
        if not bad.any():
            return pd.Series(parsed.to_numpy(dtype="datetime64[ns]"), index=values.index,
                             name=spec.name), []
    cells = values.to_numpy(dtype=object)
    out = np.full(len(cells), np.datetime64("NaT"), dtype="datetime64[ns]")
    problems: list[Problem] = []
    for i, value in enumerate(cells):
        if _is_empty(value):
            continue
        row = int(values.index[i])
        day: dt.date | None = None
        if isinstance(value, dt.datetime):
            if value.time() != dt.time(0):
                problems.append(raw.problem(row, spec.name, value, "a date without a time of day"))
                continue
            day = value.date()
        elif isinstance(value, dt.date):
            day = value
        elif isinstance(value, str) and _ISO_DATE.match(value.strip()):
            try:
                day = dt.date.fromisoformat(value.strip())
            except ValueError:
                problems.append(raw.problem(row, spec.name, value,
                                            "a date YYYY-MM-DD that exists on the calendar"))
                continue
        if day is not None:
            # Checked before the conversion: nanosecond timestamps hold 1677-2262 only,
            # and numpy wraps a date outside that range instead of failing.
            if day < earliest:
                problems.append(raw.problem(row, spec.name, value,
                                            f"a date on or after {earliest.isoformat()} (an "
                                            "earlier date is not plausible; check the year)"))
            elif day > today:
                problems.append(raw.problem(row, spec.name, value,
                                            f"a date not after today ({today.isoformat()}); "
                                            "check the year"))
            else:
                out[i] = np.datetime64(day, "ns")
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            problems.append(raw.problem(row, spec.name, value,
                                        "a date YYYY-MM-DD (this cell holds a number; format it "
                                        "as a date or type the date as text)"))
        elif isinstance(value, str) and not value.strip():
            continue
        else:
            problems.append(raw.problem(row, spec.name, value, spec.expected()))
    return pd.Series(out, index=values.index, name=spec.name), problems


def _date_limits() -> tuple[dt.date, dt.date]:
    """The earliest plausible date (field dictionary) and today, by this computer's clock."""
    return dt.date.fromisoformat(EARLIEST_DATE), dt.date.today()


_Parser = Callable[[RawTable, Field, pd.Series], tuple[pd.Series, list[Problem]]]
_PARSERS: dict[str, _Parser] = {
    "integer": _numbers,
    "number": _numbers,
    "id": _texts,
    "text": _texts,
    "choice": _choices,
    "list": _lists,
    "bool": _bools,
    "date": _dates,
}
