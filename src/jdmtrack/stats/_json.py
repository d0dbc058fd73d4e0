"""JSON-ready dictionaries of the group-comparison results (strict JSON: no NaN/Infinity).

The results of ``mann_whitney``, ``fisher``, ``kruskal``, ``logrank``, ``stratified``,
``site_friedman``, ``pairwise`` and ``nested_mixed`` inherit ``as_dict`` from ``AsDict``:
the dataclass fields under their own names, floats at full precision, a non-finite float as
``None`` (the result's ``note`` or ``not_run`` says why), tuples as lists, nested results as
dictionaries and group or site labels that are not JSON scalars as text.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

__all__ = ["AsDict", "jsonable"]


def jsonable(value: Any) -> Any:
    """``value`` as strict-JSON data.

    >>> jsonable((1.5, float("inf"), ("a", 2), None))
    [1.5, None, ['a', 2], None]
    """
    own = getattr(value, "as_dict", None)
    if callable(own) and not isinstance(value, type):
        # A result's own results-file form (e.g. FriedmanResult) wins over its fields.
        return own()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (tuple, list)):
        return [jsonable(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return jsonable(value.item())
    return str(value)


class AsDict:
    """Mixin giving a frozen result dataclass its JSON-ready ``as_dict``."""

    def as_dict(self) -> dict[str, Any]:
        """The fields by name, as strict-JSON data (see the module notes)."""
        assert dataclasses.is_dataclass(self)
        return {f.name: jsonable(getattr(self, f.name)) for f in dataclasses.fields(self)}
