"""A REDCap data dictionary as REDCap defines it: columns, rows, reading, upload rules.

:mod:`.dictionary` builds jdmtrack's own dictionary from the field dictionary; this module
knows nothing of jdmtrack's fields: it reads any project's dictionary
(:func:`parse_dictionary`) and checks one against the rules REDCap applies on upload
(:func:`check_data_dictionary`).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from ..errors import InputError, Problem

__all__ = [
    "API_NAMES",
    "FIELD_NAME",
    "FIELD_TYPES",
    "HEADERS",
    "NAME_MAX",
    "VALIDATION_TYPES",
    "DictField",
    "ProjectDictionary",
    "check_data_dictionary",
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
    def validation(self) -> str:
        """The text validation type (REDCap's column also holds a slider's option)."""
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


# --- checking ---------------------------------------------------------------------------

FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*")
NAME_MAX = 26
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

    >>> from jdmtrack.redcap.dictionary import data_dictionary_csv
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
        if not FIELD_NAME.fullmatch(entry.form_name):
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
    if not FIELD_NAME.fullmatch(name):
        errors.append(f"{where}: field name is not lowercase [a-z0-9_] starting with a letter")
    if len(name) > NAME_MAX:
        errors.append(f"{where}: field name is longer than {NAME_MAX} characters")
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
