"""jdmtrack's REDCap data dictionary, built from the field dictionary.

Reading and checking any project's dictionary is in :mod:`.metadata` (re-exported here).

Coding choices (docs/redcap.md says why):

- choice fields are ``radio`` (up to four choices) or ``dropdown``, and their raw codes
  are the cohort codes themselves (``F, Female | M, Male``), so a raw export needs no
  code book;
- yes/no fields are REDCap ``yesno`` (raw 1 = yes, 0 = no);
- list fields are ``checkbox`` with the cohort codes as raw codes; nothing ticked means
  "not recorded" (for antibodies, ``negative`` is the code for "tested, none found");
- numbers are ``text`` with ``integer``/``number`` validation and the dictionary's range
  (REDCap ranges are inclusive and only warn; an exclusive minimum is stated in the
  field note); dates are ``date_ymd``;
- CMAS and MMT-8 item totals are ``calc`` fields written with ``+`` (REDCap leaves a
  ``+`` expression blank when any item is blank, where ``sum()`` would skip blanks and
  give a pro-rated-looking partial total). They are a preview on the form only; the
  importer ignores them and jdmtrack scores the items itself.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

from ..errors import Problem
from ..fields import (
    CMAS_ITEMS,
    EXTRA_PREFIX,
    MMT8_GROUPS,
    Field,
    fields_of,
)
from ..fields.labels import code_label
from .layout import FORMS, form_of, redcap_name
from .metadata import (
    API_NAMES,
    FIELD_NAME,
    HEADERS,
    NAME_MAX,
    DictField,
    ProjectDictionary,
    check_data_dictionary,
    parse_dictionary,
)

__all__ = [
    "API_NAMES",
    "HEADERS",
    "DictField",
    "ProjectDictionary",
    "check_data_dictionary",
    "choice_label",
    "data_dictionary_csv",
    "dictionary_rows",
    "parse_dictionary",
]

_RADIO_MAX = 4  # up to this many choices show as radio buttons, more as a drop-down

_SECTION_HEADERS: dict[str, str] = {
    "severe_features": "Severe-JDM features at JAKi start",
    "cmas": "CMAS: Childhood Myositis Assessment Scale",
    "mmt8": "MMT-8: manual muscle testing (Kendall 0-10 per muscle group)",
    "das": "DAS: Disease Activity Score",
    "catbm": "CAT-BM: Cutaneous Assessment Tool, binary method",
    "globals": "Global assessments and function",
    "labs": "Laboratory",
    "skin": "Skin",
    "medication": "Medication",
}
_NOTES: dict[tuple[str, str], str] = {
    ("patients", "patient_id"): "Kept as text: leading zeros are preserved.",
    ("patients", "site"): "Leave blank when the project uses data access groups: the "
                          "record's group is then the site.",
    ("patients", "msa"): "Tick every positive antibody. Tick 'Negative' when tested and none "
                         "was found; leave all unticked when not tested.",
    ("patients", "baseline_agents"): "Tick all that apply; all unticked = not recorded.",
    ("visits", "week"): "Leave blank at scheduled visits (the event gives the week); required "
                        "at unscheduled visits.",
}


def choice_label(code: str) -> str:
    """The label shown for a cohort code in REDCap: the dictionary's (``jdmtrack.fields``).

    >>> choice_label("F"), choice_label("gc_dependent"), choice_label("rash_resolution")
    ('Female', 'Glucocorticoid-dependent', 'Rash resolution')
    """
    return code_label(code)


# --- building ---------------------------------------------------------------------------


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _row(f: Field, section: str) -> DictField:
    name = redcap_name(f.table, f.name)
    # The unit in brackets, unless the label already says it ("Weeks since JAKi start").
    label = f.label + (f" ({f.unit})" if f.unit and f.unit.lower() not in f.label.lower()
                       else "")
    note = _NOTES.get((f.table, f.name), "")
    kind, choices, validation, low, high = "text", "", "", "", ""
    if f.kind in ("integer", "number"):
        validation = f.kind
        low = "" if f.minimum is None else _num(f.minimum)
        high = "" if f.maximum is None else _num(f.maximum)
        expected = f.expected().split(" ", 1)[1]  # "an integer 0-5" -> "integer 0-5"
        note = note or expected[:1].upper() + expected[1:]
    elif f.kind == "date":
        validation = "date_ymd"
        note = note or "YYYY-MM-DD"
    elif f.kind == "bool":
        kind = "yesno"
    elif f.kind in ("choice", "list"):
        kind = ("checkbox" if f.kind == "list"
                else "radio" if len(f.choices) <= _RADIO_MAX else "dropdown")
        choices = " | ".join(f"{c}, {choice_label(c)}" for c in f.choices)
    return DictField(
        field_name=name,
        form_name=form_of(f),
        section_header=section,
        field_type=kind,
        field_label=label,
        select_choices_or_calculations=choices,
        field_note=note,
        text_validation_type_or_show_slider_number=validation,
        text_validation_min=low,
        text_validation_max=high,
        identifier="y" if f.identifying else "",
        required_field="y" if f.required and not (f.table == "visits" and f.name == "week")
        else "",
        field_annotation=f"jdmtrack: {f.table}.{f.name}",
    )


def _calc(name: str, form: str, label: str, items: Sequence[str]) -> DictField:
    return DictField(
        field_name=name,
        form_name=form,
        field_type="calc",
        field_label=label,
        select_choices_or_calculations="+".join(f"[{item}]" for item in items),
        field_note="Blank until every item is scored. A preview only: jdmtrack scores the "
                   "items itself when it imports the data.",
        field_annotation="jdmtrack: calculated preview, not imported",
    )


def _calcs_before() -> dict[str, DictField]:
    """Calc rows, keyed by the field they go just before (the given-total field)."""
    cmas = [name for name, _label, _top in CMAS_ITEMS]
    mmt8 = [name for name, _label in MMT8_GROUPS]
    return {
        "cmas_total": _calc("cmas_calc", "visit_assessment",
                            f"CMAS total of the {len(cmas)} items (calculated)", cmas),
        "mmt8_total": _calc("mmt8_calc", "visit_assessment",
                            f"MMT-8 total of the {len(mmt8)} muscle groups (calculated)", mmt8),
    }


def dictionary_rows(extras: Mapping[str, Sequence[str]] | None = None) -> list[DictField]:
    """Every row of the data dictionary, record ID first, each form's rows together.

    ``extras`` maps a table name to user columns (``x_...``) to add, as text fields at the
    end of the table's first form (baseline, visit_assessment, ...).
    """
    extras = extras or {}
    calcs = _calcs_before()
    by_form: dict[str, list[DictField]] = {form.name: [] for form in FORMS}
    last_group: dict[str, str] = {}
    for table_name in ("patients", "visits", "events", "adverse_events"):
        for f in fields_of(table_name):
            if f.name == "patient_id" and table_name != "patients":
                continue
            form = form_of(f)
            section = ""
            if f.group and last_group.get(form) != f.group:
                section = _SECTION_HEADERS.get(f.group, f.group.replace("_", " ").capitalize())
            last_group[form] = f.group
            if f.name in calcs and table_name == "visits":
                by_form[form].append(calcs[f.name])
            by_form[form].append(_row(f, section))
        home = next(form.name for form in FORMS if form.table == table_name)
        for column in extras.get(table_name, ()):
            by_form[home].append(DictField(
                field_name=column, form_name=home, field_type="text",
                field_label=f"{column} (your own column)",
                field_annotation=f"jdmtrack: {table_name}.{column}"))
    return [row for form in FORMS for row in by_form[form.name]]


def data_dictionary_csv(extras: Mapping[str, Sequence[str]] | None = None) -> str:
    """The REDCap data dictionary of a jdmtrack project, as CSV text.

    Upload it in REDCap under Project Setup > Data Dictionary. ``extras`` adds user
    columns (``{"patients": ["x_note"]}``) as text fields; see ``extra_columns``.

    >>> text = data_dictionary_csv()
    >>> text.splitlines()[0].split(",")[:2]
    ['Variable / Field Name', 'Form Name']
    >>> text.splitlines()[1].split(",")[:4]
    ['record_id', 'baseline', '', 'text']
    """
    rows = dictionary_rows(extras)
    return _csv([HEADERS, *(row.values() for row in rows)])


def _csv(rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue()


def extra_columns_valid(columns: Iterable[str], file: str) -> list[Problem]:
    """Problems with user columns that cannot be REDCap field names."""
    problems = []
    for column in columns:
        if not FIELD_NAME.fullmatch(column) or len(column) > NAME_MAX:
            problems.append(Problem(
                file, 1, column, column,
                f"a user column whose name can be a REDCap field name (lowercase letters, "
                f"digits and '_', at most {NAME_MAX} characters, starting {EXTRA_PREFIX!r})"))
    return problems


def default_dictionary(extras: Mapping[str, Sequence[str]] | None = None) -> ProjectDictionary:
    """jdmtrack's own dictionary, parsed as a project's would be."""
    return ProjectDictionary(tuple(dictionary_rows(extras)), "jdmtrack data dictionary")


