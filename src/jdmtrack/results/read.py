"""Reading the results file into typed values: the one place that looks inside its dicts.

Each reader takes whatever JSON value a key holds (possibly absent, null or of the wrong
kind in a hand-edited file) and returns the typed value or None, never raising: a section
the file lacks reads as empty, and the report says "not in the results". Strings pass
through :func:`jdmtrack.xmltext.printable`, so a control character a user typed cannot
break the HTML, Word or Excel file.

>>> num(2), num(True), num("x"), num(float("nan"))
(2.0, None, None, None)
>>> pair([1, None]), pair([1, 2, 3])
((1.0, None), None)
>>> section({"a": {"b": 1}}, "a"), section({"a": [1]}, "a"), text("a\\x0bb")
({'b': 1}, {}, 'a b')
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

from ..xmltext import printable

__all__ = ["entries", "integer", "num", "pair", "rows", "section", "text"]


def num(value: Any) -> float | None:
    """A finite number as float; None for null, booleans, text, NaN or infinity."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    out = float(value)
    return out if math.isfinite(out) else None


def integer(value: Any) -> int | None:
    """A whole count as int (``3`` or ``3.0``); None otherwise."""
    out = num(value)
    return int(out) if out is not None and out.is_integer() else None


def text(value: Any) -> str | None:
    """A string made printable; None for null or a non-string."""
    return printable(value) if isinstance(value, str) else None


def pair(value: Any) -> tuple[float | None, float | None] | None:
    """A two-element list of numbers (a confidence interval); None when not a pair."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        return None
    return num(value[0]), num(value[1])


def section(mapping: Any, key: str) -> dict[str, Any]:
    """``mapping[key]`` when both are dicts, else an empty dict (absent or null)."""
    value = mapping.get(key) if isinstance(mapping, Mapping) else None
    return value if isinstance(value, dict) else {}


def entries(mapping: Any, key: str) -> dict[str, dict[str, Any]]:
    """The dict-valued entries of ``mapping[key]`` (e.g. per measure or per week)."""
    return {str(k): v for k, v in section(mapping, key).items() if isinstance(v, dict)}


def rows(mapping: Any, key: str) -> list[dict[str, Any]]:
    """The dict items of the list ``mapping[key]`` (e.g. a listing's rows)."""
    value = mapping.get(key) if isinstance(mapping, Mapping) else None
    return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []
