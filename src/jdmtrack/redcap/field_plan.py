"""Where each data-dictionary field of a REDCap project goes in the cohort, and how its raw
codes read as cohort values (choice codes matched by code or by label, yes/no by words)."""

from __future__ import annotations

import re
from collections import Counter

from ..fields import EXTRA_PREFIX, fields_of
from .dictionary import choice_label
from .import_state import TABLE_NAMES, ImportState, Target
from .layout import FORMS, cohort_column

__all__ = ["plan_codes", "plan_fields"]

_NOT_DATA_TYPES = ("calc", "descriptive", "file", "sql")
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})


def plan_fields(state: ImportState) -> None:
    """Fill ``state.targets``: a field jdmtrack knows goes to its column; any other to a
    user column (``x_...``) of the table its form mostly feeds, with a warning."""
    dd = state.dictionary
    specs = {(f.table, f.name): f for t in TABLE_NAMES for f in fields_of(t)}
    form_tables: dict[str, Counter[str]] = {}
    for entry in dd.fields[1:]:
        known = cohort_column(entry.field_name)
        if known is not None:
            form_tables.setdefault(entry.form_name, Counter())[known[0]] += 1
    own_forms = {f.name: f.table for f in FORMS}
    for entry in dd.fields[1:]:
        if entry.field_type in _NOT_DATA_TYPES:
            if entry.field_type != "calc" and cohort_column(entry.field_name):
                state.warn("redcap_field_type", f"field {entry.field_name} is a "
                           f"{entry.field_type} field in the data dictionary; not imported")
            continue
        known = cohort_column(entry.field_name)
        if known is not None:
            table, column = known
            target = Target(table, column, entry, specs[known])
        else:
            counts = form_tables.get(entry.form_name)
            table_name = (counts.most_common(1)[0][0] if counts
                          else own_forms.get(entry.form_name))
            if table_name is None:
                state.warn("redcap_unknown_field",
                           f"field {entry.field_name} (form {entry.form_name}) is not a "
                           "jdmtrack field and its form holds none: not imported")
                continue
            column = (entry.field_name if entry.field_name.startswith(EXTRA_PREFIX)
                      else EXTRA_PREFIX + entry.field_name)
            if column != entry.field_name:
                state.warn("redcap_unknown_field",
                           f"field {entry.field_name} (form {entry.form_name}) is not a "
                           f"jdmtrack field: kept as the user column {column} of "
                           f"{table_name}")
            target = Target(table_name, column, entry, None)
        plan_codes(target)
        state.targets[entry.field_name] = target
        state.field_names[(target.table, target.column)] = entry.field_name


def plan_codes(target: Target) -> None:
    """Raw code -> cohort value, for fields that have choices (None: no cohort value)."""
    choices = target.entry.choices()
    spec = target.spec
    if not choices or spec is None:
        target.codes = {code: code for code, _ in choices}
        return
    if spec.kind == "bool":
        for code, label in choices:
            words = {code.strip().lower(), label.strip().lower()}
            target.codes[code] = ("yes" if words & _YES and not words & _NO else
                                  "no" if words & _NO and not words & _YES else None)
        if target.entry.field_type in ("yesno", "truefalse"):
            target.codes = {"1": "yes", "0": "no"}
    elif spec.kind in ("choice", "list"):
        wanted = {_fold(c): c for c in spec.choices}
        wanted.update({_fold(choice_label(c)): c for c in spec.choices})
        for code, label in choices:
            target.codes[code] = (code if code in spec.choices else
                                  wanted.get(_fold(label), wanted.get(_fold(code))))
    elif spec.kind in ("integer", "number"):
        numeric = all(re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", label) for _, label in choices)
        target.codes = {code: (label.strip() if numeric else code) for code, label in choices}
    else:
        target.codes = {code: code for code, _ in choices}


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())
