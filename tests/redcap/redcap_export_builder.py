"""Build raw REDCap exports the way REDCap writes them, from a data dictionary.

Every row carries every column of the project: the coordinate columns, the data access
group, each form's fields (checkboxes as ``field___code`` holding 0/1 on every row, as
REDCap's raw export does), calculated fields computed as REDCap would, and each form's
``<form>_complete`` status (2 when the form has data on that row, 0 when the form is
designated on the event but empty, blank when it is not designated there).
"""

from __future__ import annotations

import csv
import io

from jdmtrack.redcap import data_dictionary_csv, parse_dictionary
from jdmtrack.redcap.layout import events


class ExportBuilder:
    def __init__(self, dictionary: str | None = None, *, dag: bool = True) -> None:
        self.dd = parse_dictionary(dictionary or data_dictionary_csv())
        self.forms = self.dd.forms()
        self.event_forms = {e.unique_name: set(e.forms) for e in events()}
        self.columns = [self.dd.record_id, "redcap_event_name", "redcap_repeat_instrument",
                        "redcap_repeat_instance"]
        if dag:
            self.columns.append("redcap_data_access_group")
        self.form_columns: dict[str, list[str]] = {}
        for form in self.forms:
            names: list[str] = []
            for entry in self.dd.fields_on(form):
                if entry.field_name == self.dd.record_id or entry.field_type == "descriptive":
                    continue
                if entry.field_type == "checkbox":
                    names += [f"{entry.field_name}___{code.lower()}" for code, _ in entry.choices()]
                else:
                    names.append(entry.field_name)
            self.form_columns[form] = names
            self.columns += [*names, f"{form}_complete"]
        self.rows: list[dict[str, str]] = []

    def add(self, record: str, event: str, *, instrument: str = "", instance: str = "",
            dag: str = "", complete: dict[str, str] | None = None,
            fields: dict[str, str] | None = None, **values: object) -> dict[str, str]:
        row = {c: "" for c in self.columns}
        row.update({self.dd.record_id: record, "redcap_event_name": event,
                    "redcap_repeat_instrument": instrument, "redcap_repeat_instance": instance})
        if "redcap_data_access_group" in row:
            row["redcap_data_access_group"] = dag
        for column in self.columns:
            if "___" in column:
                row[column] = "0"
        filled: set[str] = set()
        for name, value in {**(fields or {}), **values}.items():
            entry = self.dd.get(name)
            if entry is None:
                self._column(name)  # a column the dictionary does not know
                row[name] = str(value)
                continue
            filled.add(entry.form_name)
            if isinstance(value, (list, tuple)):
                for code in value:
                    self._column(f"{name}___{str(code).lower()}")
                    row[f"{name}___{str(code).lower()}"] = "1"
            else:
                row[name] = str(value)
        for entry in self.dd.fields:
            if entry.field_type == "calc":
                row[entry.field_name] = self._calc(entry.select_choices_or_calculations, row)
        designated = self.event_forms.get(event, set(self.forms))
        for form in self.forms:
            if instrument and form != instrument:
                continue
            if form in filled:
                row[f"{form}_complete"] = "2"
            elif form in designated and not instrument:
                row[f"{form}_complete"] = "0"
        for form, status in (complete or {}).items():
            row[f"{form}_complete"] = status
        self.rows.append(row)
        return row

    def _column(self, name: str) -> None:
        if name not in self.columns:
            self.columns.append(name)

    @staticmethod
    def _calc(expression: str, row: dict[str, str]) -> str:
        """REDCap's '+' calculations: blank when any operand is blank."""
        names = [part.strip("[]") for part in expression.split("+")]
        values = [row.get(name, "") for name in names]
        if any(not v.strip().lstrip("-").isdigit() for v in values):
            return ""
        return str(sum(int(v) for v in values))

    def text(self) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=self.columns, lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows(self.rows)
        return out.getvalue()
