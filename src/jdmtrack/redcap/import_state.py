"""What the REDCap import carries from step to step: where each cell came from (record,
event, instance, export line), where each data-dictionary field goes, and the state of one
import (the rows sorted so far, the problems and warnings met)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import DataWarning, InputError, Problem, sorted_problems
from ..fields import TABLES, Field
from .dictionary import DictField, ProjectDictionary

__all__ = ["DAG", "EVENT", "INSTANCE", "INSTRUMENT", "TABLE_NAMES", "ImportState",
           "RedcapProblem", "Row", "Target", "Where"]

# The export's coordinate columns: which event, repeat and data access group a row is.
EVENT, INSTRUMENT, INSTANCE, DAG = ("redcap_event_name", "redcap_repeat_instrument",
                                    "redcap_repeat_instance", "redcap_data_access_group")
TABLE_NAMES = tuple(t.name for t in TABLES)


@dataclass(frozen=True)
class RedcapProblem(Problem):
    """A problem located the way a REDCap user finds it: record, event, instance, field.

    >>> str(RedcapProblem("export.csv", 5, "cmas_03", "9", "an integer 0-3",
    ...                   record="007", event="week_4_arm_1"))
    "record 007, event week_4_arm_1, field cmas_03: got '9', expected an integer 0-3"
    """

    record: str | None = None
    event: str | None = None
    instrument: str | None = None
    instance: str | None = None

    def location(self) -> str:
        if self.record is None:
            return super().location()
        parts = [f"record {self.record}"]
        if self.event:
            repeat_event = self.instance and not self.instrument
            parts.append(f"event {self.event}" + (f" instance {self.instance}"
                                                  if repeat_event else ""))
        if self.instrument:
            parts.append(f"{self.instrument} instance {self.instance}")
        if self.column:
            parts.append(f"field {self.column}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Where:
    """The REDCap coordinates of one export row, and its line in the file."""

    record: str
    event: str
    instrument: str
    instance: str
    line: int

    def problem(self, file: str, field_name: str | None, value: str | None,
                expected: str) -> RedcapProblem:
        return RedcapProblem(file, self.line, field_name, value, expected, record=self.record,
                             event=self.event or None, instrument=self.instrument or None,
                             instance=self.instance or None)

    def text(self, field_name: str | None = None) -> str:
        return self.problem("", field_name, None, "").location()


@dataclass
class Target:
    """Where one data-dictionary field goes: a cohort table and column, and how to decode."""

    table: str
    column: str
    entry: DictField
    spec: Field | None  # None for user columns (x_...)
    codes: dict[str, str | None] = field(default_factory=dict)  # raw code -> cohort value


@dataclass
class Row:
    """One cohort row being built: its values, the REDCap field of each, where it came from."""

    where: Where
    values: dict[str, str | None] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)  # column -> REDCap field
    lines: dict[str, Where] = field(default_factory=dict)  # column -> where (patients merge)


@dataclass
class ImportState:
    """One import in progress: its inputs, plan, rows so far, problems and warnings."""

    text: str
    dictionary: ProjectDictionary
    own_dictionary: bool  # the dictionary is jdmtrack's own (none was given)
    missing: dict[str, str]  # missing-data code -> label
    source: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[DataWarning] = field(default_factory=list)
    targets: dict[str, Target] = field(default_factory=dict)  # REDCap field -> target
    records: dict[str, Row] = field(default_factory=dict)  # record -> its patients row
    dags: dict[str, str] = field(default_factory=dict)  # record -> data access group
    form_tables: dict[str, str] = field(default_factory=dict)  # form -> cohort table
    field_names: dict[tuple[str, str], str] = field(default_factory=dict)
    rows: dict[str, list[Row]] = field(default_factory=lambda: {
        name: [] for name in TABLE_NAMES if name != "patients"})

    def check_problems(self) -> None:
        """Stop with every problem found so far, if any."""
        if self.problems:
            raise InputError(sorted_problems(self.problems))

    def warn(self, code: str, message: str) -> None:
        self.warnings.append(DataWarning(code, message))
