"""The de-identified pooled export: coded ids, dates as days, no free text, no withdrawn
patients; readable by `jdmtrack analyze`."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from jdmtrack.cli import main

SECRET = "a fixed test secret"


def _code(site: str, pid: str) -> str:
    """The documented construction, written out: HMAC-SHA-256 keyed by HMAC-SHA-256(secret,
    purpose), over 'site<US>patient_id', first 16 hex digits."""
    key = hmac.new(SECRET.encode(), b"jdmtrack registry: de-identified patient ids",
                   hashlib.sha256).digest()
    return hmac.new(key, f"{site}\x1f{pid}".encode(), hashlib.sha256).hexdigest()[:16]


@pytest.fixture
def fixed_secret(settings: Any) -> None:
    settings.SECRET_KEY = SECRET


def _read(folder: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)


def test_ids_dates_and_free_text(tmp_path, users, loaded, fixed_secret):
    """SYN-001: born 2012-03-14, diagnosed 2018-06-20, JAKi from 2020-01-15; week-4 visit on
    2020-02-12. Birth to start: 2012-03-14 -> 2020-03-14 is 8 x 365 + 2 leap days (2016-02-29,
    2020-02-29) = 2922 days, less 2020-01-15 -> 2020-03-14 (17 + 29 + 13 = 59) = 2863 days,
    so x_birth_date_days = -2863 and age_start_years = 2863 / 365.25 = 7.838466803559206.
    Diagnosis to start: 2018-06-20 -> 2019-06-20 = 365, -> 2020-01-15 = 209 more: 574 days,
    disease_months = 574 / (365.25 / 12) = 18.858316221765914. Week-4 visit: 28 days."""
    from jdmtrack.registry.transfer import export_cohort

    out = tmp_path / "deid"
    counts = export_cohort(out, users["statistician"], deidentify=True)
    assert counts["patients"] == 4 and counts["withdrawn (left out)"] == 0
    patients, visits = _read(out, "patients"), _read(out, "visits")
    first = patients.iloc[0]
    assert first["patient_id"] == _code("SYNTHETIC", "SYN-001")
    assert set(patients["site"]) == {"SYNTHETIC", "OTHER"}
    assert first["x_birth_date_days"] == "-2863" and first["x_diagnosis_date_days"] == "-574"
    assert float(first["age_start_years"]) == 2863 / 365.25 == 7.838466803559206
    assert float(first["disease_months"]) == 574 / (365.25 / 12)
    for name in ("birth_date", "onset_date", "diagnosis_date", "jaki_start_date", "x_note",
                 "x_jaki_start_date_days"):
        assert name not in patients.columns, name
    assert "visit_date" not in visits.columns
    week4 = visits[(visits["patient_id"] == first["patient_id"]) & (visits["week"] == "4")]
    assert week4["x_visit_date_days"].tolist() == ["28"]
    for table in ("visits", "events", "adverse_events"):
        assert not set(_read(out, table)["patient_id"]) - set(patients["patient_id"])
    again = tmp_path / "again"
    export_cohort(again, users["monitor"], deidentify=True)
    assert _read(again, "patients")["patient_id"].tolist() == patients["patient_id"].tolist()
    kept = tmp_path / "kept"
    export_cohort(kept, users["monitor"], deidentify=True, keep_extras=True)
    assert set(_read(kept, "patients")["x_note"]) == {"synthetic example patient"}


def test_withdrawn_consent_is_left_out(tmp_path, users, loaded):
    from jdmtrack.registry.models import AuditEvent, Patient
    from jdmtrack.registry.oversight import record_consent
    from jdmtrack.registry.transfer import export_cohort

    patient = Patient.objects.get(patient_id="SYN-002")
    record_consent(users["data_entry"], patient, date(2020, 1, 1), "1.0", True, date(2021, 1, 1))
    out = tmp_path / "deid"
    counts = export_cohort(out, users["monitor"], deidentify=True)
    assert counts["patients"] == 3 and counts["withdrawn (left out)"] == 1
    assert len(_read(out, "visits")) == 15 - 4  # SYN-002's 4 visits are left out too
    assert AuditEvent.objects.filter(action="export_deidentified").count() == 1


@pytest.mark.parametrize("role", ["data_entry", "site_pi", "admin"])
def test_only_monitors_and_statisticians_export_deidentified(tmp_path, users, loaded, role):
    from jdmtrack.registry.errors import NotAllowed
    from jdmtrack.registry.transfer import export_cohort

    with pytest.raises(NotAllowed, match="may not export de-identified data"):
        export_cohort(tmp_path / "x", users[role], deidentify=True)
    assert not (tmp_path / "x").exists()


def _analyze(data: Path, out: Path, *extra: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["analyze", str(data), "--json", str(out), *extra])
    assert result.exit_code == 0, result.output
    results: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return results


def test_analyze_reads_it_with_the_same_baseline(tmp_path, users, loaded):
    """Ages and disease duration come from the numeric columns the export fills from the
    dates: the baseline section equals the one of the identified export."""
    from jdmtrack.registry.transfer import export_cohort

    export_cohort(tmp_path / "named", users["monitor"])
    export_cohort(tmp_path / "deid", users["monitor"], deidentify=True)
    named = _analyze(tmp_path / "named", tmp_path / "named.json")
    deid = _analyze(tmp_path / "deid", tmp_path / "deid.json")
    for name in ("age_start_years", "age_onset_years", "disease_months", "sex", "jaki_drug"):
        assert deid["baseline"][name] == named["baseline"][name], name


def test_analyze_by_site_runs_on_it(tmp_path, users, loaded):
    help_text = CliRunner().invoke(main, ["analyze", "--help"]).output
    if "--by" not in help_text:
        pytest.skip("`jdmtrack analyze --by` is not on this branch yet")
    from jdmtrack.registry.transfer import export_cohort

    export_cohort(tmp_path / "deid", users["monitor"], deidentify=True)
    results = _analyze(tmp_path / "deid", tmp_path / "by.json", "--by", "site")
    assert results["by"]["n"] == {"OTHER": 2, "SYNTHETIC": 2}


def test_the_command_line_is_stable_across_exports(tmp_path):
    """Real processes on one home: the secret.key written by init keys the codes, so two
    exports (two processes) give the same ids; the x_ column goes unless --keep-extras."""
    from jdmtrack.pipeline import example_path

    from .test_commands import PASSWORD, ok, refused, registry

    home = tmp_path / "reg"
    ok(registry(home, "init", "--admin", "boss", "--password-stdin", stdin=PASSWORD + "\n"))
    ok(registry(home, "site", "add", "SYNTHETIC"))
    for name, role, site in (("anna", "data_entry", ["--site", "SYNTHETIC"]),
                             ("stat", "statistician", [])):
        ok(registry(home, "createuser", name, "--role", role, *site, "--password-stdin",
                    stdin=PASSWORD + "\n"))
    ok(registry(home, "import", str(example_path()), "--user", "anna"))
    refused(registry(home, "export", str(tmp_path / "a"), "--user", "anna", "--deidentify"),
            "may not export de-identified data")
    assert "4 patients" in ok(registry(home, "export", str(tmp_path / "a"), "--user", "stat",
                                       "--deidentify"))
    ok(registry(home, "export", str(tmp_path / "b"), "--user", "stat", "--deidentify",
                "--keep-extras"))
    refused(registry(home, "export", str(tmp_path / "c"), "--user", "stat", "--keep-extras"),
            "--keep-extras goes with --deidentify")
    first, second = _read(tmp_path / "a", "patients"), _read(tmp_path / "b", "patients")
    assert first["patient_id"].tolist() == second["patient_id"].tolist()
    assert "x_note" not in first.columns and "x_note" in second.columns
    assert not set(first["patient_id"]) & {"SYN-001", "SYN-002", "SYN-003", "SYN-004"}


def test_an_identifying_field_without_a_rule_stops_the_export(monkeypatch):
    from jdmtrack.fields import Field
    from jdmtrack.registry import deidentify
    from jdmtrack.registry.errors import RegistryError

    monkeypatch.setattr(deidentify, "fields_of", lambda table: [
        Field("patients", "initials", "text", "Initials", identifying=True)])
    with pytest.raises(RegistryError, match=r"patients\.initials is marked identifying"):
        deidentify.deidentify_row("patients", {"initials": "AB"}, "S", None, SECRET, False)
