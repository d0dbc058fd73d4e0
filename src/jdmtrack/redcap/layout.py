"""How the cohort format maps onto a longitudinal REDCap project.

Everything the dictionary, project files, exporter and importer agree on lives here:
REDCap field names for each cohort column, the instruments (forms), the events and
which forms each event holds. Ranges and choice lists are never written here: they
come from ``jdmtrack.fields``.

Project shape (arm 1 only):

=====================  ===============================  ===========================
event (unique name)    forms                            repeats
=====================  ===============================  ===========================
Baseline               baseline, visit_assessment,      no
(``baseline_arm_1``)   labs, medications
Week N                 visit_assessment, labs,          no
(``week_N_arm_1``)     medications
Unscheduled visit      visit_assessment, labs,          the whole event repeats;
(``unscheduled_        medications                      ``visit_week`` gives the week
visit_arm_1``)
Logs (``logs_arm_1``)  clinical_events, adverse_events  each form repeats
=====================  ===============================  ===========================
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..errors import SettingsError
from ..fields import EXTRA_PREFIX, SCHEDULED_WEEKS, Field, fields_of

__all__ = [
    "ARM_NAME",
    "ARM_NUM",
    "FORMS",
    "RECORD_ID",
    "SCHEDULED_WEEKS",
    "Event",
    "Form",
    "cohort_column",
    "events",
    "form_of",
    "redcap_name",
    "week_of_event",
]

ARM_NUM = 1
ARM_NAME = "JAKi cohort"
RECORD_ID = "record_id"

# REDCap field names are project-wide, so the columns that several tables share get a
# table prefix. ``patient_id`` is the record ID in every table.
_RENAMED: dict[tuple[str, str], str] = {
    ("visits", "week"): "visit_week",
    ("events", "event"): "event_type",
    ("events", "week"): "event_week",
}
_AE_PREFIX = "ae_"


@dataclass(frozen=True)
class Form:
    """One REDCap instrument: its name, label, the cohort table it feeds, and whether it repeats."""

    name: str
    label: str
    table: str
    repeating: bool = False


FORMS: tuple[Form, ...] = (
    Form("baseline", "Baseline", "patients"),
    Form("visit_assessment", "Visit assessment", "visits"),
    Form("labs", "Laboratory", "visits"),
    Form("medications", "Medications", "visits"),
    Form("clinical_events", "Clinical events", "events", repeating=True),
    Form("adverse_events", "Adverse events", "adverse_events", repeating=True),
)
_VISIT_FORMS = ("visit_assessment", "labs", "medications")
_LOG_FORMS = ("clinical_events", "adverse_events")


@dataclass(frozen=True)
class Event:
    """One REDCap event of arm 1. ``week`` is None for events whose week comes from a field."""

    name: str
    unique_name: str
    week: int | None
    forms: tuple[str, ...]
    repeating: bool = False


def events(weeks: tuple[int, ...] = SCHEDULED_WEEKS) -> tuple[Event, ...]:
    """The events of the project, for a visit schedule in whole weeks (0 = baseline).

    >>> [e.unique_name for e in events()]
    ['baseline_arm_1', 'week_4_arm_1', 'week_12_arm_1', 'week_24_arm_1', \
'unscheduled_visit_arm_1', 'logs_arm_1']
    """
    weeks = check_weeks(weeks)
    out = [Event("Baseline", f"baseline_arm_{ARM_NUM}", 0, ("baseline", *_VISIT_FORMS))]
    for week in weeks:
        if week:
            out.append(Event(f"Week {week}", f"week_{week}_arm_{ARM_NUM}", week, _VISIT_FORMS))
    out.append(Event("Unscheduled visit", f"unscheduled_visit_arm_{ARM_NUM}", None,
                     _VISIT_FORMS, repeating=True))
    out.append(Event("Logs", f"logs_arm_{ARM_NUM}", None, _LOG_FORMS))
    return tuple(out)


def check_weeks(weeks: tuple[int, ...] | list[int]) -> tuple[int, ...]:
    """A visit schedule: distinct whole weeks >= 0 including 0, sorted."""
    bad = [w for w in weeks if isinstance(w, bool) or not isinstance(w, int) or w < 0]
    if bad or 0 not in weeks:
        raise SettingsError(
            f"scheduled weeks {list(weeks)!r}: expected whole weeks >= 0 including 0 (baseline); "
            "visits at other (or fractional) weeks go to the repeating 'Unscheduled visit' event")
    return tuple(sorted(set(weeks)))


_WEEK_EVENT = re.compile(r"(?:week|wk|w)_?(\d+)")
_ARM_SUFFIX = re.compile(r"_arm_\d+$")


def week_of_event(unique_name: str) -> int | None:
    """The week an event stands for, from its unique name; None when the name does not say.

    >>> week_of_event("baseline_arm_1"), week_of_event("week_12_arm_2"), week_of_event("logs_arm_1")
    (0, 12, None)
    """
    base = _ARM_SUFFIX.sub("", unique_name)
    if base == "baseline":
        return 0
    match = _WEEK_EVENT.fullmatch(base)
    return int(match.group(1)) if match else None


def redcap_name(table_name: str, column: str) -> str:
    """The REDCap field name of a cohort column.

    >>> redcap_name("visits", "cmas_01"), redcap_name("adverse_events", "term")
    ('cmas_01', 'ae_term')
    >>> redcap_name("events", "week"), redcap_name("patients", "patient_id")
    ('event_week', 'record_id')
    """
    if column == "patient_id":
        return RECORD_ID
    if column.startswith(EXTRA_PREFIX):
        return column
    if (table_name, column) in _RENAMED:
        return _RENAMED[(table_name, column)]
    if table_name == "adverse_events":
        return _AE_PREFIX + column
    return column


def form_of(f: Field) -> str:
    """The form a cohort field is entered on."""
    if f.table == "patients":
        return "baseline"
    if f.table == "visits":
        return {"labs": "labs", "medication": "medications"}.get(f.group, "visit_assessment")
    return "clinical_events" if f.table == "events" else "adverse_events"


def cohort_column(field_name: str) -> tuple[str, str] | None:
    """The (table, column) a jdmtrack REDCap field feeds; None for fields jdmtrack does not know.

    >>> cohort_column("ae_term"), cohort_column("visit_week"), cohort_column("nope")
    (('adverse_events', 'term'), ('visits', 'week'), None)
    """
    return _by_field().get(field_name)


@cache
def _by_field() -> dict[str, tuple[str, str]]:
    return {redcap_name(table_name, f.name): (table_name, f.name)
            for table_name in ("patients", "visits", "events", "adverse_events")
            for f in fields_of(table_name) if f.name != "patient_id"}
