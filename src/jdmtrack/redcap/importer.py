"""A raw REDCap export (CSV, raw data) of a jdmtrack project -> a cohort folder.

The export has one row per record x event (x repeat instance). This module sorts each
row's cells into the cohort tables, decodes REDCap's raw codes with the data dictionary
(jdmtrack's own, or the project's with ``dictionary=``), turns missing-data codes into
missing values with a warning each, then validates the result with
``jdmtrack.validate`` and reports every problem by REDCap record, event and field.

Rules (docs/redcap.md):

- record ID (the export's first column) -> ``patient_id``, kept as text;
- visit week: ``visit_week`` when filled, else the event's unique name (``baseline_arm_1``
  = 0, ``week_12_arm_1`` = 12); any other event needs ``visit_week``;
- a row holds a visit when any visit field is filled or a visit form is marked
  Unverified/Complete; the record's baseline form gives its patients row;
- repeating instances of the clinical-event and adverse-event forms -> one row each;
- checkbox ``field___code`` columns -> ``;`` lists; nothing ticked -> missing;
- ``redcap_data_access_group`` -> ``site`` when the ``site`` field is blank;
- ``<form>_complete``, calculated fields and survey columns are not imported.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..cohort import Cohort
from ..errors import DataWarning, InputError, Problem, sorted_problems
from ..fields import EXTRA_PREFIX, LIST_SEPARATOR, TABLES, Field, fields_of
from ..io.csvtext import CONTROL_CHARACTER, lifted_field_limit, text_lines
from ..io.raw import RawCohort, RawTable
from ..validate import validate_cohort
from .dictionary import DictField, ProjectDictionary, choice_label, default_dictionary, parse_dictionary
from .layout import FORMS, cohort_column, week_of_event

__all__ = [
    "DEFAULT_MISSING_CODES",
    "RedcapImport",
    "RedcapProblem",
    "import_records",
    "parse_missing_codes",
    "records_to_cohort",
    "warnings_path",
    "write_cohort",
]

# The missing-data codes REDCap suggests in Project Setup (HL7 null flavors and kin).
DEFAULT_MISSING_CODES: dict[str, str] = {
    "NI": "No information",
    "INV": "Invalid",
    "UNK": "Unknown",
    "NASK": "Not asked",
    "ASKU": "Asked but unknown",
    "NAV": "Temporarily unavailable",
    "MSK": "Masked",
    "NA": "Not applicable",
    "NAVU": "Not available",
    "NP": "Not present",
    "QS": "Sufficient quantity",
    "QI": "Insufficient quantity",
    "TRC": "Trace",
    "UNC": "Unencoded",
    "DER": "Derived",
    "PINF": "Positive infinity",
    "NINF": "Negative infinity",
    "OTH": "Other",
}
_EVENT, _INSTRUMENT, _INSTANCE, _DAG = ("redcap_event_name", "redcap_repeat_instrument",
                                        "redcap_repeat_instance", "redcap_data_access_group")
_FILLED_STATUS = ("1", "2")  # Unverified, Complete
_TABLE_NAMES = tuple(t.name for t in TABLES)
_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*")
_NOT_DATA_TYPES = ("calc", "descriptive", "file", "sql")
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})


def parse_missing_codes(text: str) -> dict[str, str]:
    """Missing-data codes as given on the command line or copied from REDCap.

    Either codes separated by commas, or REDCap's own ``code, label | code, label``.

    >>> parse_missing_codes("UNK, NA, -99")
    {'UNK': '', 'NA': '', '-99': ''}
    >>> parse_missing_codes("UNK, Unknown | NA, Not applicable")
    {'UNK': 'Unknown', 'NA': 'Not applicable'}
    """
    if "|" in text:
        pairs = [part.partition(",") for part in text.split("|") if part.strip()]
        return {code.strip(): label.strip() for code, _, label in pairs if code.strip()}
    return {code.strip(): "" for code in text.split(",") if code.strip()}


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
class _Where:
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
        return RedcapProblem("", None, field_name, None, "", record=self.record,
                             event=self.event or None, instrument=self.instrument or None,
                             instance=self.instance or None).location()


@dataclass
class RedcapImport:
    """What ``records_to_cohort`` made: the cohort tables as cohort-format text (missing =
    empty string), the validated cohort, and the data warnings."""

    tables: dict[str, pd.DataFrame]
    cohort: Cohort
    warnings: list[DataWarning] = field(default_factory=list)
    source: str = ""


@dataclass
class _Target:
    """Where one data-dictionary field goes: a cohort table and column, and how to decode."""

    table: str
    column: str
    entry: DictField
    spec: Field | None  # None for user columns (x_...)
    codes: dict[str, str | None] = field(default_factory=dict)  # raw code -> cohort value


@dataclass
class _Row:
    where: _Where
    values: dict[str, str | None] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)  # column -> REDCap field
    lines: dict[str, _Where] = field(default_factory=dict)  # column -> where (patients merge)


# --- entry points -----------------------------------------------------------------------


def import_records(export: str | Path, *, dictionary: str | Path | None = None,
                   missing_codes: dict[str, str] | Iterable[str] | None = None) -> RedcapImport:
    """Read a raw REDCap export file (and optionally the project's data dictionary file)."""
    path = Path(export)
    text = _read_text(path)
    project = None
    if dictionary is not None:
        project = parse_dictionary(_read_text(Path(dictionary)), str(dictionary))
    return records_to_cohort(text, dictionary=project, missing_codes=missing_codes,
                             source=str(path))


def _read_text(path: Path) -> str:
    if not path.is_file():
        raise InputError([Problem(str(path), None, None, None,
                                  "a CSV file (nothing readable exists at this path)")])
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError([Problem(str(path), line, None, None,
                                  "UTF-8 text (REDCap exports are UTF-8)")]) from err


def write_cohort(result: RedcapImport, directory: str | Path) -> list[Path]:
    """Write the cohort tables into ``directory`` and the warnings beside it (see
    ``warnings_path``): a cohort folder holds the cohort tables only. The paths written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in result.tables.items():
        path = directory / f"{name}.csv"
        frame.fillna("").to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        written.append(path)
    path = warnings_path(directory)
    pd.DataFrame([w.as_dict() for w in result.warnings],
                 columns=["code", "message", "patient_id", "week", "column"]).to_csv(
        path, index=False, encoding="utf-8", lineterminator="\n")
    written.append(path)
    return written


def warnings_path(directory: str | Path) -> Path:
    """Where ``write_cohort`` puts the warnings: next to the cohort folder, never in it
    (jdmtrack reads that folder as a cohort; another CSV file there is not a table).

    >>> warnings_path("out/cohort").as_posix()
    'out/cohort_warnings.csv'
    """
    directory = Path(directory)
    return directory.with_name(directory.name + "_warnings.csv")


def records_to_cohort(text: str, *, dictionary: ProjectDictionary | None = None,
                      missing_codes: dict[str, str] | Iterable[str] | None = None,
                      source: str = "export.csv") -> RedcapImport:
    """Turn raw export text into validated cohort tables; ``InputError`` lists every problem."""
    return _Importer(text, dictionary, missing_codes, source).run()


# --- the work ---------------------------------------------------------------------------


class _Importer:
    def __init__(self, text: str, dictionary: ProjectDictionary | None,
                 missing_codes: dict[str, str] | Iterable[str] | None, source: str) -> None:
        self.text = text.lstrip("\ufeff")
        self.own_dictionary = dictionary is None
        self.dictionary = dictionary or default_dictionary()
        if missing_codes is None:
            self.missing = dict(DEFAULT_MISSING_CODES)
        elif isinstance(missing_codes, dict):
            self.missing = dict(missing_codes)
        else:
            self.missing = {code: "" for code in missing_codes}
        self.source = source
        self.problems: list[Problem] = []
        self.warnings: list[DataWarning] = []
        self.targets: dict[str, _Target] = {}
        self.records: dict[str, _Row] = {}
        self.dags: dict[str, str] = {}
        self.form_tables: dict[str, str] = {}
        self.field_names: dict[tuple[str, str], str] = {}
        self.rows: dict[str, list[_Row]] = {name: [] for name in _TABLE_NAMES if name != "patients"}

    def run(self) -> RedcapImport:
        header, body = self._read()
        self._plan_fields()
        columns = self._plan_columns(header)
        self._check_problems()
        self._rows(header, body, columns)
        self._check_duplicate_visits()
        # Cells that could not be decoded are left empty and validation runs anyway, so
        # that one run lists every problem; validation's view of a cell already reported
        # is dropped.
        decoding = list(self.problems)
        tables, provenance = self._tables()
        raw = RawCohort(Path(self.source))
        for name, frame in tables.items():
            data = frame.fillna("").to_csv(index=False, lineterminator="\n").encode()
            raw.tables[name] = RawTable(name, f"{name}.csv", None, frame,
                                        hashlib.sha256(data).hexdigest())
        try:
            cohort = validate_cohort(raw)
        except InputError as err:
            seen = {p.location() for p in decoding}
            found = [self._relocate(p, provenance) for p in err.problems]
            raise InputError(sorted_problems(
                decoding + [p for p in found if p.location() not in seen])) from None
        self._check_problems()
        text_tables = {name: frame.astype(object).where(frame.notna(), "")
                       for name, frame in tables.items()}
        return RedcapImport(text_tables, cohort, self.warnings, self.source)

    def _check_problems(self) -> None:
        if self.problems:
            raise InputError(sorted_problems(self.problems))

    # --- reading ------------------------------------------------------------------------

    def _read(self) -> tuple[list[str], list[tuple[int, list[str]]]]:
        reader = csv.reader(text_lines(self.text))
        body: list[tuple[int, list[str]]] = []
        header: list[str] | None = None
        try:
            with lifted_field_limit():
                self._read_rows(reader, body)
        except csv.Error as err:
            raise InputError([Problem(self.source, reader.line_num, None, None,
                                      f"well-formed CSV ({err})")]) from err
        if body:
            header = body.pop(0)[1]
        if not header or not any(h.strip() for h in header):
            raise InputError([Problem(self.source, None, None, None,
                                      "a REDCap export with a header row (the file is empty)")])
        if not _FIELD_NAME.fullmatch(header[0]):
            raise InputError([Problem(
                self.source, 1, None, header[0],
                "a raw-data export whose first column is the record ID field (e.g. 'record_id'); "
                "this looks like a 'CSV (labels)' export: export 'CSV / Microsoft Excel (raw "
                "data)' instead")])
        if header[0] != self.dictionary.record_id:
            hint = ("pass the project's data dictionary with --dictionary"
                    if self.own_dictionary else "is this the export of that project?")
            self.problems.append(Problem(
                self.source, 1, header[0], header[0],
                f"the record ID field of the data dictionary, {self.dictionary.record_id!r}, "
                f"as the first column ({hint})"))
        seen: dict[str, int] = {}
        for position, name in enumerate(header, start=1):
            if name in seen:
                self.problems.append(Problem(self.source, 1, name, name,
                                             f"each column once (also column {seen[name]})"))
            seen.setdefault(name, position)
        if not body:
            self.problems.append(Problem(self.source, None, None, None,
                                         "at least one record under the header"))
        for line, row in body:
            if len(row) != len(header):
                self.problems.append(Problem(self.source, line, None, None,
                                             f"{len(header)} cells as in the header "
                                             f"(this row has {len(row)})"))
        self._check_problems()
        return header, body

    @staticmethod
    def _read_rows(reader: Iterator[list[str]], body: list[tuple[int, list[str]]]) -> None:
        """Every row and the line it starts on (the header first; blank rows left out)."""
        line_num = getattr(reader, "line_num", 0)
        for row in reader:
            start = line_num + 1
            line_num = getattr(reader, "line_num", line_num + 1)
            if not body or any(cell.strip() for cell in row):
                body.append((start, row))

    # --- which field goes where ---------------------------------------------------------

    def _plan_fields(self) -> None:
        dd = self.dictionary
        specs = {(f.table, f.name): f for t in _TABLE_NAMES for f in fields_of(t)}
        form_tables: dict[str, Counter[str]] = {}
        for entry in dd.fields[1:]:
            known = cohort_column(entry.field_name)
            if known is not None:
                form_tables.setdefault(entry.form_name, Counter())[known[0]] += 1
        own_forms = {f.name: f.table for f in FORMS}
        for entry in dd.fields[1:]:
            if entry.field_type in _NOT_DATA_TYPES:
                if entry.field_type != "calc" and cohort_column(entry.field_name):
                    self._warn("redcap_field_type", f"field {entry.field_name} is a "
                               f"{entry.field_type} field in the data dictionary; not imported")
                continue
            known = cohort_column(entry.field_name)
            if known is not None:
                table, column = known
                target = _Target(table, column, entry, specs[known])
            else:
                counts = form_tables.get(entry.form_name)
                table_name = (counts.most_common(1)[0][0] if counts
                              else own_forms.get(entry.form_name))
                if table_name is None:
                    self._warn("redcap_unknown_field",
                               f"field {entry.field_name} (form {entry.form_name}) is not a "
                               "jdmtrack field and its form holds none: not imported")
                    continue
                column = (entry.field_name if entry.field_name.startswith(EXTRA_PREFIX)
                          else EXTRA_PREFIX + entry.field_name)
                if column != entry.field_name:
                    self._warn("redcap_unknown_field",
                               f"field {entry.field_name} (form {entry.form_name}) is not a "
                               f"jdmtrack field: kept as the user column {column} of "
                               f"{table_name}")
                target = _Target(table_name, column, entry, None)
            self._plan_codes(target)
            self.targets[entry.field_name] = target
            self.field_names[(target.table, target.column)] = entry.field_name

    def _plan_codes(self, target: _Target) -> None:
        """Raw code -> cohort value, for fields that have choices."""
        choices = target.entry.choices()
        spec = target.spec
        if not choices or spec is None:
            target.codes = {code: code for code, _ in choices}
            return
        if spec.kind == "bool":
            for code, label in choices:
                words = {code.strip().lower(), label.strip().lower()}
                target.codes[code] = ("yes" if words & _YES and not words & _NO else
                                      "no" if words & _NO and not words & _YES else None)
            if target.entry.field_type in ("yesno", "truefalse"):
                target.codes = {"1": "yes", "0": "no"}
        elif spec.kind in ("choice", "list"):
            wanted = {_fold(c): c for c in spec.choices}
            wanted.update({_fold(choice_label(c)): c for c in spec.choices})
            for code, label in choices:
                target.codes[code] = (code if code in spec.choices else
                                      wanted.get(_fold(label), wanted.get(_fold(code))))
        elif spec.kind in ("integer", "number"):
            numeric = all(re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", label) for _, label in choices)
            target.codes = {code: (label.strip() if numeric else code) for code, label in choices}
        else:
            target.codes = {code: code for code, _ in choices}

    def _plan_columns(self, header: list[str]) -> dict[int, tuple[str, str]]:
        """Export column position -> (kind, detail): ('field', name), ('check', name___code),
        ('status', form) or ('coord', name). Columns not listed are not imported."""
        dd = self.dictionary
        forms = set(dd.forms())
        plan: dict[int, tuple[str, str]] = {}
        ignored: list[str] = []
        for position, name in enumerate(header):
            if position == 0:
                continue
            if name in (_EVENT, _INSTRUMENT, _INSTANCE, _DAG):
                plan[position] = ("coord", name)
            elif name.startswith("redcap_"):
                continue
            elif name.endswith("_complete") and name[: -len("_complete")] in forms:
                plan[position] = ("status", name[: -len("_complete")])
            elif name.endswith("_timestamp") and name[: -len("_timestamp")] in forms:
                continue
            elif "___" in name and (entry := dd.get(name.split("___")[0])) is not None \
                    and entry.field_type == "checkbox":
                plan[position] = ("check", name)
            elif (entry := dd.get(name)) is not None:
                if name in self.targets:
                    plan[position] = ("field", name)
                elif entry.field_type == "checkbox":
                    ignored.append(name)
            elif name.endswith("_complete"):
                continue
            else:
                ignored.append(name)
        for name in dict.fromkeys(n.split("___")[0] for n in ignored):
            hint = ("" if not self.own_dictionary else
                    "; pass the project's data dictionary with --dictionary to keep it")
            self._warn("redcap_unknown_column",
                       f"column {name} is not a field of the data dictionary: not imported{hint}")
        if _EVENT not in header:
            self._warn("redcap_not_longitudinal",
                       "the export has no redcap_event_name column (a classic project): every "
                       "visit needs visit_week")
        return plan

    # --- rows ---------------------------------------------------------------------------

    def _rows(self, header: list[str], body: list[tuple[int, list[str]]],
              plan: dict[int, tuple[str, str]]) -> None:
        index = {name: i for i, name in enumerate(header)}
        seen: dict[tuple[str, str, str, str], int] = {}
        for line, cells in body:
            def cell(name: str, cells: list[str] = cells) -> str:
                return cells[index[name]].strip() if name in index else ""

            where = _Where(cells[0], cell(_EVENT), cell(_INSTRUMENT), cell(_INSTANCE), line)
            if not where.record.strip():
                self.problems.append(RedcapProblem(self.source, line, header[0], None,
                                                   "a record ID in the first column"))
                continue
            control = CONTROL_CHARACTER.search(where.record)
            if control:
                # Located by line, not by the record: the ID itself is what cannot be shown.
                self.problems.append(Problem(
                    self.source, line, header[0], where.record,
                    f"a record ID without control characters (it holds "
                    f"U+{ord(control.group()):04X}); correct the record ID in REDCap"))
                continue
            key = (where.record, where.event, where.instrument, where.instance)
            if key in seen:
                self.problems.append(where.problem(
                    self.source, None, None, f"one row per record, event and instance (line "
                    f"{seen[key]} has the same)"))
                continue
            seen[key] = line
            self.records.setdefault(where.record, _Row(where))
            if cell(_DAG):
                self.dags.setdefault(where.record, cell(_DAG))
            self._row(where, cells, plan)

    def _row(self, where: _Where, cells: list[str],
             plan: dict[int, tuple[str, str]]) -> None:
        by_table: dict[str, _Row] = {name: _Row(where) for name in _TABLE_NAMES}
        content: set[str] = set()
        ticks: dict[str, list[str]] = {}
        for position, (kind, name) in plan.items():
            raw = cells[position]
            if kind == "status":
                table = self._form_table(name)
                if table and raw.strip() in _FILLED_STATUS:
                    content.add(table)
            elif kind == "check":
                base, _, code = name.partition("___")
                if raw.strip() not in ("", "0", "1"):
                    self.problems.append(where.problem(
                        self.source, name, raw, "0 or 1 (a raw-data export: not 'Checked'/"
                        "'Unchecked')"))
                elif raw.strip() == "1":
                    ticks.setdefault(base, []).append(code)
            elif kind == "field" and raw.strip():
                target = self.targets[name]
                value = self._decode(target, raw, where)
                row = by_table[target.table]
                row.values[target.column] = value
                row.fields[target.column] = name
                content.add(target.table)
        for base, codes in ticks.items():
            ticked = self.targets.get(base)
            if ticked is None:
                continue
            row = by_table[ticked.table]
            row.values[ticked.column] = self._decode_ticks(ticked, codes, where)
            row.fields[ticked.column] = base
            content.add(ticked.table)
        if "patients" in content:
            self._merge_patient(by_table["patients"])
        if "visits" in content:
            self._visit(by_table["visits"])
        for table in ("events", "adverse_events"):
            if table in content:
                self.rows[table].append(by_table[table])

    def _form_table(self, form: str) -> str | None:
        if not self.form_tables:
            counts: dict[str, Counter[str]] = {}
            for target in self.targets.values():
                counts.setdefault(target.entry.form_name, Counter())[target.table] += 1
            self.form_tables = {f: c.most_common(1)[0][0] for f, c in counts.items()}
        return self.form_tables.get(form)

    def _decode(self, target: _Target, raw: str, where: _Where) -> str | None:
        value = raw.strip()
        entry, spec = target.entry, target.spec
        if value in self.missing and value not in target.codes:
            self._missing_code(target, value, where)
            return None
        if entry.field_type == "checkbox":  # exported with combineCheckboxOptions
            return self._decode_ticks(target, [c.strip() for c in value.split(",")], where)
        if target.codes or entry.field_type in ("dropdown", "radio", "yesno", "truefalse"):
            if value not in target.codes:
                shown = " | ".join(f"{code}, {label}" for code, label in entry.choices())
                self.problems.append(where.problem(
                    self.source, entry.field_name, raw,
                    f"a code of the field's choices ({shown})"))
                return None
            decoded = target.codes[value]
            if decoded is None:
                expected = (spec.expected() if spec is not None else "a known code")
                self.problems.append(where.problem(
                    self.source, entry.field_name, raw,
                    f"a choice jdmtrack can read as {expected}: the data dictionary gives this "
                    "code a label jdmtrack does not recognise"))
            return decoded
        if spec is not None and spec.kind == "date" and entry.validation.startswith("datetime"):
            return value[:10]
        return raw if spec is None or spec.kind in ("text", "id") else value

    def _decode_ticks(self, target: _Target, codes: list[str], where: _Where) -> str | None:
        folded = {c.lower(): c for c in target.codes}
        missing = {c.lower(): c for c in self.missing}
        values: list[str] = []
        for code in codes:
            if code.lower() in folded:
                decoded = target.codes[folded[code.lower()]]
                if decoded is None:
                    self.problems.append(where.problem(
                        self.source, f"{target.entry.field_name}___{code}", "1",
                        "a choice jdmtrack knows: the data dictionary gives this code a "
                        "label jdmtrack does not recognise"))
                elif decoded not in values:
                    values.append(decoded)
            elif code.lower() in missing:
                self._missing_code(target, missing[code.lower()], where)
                return None
            else:
                shown = " | ".join(f"{c}, {label}" for c, label in target.entry.choices())
                self.problems.append(where.problem(
                    self.source, target.entry.field_name, code,
                    f"a code of the field's choices ({shown})"))
        spec = target.spec
        if spec is not None and spec.kind == "list":
            values.sort(key=lambda c: spec.choices.index(c) if c in spec.choices else 10**6)
        return LIST_SEPARATOR.join(values) or None

    def _missing_code(self, target: _Target, code: str, where: _Where) -> None:
        label = self.missing.get(code) or DEFAULT_MISSING_CODES.get(code, "")
        shown = f"{code!r}" + (f" ({label})" if label else "")
        week = week_of_event(where.event) if target.table == "visits" else None
        self.warnings.append(DataWarning(
            "redcap_missing_code",
            f"{where.text(target.entry.field_name)}: missing-data code {shown} read as missing",
            patient_id=where.record, week=None if week is None else float(week),
            column=target.column))

    def _warn(self, code: str, message: str) -> None:
        self.warnings.append(DataWarning(code, message))

    def _merge_patient(self, row: _Row) -> None:
        record = self.records[row.where.record]
        for column, value in row.values.items():
            old = record.values.get(column)
            if old is not None and value is not None and old != value:
                first = record.lines[column]
                self.problems.append(row.where.problem(
                    self.source, row.fields[column], value,
                    f"one value per record ({first.text(row.fields[column])} has {old!r})"))
                continue
            if old is None:
                record.values[column] = value
                record.fields[column] = row.fields[column]
                record.lines[column] = row.where

    def _visit(self, row: _Row) -> None:
        where = row.where
        if where.instrument:
            self.problems.append(where.problem(
                self.source, None, None,
                f"no repeating visit forms: {where.instrument} repeats on its own in this "
                "project; jdmtrack reads extra visits as instances of a repeating event "
                "(see the 'Unscheduled visit' event in docs/redcap.md)"))
            return
        if row.values.get("week") is None:
            week = week_of_event(where.event)
            if week is None:
                self.problems.append(where.problem(
                    self.source, "visit_week", None,
                    "the week of this visit: fill visit_week (the event name "
                    f"{where.event!r} does not say the week; scheduled events are named "
                    "'Baseline' and 'Week N')"))
                return
            row.values["week"] = str(week)
            row.fields["week"] = _EVENT
        self.rows["visits"].append(row)

    def _check_duplicate_visits(self) -> None:
        first: dict[tuple[str, float], _Row] = {}
        for row in self.rows["visits"]:
            try:
                week = float(row.values["week"] or "")
            except ValueError:
                continue  # validation reports it
            key = (row.where.record, week)
            if key in first:
                other = first[key].where
                self.problems.append(row.where.problem(
                    self.source, row.fields["week"], row.values["week"],
                    f"a week no other visit of this record has ({other.text()} is also week "
                    f"{week:g})"))
            else:
                first[key] = row

    # --- tables -------------------------------------------------------------------------

    def _tables(self) -> tuple[dict[str, pd.DataFrame], dict[str, list[_Row]]]:
        order = {record: i for i, record in enumerate(self.records)}
        patients = list(self.records.values())
        for row in patients:
            row.values["patient_id"] = row.where.record
            row.fields["patient_id"] = self.dictionary.record_id
            if row.values.get("site") is None and row.where.record in self.dags:
                row.values["site"] = self.dags[row.where.record]
                row.fields["site"] = _DAG
        visits = sorted(self.rows["visits"], key=lambda r: (order[r.where.record],
                                                            _week_key(r.values.get("week"))))
        rows = {"patients": patients, "visits": visits,
                "events": self.rows["events"], "adverse_events": self.rows["adverse_events"]}
        tables = {}
        for name, table_rows in rows.items():
            for row in table_rows:
                row.values["patient_id"] = row.where.record
                row.fields.setdefault("patient_id", self.dictionary.record_id)
            tables[name] = _frame(name, table_rows)
        return tables, rows

    def _relocate(self, problem: Problem, provenance: dict[str, list[_Row]]) -> Problem:
        table = problem.file[: -len(".csv")] if problem.file.endswith(".csv") else problem.file
        rows = provenance.get(table)
        if rows is None or problem.row is None or not 2 <= problem.row < 2 + len(rows):
            if table == "visits" and not rows:
                return Problem(self.source, None, None, None,
                               "at least one visit (no row of the export holds visit data)")
            return Problem(self.source, None, problem.column, problem.value, problem.expected)
        row = rows[problem.row - 2]
        column = problem.column
        where = row.lines.get(column, row.where) if column else row.where
        field_name = None
        if column:
            field_name = row.fields.get(column) or self.field_names.get((table, column), column)
        return where.problem(self.source, field_name, problem.value, problem.expected)


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _week_key(week: str | None) -> float:
    try:
        return float(week or "nan")
    except ValueError:
        return float("inf")


def _frame(name: str, rows: list[_Row]) -> pd.DataFrame:
    """Cohort-format text table: known columns in dictionary order (required ones always,
    others when any row has a value), then user columns; missing = None."""
    known = fields_of(name)
    present = {column for row in rows for column, value in row.values.items()
               if value is not None}
    columns = [f.name for f in known if f.required or f.name in present]
    extras = list(dict.fromkeys(column for row in rows for column in row.values
                                if column.startswith(EXTRA_PREFIX) and column in present))
    data = {column: pd.Series([row.values.get(column) for row in rows], dtype=object)
            for column in [*columns, *extras]}
    frame = pd.DataFrame(data)
    frame.index = pd.RangeIndex(2, 2 + len(rows), name="row")
    return frame
