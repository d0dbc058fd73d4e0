"""The registry's pages. Every query goes through ``policy.scoped``; every refusal is audited.

A record outside the user's scope answers 404 (its existence is not revealed); a record
the user may see but not change answers 403 to the change.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from . import audit
from .errors import RecordLocked, StaleWrite
from .forms import VISIT_SECTIONS, completeness, form_texts, save_visit
from .live import LIVE_FIELDS, evaluate
from .models import AuditEvent, Patient, Visit
from .monitoring_context import monitoring_context
from .policy import can, scoped
from .tables import row_text, text_value

__all__ = ["patient_list", "patient_page", "record_audit", "visit_form", "visit_preview"]


def refused(request: HttpRequest, status: int = 404) -> HttpResponse:
    """Answer 404 (or 403) and note the refused access in the audit log."""
    audit.record(request.user, "refused", reason=f"{request.method} {request.path} ({status})")
    template = "registry/not_found.html" if status == 404 else "registry/forbidden.html"
    return render(request, template, status=status)


def _patient(request: HttpRequest, pk: int) -> Any:
    patients = scoped(request.user, Patient.objects.select_related("site"))
    return patients.filter(pk=pk).first()


@login_required
def patient_list(request: HttpRequest) -> HttpResponse:
    visits = Visit.objects.order_by("week")
    patients = scoped(request.user, Patient.objects.select_related("site")).prefetch_related(
        Prefetch("visits", queryset=visits))
    patients = patients.annotate(open_queries=Count("queries", filter=~Q(queries__status="closed")))
    rows = [{"patient": p, "visits": [(v, completeness(v)) for v in p.visits.all()]}
            for p in patients]
    return render(request, "registry/patients.html", {
        "rows": rows, "can_edit": can(request.user, "edit")})


@login_required
def patient_page(request: HttpRequest, pk: int) -> HttpResponse:
    patient = _patient(request, pk)
    if patient is None:
        return refused(request)
    result = evaluate(patient)
    by_week = {text_value(v.week): v for v in patient.visits.all()}
    table = []
    for row in result.visits:
        table.append({"visit": by_week.get(row["week"]), "week": row["week"],
                      "values": [row[f.name] for f in LIVE_FIELDS]})
    return render(request, "registry/patient.html", {
        "patient": patient, "fields": LIVE_FIELDS, "table": table, "evaluation": result,
        "can_edit": can(request.user, "edit", patient) and patient.state != "locked",
        **monitoring_context(request.user, patient)})


@login_required
@require_http_methods(["GET", "POST"])
def visit_form(request: HttpRequest, pk: int) -> HttpResponse:
    """New visit (``/patients/<pk>/visits/new/``) or a saved one (``/visits/<pk>/``)."""
    if request.resolver_match is not None and request.resolver_match.url_name == "visit":
        visits = scoped(request.user, Visit.objects.select_related("patient", "patient__site"))
        visit = visits.filter(pk=pk).first()
        if visit is None:
            return refused(request)
        patient = visit.patient
    else:
        visit, patient = None, _patient(request, pk)
        if patient is None:
            return refused(request)
    allowed = can(request.user, "edit", patient)
    if request.method == "POST" and not allowed:
        return refused(request, 403)
    # A locked patient's form is read-only; a save still reaches the model, which refuses it.
    context_edit = allowed and patient.state != "locked"
    texts = row_text("visits", visit) if visit is not None else {"patient_id": patient.patient_id}
    context: dict[str, Any] = {"patient": patient, "visit": visit, "can_edit": context_edit}
    if request.method == "POST":
        texts = form_texts(request.POST, texts)
        result = evaluate(patient, texts, visit.pk if visit else None)
        reason = request.POST.get("reason", "").strip()
        context["reason"] = reason
        if visit is not None and not reason and not result.problems:
            context["reason_missing"] = True
        elif not result.problems:
            try:
                saved = save_visit(request.user, patient, visit, result, reason,
                                   int(request.POST.get("version") or 0))
            except StaleWrite as err:
                context["stale"] = str(err)
            except RecordLocked as err:
                context["locked_error"] = str(err)
                audit.record(request.user, "refused", table="visits",
                             row=str(visit.pk) if visit else "", site=patient.site.code,
                             reason=f"write to locked data: {err}")
            else:
                return redirect("visit", pk=saved.pk)
        context["evaluation"] = result
    else:
        context["evaluation"] = evaluate(patient, texts, visit.pk if visit else None)
    context["sections"] = VISIT_SECTIONS
    context["texts"] = texts
    context["live_fields"] = LIVE_FIELDS
    if visit is not None:
        context["events"] = scoped(request.user, AuditEvent.objects.filter(
            table="visits", record=str(visit.pk))).order_by("-id")
    return render(request, "registry/visit.html", context)


@login_required
@require_POST
def visit_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The live part of the visit form: totals, DAS, PRINTO CID, TIS and warnings (htmx)."""
    patient = _patient(request, pk)
    if patient is None:
        return refused(request)
    replaces = request.POST.get("visit_pk")
    visit = patient.visits.filter(pk=int(replaces)).first() if replaces else None
    base = row_text("visits", visit) if visit is not None else {"patient_id": patient.patient_id}
    texts = form_texts(request.POST, base)
    result = evaluate(patient, texts, visit.pk if visit else None)
    return render(request, "registry/_live.html", {"evaluation": result,
                                                   "live_fields": LIVE_FIELDS})


@login_required
def record_audit(request: HttpRequest, table: str, pk: int) -> HttpResponse:
    """The audit events of one record of the user's sites."""
    events = scoped(request.user, AuditEvent.objects.filter(table=table, record=str(pk)))
    if not events.exists():
        return refused(request)
    return render(request, "registry/audit.html", {"events": events.order_by("id"),
                                                   "table": table, "record": pk})
