"""REDCap exports a user really gets wrong: control characters in a record ID, bare
carriage returns, long notes, and problems of several kinds reported in one run."""

from __future__ import annotations

import pytest
from redcap_export_builder import ExportBuilder

from jdmtrack.errors import InputError, Problem
from jdmtrack.redcap import records_to_cohort


def _problems(text: str) -> tuple[Problem, ...]:
    with pytest.raises(InputError) as info:
        records_to_cohort(text, source="export.csv")
    return info.value.problems


@pytest.mark.parametrize("record", ["0\x0007", "00\x1b7", "a\tb", "x\x7f"])
def test_a_record_id_with_a_control_character_is_refused_by_line(record: str) -> None:
    b = ExportBuilder()
    b.add("001", "baseline_arm_1", sex="F", phga_cm="3")
    b.add(record, "baseline_arm_1", sex="M", phga_cm="2")
    (problem,) = _problems(b.text())
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "export.csv", 3, "record_id", record)
    assert f"U+{ord(next(c for c in record if ord(c) < 32 or ord(c) == 127)):04X}" in str(problem)


def test_bare_carriage_returns_and_a_long_note_are_read() -> None:
    b = ExportBuilder()
    b.add("001", "baseline_arm_1", sex="F", phga_cm="3", jaki_stop_reason="r" * 200_000)
    text = b.text().replace("\r\n", "\n").replace("\n", "\r")
    result = records_to_cohort(text, source="export.csv")
    assert result.cohort.patients["jaki_stop_reason"].iloc[0] == "r" * 200_000


def test_decoding_and_validation_problems_come_in_one_run() -> None:
    """A code that is not a choice (found while decoding) and a score out of range (found
    by validation) in another record: both, in one InputError."""
    b = ExportBuilder()
    b.add("001", "baseline_arm_1", sex="X", phga_cm="3")
    b.add("002", "baseline_arm_1", sex="M", phga_cm="3")
    b.add("002", "week_4_arm_1", cmas_03="9")
    found = {(p.location().split(",")[0], p.column) for p in _problems(b.text())}
    assert found == {("record 001", "sex"), ("record 002", "cmas_03")}
