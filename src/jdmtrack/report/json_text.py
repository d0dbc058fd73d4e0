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
        self._flat: list[Callable[[Any, int], Any]] = []  # per depth: one item per line
        self._open: set[int] = set()  # containers being written (a circular reference)

    def text(self, value: Any) -> str:
        parts: list[str] = []
        self._write(value, 0, parts)
        return "".join(parts)

    def _write(self, value: Any, depth: int, out: list[str]) -> None:
        if isinstance(value, dict):
            items: Any = value.values()
        elif isinstance(value, list | tuple):
            items = value
        else:
            out.append(_scalar(value))
            return
        if not value:
            out.append("{}" if isinstance(value, dict) else "[]")
            return
        if all(isinstance(v, _SCALARS) for v in items):
            text = "".join(self._flat_encoder(depth)(value, 0))
            out += (text[0], "\n", _INDENT * (depth + 1), text[1:-1], "\n", _INDENT * depth,
                    text[-1])
            return
        marker = id(value)
        if marker in self._open:
            raise ValueError("Circular reference detected")
        self._open.add(marker)
        inner = "\n" + _INDENT * (depth + 1)
        if isinstance(value, dict):
            out.append("{")
            first = True
            for key, item in value.items():
                out += ("" if first else ",", inner, _key(key), ": ")
                first = False
                self._write(item, depth + 1, out)
            closing = "}"
        else:
            out.append("[")
            for index, item in enumerate(value):
                out += ("," if index else "", inner)
                self._write(item, depth + 1, out)
            closing = "]"
        out += ("\n", _INDENT * depth, closing)
        self._open.discard(marker)

    def _flat_encoder(self, depth: int) -> Callable[[Any, int], Any]:
        """The standard library's one-shot encoder (``JSONEncoder.iterencode`` builds one
        per call) with the indentation of ``depth``'s items as the item separator."""
        while len(self._flat) <= depth:
            separator = ",\n" + _INDENT * (len(self._flat) + 1)
            encoder = json.JSONEncoder(ensure_ascii=False, allow_nan=False,
                                       separators=(separator, ": "))
            if _c_make_encoder is None:
                self._flat.append(_one_call(encoder))
            else:
                self._flat.append(_c_make_encoder(
                    None, encoder.default, encode_basestring, None, ": ", separator,
                    False, False, False))
        return self._flat[depth]


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
    return _PLAIN.encode(value)


def _key(key: object) -> str:
    """A key as ``json.dumps`` writes it: text as is; a number, boolean or None as its JSON
    text in quotes; anything else a ``TypeError``."""
    if isinstance(key, str):
        return encode_basestring(key)
    if isinstance(key, bool | int | float) or key is None:
        return _PLAIN.encode({key: 0})[1:-4]
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
