"""The role table of the registry design, cell by cell: as a function, over HTTP, by command.

``SPEC`` is the design's table typed in again here (not imported from the policy module),
so the policy cannot drift from it unnoticed. own = at the user's site only; all = at
every site; yes = study-wide; no = never.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from .conftest import OTHER, OTHER_PATIENTS, OWN

SPEC_TEXT = """
action               data_entry site_pi monitor statistician admin
view                 own        own     all     no           no
edit                 own        own     no      no           no
answer_query         own        own     no      no           no
raise_query          no         no      all     no           no
close_query          no         no      all     no           no
sdv                  no         no      all     no           no
sign                 no         own     no      no           no
lock                 no         no      all     no           no
unlock               no         no      all     no           no
export_identified    no         own     all     no           no
export_deidentified  no         no      all     all          no
manage               no         no      no      no           yes
"""
_lines = [line.split() for line in SPEC_TEXT.strip().splitlines()]
ROLES = _lines[0][1:]
SPEC = {row[0]: dict(zip(ROLES, row[1:], strict=True)) for row in _lines[1:]}
CELLS = [(role, action, where) for action in SPEC for role in ROLES for where in ("own", "other")]


def expected(role: str, action: str, where: str) -> bool:
    cell = SPEC[action][role]
    return cell in ("all", "yes") or (cell == "own" and where == "own")


def test_policy_has_exactly_the_designed_actions_and_roles():
    from jdmtrack.registry.policy import ACTIONS
    from jdmtrack.registry.policy import ROLES as POLICY_ROLES

    assert set(ACTIONS) == set(SPEC)
    assert list(POLICY_ROLES) == ROLES


@pytest.mark.parametrize(("role", "action", "where"), CELLS)
def test_can_matches_the_role_table(users: dict[str, Any], sites: dict[str, Any], role: str,
                                    action: str, where: str):
    from jdmtrack.registry.policy import can

    site = sites[OWN if where == "own" else OTHER]
    assert can(users[role], action, site) is expected(role, action, where)


def test_nobody_logged_out_and_an_inactive_user_may_do_nothing(users, sites):
    from django.contrib.auth.models import AnonymousUser

    from jdmtrack.registry.policy import can

    monitor = users["monitor"]
    monitor.is_active = False
    for action in SPEC:
        assert not can(AnonymousUser(), action, sites[OWN])
        assert not can(monitor, action, sites[OWN])


def _patient(where: str) -> Any:
    from jdmtrack.registry.models import Patient

    pid = "SYN-001" if where == "own" else OTHER_PATIENTS[0]
    return Patient.objects.get(patient_id=pid)


@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize("role", ROLES)
def test_view_over_http(client, users, loaded, role, where):
    """view: the patient list, the patient page, a visit page, the live preview."""
    patient = _patient(where)
    visit = patient.visits.first()
    client.force_login(users[role])
    allowed = expected(role, "view", where)
    listing = client.get("/patients/")
    assert listing.status_code == 200
    assert (f">{patient.patient_id}<" in listing.text) is allowed
    for url in (f"/patients/{patient.pk}/", f"/visits/{visit.pk}/"):
        assert client.get(url).status_code == (200 if allowed else 404), url
    preview = client.post(f"/patients/{patient.pk}/visits/preview/", {"week": "99"})
    assert preview.status_code == (200 if allowed else 404)


@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize("role", ROLES)
def test_edit_over_http(client, users, loaded, role, where):
    """edit: saving a changed visit. Out of view scope 404; seen but not editable 403."""
    patient = _patient(where)
    visit = patient.visits.order_by("week").first()
    client.force_login(users[role])
    response = client.post(f"/visits/{visit.pk}/", {
        "week": "0", "phga_cm": "7", "reason": "corrected from source", "version": visit.version})
    visit.refresh_from_db()
    if expected(role, "edit", where):
        assert response.status_code == 302
        assert visit.phga_cm == 7 and visit.version == 2
    else:
        assert response.status_code == (403 if expected(role, "view", where) else 404)
        assert visit.version == 1
    new = client.post(f"/patients/{patient.pk}/visits/new/", {"week": "1"})
    assert (new.status_code == 302) is expected(role, "edit", where)


def _one_patient_cohort(tmp_path: Path, site: str) -> Path:
    folder = tmp_path / f"one-{site}"
    folder.mkdir()
    pd.DataFrame({"patient_id": ["NEW-1"], "site": [site]}).to_csv(folder / "patients.csv", index=False)
    pd.DataFrame({"patient_id": ["NEW-1"], "week": [0], "phga_cm": [3]}).to_csv(
        folder / "visits.csv", index=False)
    return folder


@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize("role", ROLES)
def test_import_and_export_commands(tmp_path, users, loaded, role, where):
    """edit through `import`; export_identified through `export --site`."""
    from jdmtrack.errors import InputError
    from jdmtrack.registry.errors import NotAllowed
    from jdmtrack.registry.models import Patient
    from jdmtrack.registry.transfer import export_cohort, import_cohort

    code = OWN if where == "own" else OTHER
    user = users[role]
    data = _one_patient_cohort(tmp_path, code)
    if expected(role, "edit", where):
        assert import_cohort(data, user).new == 2
    else:
        with pytest.raises((NotAllowed, InputError)):
            import_cohort(data, user)
        assert not Patient.objects.filter(patient_id="NEW-1").exists()
    out = tmp_path / "export"
    if expected(role, "export_identified", where):
        counts = export_cohort(out, user, code)
        exported = pd.read_csv(out / "patients.csv", dtype=str)
        assert counts["patients"] == len(exported) > 0
        assert set(exported["site"]) == {code}
    else:
        with pytest.raises(NotAllowed):
            export_cohort(out, user, code)
        assert not out.exists()


def test_export_without_site_is_scoped_to_the_users_sites(tmp_path, users, loaded):
    from jdmtrack.registry.transfer import export_cohort

    export_cohort(tmp_path / "pi", users["site_pi"])
    export_cohort(tmp_path / "monitor", users["monitor"])
    pi = pd.read_csv(tmp_path / "pi" / "patients.csv", dtype=str)
    monitor = pd.read_csv(tmp_path / "monitor" / "patients.csv", dtype=str)
    assert set(pi["site"]) == {OWN}
    assert set(monitor["site"]) == {OWN, OTHER} and len(monitor) == 4


def test_every_view_narrows_through_scoped():
    """A view that queries a data model without ``scoped`` would show other sites' rows."""
    import inspect

    from jdmtrack.registry import views

    source = inspect.getsource(views)
    for model in ("Patient", "Visit", "AuditEvent"):
        for line in source.splitlines():
            if f"{model}.objects" in line and "scoped(" not in line:
                # the query must be inside a scoped(...) call on the same statement
                statement = source[source.index(line) - 200: source.index(line) + len(line)]
                assert "scoped(" in statement, line
