"""`jdmtrack redcap project`: the files a data manager uploads, consistent with each other."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner

from jdmtrack.cli.commands_redcap import redcap
from jdmtrack.pipeline import example_path, load_cohort
from jdmtrack.redcap import check_data_dictionary, parse_dictionary, project_files, records_to_cohort


def table(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def header(text: str) -> list[str]:
    return next(csv.reader(io.StringIO(text)))


def test_csv_headers_are_redcaps() -> None:
    files = project_files()
    assert header(files["arms.csv"]) == ["arm_num", "name"]
    assert header(files["events.csv"]) == ["event_name", "arm_num", "unique_event_name",
                                           "custom_event_label"]
    assert header(files["instrument_event_mapping.csv"]) == ["arm_num", "unique_event_name",
                                                             "form"]
    assert header(files["repeating_instruments.csv"]) == ["event_name", "form_name",
                                                          "custom_form_label"]


def test_events_and_their_unique_names() -> None:
    files = project_files()
    names = [e["event_name"] for e in table(files["events.csv"])]
    assert names == ["Baseline", "Week 4", "Week 12", "Week 24", "Unscheduled visit", "Logs"]
    mapped = {m["unique_event_name"] for m in table(files["instrument_event_mapping.csv"])}
    assert mapped == {"baseline_arm_1", "week_4_arm_1", "week_12_arm_1", "week_24_arm_1",
                      "unscheduled_visit_arm_1", "logs_arm_1"}
    for name in mapped:
        assert name in files["README.txt"]


def test_every_form_is_mapped_to_an_event_and_exists_in_the_dictionary() -> None:
    files = project_files()
    forms = set(parse_dictionary(files["data_dictionary.csv"]).forms())
    mapping = table(files["instrument_event_mapping.csv"])
    assert {m["form"] for m in mapping} == forms
    baseline = {m["form"] for m in mapping if m["unique_event_name"] == "baseline_arm_1"}
    assert baseline == {"baseline", "visit_assessment", "labs", "medications"}
    assert all(m["arm_num"] == "1" for m in mapping)


def test_repeating_setup() -> None:
    repeating = table(project_files()["repeating_instruments.csv"])
    assert [(r["event_name"], r["form_name"]) for r in repeating] == [
        ("unscheduled_visit_arm_1", ""), ("logs_arm_1", "clinical_events"),
        ("logs_arm_1", "adverse_events")]
    assert repeating[2]["custom_form_label"] == "[ae_term], week [ae_week]"


def test_custom_weeks() -> None:
    files = project_files(weeks=(0, 2, 8, 52))
    names = [e["event_name"] for e in table(files["events.csv"])]
    assert names[:4] == ["Baseline", "Week 2", "Week 8", "Week 52"]


def test_cli_project_writes_every_file(tmp_path: Path) -> None:
    out = tmp_path / "project"
    result = CliRunner().invoke(redcap, ["project", "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in out.iterdir())
    assert written == ["README.txt", "arms.csv", "data_dictionary.csv", "events.csv",
                       "instrument_event_mapping.csv", "repeating_instruments.csv"]
    readme = (out / "README.txt").read_text()
    assert readme.index("data_dictionary.csv") < readme.index("arms.csv") < readme.index(
        "events.csv") < readme.index("instrument_event_mapping.csv")
    assert check_data_dictionary((out / "data_dictionary.csv").read_text()) == []


def test_cli_project_with_data_writes_records_for_migration(tmp_path: Path) -> None:
    out = tmp_path / "project"
    result = CliRunner().invoke(redcap, ["project", "-o", str(out), "--data",
                                         str(example_path())])
    assert result.exit_code == 0, result.output
    dictionary = parse_dictionary((out / "data_dictionary.csv").read_text())
    assert dictionary.get("x_note") is not None
    back = records_to_cohort((out / "records.csv").read_text(), dictionary=dictionary)
    assert len(back.cohort.visits) == len(load_cohort(example_path()).visits)


def test_cli_project_rejects_bad_weeks(tmp_path: Path) -> None:
    for weeks in ("4,12", "0,4.5", "0,x"):
        result = CliRunner().invoke(redcap, ["project", "-o", str(tmp_path), "--weeks", weeks])
        assert result.exit_code == 2, result.output
        assert "--weeks" in result.output


def test_docs_page_covers_codes_events_and_options() -> None:
    from jdmtrack.redcap import DEFAULT_MISSING_CODES
    from jdmtrack.redcap.layout import events

    docs = (Path(__file__).resolve().parents[2] / "docs" / "redcap.md").read_text()
    for code in DEFAULT_MISSING_CODES:
        assert f"`{code}`" in docs, code
    for event in events():
        assert event.unique_name in docs
    for option in ("--dictionary", "--missing-codes", "--weeks", "--data"):
        assert option in docs
