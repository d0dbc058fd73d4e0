"""Keep text that a spreadsheet would run as a formula from running (CSV injection).

A spreadsheet program that opens a CSV file treats a cell beginning with ``=``, ``+``,
``-`` or ``@`` as a formula, and one beginning with a tab or carriage return may be read
the same way after the program strips it (OWASP, "CSV Injection",
https://owasp.org/www-community/attacks/CSV_Injection). jdmtrack writes every such text
cell of a CSV file with a single quote (``'``) in front, as OWASP advises: the program then
shows the text instead of running it.

* Text that is a plain decimal number (``-3.5``, ``+2``, ``-1e-3``) is a number to every
  spreadsheet, not a formula, and is written unchanged; numeric columns are never touched.
* Text that already begins with quotes followed by one of those characters (``'=x``) gets
  one more quote, so that :func:`original_text` (drop one leading quote where this rule
  added one) gives back exactly the text that was written, whatever it was.
* Workbooks (.xlsx) need no prefix: jdmtrack stores text there as a string cell, which no
  spreadsheet program evaluates.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["FORMULA_STARTS", "csv_safe_column", "csv_safe_text", "original_text"]

#: First characters that make a spreadsheet evaluate a cell (OWASP, CSV Injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_GUARDED = re.compile("'*[" + re.escape("".join(FORMULA_STARTS)) + "]")
_STRINGS = np.dtypes.StringDType()
# In the cells joined by line ends: a cell that may need a quote begins after one of these
# (a carriage return anywhere is looked at, as it may start a line of its own).
_LINE_STARTS = ("\r", "\n'", *("\n" + start for start in FORMULA_STARTS))


def _needs_quote(text: str) -> bool:
    return bool(_GUARDED.match(text)) and _NUMBER.fullmatch(text) is None


def csv_safe_text(text: str) -> str:
    """One text cell as written to CSV.

    >>> csv_safe_text("=HYPERLINK(1)"), csv_safe_text("-3.5"), csv_safe_text("'+x")
    ("'=HYPERLINK(1)", '-3.5', "''+x")
    >>> csv_safe_text("plain"), csv_safe_text("-")
    ('plain', "'-")
    """
    return "'" + text if _needs_quote(text) else text


def original_text(text: str) -> str:
    """The text before :func:`csv_safe_text`: one leading quote dropped where it added one.

    >>> original_text("'=HYPERLINK(1)"), original_text("''+x"), original_text("'quoted'")
    ('=HYPERLINK(1)', "'+x", "'quoted'")
    """
    if text.startswith("'") and _needs_quote(text[1:]):
        return text[1:]
    return text


def csv_safe_column(values: np.ndarray | pd.Series) -> np.ndarray:
    """A column of text (``str`` cells, ``""`` for missing) with :func:`csv_safe_text` applied.

    The whole column is searched at once (a substring search of its cells joined by line
    ends for each start); only when some line may begin with one of the characters are the
    cells tested, with numpy string functions.
    """
    cells = np.asarray(values, dtype=object)
    listed = cells.tolist()
    try:
        joined = "\n" + "\n".join(listed)
    except TypeError:  # a cell that is not str (the contract says text; str() it)
        joined = "\n" + "\n".join(map(str, listed))
    if cells.size == 0 or not any(start in joined for start in _LINE_STARTS):
        return cells
    text = cells.astype(_STRINGS)
    first = np.strings.lstrip(text, "'")
    flagged = np.zeros(cells.shape, dtype=bool)
    for start in FORMULA_STARTS:
        flagged |= np.strings.startswith(first, start)
    out = cells.copy()
    for k in np.flatnonzero(flagged).tolist():
        out[k] = csv_safe_text(str(cells[k]))
    return out
