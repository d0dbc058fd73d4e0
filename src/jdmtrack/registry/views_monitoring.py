"""The monitoring pages: queries, source data verification, lock/unlock, e-signature,
consent. Every query of the database goes through ``policy.scoped``; the actions
themselves (``queries``, ``oversight``) check ``policy.can`` and write the audit log.

A record outside the user's scope answers 404; an action the role may not do on a record
it sees answers 403; an action that cannot be done now (a lock with open queries, a wrong
password) goes back to the page with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import oversight, queries
from .errors import NotAllowed, RegistryError
from .models import Patient, Query, Visit
from .policy import can, scoped
from .views import refused

__all__ = ["consent", "lock", "query_page", "raise_query", "sign", "unlock", "verify_visit",
           "warning_queries"]


def _patient(request: HttpRequest, pk: int) -> Any:
    return scoped(request.user, Patient.objects.select_related("site")).filter(pk=pk).first()


def _act(request: HttpRequest, action: Callable[[], str], back: str) -> HttpResponse:
    """Run ``action``: success and failure go back to ``back`` as a message; 403 if not allowed."""
    try:
        done = action()
    except NotAllowed:
        return refused(request, 403)
    except RegistryError as err:
        messages.error(request, str(err))
        return redirect(back)
    messages.success(request, done)
    return redirect(back)


def _text(request: HttpRequest, name: str) -> str:
    return str(request.POST.get(name, "")).strip()


def _date_or_none(text: str, name: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as err:
        raise RegistryError(f"{name}: got {text!r}, expected a date YYYY-MM-DD") from err


def _on_patient(run: Callable[[HttpRequest, Any], str]) -> Any:
    """A POST view doing ``run(request, patient)`` on a patient the user can see (else 404)."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        patient = _patient(request, pk)
        return refused(request) if patient is None else _act(
            request, lambda: run(request, patient), f"/patients/{patient.pk}/")

    view.__doc__ = run.__doc__
    return view


def _raise_query(request: HttpRequest, patient: Any) -> str:
    """A monitor's query on a field of one of the patient's rows (``row`` = 'table:pk')."""
    table, _, row = _text(request, "row").partition(":")
    if not row.isdigit():
        raise RegistryError("choose the row the query is about")
    query = queries.raise_query(request.user, patient, table, int(row), _text(request, "field"),
                                _text(request, "text"))
    return f"Query {query.pk} raised on {query.where()}, {query.field}."


def _warning_queries(request: HttpRequest, patient: Any) -> str:
    """Open queries from the validation warnings of the patient's data."""
    n = queries.queries_from_warnings(request.user, patient)
    return f"{n} quer{'y' if n == 1 else 'ies'} raised from validation warnings."


def _lock(request: HttpRequest, patient: Any) -> str:
    rows = oversight.lock_patient(request.user, patient, _text(request, "reason"))
    return f"Patient {patient.patient_id} locked ({rows} rows)."


def _unlock(request: HttpRequest, patient: Any) -> str:
    rows = oversight.unlock_patient(request.user, patient, _text(request, "reason"))
    return f"Patient {patient.patient_id} unlocked ({rows} rows)."


def _sign(request: HttpRequest, patient: Any) -> str:
    """The site PI's e-signature: the password is entered again on the page."""
    signature = oversight.sign_patient(request.user, patient, str(request.POST.get("password", "")),
                                       _text(request, "printed_name"))
    return f"Signed by {signature.printed_name}."


def _consent(request: HttpRequest, patient: Any) -> str:
    oversight.record_consent(
        request.user, patient, _date_or_none(_text(request, "consent_date"), "consent date"),
        _text(request, "form_version"), request.POST.get("withdrawn") == "yes",
        _date_or_none(_text(request, "withdrawn_date"), "withdrawal date"))
    return "Consent recorded."


@login_required
def query_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One query: its messages, and the steps the user may take (answer, close, re-open)."""
    query = scoped(request.user, Query.objects.select_related("patient", "patient__site")
                   ).filter(pk=pk).first()
    if query is None:
        return refused(request)
    if request.method == "POST":
        step = _text(request, "step")
        if step not in queries.NEXT:
            messages.error(request, f"unknown step {step!r}")
            return redirect(f"/queries/{query.pk}/")
        moves = {"answer": queries.answer_query, "close": queries.close_query,
                 "reopen": queries.reopen_query}

        def act() -> str:
            moves[step](request.user, query, _text(request, "text"))
            return f"Query {query.pk} is {query.status}."
        return _act(request, act, f"/queries/{query.pk}/")
    steps = [s for s, (action, starts, _) in queries.NEXT.items()
             if query.status in starts and can(request.user, action, query.patient)]
    return render(request, "registry/query.html", {
        "query": query, "patient": query.patient, "steps": steps,
        "messages_of_query": query.messages.all()})


@login_required
@require_POST
def verify_visit(request: HttpRequest, pk: int) -> HttpResponse:
    """Source data verification of one visit (a monitor)."""
    visit = scoped(request.user, Visit.objects.select_related("patient", "patient__site")
                   ).filter(pk=pk).first()

    def act() -> str:
        oversight.verify_visit(request.user, visit)
        return f"{visit.describe()}: source data verified."
    return refused(request) if visit is None else _act(request, act,
                                                       f"/patients/{visit.patient.pk}/")


raise_query = _on_patient(_raise_query)
warning_queries = _on_patient(_warning_queries)
lock = _on_patient(_lock)
unlock = _on_patient(_unlock)
sign = _on_patient(_sign)
consent = _on_patient(_consent)
