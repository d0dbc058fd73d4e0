"""The monitoring tables: data queries and their messages, e-signatures, consent.

Imported by ``models`` (Django finds them there). A ``Query`` is asked on one field of one
row of a patient (``table``, ``row_id``, ``field``) and moves open -> answered -> closed,
or back to open when a monitor re-opens it; each step is a ``QueryMessage``. A
``Signature`` is a site PI's e-signature of a patient's data (21 CFR Part 11 style:
printed name, meaning, time), with the SHA-256 of the data signed; any later change of the
patient's data voids it (``voided_at``/``void_reason``). ``Consent`` is the patient's
consent: date, version of the form, withdrawal and its date.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from simple_history.models import HistoricalRecords

__all__ = ["QUERY_STATUSES", "SIGNATURE_MEANING", "Consent", "Query", "QueryMessage",
           "Signature"]

QUERY_STATUSES = ("open", "answered", "closed")
# What the signer attests (21 CFR 11.50(a)(3): the meaning of the signature).
SIGNATURE_MEANING = "I confirm that this patient's data are complete and correct."


class Query(models.Model):
    """A data query on one field of one row of a patient."""

    patient = models.ForeignKey("registry.Patient", on_delete=models.PROTECT,
                                related_name="queries")
    table = models.CharField(max_length=40)
    row_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=[(s, s) for s in QUERY_STATUSES],
                              default="open")
    # "monitor" (raised by hand) or the code of the validation warning that raised it.
    origin = models.CharField(max_length=60, default="monitor")
    raised_by = models.CharField(max_length=150)
    raised_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]  # noqa: RUF012

    def __str__(self) -> str:
        return f"query {self.pk} on {self.table} {self.row_id} {self.field}"

    def row(self) -> Any:
        from .models import data_models

        return data_models()[self.table]._default_manager.filter(pk=self.row_id).first()

    def where(self) -> str:
        """The row as a person names it: 'patient' or 'visit week 4'."""
        row = self.row()
        if self.table == "patients" or row is None:
            return str(self.table.rstrip("s").replace("_", " "))
        from .tables import text_value

        return f"{self.table.rstrip('s').replace('_', ' ')} week {text_value(row.week)}"


class QueryMessage(models.Model):
    """One step of a query: raised, answered, closed or re-opened, with its text."""

    query = models.ForeignKey(Query, on_delete=models.PROTECT, related_name="messages")
    time = models.DateTimeField()
    author = models.CharField(max_length=150)
    action = models.CharField(max_length=10)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]  # noqa: RUF012


class Signature(models.Model):
    """A site PI's e-signature of all of a patient's data at one moment."""

    patient = models.ForeignKey("registry.Patient", on_delete=models.PROTECT,
                                related_name="signatures")
    signer = models.CharField(max_length=150)
    printed_name = models.CharField(max_length=200)
    meaning = models.TextField()
    signed_at = models.DateTimeField()
    data_sha256 = models.CharField(max_length=64)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]  # noqa: RUF012


class Consent(models.Model):
    """A patient's consent to the registry; a withdrawn patient is left out of exports."""

    patient = models.OneToOneField("registry.Patient", on_delete=models.PROTECT,
                                   related_name="consent")
    consent_date = models.DateField(verbose_name="Date consent was given")
    form_version = models.CharField(max_length=40, verbose_name="Version of the consent form")
    withdrawn = models.BooleanField(default=False)
    withdrawn_date = models.DateField(null=True, blank=True,
                                      verbose_name="Date consent was withdrawn")
    history = HistoricalRecords()
