"""One REDCap cell as a cohort value: raw choice codes and checkbox ticks decoded by the
field's plan, missing-data codes read as missing with a warning, datetimes cut to dates."""

from __future__ import annotations

from ..errors import DataWarning
from ..fields import LIST_SEPARATOR
from .import_state import ImportState, Target, Where
from .layout import week_of_event
from .missing_codes import DEFAULT_MISSING_CODES

__all__ = ["decode", "decode_ticks"]


def decode(state: ImportState, target: Target, raw: str, where: Where) -> str | None:
    """The cohort value of a filled cell (None when it cannot be read: a problem is listed)."""
    value = raw.strip()
    entry, spec = target.entry, target.spec
    if value in state.missing and value not in target.codes:
        _missing_code(state, target, value, where)
        return None
    if entry.field_type == "checkbox":  # exported with combineCheckboxOptions
        return decode_ticks(state, target, [c.strip() for c in value.split(",")], where)
    if target.codes or entry.field_type in ("dropdown", "radio", "yesno", "truefalse"):
        if value not in target.codes:
            state.problems.append(where.problem(
                state.source, entry.field_name, raw,
                f"a code of the field's choices ({_choices_shown(target)})"))
            return None
        decoded = target.codes[value]
        if decoded is None:
            expected = (spec.expected() if spec is not None else "a known code")
            state.problems.append(where.problem(
                state.source, entry.field_name, raw,
                f"a choice jdmtrack can read as {expected}: the data dictionary gives this "
                "code a label jdmtrack does not recognise"))
        return decoded
    if spec is not None and spec.kind == "date" and entry.validation.startswith("datetime"):
        return value[:10]
    return raw if spec is None or spec.kind in ("text", "id") else value


def decode_ticks(state: ImportState, target: Target, codes: list[str],
                 where: Where) -> str | None:
    """The ticked options of a checkbox field as a ``;`` list in dictionary order."""
    folded = {c.lower(): c for c in target.codes}
    missing = {c.lower(): c for c in state.missing}
    values: list[str] = []
    for code in codes:
        if code.lower() in folded:
            decoded = target.codes[folded[code.lower()]]
            if decoded is None:
                state.problems.append(where.problem(
                    state.source, f"{target.entry.field_name}___{code}", "1",
                    "a choice jdmtrack knows: the data dictionary gives this code a "
                    "label jdmtrack does not recognise"))
            elif decoded not in values:
                values.append(decoded)
        elif code.lower() in missing:
            _missing_code(state, target, missing[code.lower()], where)
            return None
        else:
            state.problems.append(where.problem(
                state.source, target.entry.field_name, code,
                f"a code of the field's choices ({_choices_shown(target)})"))
    spec = target.spec
    if spec is not None and spec.kind == "list":
        values.sort(key=lambda c: spec.choices.index(c) if c in spec.choices else 10**6)
    return LIST_SEPARATOR.join(values) or None


def _choices_shown(target: Target) -> str:
    return " | ".join(f"{code}, {label}" for code, label in target.entry.choices())


def _missing_code(state: ImportState, target: Target, code: str, where: Where) -> None:
    label = state.missing.get(code) or DEFAULT_MISSING_CODES.get(code, "")
    shown = f"{code!r}" + (f" ({label})" if label else "")
    week = week_of_event(where.event) if target.table == "visits" else None
    state.warnings.append(DataWarning(
        "redcap_missing_code",
        f"{where.text(target.entry.field_name)}: missing-data code {shown} read as missing",
        patient_id=where.record, week=None if week is None else float(week),
        column=target.column))
