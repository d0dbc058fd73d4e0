"""Monitoring a patient's data: source data verification, lock/unlock, e-signature, consent.

- SDV: a monitor marks a visit ``verified`` (its data were checked against the source).
  A later change of the visit's data makes it ``draft`` again (``RowModel.save``).
- Lock: a monitor locks every row of a patient (``state = locked``), which ``RowModel.save``
  then refuses to change, whatever the path; not while a query is open or answered.
  Unlock needs a reason and gives each row back the state it had before the lock.
- E-signature: a site PI re-enters the password to sign the patient's data as complete and
  correct; the signature keeps the printed name, meaning, time and the SHA-256 of the data
  signed. Any later change of the patient's data voids it (``void_signatures``).
- Consent: date, form version, withdrawal; recorded by the site, at any state (a withdrawal
  must be recordable on locked data too).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import audit
from .errors import RegistryError
from .queries import open_count, require
from .tables import row_text

__all__ = ["lock_patient", "patient_digest", "patient_rows", "record_consent", "sign_patient",
           "signature_status", "unlock_patient", "verify_visit", "void_signatures"]


def patient_rows(patient: Any) -> list[tuple[str, Any]]:
    """(table, row) for the patient and every row of theirs, in cohort order."""
    rows: list[tuple[str, Any]] = [("patients", patient)]
    rows += [("visits", v) for v in patient.visits.order_by("week")]
    rows += [("events", e) for e in patient.events_rows.order_by("seq")]
    rows += [("adverse_events", a) for a in patient.adverse_events_rows.order_by("seq")]
    return rows


def patient_digest(patient: Any) -> str:
    """SHA-256 of all of a patient's data as cohort-format text (what a signature covers)."""
    return audit.row_digest({"rows": [[t, row_text(t, r)] for t, r in patient_rows(patient)]})


def void_signatures(patient_pk: Any, why: str) -> int:
    """Void the patient's standing signatures because their data changed; audited."""
    from .models import Patient, Signature

    standing = list(Signature.objects.filter(patient_id=patient_pk, voided_at__isnull=True))
    if not standing:
        return 0
    site = Patient.objects.filter(pk=patient_pk).values_list("site__code", flat=True).first()
    now = timezone.now()
    for signature in standing:
        signature.voided_at = now
        signature.void_reason = why
        signature.save(update_fields=["voided_at", "void_reason"])
        audit.record("registry", "signature_void", table="patients", row=str(patient_pk),
                     site=site or "", reason=why, signature=signature.pk,
                     signer=signature.signer)
    return len(standing)


def verify_visit(user: Any, visit: Any) -> Any:
    """Source data verification of one visit by a monitor."""
    patient = visit.patient
    require(user, "sdv", patient, "verify source data")
    if visit.state == "verified":
        raise RegistryError(f"{visit.describe()} is verified already")
    with transaction.atomic():
        visit.state = "verified"
        visit._change_reason = "source data verified"
        visit.save()
        audit.record(user, "sdv", table="visits", row=str(visit.pk), site=patient.site.code,
                     reason="source data verified", version=visit.version)
    return visit


def lock_patient(user: Any, patient: Any, reason: str = "") -> int:
    """Lock every row of the patient; refused while a query is not closed. Rows locked."""
    require(user, "lock", patient, "lock a patient's data")
    if patient.state == "locked":
        raise RegistryError(f"patient {patient.patient_id} is locked already")
    waiting = open_count(patient)
    if waiting:
        raise RegistryError(f"patient {patient.patient_id} cannot be locked: {waiting} "
                            "quer" + ("y is" if waiting == 1 else "ies are")
                            + " not closed (close them first)")
    why = "lock" + (f": {reason.strip()}" if reason.strip() else "")
    with transaction.atomic():
        rows = patient_rows(patient)
        for _, row in rows:
            row.state = "locked"
            row._change_reason = why
            row.save()
        audit.record(user, "lock", table="patients", row=str(patient.pk), site=patient.site.code,
                     reason=why, rows=len(rows))
    return len(rows)


def _state_before_lock(row: Any) -> str:
    previous = row.history.exclude(state="locked").order_by("-history_id").first()
    return str(previous.state) if previous is not None else "draft"


