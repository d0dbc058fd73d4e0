"""The generated REDCap data dictionary: REDCap's upload rules, and faithful to jdmtrack.fields."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from jdmtrack.cli import main
from jdmtrack.fields import FIELDS, Field, fields_of
from jdmtrack.redcap import (
    HEADERS,
    check_data_dictionary,
    data_dictionary_csv,
    parse_dictionary,
)
from jdmtrack.redcap.layout import FORMS, cohort_column, redcap_name
from jdmtrack.redcap.metadata import (
    API_NAMES,
    FIELD_TYPES,
    VALIDATION_TYPES,
    ProjectDictionary,
)


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture(scope="module")
def dictionary() -> ProjectDictionary:
    return parse_dictionary(data_dictionary_csv())


def test_headers_are_redcaps_18_exact_strings() -> None:
    header = rows(data_dictionary_csv())[0]
    assert header == [
        "Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
        "Choices, Calculations, OR Slider Labels", "Field Note",
        "Text Validation Type OR Show Slider Number", "Text Validation Min",
        "Text Validation Max", "Identifier?", "Branching Logic (Show field only if...)",
        "Required Field?", "Custom Alignment", "Question Number (surveys only)",
        "Matrix Group Name", "Matrix Ranking?", "Field Annotation"]
    assert all(len(r) == 18 for r in rows(data_dictionary_csv()))


def test_generated_dictionary_passes_every_rule() -> None:
    assert check_data_dictionary(data_dictionary_csv()) == []
    assert check_data_dictionary(data_dictionary_csv({"patients": ["x_note"],
                                                      "visits": ["x_visit_note"]})) == []


def test_first_field_is_the_record_id(dictionary: ProjectDictionary) -> None:
    first = dictionary.fields[0]
    assert (first.field_name, first.form_name, first.field_type) == ("record_id", "baseline",
                                                                     "text")
    assert first.identifier == "y"


def test_names_are_unique_short_lowercase(dictionary: ProjectDictionary) -> None:
    names = [f.field_name for f in dictionary.fields]
    assert len(names) == len(set(names))
    assert all(len(n) <= 26 and n[0].isalpha() and n == n.lower() for n in names)


def test_forms_are_contiguous_and_in_layout_order(dictionary: ProjectDictionary) -> None:
    forms = [f.form_name for f in dictionary.fields]
    runs = [form for i, form in enumerate(forms) if i == 0 or forms[i - 1] != form]
    assert runs == [f.name for f in FORMS]


def test_every_cohort_field_is_in_the_dictionary_once(dictionary: ProjectDictionary) -> None:
    for f in FIELDS:
        name = redcap_name(f.table, f.name)
        if f.name == "patient_id":
            assert name == "record_id"
            continue
        assert dictionary.get(name) is not None, name
        assert cohort_column(name) == (f.table, f.name)


@pytest.mark.parametrize("f", [f for f in FIELDS if f.name != "patient_id"],
                         ids=lambda f: f"{f.table}.{f.name}")
def test_types_ranges_choices_and_flags_follow_the_field_dictionary(
        dictionary: ProjectDictionary, f: Field) -> None:
    entry = dictionary[redcap_name(f.table, f.name)]
    expected_type = {"bool": "yesno", "list": "checkbox", "choice": "radio" if len(
        f.choices) <= 4 else "dropdown"}.get(f.kind, "text")
    assert entry.field_type == expected_type
    assert entry.validation == {"integer": "integer", "number": "number",
                                "date": "date_ymd"}.get(f.kind, "")
    if f.kind in ("integer", "number"):
        assert entry.text_validation_min == ("" if f.minimum is None else f"{f.minimum:g}")
        assert entry.text_validation_max == ("" if f.maximum is None else f"{f.maximum:g}")
    if f.kind in ("choice", "list"):
        assert tuple(code for code, _ in entry.choices()) == f.choices
    assert entry.identifier == ("y" if f.identifying else "")
    # visit_week is optional in REDCap: scheduled events give the week.
    visit_week = (f.table, f.name) == ("visits", "week")
    assert entry.required_field == ("y" if f.required and not visit_week else "")
    if f.unit:
        assert f.unit.lower() in entry.field_label.lower()


def test_yesno_uses_redcaps_built_in_coding(dictionary: ProjectDictionary) -> None:
    entry = dictionary["rash"]
    assert entry.field_type == "yesno" and entry.select_choices_or_calculations == ""
    assert entry.choices() == (("1", "Yes"), ("0", "No"))


def test_choices_are_written_code_comma_label(dictionary: ProjectDictionary) -> None:
    assert dictionary["sex"].select_choices_or_calculations == "F, Female | M, Male"
    assert "negative, Negative (tested, none found)" in (
        dictionary["msa"].select_choices_or_calculations)


def test_calc_totals_use_plus_so_a_missing_item_gives_a_blank_total(dictionary: ProjectDictionary) -> None:
    cmas = dictionary["cmas_calc"]
    assert cmas.field_type == "calc"
    items = [f.name for f in fields_of("visits") if f.group == "cmas" and f.name[5:].isdigit()]
    assert cmas.select_choices_or_calculations == "+".join(f"[{i}]" for i in items)
    assert "sum(" not in cmas.select_choices_or_calculations
    mmt8 = dictionary["mmt8_calc"].select_choices_or_calculations
    assert mmt8.count("+") == 7 and mmt8.startswith("[mmt8_neck_flexors]")
    order = [f.field_name for f in dictionary.fields]
    assert order.index("cmas_14") < order.index("cmas_calc") < order.index("cmas_total")


def test_validation_and_field_types_are_redcaps(dictionary: ProjectDictionary) -> None:
    assert {f.field_type for f in dictionary.fields} <= FIELD_TYPES
    assert {f.validation for f in dictionary.fields} - {""} <= VALIDATION_TYPES


def test_dictionary_command_prints_it() -> None:
    result = CliRunner().invoke(main, ["dictionary", "--format", "redcap"])
    assert result.exit_code == 0, result.output
    assert result.output == data_dictionary_csv()


def _mutate(text: str, field_name: str, column: str, value: str) -> str:
    table = rows(text)
    position = HEADERS.index(column)
    for row in table[1:]:
        if row[0] == field_name:
            row[position] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    return out.getvalue()


@pytest.mark.parametrize(("field_name", "column", "value", "message"), [
    ("sex", "Variable / Field Name", "Sex", "not lowercase"),
    ("sex", "Variable / Field Name", "a_field_name_that_is_far_too_long", "longer than 26"),
    ("sex", "Variable / Field Name", "redcap_sex", "reserved"),
    ("sex", "Variable / Field Name", "ild", "also used in row"),
    ("sex", "Form Name", "labs", "not contiguous"),
    ("sex", "Field Type", "radiobutton", "not a REDCap field type"),
    ("sex", "Choices, Calculations, OR Slider Labels", "F Female | M, Male", "not 'code, label'"),
    ("sex", "Choices, Calculations, OR Slider Labels", "F, Female | F, Male", "codes repeat"),
    ("msa", "Choices, Calculations, OR Slider Labels", "anti-x, X", "characters REDCap"),
    ("rash", "Choices, Calculations, OR Slider Labels", "1, Yes", "takes no choices"),
    ("cmas_01", "Text Validation Type OR Show Slider Number", "whole", "not a REDCap validation"),
    ("cmas_01", "Text Validation Min", "zero", "is not a number"),
    ("cmas_01", "Text Validation Min", "9", "minimum above maximum"),
    ("cmas_calc", "Choices, Calculations, OR Slider Labels", "[cmas_01]+[cmas_99]", "not a field"),
    ("cmas_calc", "Choices, Calculations, OR Slider Labels", "([cmas_01]+[cmas_02]",
     "unbalanced"),
    ("ild", "Identifier?", "yes", "expected 'y' or empty"),
    ("record_id", "Field Type", "notes", "must be a text field"),
])
def test_the_checker_catches_each_broken_rule(field_name: str, column: str, value: str, message: str) -> None:
    broken = _mutate(data_dictionary_csv(), field_name, column, value)
    errors = check_data_dictionary(broken)
    assert any(message in e for e in errors), errors


def test_the_checker_wants_the_exact_headers() -> None:
    text = data_dictionary_csv().replace("Identifier?", "Identifier", 1)
    assert check_data_dictionary(text)[0].startswith("header row")


def test_parse_accepts_the_api_metadata_names(dictionary: ProjectDictionary) -> None:
    table = rows(data_dictionary_csv())
    table[0] = list(API_NAMES)
    out = io.StringIO()
    csv.writer(out).writerows(table)
    assert parse_dictionary(out.getvalue()).fields == dictionary.fields


def test_public_names_resolve_and_the_dictionary_needs_no_pandas() -> None:
    import subprocess
    import sys

    import jdmtrack.redcap as redcap

    assert redcap.__all__ == sorted(redcap.__all__, key=lambda n: (not n.isupper(), n))
    for name in redcap.__all__:
        assert getattr(redcap, name) is not None
    code = ("import sys; from jdmtrack.redcap import data_dictionary_csv; data_dictionary_csv(); "
            "print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_parse_refuses_other_files() -> None:
    from jdmtrack.errors import InputError

    with pytest.raises(InputError, match="the 18 column headers"):
        parse_dictionary("patient_id,week\n1,0\n", "visits.csv")
