"""One flat row from a nested results entry (shared by ``Results.to_frame`` and ``--by``).

Nested dicts become dotted column names; a two-number ``ci95`` (or any ``*ci95``) becomes
``..._low`` and ``..._high``; other lists are kept as lists; method texts are left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["flatten"]

_SKIP = ("method",)


def flatten(entry: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """One flat row from a nested entry.

    >>> flatten({"n": 3, "ci95": [0.1, 0.9], "counts": {"yes": 2}, "method": "..."})
    {'n': 3, 'ci95_low': 0.1, 'ci95_high': 0.9, 'counts.yes': 2}
    """
    row: dict[str, Any] = {}
    for key, value in entry.items():
        name = f"{prefix}{key}"
        if key in _SKIP:
            continue
        if isinstance(value, Mapping):
            row |= flatten(value, name + ".")
        elif (str(key).endswith("ci95") and isinstance(value, (list, tuple))
              and len(value) == 2):
            row[f"{name}_low"], row[f"{name}_high"] = value
        else:
            row[name] = value
    return row
