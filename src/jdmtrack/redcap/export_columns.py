"""Reading a raw REDCap export: its rows with their line numbers, and what each column is
(a data-dictionary field, a checkbox option, a form's status, a coordinate, or not imported)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

from ..errors import InputError, Problem
from ..io.csvtext import lifted_field_limit, text_lines
from .import_state import DAG, EVENT, INSTANCE, INSTRUMENT, ImportState

__all__ = ["plan_columns", "read_export"]

_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*")


def read_export(state: ImportState) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and each body row with the line it starts on; stops at a broken file."""
    reader = csv.reader(text_lines(state.text))
    body: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    try:
        with lifted_field_limit():
            _read_rows(reader, body)
    except csv.Error as err:
        raise InputError([Problem(state.source, reader.line_num, None, None,
                                  f"well-formed CSV ({err})")]) from err
    if body:
        header = body.pop(0)[1]
    if not header or not any(h.strip() for h in header):
        raise InputError([Problem(state.source, None, None, None,
                                  "a REDCap export with a header row (the file is empty)")])
    if not _FIELD_NAME.fullmatch(header[0]):
        raise InputError([Problem(
            state.source, 1, None, header[0],
            "a raw-data export whose first column is the record ID field (e.g. 'record_id'); "
            "this looks like a 'CSV (labels)' export: export 'CSV / Microsoft Excel (raw "
            "data)' instead")])
    _check_header(state, header)
    if not body:
        state.problems.append(Problem(state.source, None, None, None,
                                      "at least one record under the header"))
    for line, row in body:
        if len(row) != len(header):
            state.problems.append(Problem(state.source, line, None, None,
                                          f"{len(header)} cells as in the header "
                                          f"(this row has {len(row)})"))
    state.check_problems()
    return header, body


def _check_header(state: ImportState, header: list[str]) -> None:
    record_id = state.dictionary.record_id
    if header[0] != record_id:
        hint = ("pass the project's data dictionary with --dictionary"
                if state.own_dictionary else "is this the export of that project?")
        state.problems.append(Problem(
            state.source, 1, header[0], header[0],
            f"the record ID field of the data dictionary, {record_id!r}, "
            f"as the first column ({hint})"))
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if name in seen:
            state.problems.append(Problem(state.source, 1, name, name,
                                          f"each column once (also column {seen[name]})"))
        seen.setdefault(name, position)


def _read_rows(reader: Iterator[list[str]], body: list[tuple[int, list[str]]]) -> None:
    """Every row and the line it starts on (the header first; blank rows left out)."""
    line_num = getattr(reader, "line_num", 0)
    for row in reader:
        start = line_num + 1
        line_num = getattr(reader, "line_num", line_num + 1)
        if not body or any(cell.strip() for cell in row):
            body.append((start, row))


def plan_columns(state: ImportState, header: list[str]) -> dict[int, tuple[str, str]]:
    """Export column position -> (kind, detail): ('field', name), ('check', name___code),
    ('status', form) or ('coord', name). Columns not listed are not imported."""
    dd = state.dictionary
    forms = set(dd.forms())
    plan: dict[int, tuple[str, str]] = {}
    ignored: list[str] = []
    for position, name in enumerate(header):
        if position == 0:
            continue
        if name in (EVENT, INSTRUMENT, INSTANCE, DAG):
            plan[position] = ("coord", name)
        elif name.startswith("redcap_"):
            continue
        elif name.endswith("_complete") and name[: -len("_complete")] in forms:
            plan[position] = ("status", name[: -len("_complete")])
        elif name.endswith("_timestamp") and name[: -len("_timestamp")] in forms:
            continue
        elif "___" in name and (entry := dd.get(name.split("___")[0])) is not None \
                and entry.field_type == "checkbox":
            plan[position] = ("check", name)
        elif (entry := dd.get(name)) is not None:
            if name in state.targets:
                plan[position] = ("field", name)
            elif entry.field_type == "checkbox":
                ignored.append(name)
        elif name.endswith("_complete"):
            continue
        else:
            ignored.append(name)
    for name in dict.fromkeys(n.split("___")[0] for n in ignored):
        hint = ("" if not state.own_dictionary else
                "; pass the project's data dictionary with --dictionary to keep it")
        state.warn("redcap_unknown_column",
                   f"column {name} is not a field of the data dictionary: not imported{hint}")
    if EVENT not in header:
        state.warn("redcap_not_longitudinal",
                   "the export has no redcap_event_name column (a classic project): every "
                   "visit needs visit_week")
    return plan
