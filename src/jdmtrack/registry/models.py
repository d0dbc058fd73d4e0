"""The registry's tables: sites and memberships, the four cohort tables, the audit log.

``Patient``, ``Visit``, ``Event`` and ``AdverseEvent`` get their clinical columns from the
field dictionary (``fieldgen``); this module adds only what a registry needs around them:
the site and patient links, ``state`` (draft -> complete -> verified -> locked), ``version``
(optimistic locking) and row history (django-simple-history, with the reason for each
change). Keys are the cohort format's: a patient is (site, patient_id), a visit is
(patient, week); events and adverse events, which the format does not key, are numbered
within their patient (``seq``) in the order they were given.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction
from simple_history.models import HistoricalRecords

from .errors import ReasonRequired, RecordLocked, RegistryError, StaleWrite
from .fieldgen import generated_fields
from .policy import ROLES
from .tables import text_value

__all__ = ["STATES", "AdverseEvent", "AuditEvent", "Consent", "Event", "Membership", "Patient",
           "Query", "QueryMessage", "RowModel", "Signature", "Site", "Visit", "data_models"]

STATES = ("draft", "complete", "verified", "locked")


class Site(models.Model):
    """A centre of the study; its code is the cohort format's ``site``."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]  # noqa: RUF012 (Django reads Meta)

    def __str__(self) -> str:
        return str(self.code)


class Membership(models.Model):
    """A user's role, at one site (data entry, site PI) or study-wide (the other roles)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships")
    role = models.CharField(max_length=20, choices=[(r, r) for r in ROLES])
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.PROTECT)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role", "site"],  # noqa: RUF012
                                               name="one_membership_per_role_site")]


class RowQuerySet(models.QuerySet):
    """Bulk writes that would pass by ``save``: refused on locked rows."""

    def update(self, **kwargs: Any) -> int:
        if self.filter(state="locked").exists():
            raise RecordLocked("locked rows are never changed in bulk; unlock the patient first")
        return int(super().update(**kwargs))

    def delete(self) -> Any:
        if self.filter(state="locked").exists():
            raise RecordLocked("locked rows are never deleted; unlock the patient first")
        return super().delete()


class RowModel(models.Model):
    """What every clinical row carries besides its dictionary fields.

    ``save`` is the one gate every write passes (pages, import, commands, shell): it
    refuses a stale version, a change without a reason, and any write to a locked row or
    a new row of a locked patient; it undoes source data verification of a row whose data
    change, and voids the patient's e-signatures when any of the patient's data change.
    """

    state = models.CharField(max_length=10, choices=[(s, s) for s in STATES], default="draft")
    version = models.PositiveIntegerField(default=1)
    # The user's own x_ columns, as [name, value-as-read] pairs (order kept on every engine).
    extras = models.JSONField(default=list, blank=True)
    objects = RowQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert, or update only from the current version and with a reason for change."""
        from .oversight import void_signatures

        if self._state.adding:
            owner = self.owner_pk()
            if owner is not None and Patient.objects.filter(pk=owner, state="locked").exists():
                raise RecordLocked(f"{self.describe()}: the patient is locked; a monitor must "
                                   "unlock it (with a reason) before a row is added")
            super().save(*args, **kwargs)
            if owner is not None:
                void_signatures(owner, f"{self.describe()} added")
            return
        if not getattr(self, "_change_reason", None):
            raise ReasonRequired(f"{self.describe()}: give the reason for changing saved data")
        with transaction.atomic():
            current = type(self)._default_manager.select_for_update().get(pk=self.pk)
            if current.version != self.version:
                raise StaleWrite(stale_message(self, current))
            changed = [n for n in clinical_names(type(self))
                       if getattr(current, n) != getattr(self, n)]
            if current.state == "locked" and (changed or not getattr(self, "_unlocking", False)):
                raise RecordLocked(locked_message(self))
            if changed and current.state == "verified" and self.state == "verified":
                self.state = "draft"  # verified data that change must be verified again
            self.version += 1
            super().save(*args, **kwargs)
            if changed:
                void_signatures(self.owner_pk(), f"{self.describe()} changed ({', '.join(changed)}): "
                                f"{self._change_reason}")

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if type(self)._default_manager.filter(pk=self.pk, state="locked").exists():
            raise RecordLocked(locked_message(self))
        return super().delete(*args, **kwargs)

    def owner_pk(self) -> Any:
        """The pk of the patient this row belongs to (the patient's own, for a patient)."""
        return self.pk if isinstance(self, Patient) else getattr(self, "patient_id", None)

    def describe(self) -> str:
        return f"{type(self).__name__} {self.pk}"


