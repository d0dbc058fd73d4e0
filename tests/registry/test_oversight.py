"""Source data verification, lock/unlock and the e-signature: each path that writes data
(model save, bulk update, delete, import, the visit page) respects a lock, and any change
voids a signature."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

PASSWORD = "a-long-test-password"


def _patient(pid="SYN-001"):
    from jdmtrack.registry.models import Patient

    return Patient.objects.get(patient_id=pid)


def test_sdv_marks_a_visit_verified_and_a_change_undoes_it(users, loaded):
    from jdmtrack.registry.errors import NotAllowed
    from jdmtrack.registry.models import AuditEvent
    from jdmtrack.registry.oversight import verify_visit

    visit = _patient().visits.get(week=0)
    with pytest.raises(NotAllowed):
        verify_visit(users["site_pi"], visit)
    verify_visit(users["monitor"], visit)
    visit.refresh_from_db()
    assert (visit.state, visit.version) == ("verified", 2)
    assert AuditEvent.objects.filter(action="sdv", record=str(visit.pk)).count() == 1
    visit.phga_cm = Decimal("4")
    visit._change_reason = "late correction"
    visit.save()
    assert visit.state == "draft"  # changed after SDV: to be verified again


def test_a_locked_patient_refuses_every_write(users, loaded):
    from jdmtrack.registry.errors import RecordLocked
    from jdmtrack.registry.models import Event, Visit
    from jdmtrack.registry.oversight import lock_patient

    patient = _patient()
    assert lock_patient(users["monitor"], patient, "database lock 1") == 1 + 4 + 2 + 1
    visit = Visit.objects.get(patient=patient, week=0)
    assert visit.state == "locked"
    visit.phga_cm = Decimal("1")
    visit._change_reason = "try"
    with pytest.raises(RecordLocked, match="is locked"):
        visit.save()
    fresh = Visit.objects.get(pk=visit.pk)
    fresh.state, fresh._change_reason = "draft", "sneaky state change"
    with pytest.raises(RecordLocked):
        fresh.save()  # a state change is an unlock only through unlock_patient
    with pytest.raises(RecordLocked, match="bulk"):
        Visit.objects.filter(patient=patient).update(phga_cm=1)
    with pytest.raises(RecordLocked):
        Visit.objects.get(pk=visit.pk).delete()
    with pytest.raises(RecordLocked, match="never deleted"):
        Event.objects.filter(patient=patient).delete()
    with pytest.raises(RecordLocked, match="patient is locked"):
        Visit(patient=patient, week=30).save()
    assert Visit.objects.get(pk=visit.pk).phga_cm == Decimal("3.5")


def test_no_lock_while_a_query_is_open_and_unlock_needs_a_reason(users, loaded):
    from jdmtrack.registry.errors import RegistryError
    from jdmtrack.registry.oversight import lock_patient, unlock_patient, verify_visit
    from jdmtrack.registry.queries import close_query, raise_query

    patient = _patient()
    verify_visit(users["monitor"], patient.visits.get(week=0))
    query = raise_query(users["monitor"], patient, "patients", patient.pk, "sex", "?")
    with pytest.raises(RegistryError, match="1 query is not closed"):
        lock_patient(users["monitor"], patient)
    close_query(users["monitor"], query)
    lock_patient(users["monitor"], patient)
    patient.refresh_from_db()
    with pytest.raises(RegistryError, match="needs the reason"):
        unlock_patient(users["monitor"], patient, "")
    unlock_patient(users["monitor"], patient, "correct a CK value")
    patient.refresh_from_db()
    states = dict(patient.visits.values_list("week", "state"))
    assert patient.state == "draft" and states[0] == "verified" and states[4] == "draft"


def test_import_names_every_locked_row_and_writes_nothing(tmp_path, users, loaded,
                                                          two_site_cohort):
    from django.contrib.auth import get_user_model

    from jdmtrack.registry.errors import RecordLocked
    from jdmtrack.registry.models import AuditEvent, Visit
    from jdmtrack.registry.oversight import lock_patient
    from jdmtrack.registry.transfer import import_cohort

    lock_patient(users["monitor"], _patient())
    loader = get_user_model().objects.get(username="loader")
    assert import_cohort(two_site_cohort, loader).changed == 0  # unchanged rows: fine
    visits = pd.read_csv(two_site_cohort / "visits.csv", dtype=str, keep_default_na=False)
    visits.loc[0, "phga_cm"] = "2.5"  # SYN-001 week 0
    visits.loc[4, "phga_cm"] = "2.5"  # SYN-002 week 0, not locked
    extra = visits.iloc[[0]].assign(week="20", visit_date="")
    pd.concat([visits, extra]).to_csv(two_site_cohort / "visits.csv", index=False)
    before = (list(Visit.objects.values()), AuditEvent.objects.count())
    with pytest.raises(RecordLocked) as error:
        import_cohort(two_site_cohort, loader)
    text = str(error.value)
    assert "nothing imported" in text
    assert "visit of patient SYN-001 at week 0: changed" in text
    assert "visit of patient SYN-001 at week 20: a new row" in text
    assert text.count("SYN-001") == 2 and "SYN-002" not in text
    assert (list(Visit.objects.values()), AuditEvent.objects.count()) == before


def test_the_visit_page_of_a_locked_patient(client, users, loaded):
    from jdmtrack.registry.models import AuditEvent
    from jdmtrack.registry.oversight import lock_patient

    patient = _patient()
    lock_patient(users["monitor"], patient)
    visit = patient.visits.get(week=0)
    client.force_login(users["data_entry"])
    page = client.get(f"/visits/{visit.pk}/").text
    assert 'id="locked"' in page and 'id="save"' not in page
    posted = client.post(f"/visits/{visit.pk}/", {"week": "0", "phga_cm": "7", "reason": "x",
                                                  "version": visit.version})
    assert posted.status_code == 200 and "is locked" in posted.text
    refusal = AuditEvent.objects.filter(action="refused", record=str(visit.pk)).get()
    assert refusal.actor == "data_entry" and "locked" in refusal.reason
    visit.refresh_from_db()
    assert visit.phga_cm == Decimal("3.5")


def test_signing_needs_the_password_and_a_change_voids_it(client, users, loaded):
    from jdmtrack.registry.models import AuditEvent
    from jdmtrack.registry.oversight import sign_patient, signature_status
    from jdmtrack.registry.oversight_models import SIGNATURE_MEANING

    patient = _patient()
    client.force_login(users["site_pi"])
    wrong = client.post(f"/patients/{patient.pk}/sign/", {"password": "nope",
                                                          "printed_name": "Dr P. I."}, follow=True)
    assert "password did not match" in wrong.text
    assert AuditEvent.objects.filter(action="sign_failed").count() == 1
    signed = client.post(f"/patients/{patient.pk}/sign/", {"password": PASSWORD,
                                                           "printed_name": "Dr P. I."}, follow=True)
    assert "Signed by <b>Dr P. I.</b> (site_pi)" in signed.text
    status, signature = signature_status(patient)
    assert status == "signed" and signature.meaning == SIGNATURE_MEANING
    event = AuditEvent.objects.get(action="sign")
    assert event.actor == "site_pi" and signature.data_sha256 in event.detail
    visit = patient.visits.get(week=4)
    visit.chaq = Decimal("0.5")
    visit._change_reason = "source corrected"
    visit.save()
    status, signature = signature_status(patient)
    assert status == "voided" and "chaq" in signature.void_reason
    page = client.get(f"/patients/{patient.pk}/").text
    assert "is void: the data changed after signing" in page and 'id="sign"' in page
    assert AuditEvent.objects.filter(action="signature_void").count() == 1
    sign_patient(users["site_pi"], patient, PASSWORD, "Dr P. I.")
    assert signature_status(patient)[0] == "signed"


def test_a_state_change_does_not_void_a_signature(users, loaded):
    from jdmtrack.registry.oversight import lock_patient, sign_patient, signature_status, verify_visit

    patient = _patient()
    sign_patient(users["site_pi"], patient, PASSWORD, "Dr P. I.")
    verify_visit(users["monitor"], patient.visits.get(week=0))
    lock_patient(users["monitor"], patient)
    assert signature_status(patient)[0] == "signed"


def test_consent_is_recorded_with_its_dates(client, users, loaded):
    from jdmtrack.registry.models import Consent

    patient = _patient()
    client.force_login(users["data_entry"])
    bad = client.post(f"/patients/{patient.pk}/consent/", {
        "consent_date": "2020-01-10", "form_version": "", "withdrawn": "yes"}, follow=True)
    assert ("consent not recorded; expected the version of the consent form; the date consent "
            "was withdrawn (YYYY-MM-DD)") in bad.text
    assert not Consent.objects.exists()
    client.post(f"/patients/{patient.pk}/consent/", {
        "consent_date": "2020-01-10", "form_version": "2.1", "withdrawn": "yes",
        "withdrawn_date": "2021-03-01"})
    consent = Consent.objects.get(patient=patient)
    assert (str(consent.consent_date), consent.form_version, str(consent.withdrawn_date)) == (
        "2020-01-10", "2.1", "2021-03-01")
    client.force_login(users["monitor"])
    assert client.post(f"/patients/{patient.pk}/consent/", {
        "consent_date": "2020-01-10", "form_version": "3"}).status_code == 403
