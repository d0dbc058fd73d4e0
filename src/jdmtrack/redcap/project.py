"""The files a data manager uploads to create a jdmtrack-compatible REDCap project."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from .dictionary import _csv, data_dictionary_csv
from .layout import ARM_NAME, ARM_NUM, FORMS, SCHEDULED_WEEKS, Form, events

__all__ = ["project_files", "write_project"]

# Labels REDCap shows for each repeating instance (piped from the instance's own fields).
_REPEAT_LABELS = {
    "clinical_events": "[event_type], week [event_week]",
    "adverse_events": "[ae_term], week [ae_week]",
}


def project_files(weeks: Sequence[int] = SCHEDULED_WEEKS,
                  extras: Mapping[str, Sequence[str]] | None = None) -> dict[str, str]:
    """File name -> text of every project file (data dictionary, arms, events, mappings,
    repeating set-up, README).

    >>> files = project_files()
    >>> sorted(files)
    ['README.txt', 'arms.csv', 'data_dictionary.csv', 'events.csv', \
'instrument_event_mapping.csv', 'repeating_instruments.csv']
    >>> files["arms.csv"].splitlines()
    ['arm_num,name', '1,JAKi cohort']
    """
    schedule = events(tuple(weeks))
    arms = _csv([("arm_num", "name"), (str(ARM_NUM), ARM_NAME)])
    # unique_event_name is left blank: REDCap makes it from the event name (README lists them).
    event_rows = _csv([("event_name", "arm_num", "unique_event_name", "custom_event_label"),
                       *((e.name, str(ARM_NUM), "", "") for e in schedule)])
    mapping = _csv([("arm_num", "unique_event_name", "form"),
                    *((str(ARM_NUM), e.unique_name, form) for e in schedule for form in e.forms)])
    repeating = [("event_name", "form_name", "custom_form_label")]
    for e in schedule:
        if e.repeating:
            repeating.append((e.unique_name, "", ""))
        else:
            repeating += [(e.unique_name, form, _REPEAT_LABELS.get(form, ""))
                          for form in e.forms if _form(form).repeating]
    return {
        "data_dictionary.csv": data_dictionary_csv(extras),
        "arms.csv": arms,
        "events.csv": event_rows,
        "instrument_event_mapping.csv": mapping,
        "repeating_instruments.csv": _csv(repeating),
        "README.txt": _readme(tuple(weeks)),
    }


def write_project(directory: str | Path, weeks: Sequence[int] = SCHEDULED_WEEKS,
                  extras: Mapping[str, Sequence[str]] | None = None) -> list[Path]:
    """Write the project files into ``directory`` (created if needed); the paths written."""
    directory = Path(directory)
    files = project_files(weeks, extras)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = directory / name
        path.write_text(text, encoding="utf-8", newline="")
        written.append(path)
    return written


def _form(name: str) -> Form:
    return next(f for f in FORMS if f.name == name)


def _readme(weeks: tuple[int, ...]) -> str:
    schedule = events(weeks)
    event_lines = "\n".join(
        f"    {e.name:<18} -> {e.unique_name:<26} forms: {', '.join(e.forms)}"
        + ("  (repeating event)" if e.repeating else "")
        for e in schedule)
    form_lines = "\n".join(f"    {f.name:<18} {f.label} -> cohort table {f.table}"
                           + ("  (repeating instrument)" if f.repeating else "")
                           for f in FORMS)
    return f"""jdmtrack REDCap project
=======================

These files set up a longitudinal REDCap project whose raw exports
`jdmtrack redcap import` turns into a cohort folder (cohort format v1).
See docs/redcap.md in jdmtrack for the coding choices.

Upload order
------------
1. Create the project. In Project Setup, enable "Use longitudinal data collection
   with defined events" and "Repeating instruments and events".
2. Project Setup > Data Dictionary: upload data_dictionary.csv.
3. Project Setup > Define My Events:
   a. arms.csv (one arm; arm 1 exists already, so this only renames it);
   b. events.csv. REDCap makes each unique event name from the event name.
      Check that they read exactly as below (jdmtrack reads the visit week from
      them, and instrument_event_mapping.csv refers to them):
{event_lines}
4. Designate Instruments for My Events: upload instrument_event_mapping.csv.
5. Project Setup > Repeating instruments and events (or the API method
   "Import Repeating Instruments and Events" with repeating_instruments.csv):
   - "Unscheduled visit": the whole event repeats (one instance per extra visit;
     fill visit_week on each);
   - "Logs": the instruments clinical_events and adverse_events repeat (one
     instance per clinical event or adverse event).
6. Optional: Additional customizations > Missing Data Codes (UNK, NA, NASK, ...):
   the importer reads them as missing and lists each one as a warning.
7. Optional, multi-site: create one Data Access Group per site; the importer takes a
   record's site from its group when the site field is blank.
8. If records.csv is here (made with --data), import it with the Data Import Tool
   (CSV, longitudinal format: one row per record and event).

Forms
-----
{form_lines}

Scheduled weeks: {', '.join(str(w) for w in weeks)}. A visit at any other week is an
instance of "Unscheduled visit" with visit_week filled in.

Getting the data back
---------------------
Data Exports > "All data (all records and fields)" > CSV / Microsoft Excel (raw data),
with the data access group column if the project uses groups. Then:

    jdmtrack redcap import EXPORT.csv -o COHORT_FOLDER
    jdmtrack redcap import EXPORT.csv --dictionary DATA_DICTIONARY.csv -o COHORT_FOLDER

(--dictionary: the project's current data dictionary, when fields or codes were
changed in REDCap.)
"""
