"""The data query workflow: a monitor raises a query on a field of a row, the site answers,
the monitor closes or re-opens it; validation warnings can raise queries themselves.

open --answer--> answered --close--> closed;  open --close--> closed (no answer needed);
answered or closed --reopen--> open. Every step is policy-checked (``policy.can``), kept
as a ``QueryMessage`` and written to the audit log.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from ..fields import fields_of
from . import audit
from .errors import NotAllowed, RegistryError
from .policy import can

__all__ = [
    "NEXT",
    "answer_query",
    "close_query",
    "open_count",
    "queries_from_warnings",
    "raise_all_from_warnings",
    "raise_query",
    "reopen_query",
    "require",
]

# action -> (policy action, statuses it starts from, status it leads to)
NEXT: dict[str, tuple[str, tuple[str, ...], str]] = {
    "answer": ("answer_query", ("open",), "answered"),
    "close": ("close_query", ("open", "answered"), "closed"),
    "reopen": ("close_query", ("answered", "closed"), "open"),
}
_PAST = {"answer": "answered", "close": "closed", "reopen": "re-opened"}
# A row is named by its table; its link column is not a field a query can be about.
_LINKS = {"patients": "site", "visits": "patient_id", "events": "patient_id",
          "adverse_events": "patient_id"}


def require(user: Any, action: str, patient: Any, what: str) -> None:
    """Refuse (audited) unless ``user`` may do ``action`` on ``patient``'s data."""
    if not can(user, action, patient):
        audit.record(user, "refused", table="patients", row=str(patient.pk),
                     site=patient.site.code, reason=f"{what}: not allowed for this role")
        raise NotAllowed(f"user {audit.actor_name(user)} may not {what} "
                         f"(patient {patient.patient_id}, site {patient.site.code})")


def query_fields(table: str) -> list[str]:
    """The dictionary fields of ``table`` a query can be raised on."""
    return [f.name for f in fields_of(table) if f.name != _LINKS[table]]


def _row_of(patient: Any, table: str, row_id: int) -> Any:
    from .models import data_models

    model = data_models().get(table)
    if model is None:
        raise RegistryError(f"table {table!r}: expected one of {', '.join(data_models())}")
    row = model._default_manager.filter(pk=row_id).first()
    if row is None or row.owner_pk() != patient.pk:
        raise RegistryError(f"{table} row {row_id} is not a row of patient {patient.patient_id}")
    return row


def _step(query: Any, user: Any, action: str, text: str) -> None:
    from .models import QueryMessage

    QueryMessage.objects.create(query=query, time=timezone.now(), author=audit.actor_name(user),
                                action=action, text=text)
    audit.record(user, f"query_{action}", table="queries", row=str(query.pk),
                 site=query.patient.site.code, reason=text, status=query.status,
                 on=f"{query.table} {query.row_id} {query.field}")


def raise_query(user: Any, patient: Any, table: str, row_id: int, field: str, text: str,
                origin: str = "monitor") -> Any:
    """Open a query on ``field`` of one of ``patient``'s rows."""
    from .models import Query

    require(user, "raise_query", patient, "raise a query")
    text = text.strip()
    if not text:
        raise RegistryError("a query needs its question: say what should be checked")
    if patient.state == "locked":
        raise RegistryError(f"patient {patient.patient_id} is locked: unlock it before raising "
                            "a query")
    _row_of(patient, table, row_id)
    if field not in query_fields(table):
        raise RegistryError(f"field {field!r}: not a field of {table} (expected one of "
                            f"{', '.join(query_fields(table))})")
    with transaction.atomic():
        query = Query.objects.create(patient=patient, table=table, row_id=row_id, field=field,
                                     origin=origin, raised_by=audit.actor_name(user),
                                     raised_at=timezone.now())
        _step(query, user, "raise", text)
    return query


def _move(user: Any, query: Any, action: str, text: str) -> Any:
    policy_action, starts, leads_to = NEXT[action]
    require(user, policy_action, query.patient, f"{action} a query")
    text = text.strip()
    if action in ("answer", "reopen") and not text:
        raise RegistryError(f"to {action} a query, say why (the text is required)")
    if query.status not in starts:
        raise RegistryError(f"query {query.pk} is {query.status}: only a query that is "
                            f"{' or '.join(starts)} can be {_PAST[action]}")
    if action == "reopen" and query.patient.state == "locked":
        raise RegistryError(f"patient {query.patient.patient_id} is locked: unlock it before "
                            "re-opening a query")
    with transaction.atomic():
        query.status = leads_to
        query.save(update_fields=["status"])
        _step(query, user, action, text)
    return query


def answer_query(user: Any, query: Any, text: str) -> Any:
    return _move(user, query, "answer", text)


def close_query(user: Any, query: Any, text: str = "") -> Any:
    return _move(user, query, "close", text)


def reopen_query(user: Any, query: Any, text: str) -> Any:
    return _move(user, query, "reopen", text)


def open_count(patient: Any) -> int:
    """Queries of the patient not yet closed (open or answered)."""
    return int(patient.queries.exclude(status="closed").count())


def queries_from_warnings(user: Any, patient: Any) -> int:
    """Raise a query for each validation warning of the patient's data that has none yet.

    The warnings are the library's (``live.evaluate``: what ``jdmtrack score`` reports for
    this patient). A warning on a row and column gets a query on that field; one already
    raised from the same warning on the same field (in any status) is not raised again.
    """
    from .live import evaluate

    require(user, "raise_query", patient, "raise queries")
    fired = evaluate(patient).fired
    raised = 0
    weeks = {float(v.week): v.pk for v in patient.visits.all()}
    for record in ([] if fired is None else fired.to_dict("records")):
        table, column = str(record["table"]), record["column"]
        if table == "patients":
            row_id = patient.pk
        elif table == "visits" and record["week"] == record["week"] and float(record["week"]) in weeks:
            row_id = weeks[float(record["week"])]
        else:
            continue
        if not isinstance(column, str) or column not in query_fields(table):
            column = "week" if table == "visits" else "patient_id"
        origin = f"warning:{record['code']}"
        if patient.queries.filter(table=table, row_id=row_id, field=column, origin=origin).exists():
            continue
        raise_query(user, patient, table, row_id, column,
                    f"Validation warning ({record['code']}): {record['message']}", origin)
        raised += 1
    return raised


def raise_all_from_warnings(user: Any, site: str | None = None) -> dict[str, int]:
    """``queries_from_warnings`` for every unlocked patient the user may raise queries on
    (of one site, if given): patient id -> queries raised."""
    from .models import Patient
    from .policy import scoped

    if not can(user, "raise_query"):
        audit.record(user, "refused", reason="raise queries from warnings: not allowed")
        raise NotAllowed(f"user {audit.actor_name(user)} may not raise queries")
    patients = scoped(user, Patient.objects.select_related("site"), "raise_query")
    if site is not None:
        patients = patients.filter(site__code=site)
    with transaction.atomic():
        return {p.patient_id: queries_from_warnings(user, p)
                for p in patients.exclude(state="locked")}
