"""Rows of each results table, flat, for ``Results.to_frame`` (one dict per row).

Nested dicts become dotted column names; a two-number ``ci95`` (or any ``*ci95``) becomes
``..._low`` and ``..._high``; other lists are kept as lists. Long method texts stay in
the results file, not in the tables.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .analysis.flat import flatten

__all__ = ["flatten", "section_rows"]

def _keyed(data: Any, *names: str) -> Iterator[dict[str, Any]]:
    """Rows of nested dicts keyed ``names`` deep (e.g. measure then week)."""
    if not isinstance(data, Mapping):
        return
    first, rest = names[0], names[1:]
    for key, value in data.items():
        if rest:
            for row in _keyed(value, *rest):
                yield {first: key, **row}
        elif isinstance(value, Mapping):
            yield {first: key, **flatten(value)}


def _per_measure(outcomes: Any, part: str, by_week: bool) -> Iterator[dict[str, Any]]:
    if not isinstance(outcomes, Mapping):
        return
    for measure, entry in outcomes.items():
        value = entry.get(part) if isinstance(entry, Mapping) else None
        if not isinstance(value, Mapping):
            continue
        if part == "mixed_model":
            for row in _keyed(value.get("estimates"), "week"):
                yield {"measure": measure, **row}
        elif by_week:
            for row in _keyed(value, "week"):
                yield {"measure": measure, **row}
        else:
            yield {"measure": measure, **flatten(value)}


def _baseline(data: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(data, Mapping):
        return
    for variable, entry in data.items():
        base = {"variable": variable, "label": entry.get("label"), "type": entry.get("type"),
                "n": entry.get("n"), "missing": entry.get("missing")}
        if entry.get("type") == "categorical":
            percent = entry.get("percent") or {}
            for level, count in (entry.get("counts") or {}).items():
                yield base | {"level": level, "count": count, "percent": percent.get(level)}
        else:
            yield base | {k: v for k, v in flatten(entry).items() if k not in base}


def _cohort(data: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(data, Mapping):
        return
    per_week = {k: v for k, v in data.items() if k.endswith("_per_week") and isinstance(v, Mapping)}
    weeks = sorted({w for v in per_week.values() for w in v}, key=float)
    for week in weeks:
        yield {"week": week, **{k.removesuffix("_per_week"): v.get(week)
                                for k, v in per_week.items()}}


def section_rows(section: str, data: Any) -> Iterator[dict[str, Any]]:
    """The rows of one results table (see ``jdmtrack.results.SECTIONS``)."""
    if section == "cohort":
        yield from _cohort(data)
    elif section == "baseline":
        yield from _baseline(data)
    elif section in ("by_week", "vs_baseline", "mixed_model"):
        yield from _per_measure(data, section, by_week=True)
    elif section in ("friedman", "skillings_mack"):
        yield from _per_measure(data, section, by_week=False)
    elif section == "criteria":
        yield from _keyed(data, "criterion", "week")
    elif section == "response":
        yield from _keyed(data, "week")
    elif section in ("time_to_event", "dosing"):
        yield from _keyed(data, "event" if section == "time_to_event" else "variable")
    elif section == "safety" and isinstance(data, Mapping):
        yield flatten({k: v for k, v in data.items() if k != "events"})
    elif section == "adverse_events" and isinstance(data, Mapping):
        yield from (flatten(e) for e in data.get("events") or [])
    elif section in ("patients", "warnings") and isinstance(data, list):
        yield from (flatten(e) for e in data if isinstance(e, Mapping))
    elif section in ("by", "by_tests") and isinstance(data, Mapping):
        from .analysis.groups import by_rows

        yield from by_rows(data, tests=section == "by_tests")
