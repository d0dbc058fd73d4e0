"""`jdmtrack redcap import`: exit codes, messages by record/event/field, files written or not."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner, Result
from redcap_export_builder import ExportBuilder

from jdmtrack.cli.commands_redcap import redcap
from jdmtrack.pipeline import example_path, load_cohort
from jdmtrack.redcap import data_dictionary_csv, export_records, extra_columns


def run(*args: str) -> Result:
    return CliRunner().invoke(redcap, list(args))


def test_import_writes_a_cohort_folder_and_warnings(tmp_path: Path) -> None:
    b = ExportBuilder()
    b.add("007", "baseline_arm_1", dag="site_a", sex="F", phga_cm="3", cmas_01="UNK")
    b.add("007", "week_4_arm_1", dag="site_a", phga_cm="2")
    export = tmp_path / "export.csv"
    export.write_text(b.text(), encoding="utf-8")
    out = tmp_path / "cohort"
    result = run("import", str(export), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output and "1 patients, 2 visits" in result.output
    assert ("record 007, event baseline_arm_1, field cmas_01: missing-data code 'UNK' (Unknown) "
            "read as missing") in result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "adverse_events.csv", "events.csv", "patients.csv", "visits.csv"]
    # Beside the cohort folder, not in it, and not in the folder the export was read from
    # unless that is where the output goes.
    warnings = pd.read_csv(tmp_path / "cohort_warnings.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cohort", "cohort_warnings.csv", "export.csv"]
    assert warnings["code"].tolist() == ["redcap_missing_code"]
    cohort = load_cohort(out)
    assert cohort.patients["patient_id"].tolist() == ["007"]
    assert cohort.patients["site"].tolist() == ["site_a"]


def test_invalid_export_exits_1_names_the_cell_and_writes_nothing(tmp_path: Path) -> None:
    b = ExportBuilder()
    b.add("007", "baseline_arm_1", sex="F", phga_cm="3")
    b.add("007", "week_4_arm_1", cmas_03="9")
    export = tmp_path / "export.csv"
    export.write_text(b.text(), encoding="utf-8")
    out = tmp_path / "cohort"
    result = run("import", str(export), "-o", str(out))
    assert result.exit_code == 1
    assert ("record 007, event week_4_arm_1, field cmas_03: got '9', expected an integer 0-5"
            in result.output)
    assert "Traceback" not in result.output
    assert not out.exists()


def test_missing_export_file_exits_1(tmp_path: Path) -> None:
    result = run("import", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "nope.csv" in result.output


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("import").exit_code == 2
    assert run("import", "x.csv").exit_code == 2  # no -o


def test_dictionary_option_keeps_project_fields(tmp_path: Path) -> None:
    cohort = load_cohort(example_path())
    export = tmp_path / "export.csv"
    export.write_text(export_records(cohort), encoding="utf-8")
    dictionary = tmp_path / "dd.csv"
    dictionary.write_text(data_dictionary_csv(extra_columns(cohort)), encoding="utf-8")

    without = run("import", str(export), "-o", str(tmp_path / "a"))
    assert without.exit_code == 0, without.output
    assert "column x_note is not a field of the data dictionary" in without.output

    with_dd = run("import", str(export), "--dictionary", str(dictionary), "-o",
                  str(tmp_path / "b"))
    assert with_dd.exit_code == 0, with_dd.output
    assert "0 warning(s)" in with_dd.output
    assert "x_note" in load_cohort(tmp_path / "b").patients.columns


def test_bad_dictionary_file_exits_1(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text(export_records(load_cohort(example_path())), encoding="utf-8")
    result = run("import", str(export), "--dictionary", str(example_path() / "visits.csv"),
                 "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "the 18 column headers of a REDCap data dictionary" in result.output


def test_missing_codes_option(tmp_path: Path) -> None:
    b = ExportBuilder()
    b.add("1", "baseline_arm_1", sex="F", phga_cm="-99")
    export = tmp_path / "export.csv"
    export.write_text(b.text(), encoding="utf-8")
    refused = run("import", str(export), "-o", str(tmp_path / "a"))
    assert refused.exit_code == 1 and "got '-99'" in refused.output
    accepted = run("import", str(export), "-o", str(tmp_path / "b"),
                   "--missing-codes", "-99, Not done | UNK, Unknown")
    assert accepted.exit_code == 0, accepted.output
    assert "missing-data code '-99' (Not done)" in accepted.output
