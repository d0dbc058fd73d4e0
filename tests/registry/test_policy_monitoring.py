"""The role table's monitoring actions, cell by cell over HTTP: raise / answer / close a
query, SDV, sign, lock, unlock (export_deidentified: test_deidentify and below).

For each role and own/other site, every action is tried on its page: allowed -> done
(redirect back, the state changed); seen but not allowed -> 403; not seen -> 404; and a
refusal changes nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from .test_policy import ROLES, _patient, expected

PASSWORD = "a-long-test-password"


def _setup(users: dict[str, Any], patient: Any) -> dict[str, Any]:
    from jdmtrack.registry.queries import raise_query

    monitor = users["monitor"]
    return {"to_answer": raise_query(monitor, patient, "patients", patient.pk, "sex", "?"),
            "to_close": raise_query(monitor, patient, "patients", patient.pk, "msa", "?"),
            "visit": patient.visits.order_by("week").first()}


def _fresh(obj: Any) -> Any:
    obj.refresh_from_db()
    return obj


@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize("role", ROLES)
def test_monitoring_actions_over_http(client, users, loaded, role, where):
    from jdmtrack.registry.oversight import lock_patient
    from jdmtrack.registry.queries import close_query

    patient = _patient(where)
    made = _setup(users, patient)
    visit = made["visit"]
    client.force_login(users[role])
    seen = expected(role, "view", where)
    actions = [
        ("raise_query", f"/patients/{patient.pk}/queries/",
         {"row": f"visits:{visit.pk}", "field": "phga_cm", "text": "check"},
         lambda: patient.queries.count() == 3),
        ("answer_query", f"/queries/{made['to_answer'].pk}/", {"step": "answer", "text": "ok"},
         lambda: _fresh(made["to_answer"]).status == "answered"),
        ("close_query", f"/queries/{made['to_close'].pk}/", {"step": "close", "text": ""},
         lambda: _fresh(made["to_close"]).status == "closed"),
        ("sdv", f"/visits/{visit.pk}/sdv/", {}, lambda: _fresh(visit).state == "verified"),
        ("sign", f"/patients/{patient.pk}/sign/", {"password": PASSWORD, "printed_name": "N"},
         lambda: patient.signatures.exists()),
        ("lock", f"/patients/{patient.pk}/lock/", {}, lambda: _fresh(patient).state == "locked"),
        ("unlock", f"/patients/{patient.pk}/unlock/", {"reason": "correction"},
         lambda: _fresh(patient).state != "locked"),
    ]
    for action, url, data, done in actions:
        if action == "lock":  # a patient with open queries cannot be locked: close them
            for query in patient.queries.exclude(status="closed"):
                close_query(users["monitor"], query)
        if action == "unlock" and _fresh(patient).state != "locked":
            lock_patient(users["monitor"], patient)
        response = client.post(url, data)
        if expected(role, action, where):
            assert response.status_code == 302, (action, response.status_code)
            assert done(), action
        else:
            assert response.status_code == (403 if seen else 404), (action, response.status_code)
            assert not done(), action


@pytest.mark.parametrize("role", ROLES)
def test_the_patient_page_offers_only_the_allowed_actions(client, users, loaded, role):
    patient = _patient("own")
    client.force_login(users[role])
    response = client.get(f"/patients/{patient.pk}/")
    if not expected(role, "view", "own"):
        assert response.status_code == 404
        return
    html = response.text
    assert ('id="raise"' in html) is expected(role, "raise_query", "own")
    assert ('id="lock"' in html) is expected(role, "lock", "own")
    assert ('id="sign"' in html) is expected(role, "sign", "own")
    assert ("Mark source-verified" in html) is expected(role, "sdv", "own")
    assert ('id="save-consent"' in html) is expected(role, "edit", "own")


@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize("role", ROLES)
def test_export_deidentified_by_role(tmp_path, users, loaded, role, where):
    from jdmtrack.registry.errors import NotAllowed
    from jdmtrack.registry.transfer import export_cohort

    from .conftest import OTHER, OWN

    code = OWN if where == "own" else OTHER
    out = tmp_path / "x"
    if expected(role, "export_deidentified", where):
        assert export_cohort(out, users[role], code, deidentify=True)["patients"] == 2
    else:
        with pytest.raises(NotAllowed):
            export_cohort(out, users[role], code, deidentify=True)
        assert not out.exists()


def test_the_monitoring_views_narrow_through_scoped():
    """As test_policy checks for the data pages: every query of a data model in the
    monitoring views and the patient page's monitoring part is inside ``scoped(...)``."""
    import inspect
    import re

    from jdmtrack.registry import monitoring_context, views_monitoring

    for module in (views_monitoring, monitoring_context):
        source = inspect.getsource(module)
        found = re.findall(r"(\w+)\.objects", source)
        assert found, module.__name__
        for match in re.finditer(r"\b(Patient|Visit|Query|Consent|AuditEvent)\.objects", source):
            before = source[max(0, match.start() - 80): match.start()]
            assert "scoped(" in before, (module.__name__, source[match.start(): match.end() + 40])
