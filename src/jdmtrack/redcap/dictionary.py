"""The REDCap data dictionary: built from the field dictionary, parsed, and checked.

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
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..errors import InputError, Problem
from ..fields import (
    CMAS_ITEMS,
    EXTRA_PREFIX,
    MMT8_GROUPS,
    Field,
    fields_of,
)
from ..fields.labels import code_label
from .layout import FORMS, form_of, redcap_name

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

# The 18 columns of a REDCap data dictionary CSV, exactly as REDCap writes them.
HEADERS: tuple[str, ...] = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)
# The same columns as the API's "Export Metadata" names them.
API_NAMES: tuple[str, ...] = (
    "field_name",
    "form_name",
    "section_header",
    "field_type",
    "field_label",
    "select_choices_or_calculations",
    "field_note",
    "text_validation_type_or_show_slider_number",
    "text_validation_min",
    "text_validation_max",
    "identifier",
    "branching_logic",
    "required_field",
    "custom_alignment",
    "question_number",
    "matrix_group_name",
    "matrix_ranking",
    "field_annotation",
)

FIELD_TYPES = frozenset({"text", "notes", "dropdown", "radio", "checkbox", "calc", "file",
                         "descriptive", "slider", "yesno", "truefalse", "sql"})
# Validation types a REDCap server ships with (some may be switched off locally).
VALIDATION_TYPES = frozenset({
    "date_dmy", "date_mdy", "date_ymd", "datetime_dmy", "datetime_mdy", "datetime_ymd",
    "datetime_seconds_dmy", "datetime_seconds_mdy", "datetime_seconds_ymd", "email",
    "integer", "alpha_only", "number", "number_1dp", "number_2dp", "number_3dp", "number_4dp",
    "number_comma_decimal", "number_1dp_comma_decimal", "number_2dp_comma_decimal",
    "number_3dp_comma_decimal", "number_4dp_comma_decimal", "phone", "phone_australia",
    "postalcode_australia", "postalcode_canada", "postalcode_germany", "postalcode_french",
    "ssn", "time", "time_hh_mm_ss", "time_mm_ss", "vmrn", "zipcode", "mrn_10d", "mrn_generic",
    "signature", "enhanced_signature",
})
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


@dataclass(frozen=True)
class DictField:
    """One row of a REDCap data dictionary, in the API's column names."""

    field_name: str
    form_name: str
    section_header: str = ""
    field_type: str = "text"
    field_label: str = ""
    select_choices_or_calculations: str = ""
    field_note: str = ""
    text_validation_type_or_show_slider_number: str = ""
    text_validation_min: str = ""
    text_validation_max: str = ""
    identifier: str = ""
    branching_logic: str = ""
    required_field: str = ""
    custom_alignment: str = ""
    question_number: str = ""
    matrix_group_name: str = ""
    matrix_ranking: str = ""
    field_annotation: str = ""

    @property
    def name(self) -> str:
        return self.field_name

    @property
    def form(self) -> str:
        return self.form_name

    @property
    def kind(self) -> str:
        return self.field_type

    @property
    def validation(self) -> str:
        return self.text_validation_type_or_show_slider_number

    def choices(self) -> tuple[tuple[str, str], ...]:
        """(raw code, label) pairs of a dropdown/radio/checkbox; yesno/truefalse built in.

        >>> DictField("sex", "f", field_type="radio",
        ...           select_choices_or_calculations="F, Female | M, Male").choices()
        (('F', 'Female'), ('M', 'Male'))
        """
        if self.field_type == "yesno":
            return (("1", "Yes"), ("0", "No"))
        if self.field_type == "truefalse":
            return (("1", "True"), ("0", "False"))
        if self.field_type not in ("dropdown", "radio", "checkbox"):
            return ()
        return tuple(_split_choice(part) for part in _choice_parts(
            self.select_choices_or_calculations))

    def values(self) -> tuple[str, ...]:
        return tuple(getattr(self, name) for name in API_NAMES)


def _choice_parts(text: str) -> list[str]:
    # REDCap also accepts choices separated by line breaks (older dictionaries).
    return [p for p in re.split(r"\s*\|\s*|\s*\\n\s*|\n", text.strip()) if p.strip()]


def _split_choice(part: str) -> tuple[str, str]:
    code, _, label = part.partition(",")
    return code.strip(), label.strip()


