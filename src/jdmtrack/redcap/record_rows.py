"""Sorting the rows of a REDCap export into cohort rows: one patients row per record
(merged over its events), a visits row per event holding visit data (week from
``visit_week`` or the event's name), and a row per repeat of the log forms."""

from __future__ import annotations

from collections import Counter

from ..errors import Problem
from ..io.csvtext import CONTROL_CHARACTER
from .decode import decode, decode_ticks
from .import_state import (
    DAG,
    EVENT,
    INSTANCE,
    INSTRUMENT,
    TABLE_NAMES,
    ImportState,
    RedcapProblem,
    Row,
    Where,
)
from .layout import week_of_event

__all__ = ["check_duplicate_visits", "sort_rows"]

_FILLED_STATUS = ("1", "2")  # a form marked Unverified or Complete


def sort_rows(state: ImportState, header: list[str], body: list[tuple[int, list[str]]],
              plan: dict[int, tuple[str, str]]) -> None:
    """Every export row into ``state.records`` and ``state.rows``; problems by record."""
    index = {name: i for i, name in enumerate(header)}
    seen: dict[tuple[str, str, str, str], int] = {}
    for line, cells in body:
        def cell(name: str, cells: list[str] = cells) -> str:
            return cells[index[name]].strip() if name in index else ""

        where = Where(cells[0], cell(EVENT), cell(INSTRUMENT), cell(INSTANCE), line)
        if not where.record.strip():
            state.problems.append(RedcapProblem(state.source, line, header[0], None,
                                                "a record ID in the first column"))
            continue
        control = CONTROL_CHARACTER.search(where.record)
        if control:
            # Located by line, not by the record: the ID itself is what cannot be shown.
            state.problems.append(Problem(
                state.source, line, header[0], where.record,
                f"a record ID without control characters (it holds "
                f"U+{ord(control.group()):04X}); correct the record ID in REDCap"))
            continue
        key = (where.record, where.event, where.instrument, where.instance)
        if key in seen:
            state.problems.append(where.problem(
                state.source, None, None, f"one row per record, event and instance (line "
                f"{seen[key]} has the same)"))
            continue
        seen[key] = line
        state.records.setdefault(where.record, Row(where))
        if cell(DAG):
            state.dags.setdefault(where.record, cell(DAG))
        _sort_row(state, where, cells, plan)


def _sort_row(state: ImportState, where: Where, cells: list[str],
              plan: dict[int, tuple[str, str]]) -> None:
    by_table: dict[str, Row] = {name: Row(where) for name in TABLE_NAMES}
    content: set[str] = set()
    ticks: dict[str, list[str]] = {}
    for position, (kind, name) in plan.items():
        raw = cells[position]
        if kind == "status":
            table = _form_table(state, name)
            if table and raw.strip() in _FILLED_STATUS:
                content.add(table)
        elif kind == "check":
            base, _, code = name.partition("___")
            if raw.strip() not in ("", "0", "1"):
                state.problems.append(where.problem(
                    state.source, name, raw, "0 or 1 (a raw-data export: not 'Checked'/"
                    "'Unchecked')"))
            elif raw.strip() == "1":
                ticks.setdefault(base, []).append(code)
        elif kind == "field" and raw.strip():
            target = state.targets[name]
            value = decode(state, target, raw, where)
            row = by_table[target.table]
            row.values[target.column] = value
            row.fields[target.column] = name
            content.add(target.table)
    for base, codes in ticks.items():
        ticked = state.targets.get(base)
        if ticked is None:
            continue
        row = by_table[ticked.table]
        row.values[ticked.column] = decode_ticks(state, ticked, codes, where)
        row.fields[ticked.column] = base
        content.add(ticked.table)
    if "patients" in content:
        _merge_patient(state, by_table["patients"])
    if "visits" in content:
        _visit(state, by_table["visits"])
    for table in ("events", "adverse_events"):
        if table in content:
            state.rows[table].append(by_table[table])


def _form_table(state: ImportState, form: str) -> str | None:
    if not state.form_tables:
        counts: dict[str, Counter[str]] = {}
        for target in state.targets.values():
            counts.setdefault(target.entry.form_name, Counter())[target.table] += 1
        state.form_tables = {f: c.most_common(1)[0][0] for f, c in counts.items()}
    return state.form_tables.get(form)


def _merge_patient(state: ImportState, row: Row) -> None:
    record = state.records[row.where.record]
    for column, value in row.values.items():
        old = record.values.get(column)
        if old is not None and value is not None and old != value:
            first = record.lines[column]
            state.problems.append(row.where.problem(
                state.source, row.fields[column], value,
                f"one value per record ({first.text(row.fields[column])} has {old!r})"))
            continue
        if old is None:
            record.values[column] = value
            record.fields[column] = row.fields[column]
            record.lines[column] = row.where


def _visit(state: ImportState, row: Row) -> None:
    where = row.where
    if where.instrument:
        state.problems.append(where.problem(
            state.source, None, None,
            f"no repeating visit forms: {where.instrument} repeats on its own in this "
            "project; jdmtrack reads extra visits as instances of a repeating event "
            "(see the 'Unscheduled visit' event in docs/redcap.md)"))
        return
    if row.values.get("week") is None:
        week = week_of_event(where.event)
        if week is None:
            state.problems.append(where.problem(
                state.source, "visit_week", None,
                "the week of this visit: fill visit_week (the event name "
                f"{where.event!r} does not say the week; scheduled events are named "
                "'Baseline' and 'Week N')"))
            return
        row.values["week"] = str(week)
        row.fields["week"] = EVENT
    state.rows["visits"].append(row)


def check_duplicate_visits(state: ImportState) -> None:
    """A record may hold one visit a week: each later one at the same week is a problem."""
    first: dict[tuple[str, float], Row] = {}
    for row in state.rows["visits"]:
        try:
            week = float(row.values["week"] or "")
        except ValueError:
            continue  # validation reports it
        key = (row.where.record, week)
        if key in first:
            other = first[key].where
            state.problems.append(row.where.problem(
                state.source, row.fields["week"], row.values["week"],
                f"a week no other visit of this record has ({other.text()} is also week "
                f"{week:g})"))
        else:
            first[key] = row
