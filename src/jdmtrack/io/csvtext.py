"""CSV text as the ``csv`` module should see it, for every reader of user CSV files.

Two traps of the standard ``csv`` module, met by real exports:

- lines ending in a bare carriage return (old Mac, some exporting tools): the module
  wants the text split on any of ``\\r\\n``, ``\\r`` and ``\\n`` without translating the
  endings, which is what ``io.StringIO(text, newline="")`` gives;
- cells longer than its default limit of 131,072 characters (a long free-text note):
  the limit is lifted while jdmtrack reads and restored afterwards.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["CONTROL_CHARACTER", "FIELD_LIMIT", "lifted_field_limit", "records", "text_lines"]

# C0 control characters and DEL: never part of an identifier a person typed (a NUL or an
# escape in an ID comes from a damaged file or a bad export, and cannot be shown or searched).
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")

# The largest limit the csv module accepts on every platform (a C long may be 32 bits).
FIELD_LIMIT = 2**31 - 1


def text_lines(text: str) -> io.StringIO:
    """``text`` as a line iterator for ``csv.reader``: every line ending kept as it is.

    >>> list(text_lines("a\\rb\\r\\nc\\nd"))
    ['a\\r', 'b\\r\\n', 'c\\n', 'd']
    """
    return io.StringIO(text, newline="")


@contextmanager
def lifted_field_limit() -> Iterator[None]:
    """Read cells of any length inside the block; the previous limit is restored after."""
    previous = csv.field_size_limit(FIELD_LIMIT)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def records(text: str) -> list[list[str]]:
    """Every record of ``text``; ``csv.Error`` is the caller's to locate.

    >>> records('a,b\\r1,"x\\ry"\\r')
    [['a', 'b'], ['1', 'x\\ry']]
    >>> len(records("n\\n" + "x" * 200_000)[1][0])
    200000
    """
    with lifted_field_limit():
        return list(csv.reader(text_lines(text)))
