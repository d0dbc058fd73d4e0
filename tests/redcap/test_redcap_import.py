"""Raw REDCap exports of a jdmtrack project -> cohort tables, problems and warnings."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import replace

import pandas as pd
import pytest
from redcap_export_builder import ExportBuilder

from jdmtrack.errors import InputError
from jdmtrack.redcap import (
    DEFAULT_MISSING_CODES,
    HEADERS,
    RedcapImport,
    data_dictionary_csv,
    parse_dictionary,
    records_to_cohort,
)
from jdmtrack.redcap.dictionary import DictField

CMAS_BASE = {f"cmas_{i:02d}": str(v) for i, v in enumerate(
    [3, 2, 3, 2, 4, 2, 2, 3, 2, 3, 3, 3, 2, 2], start=1)}


def realistic() -> ExportBuilder:
    """Two sites, leading-zero record IDs, scheduled and unscheduled visits, repeating
    adverse events and clinical events, missing-data codes, a checkbox never ticked."""
    b = ExportBuilder()
    b.add("007", "baseline_arm_1", dag="site_a", sex="F", birth_date="2012-05-01",
          jaki_start_date="2021-03-01", jaki_drug="tofacitinib", bohan_peter="definite",
          ild="0", calcinosis="1", msa=["negative"], baseline_agents=["ivig", "methotrexate"],
          followup_weeks="24", visit_date="2021-03-01", weight_kg="31.5", rash="1",
          ck_u_l="812", cs_mg_day="20", fields=CMAS_BASE)
    b.add("007", "week_4_arm_1", dag="site_a", visit_date="2021-03-29", rash="0", ck_u_l="NA",
          phga_cm="2.5", fields={**CMAS_BASE, "cmas_04": "UNK"})
    b.add("007", "week_12_arm_1", dag="site_a", phga_cm="1")
    b.add("007", "unscheduled_visit_arm_1", instance="1", dag="site_a", visit_week="8.5",
          phga_cm="1.5")
    b.add("007", "logs_arm_1", instrument="adverse_events", instance="1", dag="site_a",
          ae_week="6", ae_term="Herpes zoster", ae_category="infection", ae_ctcae_grade="2",
          ae_serious="0", ae_hospitalised="0", ae_action="interrupted", ae_outcome="resolved")
    b.add("007", "logs_arm_1", instrument="adverse_events", instance="2", dag="site_a",
          ae_week="10", ae_term="Neutropenia", ae_category="laboratory", ae_serious="NASK")
    b.add("007", "logs_arm_1", instrument="clinical_events", instance="1", dag="site_a",
          event_type="rash_improvement", event_week="1.5")
    b.add("010", "baseline_arm_1", dag="site_b", sex="M", jaki_drug="baricitinib",
          ild="ASKU", das_skin="5", das_muscle="3")
    b.add("010", "week_4_arm_1", dag="site_b", das_skin="3", das_muscle="UNK")
    return b


@pytest.fixture(scope="module")
def imported() -> RedcapImport:
    return records_to_cohort(realistic().text(), source="export.csv")


def test_records_keep_leading_zeros_and_sites_come_from_the_dag(imported: RedcapImport) -> None:
    patients = imported.cohort.patients
    assert list(patients["patient_id"]) == ["007", "010"]
    assert list(patients["site"]) == ["site_a", "site_b"]
    assert imported.tables["patients"]["patient_id"].tolist() == ["007", "010"]


def test_weeks_come_from_event_names_and_visit_week(imported: RedcapImport) -> None:
    visits = imported.cohort.visits
    weeks = visits.groupby("patient_id")["week"].apply(list).to_dict()
    assert weeks == {"007": [0.0, 4.0, 8.5, 12.0], "010": [0.0, 4.0]}


def test_checkboxes_become_lists_in_choice_order_and_unticked_is_missing(imported: RedcapImport) -> None:
    patients = imported.cohort.patients.set_index("patient_id")
    assert patients.at["007", "msa"] == ("negative",)
    assert patients.at["007", "baseline_agents"] == ("methotrexate", "ivig")
    assert patients.at["010", "msa"] is None
    assert patients.at["010", "baseline_agents"] is None


def test_yesno_and_choice_codes(imported: RedcapImport) -> None:
    patients = imported.cohort.patients.set_index("patient_id")
    assert not patients.at["007", "ild"] and patients.at["007", "calcinosis"]
    assert patients.at["007", "jaki_drug"] == "tofacitinib"
    visits = imported.cohort.visits.set_index(["patient_id", "week"])
    assert visits.at[("007", 0.0), "rash"] and not visits.at[("007", 4.0), "rash"]


def test_missing_data_codes_become_missing_with_a_warning_each(imported: RedcapImport) -> None:
    visits = imported.cohort.visits
    week4 = visits[(visits["patient_id"] == "007") & (visits["week"] == 4)].iloc[0]
    assert math.isnan(float(week4["cmas_04"])) and math.isnan(float(week4["ck_u_l"]))
    assert week4["cmas_03"] == 3
    assert imported.cohort.patients.set_index("patient_id")["ild"].isna()["010"]
    coded = [w for w in imported.warnings if w.code == "redcap_missing_code"]
    messages = [w.message for w in coded]
    assert len(coded) == 5, messages
    assert ("record 007, event week_4_arm_1, field cmas_04: missing-data code 'UNK' (Unknown) "
            "read as missing") in messages
    assert any("adverse_events instance 2, field ae_serious: missing-data code 'NASK'" in m
               for m in messages)
    first = next(w for w in coded if w.column == "cmas_04")
    assert (first.patient_id, first.week) == ("007", 4.0)


def test_repeating_instances_become_rows(imported: RedcapImport) -> None:
    ae = imported.cohort.adverse_events
    assert ae["term"].tolist() == ["Herpes zoster", "Neutropenia"]
    assert ae["week"].tolist() == [6.0, 10.0]
    assert pd.isna(ae["serious"].iloc[1])
    events = imported.cohort.events
    assert events[["patient_id", "event", "week"]].values.tolist() == [
        ["007", "rash_improvement", 1.5]]


def test_calc_and_status_columns_are_not_imported(imported: RedcapImport) -> None:
    assert "cmas_calc" not in imported.tables["visits"].columns
    assert not any(c.endswith("_complete") for t in imported.tables.values() for c in t.columns)
    assert not [w for w in imported.warnings if w.code != "redcap_missing_code"]


def test_forms_on_an_event_without_data_make_no_visit() -> None:
    """The baseline row of 010 holds only the baseline form: no week-0 visit."""
    b = ExportBuilder()
    b.add("010", "baseline_arm_1", sex="M")
    b.add("010", "week_4_arm_1", phga_cm="3")
    visits = records_to_cohort(b.text()).cohort.visits
    assert visits["week"].tolist() == [4.0]


def test_a_form_marked_complete_without_data_is_a_visit() -> None:
    b = ExportBuilder()
    b.add("1", "baseline_arm_1", sex="M")
    b.add("1", "week_4_arm_1", complete={"visit_assessment": "2"})
    visits = records_to_cohort(b.text()).cohort.visits
    assert visits["week"].tolist() == [4.0]


def test_visit_week_overrides_the_event_week() -> None:
    b = ExportBuilder()
    b.add("1", "baseline_arm_1", sex="M", phga_cm="3")
    b.add("1", "week_4_arm_1", visit_week="5", phga_cm="2")
    assert records_to_cohort(b.text()).cohort.visits["week"].tolist() == [0.0, 5.0]


def test_problems_name_record_event_and_field() -> None:
    b = ExportBuilder()
    b.add("007", "baseline_arm_1", sex="F", phga_cm="3")
    b.add("007", "week_4_arm_1", cmas_03="9", phga_cm="14")
    b.add("007", "logs_arm_1", instrument="adverse_events", instance="3", ae_week="2")
    with pytest.raises(InputError) as info:
        records_to_cohort(b.text(), source="export.csv")
    message = str(info.value)
    assert ("record 007, event week_4_arm_1, field cmas_03: got '9', expected an integer 0-5"
            in message)
    assert ("record 007, event week_4_arm_1, field phga_cm: got '14', expected a number 0-10"
            in message)
    assert ("record 007, event logs_arm_1, adverse_events instance 3, field ae_term: expected "
            "text (this column is required") in message
    assert "3 problems" in message


def test_choice_codes_not_in_the_dictionary_are_problems() -> None:
    b = ExportBuilder()
    b.add("1", "baseline_arm_1", sex="X", ild="2", msa=["abc"])
    with pytest.raises(InputError) as info:
        records_to_cohort(b.text())
    message = str(info.value)
    assert "record 1, event baseline_arm_1, field sex: got 'X', expected a code of the " \
           "field's choices (F, Female | M, Male)" in message
    assert "field ild: got '2'" in message
    assert "field msa: got 'abc'" in message


def test_unscheduled_visit_without_visit_week_and_duplicate_weeks() -> None:
    b = ExportBuilder()
    b.add("1", "baseline_arm_1", sex="F", phga_cm="3")
    b.add("1", "week_4_arm_1", phga_cm="3")
    b.add("1", "unscheduled_visit_arm_1", instance="1", phga_cm="2")
    b.add("1", "unscheduled_visit_arm_1", instance="2", visit_week="4", phga_cm="2")
    with pytest.raises(InputError) as info:
        records_to_cohort(b.text())
    message = str(info.value)
    assert ("record 1, event unscheduled_visit_arm_1 instance 1, field visit_week: expected "
            "the week of this visit") in message
    assert ("record 1, event unscheduled_visit_arm_1 instance 2, field visit_week: got '4', "
            "expected a week no other visit of this record has (record 1, event week_4_arm_1 "
            "is also week 4)") in message


def test_validation_across_rows_points_at_redcap_cells() -> None:
    """A visit after the end of follow-up, and a date out of order."""
    b = ExportBuilder()
    b.add("1", "baseline_arm_1", sex="F", birth_date="2015-01-01", onset_date="2014-01-01",
          followup_weeks="12", phga_cm="3")
    b.add("1", "week_24_arm_1", phga_cm="1")
    with pytest.raises(InputError) as info:
        records_to_cohort(b.text())
    message = str(info.value)
    assert ("record 1, event baseline_arm_1, field onset_date: got '2014-01-01', expected a "
            "date on or after birth_date (2015-01-01)") in message
    assert ("record 1, event week_24_arm_1, field redcap_event_name: got '24', expected a week "
            "within the patient's follow-up (followup_weeks is 12)") in message


def test_a_label_export_is_refused() -> None:
    text = "Record ID,Event Name,Sex\n007,Baseline,Female\n"
    with pytest.raises(InputError, match=r"CSV \(labels\)"):
        records_to_cohort(text)


def test_checked_unchecked_values_are_refused() -> None:
    b = ExportBuilder()
    row = b.add("1", "baseline_arm_1", sex="F")
    row["msa___mda5"] = "Checked"
    with pytest.raises(InputError, match="field msa___mda5: got 'Checked', expected 0 or 1"):
        records_to_cohort(b.text())


def test_duplicate_rows_and_ragged_rows_are_refused() -> None:
    b = ExportBuilder()
    b.add("1", "baseline_arm_1", sex="F")
    b.add("1", "baseline_arm_1", sex="F")
    with pytest.raises(InputError, match="one row per record, event and instance"):
        records_to_cohort(b.text())
    with pytest.raises(InputError, match="cells as in the header"):
        records_to_cohort(b.text() + "1,week_4_arm_1\n")


def test_unknown_columns_are_reported_not_imported() -> None:
    b = ExportBuilder()
    b.add("1", "baseline_arm_1", sex="F", phga_cm="2", favourite_colour="blue")
    result = records_to_cohort(b.text())
    assert [w.code for w in result.warnings] == ["redcap_unknown_column"]
    assert "favourite_colour" in result.warnings[0].message
    assert "--dictionary" in result.warnings[0].message


def test_custom_missing_codes_replace_the_default_list() -> None:
    b = ExportBuilder()
    b.add("1", "baseline_arm_1", sex="F", weight_kg="-99", phga_cm="UNK")
    with pytest.raises(InputError, match="field phga_cm: got 'UNK'"):
        records_to_cohort(b.text(), missing_codes={"-99": "Not done"})
    result = records_to_cohort(b.text(), missing_codes={"-99": "Not done", "UNK": ""})
    assert {w.column for w in result.warnings} == {"weight_kg", "phga_cm"}
    assert any("'-99' (Not done)" in w.message for w in result.warnings)


def test_checkbox_missing_code_columns() -> None:
    """With missing-data codes, REDCap adds a ``field___code`` column per code to checkboxes."""
    b = ExportBuilder()
    for column in ("msa___unk", "msa___nask"):
        b.columns.insert(b.columns.index("msa___other") + 1, column)
    row = b.add("1", "baseline_arm_1", sex="F", phga_cm="2")
    row.update({"msa___unk": "0", "msa___nask": "1"})
    result = records_to_cohort(b.text())
    assert "msa" not in result.cohort.patients.columns  # a column with no value is left out
    assert [w.code for w in result.warnings] == ["redcap_missing_code"]
    assert "field msa: missing-data code 'NASK' (Not asked)" in result.warnings[0].message


def test_default_missing_codes_are_redcaps_suggestions() -> None:
    assert {"UNK", "NA", "NASK", "ASKU", "NAV", "NI", "NP", "OTH", "MSK", "INV"} <= set(
        DEFAULT_MISSING_CODES)


def test_a_project_dictionary_with_its_own_codes() -> None:
    """A project that coded sex 1/2, yes/no as a radio, antibodies with numbers, and has a
    field of its own: decoded through the labels; the extra field is kept as x_ and reported."""
    msa = " | ".join(f"{i}, {label}" for i, label in enumerate(
        ["Negative", "Anti-MDA5", "anti NXP-2"], start=1))
    changes = {
        "sex": {"select_choices_or_calculations": "1, Female | 2, Male"},
        "ild": {"field_type": "radio",
                "select_choices_or_calculations": "1, Yes | 2, No | 9, Not known"},
        "msa": {"select_choices_or_calculations": msa},
    }
    changed = []
    for entry in parse_dictionary(data_dictionary_csv()).fields:
        changed.append(replace(entry, **changes.get(entry.field_name, {})))
        if entry.field_name == "jaki_drug":
            changed.append(DictField("steroid_pulses", "baseline", field_type="text",
                                     field_label="Steroid pulses before JAKi"))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([HEADERS, *(e.values() for e in changed)])
    dictionary_text = out.getvalue()

    b = ExportBuilder(dictionary_text)
    b.add("1", "baseline_arm_1", sex="2", ild="1", msa=["2", "3"], steroid_pulses="3",
          phga_cm="4")
    b.add("2", "baseline_arm_1", sex="1", ild="9", phga_cm="4")
    with pytest.raises(InputError) as info:
        records_to_cohort(b.text(), dictionary=parse_dictionary(dictionary_text))
    assert ("record 2, event baseline_arm_1, field ild: got '9', expected a choice jdmtrack "
            "can read as 'yes' or 'no'") in str(info.value)

    b.rows.pop()
    result = records_to_cohort(b.text(), dictionary=parse_dictionary(dictionary_text))
    patient = result.cohort.patients.iloc[0]
    assert patient["sex"] == "M" and bool(patient["ild"]) is True
    assert patient["msa"] == ("nxp2", "mda5")  # jdmtrack's code order
    assert patient["x_steroid_pulses"] == "3"
    assert any("steroid_pulses" in w.message and "x_steroid_pulses" in w.message
               for w in result.warnings)


def test_an_export_of_another_project_is_refused() -> None:
    text = "study_id,redcap_event_name,sex\n1,baseline_arm_1,F\n"
    with pytest.raises(InputError, match=r"'record_id', as the first column .*--dictionary"):
        records_to_cohort(text)
