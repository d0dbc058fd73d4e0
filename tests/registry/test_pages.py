"""The pages: login first, lists with completeness, the visit form that scores as you type."""

from __future__ import annotations

import re

import pytest

WEEK0 = {  # SYN-001's week-0 visit of the bundled example cohort, as typed there
    "week": "0", "cmas_01": "4", "cmas_02": "1", "cmas_03": "4", "cmas_04": "2", "cmas_05": "5",
    "cmas_06": "2", "cmas_07": "2", "cmas_08": "3", "cmas_09": "2", "cmas_10": "3",
    "cmas_11": "3", "cmas_12": "3", "cmas_13": "3", "cmas_14": "3",
}


def _live(html: str, name: str) -> str:
    found = re.search(rf'id="live-{name}">([^<]*)<', html)
    assert found, name
    return found.group(1)


@pytest.mark.parametrize("path", ["/patients/", "/patients/1/", "/visits/1/",
                                  "/patients/1/visits/new/", "/audit/visits/1/"])
def test_data_pages_send_a_visitor_to_the_login_page(client, loaded, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith("/login/?next=")


def test_login_page_uses_no_inline_script_and_no_cdn(client, db):
    html = client.get("/login/").text
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all('src="/static/registry/' in attrs for attrs in scripts)
    assert "http://" not in html and "https://" not in html
    static = client.get("/static/registry/htmx.min.js")
    assert static.status_code == 200
    static.close()


def test_logging_in_leads_to_the_patient_list(client, users, loaded):
    response = client.post("/login/", {"username": "data_entry",
                                       "password": "a-long-test-password"}, follow=True)
    assert response.redirect_chain[-1][0] == "/patients/"
    assert "SYN-001" in response.text and "SYN-003" not in response.text


def test_the_list_shows_completeness_per_visit(client, users, loaded):
    """Completeness counts 29 assessments: 14 CMAS items, 8 MMT-8 groups, 2 DAS domains and
    5 globals (phga_cm, ptga_cm, extramuscular_cm, chaq, chq_phs). SYN-001 week 0 has all
    but chq_phs: 28/29 = 96.6 %, shown 97 %; a new week-1 visit with CMAS items 1-7 only
    has 7/29 = 24.1 %, shown 24 %."""
    from jdmtrack.registry.forms import _ASSESSED

    assert len(_ASSESSED) == 29
    client.force_login(users["data_entry"])
    from jdmtrack.registry.models import Patient

    patient = Patient.objects.get(patient_id="SYN-001")
    new = {k: v for k, v in WEEK0.items() if k[-2:] in ("01", "02", "03", "04", "05", "06", "07")}
    assert client.post(f"/patients/{patient.pk}/visits/new/", {**new, "week": "1"}).status_code == 302
    html = client.get("/patients/").text
    assert "wk 0: 97%" in html and "wk 1: 24%" in html


def test_the_live_preview_scores_with_the_library(client, users, loaded):
    """Week 0 of SYN-001 with cmas_01 raised from 4 to 5: CMAS 4+1+4+2+5+2+2+3+2+3+3+3+3+3 = 40
    becomes 41; MMT-8 (six 9s and two 10s) stays 74; DAS = skin 5 + muscle 2 = 7."""
    from jdmtrack.registry.models import Visit

    visit = Visit.objects.get(patient__patient_id="SYN-001", week=0)
    client.force_login(users["data_entry"])
    page = client.get(f"/visits/{visit.pk}/").text
    assert _live(page, "cmas_total") == "40" and _live(page, "das_total") == "7"
    url = f"/patients/{visit.patient.pk}/visits/preview/"
    live = client.post(url, {**WEEK0, "cmas_01": "5", "visit_pk": visit.pk},
                       headers={"HX-Request": "true"}).text
    assert _live(live, "cmas_total") == "41"
    assert _live(live, "mmt8_total") == "74" and _live(live, "das_total") == "7"
    assert _live(live, "printo_cid") in ("met", "not_met", "not_evaluable")
    wrong = client.post(url, {**WEEK0, "cmas_01": "9", "visit_pk": visit.pk}).text
    assert "<b>cmas_01</b>: got “9”, expected an integer 0-5" in wrong


def test_a_saved_visit_needs_a_reason_and_a_stale_save_is_refused(client, users, loaded):
    from jdmtrack.registry.models import Visit

    visit = Visit.objects.get(patient__patient_id="SYN-001", week=4)
    client.force_login(users["data_entry"])
    url = f"/visits/{visit.pk}/"
    no_reason = client.post(url, {"week": "4", "phga_cm": "1", "version": "1"})
    assert "Give the reason" in no_reason.text
    assert client.post(url, {"week": "4", "phga_cm": "1", "version": "1",
                             "reason": "typo"}).status_code == 302
    stale = client.post(url, {"week": "4", "phga_cm": "1.5", "version": "1", "reason": "mine"})
    assert 'id="stale"' in stale.text and "phga_cm: now Decimal(&#x27;1" in stale.text
    visit.refresh_from_db()
    assert visit.version == 2 and visit.phga_cm == 1


def test_the_patient_page_lists_criteria_per_visit_and_warnings(client, users, loaded):
    from jdmtrack.registry.models import Patient

    client.force_login(users["monitor"])
    patient = Patient.objects.get(patient_id="SYN-003")
    html = client.get(f"/patients/{patient.pk}/").text
    assert "printo_cid" in html and "tis_category" in html
    assert html.count("<tr><td>") == patient.visits.count()
    assert "Enter a visit" not in html  # a monitor does not enter data
