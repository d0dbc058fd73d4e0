"""``results.json``'s text: ``json.dumps(value, indent=2, ensure_ascii=False,
allow_nan=False)`` to the byte, in a fraction of its time.

With ``indent`` set, the standard library encodes in Python, one generator step per value
(5 million steps, 0.3 s, for a 2,000-patient results file); without it, in C. Most of a
results file is containers that hold only numbers and text (a patient's values by week, a
curve's times), and the indented text of such a container is the C encoder's text with the
newline and indentation as the item separator. So containers of scalars go to the C encoder
in one call each, and only the containers above them are walked here.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from itertools import repeat
from json.encoder import encode_basestring
from typing import Any

# The standard library's C encoder (None on a Python built without the _json module).
_c_make_encoder: Any = getattr(json.encoder, "c_make_encoder", None)

__all__ = ["indented_json"]

_INDENT = "  "
_SCALARS = (str, int, float, bool, type(None))  # bool is an int; listed for the reader
_PLAIN = json.JSONEncoder(ensure_ascii=False, allow_nan=False)


def indented_json(value: Any) -> str:
    """``value`` as ``json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)``.

    Raises what ``json.dumps`` raises: ``ValueError`` for NaN, infinity or a circular
    reference, ``TypeError`` for a value or key JSON cannot hold.

    >>> print(indented_json({"a": [1, 2.5], "b": {}, "c": [{"d": None}], "e": "é"}))
    {
      "a": [
        1,
        2.5
      ],
      "b": {},
      "c": [
        {
          "d": null
        }
      ],
      "e": "é"
    }
    """
    return _Writer().text(value)


class _Writer:
    def __init__(self) -> None:
        self._levels: list[_Level] = []  # per depth: its encoder and its bracket texts
        self._open: set[int] = set()  # containers being written (a circular reference)

    def text(self, value: Any) -> str:
        parts: list[str] = []
        self._write(value, 0, parts)
        return "".join(parts)

    def _write(self, value: Any, depth: int, out: list[str]) -> None:
        if isinstance(value, dict):
            items: Any = value.values()
            kind = 0
        elif isinstance(value, list | tuple):
            items = value
            kind = 1
        else:
            out.append(_scalar(value))
            return
        if not value:
            out.append("[]" if kind else "{}")
            return
        levels = self._levels
        level = levels[depth] if depth < len(levels) else self._level(depth)
        if all(map(isinstance, items, repeat(_SCALARS))):  # the test in C, not a generator
            text = "".join(level.encode(value, 0))
            out += (level.opening[kind], text[1:-1], level.closing[kind])
            return
        marker = id(value)
        if marker in self._open:
            raise ValueError("Circular reference detected")
        self._open.add(marker)
        write, separator, comma = self._write, level.opening[kind], level.comma
        if kind == 0:
            for key, item in value.items():
                # Text keys and values, the usual case, written here (not a call each).
                out += (separator, encode_basestring(key) if type(key) is str else _key(key),
                        ": ")
                separator = comma
                if type(item) is str:
                    out.append(encode_basestring(item))
                else:
                    write(item, depth + 1, out)
        else:
            for item in value:
                out.append(separator)
                separator = comma
                if type(item) is str:
                    out.append(encode_basestring(item))
                else:
                    write(item, depth + 1, out)
        out.append(level.closing[kind])
        self._open.discard(marker)

    def _level(self, depth: int) -> _Level:
        while len(self._levels) <= depth:
            self._levels.append(_Level(len(self._levels)))
        return self._levels[depth]


class _Level:
    """What a container at one depth is written with: the standard library's one-shot
    encoder (``JSONEncoder.iterencode`` builds one per call) with the indentation of this
    depth's items as the item separator, and the texts that open and close a dict (0) or a
    list (1) here and separate its items."""

    def __init__(self, depth: int) -> None:
        inner = "\n" + _INDENT * (depth + 1)
        self.opening = ("{" + inner, "[" + inner)
        self.closing = ("\n" + _INDENT * depth + "}", "\n" + _INDENT * depth + "]")
        self.comma = "," + inner
        encoder = json.JSONEncoder(ensure_ascii=False, allow_nan=False,
                                   separators=(self.comma, ": "))
        self.encode: Callable[[Any, int], Any] = (
            _one_call(encoder) if _c_make_encoder is None else _c_make_encoder(
                None, encoder.default, encode_basestring, None, ": ", self.comma,
                False, False, False))


def _one_call(encoder: json.JSONEncoder) -> Callable[[Any, int], Any]:
    def encode(value: Any, _level: int) -> tuple[str]:
        return (encoder.encode(value),)
    return encode


def _scalar(value: Any) -> str:
    """A value outside a container, as ``json.dumps`` writes it (the same errors)."""
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, float) and not isinstance(value, bool):
        if value != value or value in (math.inf, -math.inf):
            raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
        return float.__repr__(value)
    if type(value) is int:  # as json's encoder writes an int, without its call
        return int.__repr__(value)
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    return _PLAIN.encode(value)


def _key(key: object) -> str:
    """A key as ``json.dumps`` writes it: text as is; a number, boolean or None as its JSON
    text in quotes; anything else a ``TypeError``."""
    if isinstance(key, str):
        return encode_basestring(key)
    if isinstance(key, bool | int | float) or key is None:
        return _PLAIN.encode({key: 0})[1:-4]
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
