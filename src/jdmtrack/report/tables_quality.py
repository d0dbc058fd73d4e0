"""The data-quality page: aggregated warnings, and data completeness per measure and week.

Warnings arrive aggregated (``results["warnings"]``: one item per code x table x column x
rule, with a count and the first rows as examples). Those of kind ``quality`` are listed
one per line; those of kind ``completeness`` only restate that optional data were not
recorded, so they are summed per code, and the measures' completeness is shown per week.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import format as f
from .cells import count, dig, text
from .context import Context, ordered_measures
from .model import Table

__all__ = ["QUALITY_ROWS_SHOWN", "completeness_table", "quality_table", "undecided_table",
           "warning_totals"]

# The data-quality table prints at most this many kinds (one page); the spreadsheet keeps all.
QUALITY_ROWS_SHOWN = 25


def _records(ctx: Context) -> list[Mapping[str, Any]]:
    warnings = ctx.results.get("warnings")
    if not isinstance(warnings, list):
        return []
    return [w for w in warnings if isinstance(w, dict)]


def warning_totals(ctx: Context) -> tuple[int, int]:
    """(rows concerned, kinds) of the quality warnings."""
    quality = [w for w in _records(ctx) if w.get("kind", "quality") == "quality"]
    return sum(int(w.get("count") or 0) for w in quality), len(quality)


def _examples(record: Mapping[str, Any]) -> str:
    shown = []
    for example in record.get("examples") or []:
        if not isinstance(example, dict):
            continue
        pid, week = example.get("patient_id"), example.get("week")
        if pid is None:
            continue
        shown.append(str(pid) + ("" if not f.is_number(week) else f" wk {f.fmt_value(week, 1)}"))
    return "; ".join(shown) if shown else f.MISSING


def quality_table(ctx: Context) -> Table | None:
    """One row per kind of data-quality warning: what fired, where, how often, examples."""
    quality = [w for w in _records(ctx) if w.get("kind", "quality") == "quality"]
    if not quality:
        return None
    quality.sort(key=lambda w: -int(w.get("count") or 0))
    rows = [[text(w.get("code")), text(w.get("table")), text(w.get("column")),
             count(w.get("count")), text(_examples(w)), text(w.get("message"))]
            for w in quality]
    total, kinds = warning_totals(ctx)
    return Table("data_quality", "Data-quality summary",
                 ["Code", "Table", "Column", "Rows", "Examples (patient, week)", "Rule"], rows,
                 [f"{total} rows in {kinds} kinds of warning, largest first. A warning never "
                  "changes a value: what could not be derived is left missing. Every row is "
                  "listed with --warnings-file FILE."], inline_limit=QUALITY_ROWS_SHOWN)


def undecided_table(ctx: Context) -> Table | None:
    """Per code: how many rows were left undecided because optional inputs were missing."""
    totals: dict[str, int] = {}
    columns: dict[str, dict[str, int]] = {}
    for w in _records(ctx):
        if w.get("kind") != "completeness":
            continue
        code = str(w.get("code"))
        n = int(w.get("count") or 0)
        totals[code] = totals.get(code, 0) + n
        column = str(w.get("column") or "other inputs")
        columns.setdefault(code, {})[column] = columns.get(code, {}).get(column, 0) + n
    if not totals:
        return None
    rows = []
    for code, n in totals.items():
        top = sorted(columns[code].items(), key=lambda kv: -kv[1])[:4]
        rows.append([text(code), count(n), text(", ".join(f"{c} ({k})" for c, k in top))])
    return Table("undecided", "Derived values left undecided by missing inputs",
                 ["Code", "Rows", "Missing inputs (rows)"], rows,
                 ["These restate that optional data were not recorded; a row missing "
                  "several inputs counts under each."])


def completeness_table(ctx: Context) -> Table | None:
    """Per measure and week: values recorded / visits that week."""
    missing = dig(ctx.results, "cohort", "missing")
    per_week = dig(ctx.results, "cohort", "visits_per_week") or {}
    in_followup = dig(ctx.results, "cohort", "in_followup_per_week") or {}
    if not isinstance(missing, dict) or not missing or not isinstance(in_followup, dict):
        return None
    weeks = f.sorted_weeks({w for v in missing.values() if isinstance(v, dict) for w in v})
    rows = []
    for name in ordered_measures(missing):
        by_week = missing[name] or {}
        cells = []
        for week in weeks:
            followed, absent = in_followup.get(week), by_week.get(week)
            seen = per_week.get(week, 0)
            if f.is_number(followed) and f.is_number(absent) and f.is_number(seen):
                cells.append(text(f"{f.fmt_int(followed - absent)}/{f.fmt_int(seen)}"))
            else:
                cells.append(text(None))
        rows.append([text(ctx.label(name)), *cells])
    return Table("completeness", "Data completeness per measure and week",
                 ["Measure", *[f.week_label(w) for w in weeks]], rows,
                 ["Values recorded / visits at that week (patients in follow-up without the "
                  "value are counted as not recorded)."])
