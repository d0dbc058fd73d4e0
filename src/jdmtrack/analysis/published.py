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
from collections.abc import Callable
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, cast

from ..pipeline import ScoredCohort
from .settings import AnalysisSettings

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
    """Half-up rounding on the decimal value, as journals print (306.25 -> 306.3)."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def _matches(number: float, entry: dict[str, Any]) -> bool:
    value, decimals = entry.get("value"), int(entry.get("decimals", 0))
    if not isinstance(value, (int, float)):
        return False
    statistic = entry.get("statistic")
    if statistic == "upper_bound":  # printed "p < 0.05"
        return number < value
    if statistic == "at_most":  # printed "normal", i.e. at most the limit
        return number <= value
    return _rounded(number, decimals) == _rounded(value, decimals)


def compare_published(results: dict[str, Any], entries: list[dict[str, Any]],
                      subgroup_results: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
                      ) -> list[dict[str, Any]]:
    """One row per published figure: printed, reproduced, and whether they match.

    ``subgroup_results`` gives the results of the analysis restricted to an entry's
    population (its ``where`` conditions, or an older ``subgroup`` column = value); ``scale`` multiplies the
    reproduced number (e.g. weeks to months); ``upper_bound`` and ``at_most`` entries are
    inequalities; an entry without a path is listed as not in the results file.
    """
    rows = []
    for entry in entries:
        decimals = int(entry.get("decimals", 0))
        path = entry.get("path")
        source = results
        if entry.get("subgroup") and subgroup_results is not None:
            source = subgroup_results(entry["subgroup"])
        reproduced = lookup(source, path) if path else None
        number = (float(reproduced) * float(entry.get("scale") or 1.0)
                  if isinstance(reproduced, (int, float)) and not isinstance(reproduced, bool)
                  else None)
        shown = "" if number is None else str(_rounded(number, decimals))
        if path is None:
            shown = "not in the results file"
        rows.append({
            "label": entry.get("label", path or ""),
            "printed": entry.get("printed", ""),
            "reproduced": number,
            "reproduced_text": shown,
            "path": path,
            "where": list((entry.get("subgroup") or {}).get("where", [])),
            "reproducible": bool(entry.get("reproducible", True)),
            "match": number is not None and _matches(number, entry),
            "note": entry.get("note") or None,
        })
    return rows


def attach_published(results: dict[str, Any], demo_name: str,
                     scored: ScoredCohort | None = None,
                     settings: AnalysisSettings | None = None, *, folder: Path
                     ) -> dict[str, Any]:
    """Add the ``demo`` section to results computed on the demo cohort in ``folder``.

    ``folder`` is the demo's folder (the caller finds it, e.g. ``jdmtrack.demo.path``);
    its ``published.json`` lists the published figures to set against the results.
    An entry's ``subgroup`` is analysed as the population ``column=value`` of the whole
    scored demo cohort (the same mechanism as ``--where``).
    """
    from . import analyze

    file = folder / "published.json"
    data = json.loads(file.read_text(encoding="utf-8")) if file.exists() else []
    entries = cast(list[dict[str, Any]], data.get("figures", data.get("entries", []))
                   if isinstance(data, dict) else data)
    cache: dict[tuple[str, ...], dict[str, Any]] = {}

    def key_of(spec: dict[str, Any]) -> tuple[str, ...]:
        return tuple(str(c) for c in spec["where"])

    def population_of(entry: dict[str, Any]) -> dict[str, Any] | None:
        """An entry's population: ``where`` conditions, or the older ``subgroup``."""
        if entry.get("where"):
            return {"where": list(entry["where"])}
        old = entry.get("subgroup")
        return {"where": [f"{old['column']}={old['value']}"]} if old else None

    # A subgroup is analysed only for the results sections its own entries look up.
    needed: dict[tuple[str, ...], set[str]] = {}
    for entry in entries:
        spec = population_of(entry)
        if spec and entry.get("path"):
            needed.setdefault(key_of(spec), set()).add(entry["path"].split(".")[0])

    def for_subgroup(spec: dict[str, Any]) -> dict[str, Any]:
        key = key_of(spec)
        if key not in cache and scored is not None:
            population = replace(settings or AnalysisSettings(), where=key)
            cache[key] = analyze(scored, population, sections=needed.get(key, set()))
        return cache.get(key, {})

    results["demo"] = {"name": demo_name, "synthetic": True,
                       "source": data.get("source") if isinstance(data, dict) else None,
                       "published": compare_published(
                           results, [e | {"subgroup": population_of(e)} for e in entries],
                           for_subgroup)}
    return results