@dataclass
class ProjectDictionary:
    """A parsed data dictionary: rows in order, indexed by field name."""

    fields: tuple[DictField, ...]
    source: str = "data dictionary"
    _by_name: dict[str, DictField] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_name = {f.field_name: f for f in self.fields}

    @property
    def record_id(self) -> str:
        return self.fields[0].field_name

    def get(self, name: str) -> DictField | None:
        return self._by_name.get(name)

    def __getitem__(self, name: str) -> DictField:
        return self._by_name[name]

    def forms(self) -> list[str]:
        return list(dict.fromkeys(f.form_name for f in self.fields))

    def fields_on(self, form: str) -> list[DictField]:
        return [f for f in self.fields if f.form_name == form]


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
        if not _FIELD_NAME.fullmatch(column) or len(column) > _NAME_MAX:
            problems.append(Problem(
                file, 1, column, column,
                f"a user column whose name can be a REDCap field name (lowercase letters, "
                f"digits and '_', at most {_NAME_MAX} characters, starting {EXTRA_PREFIX!r})"))
    return problems


# --- parsing ----------------------------------------------------------------------------


def parse_dictionary(text: str, source: str = "data dictionary") -> ProjectDictionary:
    """Read a data dictionary CSV (the 18 REDCap headers or the API's metadata names).

    Raises ``InputError`` when the file is not a data dictionary.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows = [r for r in reader if any(cell.strip() for cell in r)]
    if not rows:
        raise InputError([Problem(source, None, None, None, "a REDCap data dictionary CSV "
                                  "(the file is empty)")])
    header = [h.strip() for h in rows[0]]
    if header[:len(HEADERS)] == list(HEADERS) or header[:len(API_NAMES)] == list(API_NAMES):
        width = len(HEADERS)
    else:
        raise InputError([Problem(source, 1, None, ",".join(header[:3]) + ",...",
                                  "the 18 column headers of a REDCap data dictionary, starting "
                                  f"{HEADERS[0]!r}, {HEADERS[1]!r} (download it from "
                                  "Project Setup > Data Dictionary)")])
    out = []
    for line, row in enumerate(rows[1:], start=2):
        cells = [c.strip() for c in (row + [""] * width)[:width]]
        if not cells[0]:
            raise InputError([Problem(source, line, HEADERS[0], None, "a field name")])
        out.append(DictField(*cells))
    if not out:
        raise InputError([Problem(source, None, None, None,
                                  "at least one field under the header")])
    return ProjectDictionary(tuple(out), source)


def default_dictionary(extras: Mapping[str, Sequence[str]] | None = None) -> ProjectDictionary:
    """jdmtrack's own dictionary, parsed as a project's would be."""
    return ProjectDictionary(tuple(dictionary_rows(extras)), "jdmtrack data dictionary")


# --- checking ---------------------------------------------------------------------------

_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*")
_NAME_MAX = 26
_CODE = re.compile(r"-?[A-Za-z0-9_.]+")
_CHECKBOX_CODE = re.compile(r"[A-Za-z0-9_]+")
_REFERENCE = re.compile(r"\[([^\]]*)\]")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_data_dictionary(text: str) -> list[str]:
    """Break the rules REDCap applies when a data dictionary is uploaded? Each broken rule.

    Checked: the 18 exact headers; the record ID first, as a text field; field names
    unique, at most 26 characters of ``[a-z0-9_]`` starting with a letter, not
    ``redcap_...`` and not a form's ``..._complete``; each form's rows contiguous; field
    types and validation types REDCap knows; choices written ``code, label | ...`` with
    unique codes; numeric or date minimum/maximum; ``y``/empty flags; calculations that
    refer only to fields that exist, with balanced brackets.

    >>> check_data_dictionary(data_dictionary_csv())
    []
    """
    errors: list[str] = []
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or tuple(rows[0]) != HEADERS:
        return [f"header row: expected exactly {', '.join(HEADERS)}"]
    entries = [DictField(*(r + [""] * len(HEADERS))[:len(HEADERS)]) for r in rows[1:]]
    if not entries:
        return ["no fields"]
    if entries[0].field_type != "text":
        errors.append(f"{entries[0].field_name}: the record ID (first field) must be a text field")
    names: dict[str, int] = {}
    forms_seen: list[str] = []
    for line, entry in enumerate(entries, start=2):
        where = f"row {line} ({entry.field_name})"
        errors += _check_name(entry.field_name, where)
        if entry.field_name in names:
            errors.append(f"{where}: field name also used in row {names[entry.field_name]}")
        names.setdefault(entry.field_name, line)
        if not _FIELD_NAME.fullmatch(entry.form_name):
            errors.append(f"{where}: form name {entry.form_name!r} is not [a-z][a-z0-9_]*")
        if forms_seen and forms_seen[-1] != entry.form_name and entry.form_name in forms_seen:
            errors.append(f"{where}: the rows of form {entry.form_name!r} are not contiguous")
        if not forms_seen or forms_seen[-1] != entry.form_name:
            forms_seen.append(entry.form_name)
        errors += _check_type(entry, where)
        for flag, value in (("Identifier?", entry.identifier),
                            ("Required Field?", entry.required_field)):
            if value not in ("", "y"):
                errors.append(f"{where}: {flag} is {value!r}; expected 'y' or empty")
    for form in forms_seen:
        if f"{form}_complete" in names:
            errors.append(f"field {form}_complete clashes with the status column of form {form}")
    checkbox = {e.field_name: {c for c, _ in e.choices()} for e in entries
                if e.field_type == "checkbox"}
    for line, entry in enumerate(entries, start=2):
        if entry.field_type == "calc":
            errors += _check_calc(entry, f"row {line} ({entry.field_name})", set(names), checkbox)
    return errors


def _check_name(name: str, where: str) -> list[str]:
    errors = []
    if not _FIELD_NAME.fullmatch(name):
        errors.append(f"{where}: field name is not lowercase [a-z0-9_] starting with a letter")
    if len(name) > _NAME_MAX:
        errors.append(f"{where}: field name is longer than {_NAME_MAX} characters")
    if name.startswith("redcap_"):
        errors.append(f"{where}: field names starting 'redcap_' are reserved")
    return errors


def _check_type(entry: DictField, where: str) -> list[str]:
    errors = []
    kind = entry.field_type
    if kind not in FIELD_TYPES:
        return [f"{where}: field type {kind!r} is not a REDCap field type"]
    if not entry.field_label:
        errors.append(f"{where}: no field label")
    if kind in ("dropdown", "radio", "checkbox"):
        parts = _choice_parts(entry.select_choices_or_calculations)
        if not parts:
            errors.append(f"{where}: a {kind} field needs choices")
        codes = []
        for part in parts:
            code, comma, label = part.partition(",")
            pattern = _CHECKBOX_CODE if kind == "checkbox" else _CODE
            if not comma or not label.strip():
                errors.append(f"{where}: choice {part!r} is not 'code, label'")
            elif not pattern.fullmatch(code.strip()):
                errors.append(f"{where}: choice code {code.strip()!r} has characters REDCap "
                              "does not allow")
            codes.append(code.strip())
        if len(set(codes)) != len(codes):
            errors.append(f"{where}: choice codes repeat")
    elif kind in ("yesno", "truefalse", "text", "notes") and entry.select_choices_or_calculations:
        errors.append(f"{where}: a {kind} field takes no choices")
    validation = entry.validation
    if kind == "text" and validation and validation not in VALIDATION_TYPES:
        errors.append(f"{where}: validation {validation!r} is not a REDCap validation type")
    if kind not in ("text", "slider", "file") and validation:
        errors.append(f"{where}: only text fields take a validation type")
    for bound in (entry.text_validation_min, entry.text_validation_max):
        if not bound:
            continue
        if validation in ("integer", "number") and not _NUMBER.fullmatch(bound):
            errors.append(f"{where}: minimum/maximum {bound!r} is not a number")
        elif validation.startswith("date") and not (_DATE.fullmatch(bound) or bound == "today"):
            errors.append(f"{where}: minimum/maximum {bound!r} is not a date YYYY-MM-DD")
        elif not validation:
            errors.append(f"{where}: a minimum/maximum needs a validation type")
    low, high = entry.text_validation_min, entry.text_validation_max
    if (validation in ("integer", "number") and _NUMBER.fullmatch(low)
            and _NUMBER.fullmatch(high) and float(low) > float(high)):
        errors.append(f"{where}: minimum above maximum")
    return errors


def _check_calc(entry: DictField, where: str, names: set[str],
                checkbox: dict[str, set[str]]) -> list[str]:
    expression = entry.select_choices_or_calculations
    errors = []
    if not expression:
        return [f"{where}: a calc field needs a calculation"]
    if expression.count("(") != expression.count(")") or expression.count("[") != expression.count("]"):
        errors.append(f"{where}: unbalanced brackets in {expression!r}")
    for reference in _REFERENCE.findall(expression):
        base, _, code = reference.partition("(")
        if base not in names:
            errors.append(f"{where}: the calculation refers to [{reference}], not a field")
        elif base in checkbox and code.rstrip(")") not in checkbox[base]:
            errors.append(f"{where}: [{reference}] needs a choice code of checkbox {base}")
        elif base == entry.field_name:
            errors.append(f"{where}: the calculation refers to itself")
    return errors