def locked_message(row: Any) -> str:
    return (f"{row.describe()} is locked: its data cannot change. A monitor may unlock the "
            "patient, giving the reason, if a correction is needed.")


def clinical_names(model: type[models.Model]) -> list[str]:
    """The dictionary columns of a model plus ``extras`` (what an edit can change)."""
    return [f.name for f in model._meta.concrete_fields
            if f.name not in ("id", "state", "version", "seq", "site", "patient")]


def stale_message(mine: Any, current: Any) -> str:
    changed = [f"  {name}: now {getattr(current, name)!r}, yours {getattr(mine, name)!r}"
               for name in clinical_names(type(mine))
               if getattr(current, name) != getattr(mine, name)]
    return "\n".join([
        f"{mine.describe()}: someone saved version {current.version} after you opened "
        f"version {mine.version}; your save was refused. What differs:",
        *(changed or ["  (no field differs)"])])


def _meta(**options: Any) -> type:
    return type("Meta", (), options)


Patient: Any = type("Patient", (RowModel,), {
    "__module__": __name__,
    "__doc__": "One patient of one site; the dictionary's patients table.",
    "site": models.ForeignKey(Site, on_delete=models.PROTECT, related_name="patients"),
    "seq": models.PositiveIntegerField(default=0, help_text="order of entry"),
    **generated_fields("patients", skip=("site",)),
    "history": HistoricalRecords(),
    "describe": lambda self: f"patient {self.patient_id} ({self.site.code})",
    "__str__": lambda self: str(self.patient_id),
    "Meta": _meta(ordering=["seq", "id"], constraints=[models.UniqueConstraint(
        fields=["site", "patient_id"], name="patient_key")]),
})

Visit: Any = type("Visit", (RowModel,), {
    "__module__": __name__,
    "__doc__": "One assessment of a patient; the dictionary's visits table.",
    "patient": models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="visits"),
    **generated_fields("visits", skip=("patient_id",)),
    "history": HistoricalRecords(),
    "describe": lambda self: f"visit of patient {self.patient.patient_id} at week "
                             f"{text_value(self.week)}",
    "Meta": _meta(ordering=["patient__seq", "week"], constraints=[models.UniqueConstraint(
        fields=["patient", "week"], name="visit_key")]),
})


def _numbered(name: str, table: str, doc: str) -> Any:
    model: Any = type(name, (RowModel,), {
        "__module__": __name__,
        "__doc__": doc,
        "patient": models.ForeignKey(Patient, on_delete=models.PROTECT,
                                     related_name=f"{table}_rows"),
        "seq": models.PositiveIntegerField(help_text="order within the patient"),
        **generated_fields(table, skip=("patient_id",)),
        "history": HistoricalRecords(),
        "Meta": _meta(ordering=["patient__seq", "seq"], constraints=[models.UniqueConstraint(
            fields=["patient", "seq"], name=f"{table}_key")]),
    })
    return model


Event = _numbered("Event", "events", "A dated clinical event; the dictionary's events table.")
AdverseEvent = _numbered("AdverseEvent", "adverse_events",
                         "An adverse event; the dictionary's adverse_events table.")


def data_models() -> dict[str, Any]:
    """Cohort table name -> model."""
    return {"patients": Patient, "visits": Visit, "events": Event,
            "adverse_events": AdverseEvent}


class AuditEvent(models.Model):
    """One entry of the append-only audit log; ``hash`` chains it to the entry before.

    ``hash`` is the SHA-256 of this entry's content together with ``prev_hash`` (see
    ``audit.digest``): changing, removing or reordering any stored entry breaks the chain
    at that entry, which ``jdmtrack registry verify-audit`` reports.
    """

    time = models.DateTimeField()
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=40)
    table = models.CharField(max_length=40, blank=True)
    record = models.CharField(max_length=100, blank=True)
    site = models.CharField(max_length=40, blank=True)
    reason = models.TextField(blank=True)
    detail = models.TextField(blank=True)
    hash = models.CharField(max_length=64, unique=True)
    # unique: two writers that read the same last entry cannot both append after it.
    prev_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]  # noqa: RUF012

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RegistryError("audit events are append-only: a stored event is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RegistryError("audit events are append-only: a stored event is never deleted")


# The monitoring tables (queries, e-signatures, consent) live in their own module.
from .oversight_models import Consent, Query, QueryMessage, Signature  # noqa: E402
