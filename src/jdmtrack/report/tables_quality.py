"""The data-quality page: aggregated warnings, and data completeness per measure and week.

Warnings arrive aggregated (``results["warnings"]``: one item per code x table x column x
rule, with a count and the first rows as examples). Those of kind ``quality`` are listed
one per line; those of kind ``completeness`` only restate that optional data were not
recorded, so they are summed per code, and the measures' completeness is shown per week.
"""

from __future__ import annotations

from ..fields import DERIVED_FIELDS, FIELDS, code_label, fields_of
from ..results.warnings import DataWarning
from . import format as f
from .cells import count, text
from .context import Context, ordered_measures
from .model import Cell, Table

__all__ = ["QUALITY_ROWS_SHOWN", "coded", "column_label", "completeness_table", "quality_table",
           "undecided_table", "warning_totals"]

# The data-quality table prints at most this many kinds (one page); the spreadsheet keeps all.
QUALITY_ROWS_SHOWN = 25


def column_label(table: str | None, column: str) -> str:
    """A column's label in the field dictionary (the table's input field, or any table's when
    ``table`` is None; else a derived column), else its name in plain words.

    >>> column_label("visits", "ck_u_l"), column_label(None, "jaki_drug")
    ('Creatine kinase (CK)', 'JAK inhibitor')
    >>> column_label("visits", "x_my_score")
    'X my score'
    """
    for spec in (*(fields_of(table) if table else FIELDS), *DERIVED_FIELDS):
        if spec.name == column:
            return spec.label
    return code_label(column)


def coded(label: str | None, code: str | None) -> Cell:
    """A label with the code behind it in small type (the code alone when no label)."""
    if code is None:
        return text(label)
    return Cell(label or code, label or code, None, 0, code if label else None)


def _quality(ctx: Context) -> list[DataWarning]:
    return [w for w in ctx.typed.warnings if w.kind == "quality"]


def warning_totals(ctx: Context) -> tuple[int, int]:
    """(rows concerned, kinds) of the quality warnings."""
    quality = _quality(ctx)
    return sum(w.count for w in quality), len(quality)


def _examples(record: DataWarning) -> str:
    shown = [str(e.patient_id) + ("" if e.week is None else f" wk {f.fmt_value(e.week, 1)}")
             for e in record.examples if e.patient_id is not None]
    return "; ".join(shown) if shown else f.MISSING


def quality_table(ctx: Context) -> Table | None:
    """One row per kind of data-quality warning: what fired, where, how often, examples."""
    quality = _quality(ctx)
    if not quality:
        return None
    quality.sort(key=lambda w: -w.count)
    rows = [[coded(None if w.code is None else code_label(w.code), w.code),
             text(None if w.table is None else code_label(w.table)),
             coded(None if w.column is None else column_label(w.table, w.column), w.column),
             count(w.count), text(_examples(w)), text(w.message)]
            for w in quality]
    total, kinds = warning_totals(ctx)
    return Table("data_quality", "Data-quality summary",
                 ["Warning", "Table", "Column", "Rows", "Examples (patient, week)", "Rule"], rows,
                 [f"{total} rows in {kinds} kinds of warning, largest first. A warning never "
                  "changes a value: what could not be derived is left missing. Every row is "
                  "listed with --warnings-file FILE."], inline_limit=QUALITY_ROWS_SHOWN)


def undecided_table(ctx: Context) -> Table | None:
    """Per code: how many rows were left undecided because optional inputs were missing."""
    totals: dict[str, int] = {}
    columns: dict[str, dict[tuple[str | None, str | None], int]] = {}
    for w in ctx.typed.warnings:
        if w.kind != "completeness":
            continue
        code = str(w.code)
        totals[code] = totals.get(code, 0) + w.count
        per = columns.setdefault(code, {})
        per[w.table, w.column] = per.get((w.table, w.column), 0) + w.count
    if not totals:
        return None
    rows = []
    for code, n in totals.items():
        top = sorted(columns[code].items(), key=lambda kv: -kv[1])[:4]
        inputs = ", ".join(f"{'other inputs' if c is None else column_label(t, c)} ({k})"
                           for (t, c), k in top)
        names = ", ".join(c for (_, c), _ in top if c is not None)
        rows.append([coded(code_label(code), code), count(n), coded(inputs, names or None)])
    return Table("undecided", "Derived values left undecided by missing inputs",
                 ["Warning", "Rows", "Missing inputs (rows)"], rows,
                 ["These restate that optional data were not recorded; a row missing "
                  "several inputs counts under each."])


def completeness_table(ctx: Context) -> Table | None:
    """Per measure and week: values recorded / visits that week."""
    cohort = ctx.typed.cohort
    if cohort is None or not cohort.missing:
        return None
    missing, per_week = cohort.missing, cohort.visits_per_week
    in_followup = cohort.in_followup_per_week
    weeks = f.sorted_weeks({w for v in missing.values() for w in v})
    rows = []
    for name in ordered_measures(list(missing)):
        by_week = missing[name]
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
