"""Published vs reproduced: a demo cohort's analysis set against the paper it imitates.

Each bundled demo folder holds ``published.json``: a list of figures, each with a
``label``, the ``printed`` text, the numeric ``value``, the ``decimals`` it was printed
to, the results-file ``path`` that reproduces it (dotted, e.g.
``outcomes.das_skin.by_week.0.median``), whether it is ``reproducible``, and a ``note``.
A figure matches when the reproduced number, rounded half-up to the printed decimals,
equals the printed number.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, cast

__all__ = ["attach_published", "compare_published", "lookup"]


def lookup(results: dict[str, Any], path: str) -> Any:
    """The value at a dotted path of the results, or None when it is not there.

    >>> lookup({"a": {"0": {"b": 1.5}}}, "a.0.b"), lookup({"a": {}}, "a.1.b")
    (1.5, None)
    """
    node: Any = results
    for part in path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _rounded(value: float, decimals: int) -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def compare_published(results: dict[str, Any], entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per published figure: printed, reproduced, and whether they match."""
    rows = []
    for entry in entries:
        decimals = int(entry.get("decimals", 0))
        path = entry.get("path")
        reproduced = lookup(results, path) if path else None
        number = reproduced if isinstance(reproduced, (int, float)) else None
        value = entry.get("value")
        match = (number is not None and isinstance(value, (int, float))
                 and _rounded(number, decimals) == _rounded(value, decimals))
        rows.append({
            "label": entry.get("label", path or ""),
            "printed": entry.get("printed", ""),
            "reproduced": None if number is None else float(number),
            "reproduced_text": "" if number is None else str(_rounded(number, decimals)),
            "path": path,
            "reproducible": bool(entry.get("reproducible", True)),
            "match": bool(match),
            "note": entry.get("note"),
        })
    return rows


def attach_published(results: dict[str, Any], demo_name: str) -> dict[str, Any]:
    """Add the ``demo`` section to results computed on a bundled demo cohort."""
    from ..demo import path as demo_path

    file = Path(str(demo_path(demo_name))) / "published.json"
    data = json.loads(file.read_text(encoding="utf-8")) if file.exists() else []
    entries = cast(list[dict[str, Any]], data.get("figures", data.get("entries", []))
                   if isinstance(data, dict) else data)
    results["demo"] = {"name": demo_name, "synthetic": True,
                       "source": data.get("source") if isinstance(data, dict) else None,
                       "published": compare_published(results, entries)}
    return results
