"""Import and export: validated as `jdmtrack validate`, all or nothing, idempotent, round trip."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

import jdmtrack.demo
from jdmtrack.cli import main

from .conftest import OWN, make_user


@pytest.fixture
def demo_user(db: Any) -> Any:
    from jdmtrack.registry.models import Site

    site = Site.objects.create(code="SYNTHETIC-B")
    return make_user("entry", "data_entry", site)


def _analysis(data: Path, json_path: Path) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["analyze", str(data), "--json", str(json_path)])
    assert result.exit_code == 0, result.output
    results: dict[str, Any] = json.loads(json_path.read_text(encoding="utf-8"))
    # Only where and when the files were read may differ (their SHA-256 may not).
    results.pop("generated", None)
    for entry in results["input"]["files"]:
        entry.pop("path")
    return results


def test_export_of_an_untouched_import_analyses_as_the_input(tmp_path, demo_user):
    from jdmtrack.registry.transfer import export_cohort, import_cohort

    demo = jdmtrack.demo.path("baricitinib")
    counts = import_cohort(demo, demo_user)
    assert (counts.new, counts.changed) == (20 + 80 + 3 + 26, 0)
    pi = make_user("pi", "site_pi", demo_user.memberships.get().site)
    export_cohort(tmp_path / "export", pi)
    for table in ("patients", "visits", "events", "adverse_events"):
        given = pd.read_csv(demo / f"{table}.csv", dtype=str, keep_default_na=False)
        exported = pd.read_csv(tmp_path / "export" / f"{table}.csv", dtype=str,
                               keep_default_na=False)
        pd.testing.assert_frame_equal(exported, given)
    assert _analysis(tmp_path / "export", tmp_path / "b.json") == _analysis(demo, tmp_path / "a.json")


def test_reimport_changes_nothing_and_a_changed_row_is_a_new_version(tmp_path, loaded, two_site_cohort):
    from django.contrib.auth import get_user_model

    from jdmtrack.registry.models import AuditEvent, Visit
    from jdmtrack.registry.transfer import import_cohort

    loader = get_user_model().objects.get(username="loader")
    events = AuditEvent.objects.count()
    again = import_cohort(two_site_cohort, loader)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 4 + 15 + 4 + 3)
    assert AuditEvent.objects.count() == events + 1  # the import itself, no row event
    visits = pd.read_csv(two_site_cohort / "visits.csv", dtype=str, keep_default_na=False)
    visits.loc[0, "phga_cm"] = "2.5"
    visits.to_csv(two_site_cohort / "visits.csv", index=False, lineterminator="\n")
    changed = import_cohort(two_site_cohort, loader)
    assert (changed.new, changed.changed) == (0, 1)
    visit = Visit.objects.get(patient__patient_id=visits.loc[0, "patient_id"], week=0)
    assert visit.version == 2 and str(visit.phga_cm.normalize()) == "2.5"
    assert visit.history.first().history_change_reason == "import cohort"


def test_a_cohort_with_errors_imports_nothing_and_lists_every_problem(tmp_path, loaded,
                                                                      two_site_cohort):
    from django.contrib.auth import get_user_model

    from jdmtrack.errors import InputError
    from jdmtrack.registry.models import AuditEvent, Visit
    from jdmtrack.registry.transfer import import_cohort

    bad = tmp_path / "bad"
    shutil.copytree(two_site_cohort, bad)
    visits = pd.read_csv(bad / "visits.csv", dtype=str, keep_default_na=False)
    visits.loc[1, "cmas_01"] = "9"
    visits.loc[2, "phga_cm"] = "11"
    visits.loc[3, "phga_cm"] = "4"
    visits.to_csv(bad / "visits.csv", index=False, lineterminator="\n")
    before = (Visit.objects.count(), AuditEvent.objects.count(), list(Visit.objects.values()))
    loader = get_user_model().objects.get(username="loader")
    with pytest.raises(InputError) as error:
        import_cohort(bad, loader)
    text = str(error.value)
    assert "row 3, column 'cmas_01': got '9', expected an integer 0-5" in text
    assert "row 4, column 'phga_cm': got '11', expected a number 0-10" in text
    assert (Visit.objects.count(), AuditEvent.objects.count(), list(Visit.objects.values())) == before


def test_sites_decide_where_patients_go(tmp_path, sites):
    from jdmtrack.errors import InputError
    from jdmtrack.registry.models import Patient
    from jdmtrack.registry.transfer import import_cohort

    user = make_user("entry", "data_entry", sites[OWN])
    data = tmp_path / "c"
    data.mkdir()
    pd.DataFrame({"patient_id": ["A", "B", "C"], "site": ["", "OTHER", "NOWHERE"]}).to_csv(
        data / "patients.csv", index=False)
    pd.DataFrame({"patient_id": ["A"], "week": [0]}).to_csv(data / "visits.csv", index=False)
    with pytest.raises(InputError) as error:
        import_cohort(data, user)
    problems = [str(p) for p in error.value.problems]
    assert len(problems) == 2
    assert ("row 3, column 'site': got 'OTHER', expected a site you may enter data for (SYNTHETIC)"
            in problems[0])
    assert "row 4, column 'site': got 'NOWHERE', expected a registry site" in problems[1]
    assert not Patient.objects.exists()
    pd.DataFrame({"patient_id": ["A"], "site": [""]}).to_csv(data / "patients.csv", index=False)
    import_cohort(data, user)
    assert Patient.objects.get().site.code == OWN


def test_a_raw_redcap_export_imports_like_its_cohort(tmp_path, loaded, two_site_cohort):
    """The example cohort written as a REDCap raw export (jdmtrack.redcap.export_records)
    imports into the same rows: nothing new, no clinical value changed."""
    from django.contrib.auth import get_user_model

    from jdmtrack.pipeline import load_cohort
    from jdmtrack.redcap import export_records
    from jdmtrack.registry.models import Visit
    from jdmtrack.registry.transfer import import_cohort

    export = tmp_path / "redcap_export.csv"
    export.write_text(export_records(load_cohort(two_site_cohort)), encoding="utf-8")
    before = {(v.patient.patient_id, v.week): v.cmas_01 for v in Visit.objects.all()}
    counts = import_cohort(export, get_user_model().objects.get(username="loader"))
    assert counts.new == 0
    assert {(v.patient.patient_id, v.week): v.cmas_01 for v in Visit.objects.all()} == before
    again = import_cohort(export, get_user_model().objects.get(username="loader"))
    assert (again.new, again.changed) == (0, 0)
