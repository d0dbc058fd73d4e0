"""The audit log: one event per write, login and refusal; a hash chain that shows tampering."""

from __future__ import annotations

import pytest
from django.db import connection


def test_every_imported_row_has_an_event_and_the_chain_verifies(loaded):
    from jdmtrack.registry.audit import verify
    from jdmtrack.registry.models import AuditEvent, Patient, Visit

    creates = AuditEvent.objects.filter(action="create")
    assert creates.filter(table="patients").count() == Patient.objects.count() == 4
    assert creates.filter(table="visits").count() == Visit.objects.count() == 15
    count, broken = verify()
    assert broken is None and count == AuditEvent.objects.count()


def test_altering_a_stored_event_breaks_the_chain_there(loaded):
    from jdmtrack.registry.audit import verify
    from jdmtrack.registry.models import AuditEvent

    victim = AuditEvent.objects.filter(table="visits").order_by("id")[3]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_auditevent SET actor = %s WHERE id = %s",
                       ["someone-else", victim.pk])
    count, broken = verify()
    assert broken is not None and broken.event_id == victim.pk
    assert "altered" in str(broken) and f"audit event {victim.pk}" in str(broken)
    assert count == AuditEvent.objects.filter(id__lt=victim.pk).count()


def test_deleting_an_event_breaks_the_chain_at_the_next(loaded):
    from jdmtrack.registry.audit import verify
    from jdmtrack.registry.models import AuditEvent

    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM registry_auditevent WHERE id = %s", [ids[5]])
    _, broken = verify()
    assert broken is not None and broken.event_id == ids[6] and "removed" in str(broken)


def test_events_are_append_only_through_the_orm(loaded):
    from jdmtrack.registry.errors import RegistryError
    from jdmtrack.registry.models import AuditEvent

    event = AuditEvent.objects.first()
    event.actor = "x"
    with pytest.raises(RegistryError):
        event.save()
    with pytest.raises(RegistryError):
        event.delete()


def test_logins_and_refusals_are_audited(client, users, loaded):
    from jdmtrack.registry.models import AuditEvent, Patient

    # through the login page: django-axes checks every attempt there
    wrong = client.post("/login/", {"username": "data_entry", "password": "wrong password"})
    assert wrong.status_code == 200 and "did not match" in wrong.text
    right = client.post("/login/", {"username": "data_entry", "password": "a-long-test-password"})
    assert right.status_code == 302
    other = Patient.objects.get(patient_id="SYN-003")
    assert client.get(f"/patients/{other.pk}/").status_code == 404
    actions = list(AuditEvent.objects.order_by("-id").values_list("actor", "action")[:3])
    assert actions == [("data_entry", "refused"), ("data_entry", "login"),
                       ("data_entry", "login_failed")]


def test_a_saved_visit_shows_its_audit_trail(client, users, loaded):
    from jdmtrack.registry.models import AuditEvent, Visit

    visit = Visit.objects.get(patient__patient_id="SYN-001", week=0)
    client.force_login(users["site_pi"])
    response = client.post(f"/visits/{visit.pk}/", {
        "week": "0", "das_skin": "4", "version": "1", "reason": "late lab result"}, follow=True)
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.table, event.record, event.reason) == (
        "update", "visits", str(visit.pk), "late lab result")
    assert "late lab result" in response.text and 'id="audit"' in response.text
