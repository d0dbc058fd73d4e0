"""Reading the results file into typed values: the one place that looks inside its dicts.

Each reader takes whatever JSON value a key holds (possibly absent, null or of the wrong
kind in a hand-edited file) and returns the typed value or None, never raising: a section
the file lacks reads as empty, and the report says "not in the results". Strings pass
through :func:`jdmtrack.xmltext.printable`, so a control character a user typed cannot
break the HTML, Word or Excel file.

>>> num(2), num(True), num("x"), num(float("nan"))
(2.0, None, None, None)
>>> pair([1.5, None]), pair([1, 2, 3])
((1.5, None), None)
>>> section({"a": {"b": 1}}, "a"), section({"a": [1]}, "a"), text("a\\x0bb")
({'b': 1}, {}, 'a b')
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from ..xmltext import printable

__all__ = ["counts", "entries", "flag", "identifier", "integer", "key", "num", "pair", "real",
           "reason", "rows",
           "section", "text", "texts"]


def num(value: Any) -> float | None:
    """A finite number as float; None for null, booleans, text, NaN or infinity."""
    kind = type(value)
    if kind is float:  # the common cases first: a results file holds floats and ints
        return value if math.isfinite(value) else None
    if kind is int:
        return float(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    out = float(value)
    return out if math.isfinite(out) else None


def integer(value: Any) -> int | None:
    """A whole count as int (``3`` or ``3.0``); None otherwise."""
    out = num(value)
    return int(out) if out is not None and out.is_integer() else None


def real(value: Any) -> float | None:
    """A finite number as given (an int stays an int, so a count prints and exports as one);
    None for null, booleans, text, NaN or infinity.

    >>> real(3), real(2.5), real("3")
    (3, 2.5, None)
    """
    kind = type(value)
    if kind is float:
        given: float = value
        return given if math.isfinite(given) else None
    if kind is int:
        return value  # type: ignore[no-any-return]
    return value if num(value) is not None else None


def text(value: Any) -> str | None:
    """A string made printable; None for null or a non-string."""
    return printable(value) if isinstance(value, str) else None


def pair(value: Any) -> tuple[float | None, float | None] | None:
    """A two-element list of numbers (a confidence interval); None when not a pair."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        return None
    return real(value[0]), real(value[1])


def section(mapping: Any, key: str) -> dict[str, Any]:
    """``mapping[key]`` when both are dicts, else an empty dict (absent or null)."""
    value = mapping.get(key) if isinstance(mapping, Mapping) else None
    return value if isinstance(value, dict) else {}


def entries(mapping: Any, name: str) -> dict[str, dict[str, Any]]:
    """The dict-valued entries of ``mapping[name]`` (e.g. per measure or per week)."""
    return {key(k): v for k, v in section(mapping, name).items() if isinstance(v, dict)}


def rows(mapping: Any, key: str) -> list[dict[str, Any]]:
    """The dict items of the list ``mapping[key]`` (e.g. a listing's rows)."""
    value = mapping.get(key) if isinstance(mapping, Mapping) else None
    return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []


@lru_cache(maxsize=4096)  # the same measure, week and level names recur in every section
def key(value: Any) -> str:
    """A key of a results mapping (a measure, week or level name) as printable text: keys
    are printed too (a measure without a label prints its name).

    >>> key("cmas_total"), key("a\x01b"), key(4)
    ('cmas_total', 'a b', '4')
    """
    return printable(str(value))


def texts(value: Any) -> tuple[str, ...]:
    """The strings of a list, made printable (other items left out)."""
    if not isinstance(value, list | tuple):
        return ()
    return tuple(printable(v) for v in value if isinstance(v, str))


def counts(mapping: Any, name: str) -> dict[str, int | None]:
    """``mapping[name]`` as {name: whole count}; a value that is not one reads as None.

    >>> counts({"n": {"0": 5, "4": "x"}}, "n")
    {'0': 5, '4': None}
    """
    return {key(k): integer(v) if not isinstance(v, int) or isinstance(v, bool) else v
            for k, v in section(mapping, name).items()}


def reason(entry: Any) -> str | None:
    """Why a statistic was not run (``{"not_run": {"reason": ...}}``), or None.

    >>> reason({"not_run": {"reason": "n = 1"}}), reason({"not_run": None}), reason(3)
    ('n = 1', None, None)
    """
    value = text(section(entry, "not_run").get("reason"))
    return value or None


def flag(value: Any) -> bool | None:
    """A true/false value; None for anything else (``1`` is not ``True`` here).

    >>> flag(True), flag(1), flag(None)
    (True, None, None)
    """
    return value if isinstance(value, bool) else None


def identifier(value: Any) -> str | None:
    """An identifier (a patient id) as printable text; an id typed as a number in a
    hand-edited file stays one. None for null, a boolean, a list or a dict.

    >>> identifier("B01"), identifier(7), identifier(True), identifier({"a": 1})
    ('B01', '7', None, None)
    """
    if value is None or isinstance(value, (bool, dict, list)):
        return None
    return text(value if isinstance(value, str) else str(value))