def unlock_patient(user: Any, patient: Any, reason: str) -> int:
    """Unlock the patient's rows (the reason is required); each row gets its earlier state."""
    require(user, "unlock", patient, "unlock a patient's data")
    reason = reason.strip()
    if not reason:
        raise RegistryError("unlocking needs the reason (e.g. the correction it is for)")
    if patient.state != "locked":
        raise RegistryError(f"patient {patient.patient_id} is not locked")
    with transaction.atomic():
        rows = patient_rows(patient)
        for _, row in rows:
            row.state = _state_before_lock(row)
            row._change_reason = f"unlock: {reason}"
            row._unlocking = True
            row.save()
        audit.record(user, "unlock", table="patients", row=str(patient.pk),
                     site=patient.site.code, reason=reason, rows=len(rows))
    return len(rows)


def sign_patient(user: Any, patient: Any, password: str, printed_name: str) -> Any:
    """The site PI's e-signature of the patient's data, after re-entering the password."""
    from .models import Signature
    from .oversight_models import SIGNATURE_MEANING

    require(user, "sign", patient, "sign a patient's data")
    printed_name = printed_name.strip()
    if not printed_name:
        raise RegistryError("an e-signature needs the signer's printed name")
    if not password or not user.check_password(password):
        audit.record(user, "sign_failed", table="patients", row=str(patient.pk),
                     site=patient.site.code, reason="password did not match")
        raise RegistryError("the password did not match: the data were not signed")
    if signature_status(patient)[0] == "signed":
        raise RegistryError(f"patient {patient.patient_id}'s data are signed already")
    with transaction.atomic():
        signature = Signature.objects.create(
            patient=patient, signer=user.username, printed_name=printed_name,
            meaning=SIGNATURE_MEANING, signed_at=timezone.now(),
            data_sha256=patient_digest(patient))
        audit.record(user, "sign", table="patients", row=str(patient.pk), site=patient.site.code,
                     reason=SIGNATURE_MEANING, printed_name=printed_name,
                     data_sha256=signature.data_sha256)
    return signature


def signature_status(patient: Any) -> tuple[str, Any]:
    """('signed', signature), ('voided', the last signature), or ('unsigned', None).

    A standing signature whose data digest no longer matches (data changed by a path
    that bypassed the models) counts as voided.
    """
    last = patient.signatures.order_by("-id").first()
    if last is None:
        return "unsigned", None
    if last.voided_at is None and last.data_sha256 == patient_digest(patient):
        return "signed", last
    return "voided", last


def record_consent(user: Any, patient: Any, consent_date: date | None, form_version: str,
                   withdrawn: bool, withdrawn_date: date | None) -> Any:
    """Record (or correct) the patient's consent; a withdrawal needs its date."""
    from .models import Consent

    require(user, "edit", patient, "record consent")
    problems = []
    if consent_date is None:
        problems.append("the date consent was given (YYYY-MM-DD)")
    if not form_version.strip():
        problems.append("the version of the consent form")
    if withdrawn and withdrawn_date is None:
        problems.append("the date consent was withdrawn (YYYY-MM-DD)")
    if not withdrawn and withdrawn_date is not None:
        problems.append("'withdrawn' ticked, or no withdrawal date")
    if withdrawn_date is not None and consent_date is not None and withdrawn_date < consent_date:
        problems.append("a withdrawal date on or after the consent date")
    if problems:
        raise RegistryError("consent not recorded; expected " + "; ".join(problems))
    with transaction.atomic():
        consent = Consent.objects.filter(patient=patient).first() or Consent(patient=patient)
        adding = consent.pk is None
        consent.consent_date, consent.form_version = consent_date, form_version.strip()
        consent.withdrawn, consent.withdrawn_date = withdrawn, withdrawn_date
        consent.save()
        audit.record(user, "consent", table="patients", row=str(patient.pk),
                     site=patient.site.code, reason="recorded" if adding else "changed",
                     consent_date=consent_date, form_version=consent.form_version,
                     withdrawn=withdrawn, withdrawn_date=withdrawn_date)
    return consent
