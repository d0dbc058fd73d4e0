"""Import a cohort into the registry, and export the registry as a cohort.

Import reads and validates with ``jdmtrack.pipeline.load_cohort`` (exactly what
``jdmtrack validate`` does; a raw REDCap export goes through ``jdmtrack.redcap``), then
checks what only the registry knows (each patient's site exists and the user may enter
data there), and writes everything in one transaction:
any problem writes nothing. Rows are matched on the cohort format's keys; an identical
row is left alone, a different one is updated with the reason "import FILE" (a new
version, with history). Rows the file does not hold are kept.

Export writes the cohort format v1 (one CSV per table) of the sites the user may export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from ..errors import InputError, Problem
from . import audit
from .errors import NotAllowed, RecordLocked, RegistryError
from .policy import can, scoped, site_codes, sites_for
from .tables import frame_rows, row_text, text_frame

__all__ = ["ImportCounts", "export_cohort", "import_cohort"]

TABLE_ORDER = ("patients", "visits", "events", "adverse_events")


@dataclass
class ImportCounts:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    # Rows the file would change (or add) on locked patients: the import is refused.
    locked: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.new} new, {self.changed} changed, {self.unchanged} unchanged"


def _patient_sites(cohort: Any, user: Any) -> tuple[dict[str, Any], list[Problem]]:
    """patient_id -> Site for every patient of the file, or the problems that stop it."""
    from .models import Site

    allowed = {s.code: s for s in sites_for(user, "edit")}
    source = next((s for s in cohort.sources if s.table == "patients"), None)
    file = source.path if source else "patients"
    sheet = source.sheet if source else None
    sites: dict[str, Any] = {}
    problems: list[Problem] = []
    frame = cohort.patients
    codes = frame["site"] if "site" in frame.columns else [None] * len(frame)
    for row, pid, code in zip(frame.index, frame["patient_id"], codes, strict=True):
        if code is None or code == "":
            if len(allowed) == 1:
                sites[pid] = next(iter(allowed.values()))
                continue
            expected = ("a site code: you enter data for several sites (" + ", ".join(allowed) + ")"
                        if allowed else "a site you may enter data for (you may enter data at none)")
            problems.append(Problem(file, int(row), "site", "", expected, sheet=sheet))
        elif code in allowed:
            sites[pid] = allowed[code]
        else:
            known = Site.objects.filter(code=code).exists()
            where = ", ".join(allowed) or "none"
            expected = (f"a site you may enter data for ({where})" if known
                        else f"a registry site ({', '.join(Site.objects.values_list('code', flat=True))})")
            problems.append(Problem(file, int(row), "site", str(code), expected, sheet=sheet))
    return sites, problems


def _read(path: Path) -> Any:
    """A validated cohort: a folder or workbook as `jdmtrack validate` reads it, or a raw
    REDCap export (a .csv file) as `jdmtrack redcap import` reads it."""
    from ..pipeline import load_cohort

    if path.is_file() and path.suffix.lower() == ".csv":
        from ..redcap import import_records

        return import_records(path).cohort
    return load_cohort(path)


def import_cohort(path: Path, user: Any) -> ImportCounts:
    """Validate ``path`` and write it for ``user``; every problem at once, nothing written then."""
    if not can(user, "edit"):
        audit.record(user, "refused", reason=f"import {path.name}: user may not enter data")
        raise NotAllowed(f"user {user.username} may not enter data (role: "
                         f"{', '.join(m.role for m in user.memberships.all()) or 'none'})")
    cohort = _read(path)
    sites, problems = _patient_sites(cohort, user)
    if problems:
        raise InputError(problems)
    counts = ImportCounts()
    reason = f"import {path.name}"
    with transaction.atomic():
        patients = _write_patients(cohort, sites, user, reason, counts)
        for table in TABLE_ORDER[1:]:
            _write_children(table, cohort.table(table), patients, user, reason, counts)
        if counts.locked:
            raise RecordLocked(f"{path}: nothing imported; the file changes data of locked "
                               "patients (a monitor must unlock them first):\n  "
                               + "\n  ".join(counts.locked))
        audit.record(user, "import", reason=reason, new=counts.new, changed=counts.changed,
                     unchanged=counts.unchanged,
                     files={s.path: s.sha256 for s in cohort.sources})
    return counts


def _save(row: Any, values: dict[str, Any], extras: list[list[str]], user: Any, reason: str,
          counts: ImportCounts, table: str) -> Any:
    from .models import Patient

    site = row.site if isinstance(row, Patient) else row.patient.site
    if row.pk is not None:
        names = list(values)
        if all(_same(getattr(row, n), values[n]) for n in names) and row.extras == extras:
            counts.unchanged += 1
            return row
        row._change_reason = reason
    adding = row.pk is None
    for name, value in values.items():
        setattr(row, name, value)
    if (row.state if isinstance(row, Patient) else row.patient.state) == "locked":
        counts.locked.append(f"{row.describe()}: " + ("a new row" if adding else "changed"))
        return row
    row.extras = extras
    row.full_clean(validate_unique=False, validate_constraints=False)
    row.save()
    if adding:
        counts.new += 1
    else:
        counts.changed += 1
    audit.record(user, "create" if adding else "update", table=table, row=str(row.pk),
                 site=site.code, reason="" if adding else reason,
                 after=audit.row_digest(row_text(table, row)))
    return row


def _same(old: Any, new: Any) -> bool:
    return bool(old == new) and (old is None) == (new is None)


def _write_patients(cohort: Any, sites: dict[str, Any], user: Any, reason: str,
                    counts: ImportCounts) -> dict[str, Any]:
    from .models import Patient

    out: dict[str, Any] = {}
    next_seq = (Patient.objects.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    for _row, values, extras in frame_rows(cohort.patients, "patients"):
        values.pop("site", None)
        pid = values["patient_id"]
        site = sites[pid]
        patient = Patient.objects.filter(site=site, patient_id=pid).first()
        if patient is None:
            patient = Patient(site=site, seq=next_seq)
            next_seq += 1
        out[pid] = _save(patient, values, extras, user, reason, counts, "patients")
    return out


def _write_children(table: str, frame: Any, patients: dict[str, Any], user: Any, reason: str,
                    counts: ImportCounts) -> None:
    from .models import data_models

    model = data_models()[table]
    seq: dict[str, int] = {}
    for _row, values, extras in frame_rows(frame, table):
        patient = patients[values.pop("patient_id")]
        if table == "visits":
            row = model.objects.filter(patient=patient, week=values["week"]).first()
            row = row or model(patient=patient)
        else:
            seq[patient.patient_id] = seq.get(patient.patient_id, 0) + 1
            number = seq[patient.patient_id]
            row = model.objects.filter(patient=patient, seq=number).first()
            row = row or model(patient=patient, seq=number)
        _save(row, values, extras, user, reason, counts, table)


def _export_scope(out: Path, user: Any, site: str | None, action: str) -> Any:
    """The patients ``user`` may export under ``action`` (or refuse, audited)."""
    from .models import Patient

    what = "identified" if action == "export_identified" else "de-identified"
    if not can(user, action):
        audit.record(user, "refused", reason=f"export: user may not export {what} data")
        raise NotAllowed(f"user {user.username} may not export {what} data")
    allowed = site_codes(user, action)
    if site is not None and site not in allowed:
        audit.record(user, "refused", site=site, reason=f"export of site {site}")
        raise NotAllowed(f"user {user.username} may not export site {site!r} "
                         f"(may export: {', '.join(allowed)})")
    if out.suffix.lower() in (".csv", ".xlsx", ".xls"):
        raise RegistryError(f"{out}: export writes a folder of CSV files; give a folder name")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise RegistryError(f"{out}: exists and is not an empty folder; choose a new one")
    patients = scoped(user, Patient.objects.select_related("site"), action)
    if site is not None:
        patients = patients.filter(site__code=site)
    return patients


def export_cohort(out: Path, user: Any, site: str | None = None, *, deidentify: bool = False,
                  keep_extras: bool = False) -> dict[str, int]:
    """Write the cohort format of the sites ``user`` may export (or just ``site``).

    ``deidentify``: the pooled de-identified export (``deidentify.deidentify_row``), without
    the patients whose consent is withdrawn; ``keep_extras`` keeps the user's x_ columns.
    """
    from django.conf import settings

    from .deidentify import deidentify_row
    from .models import data_models

    action = "export_deidentified" if deidentify else "export_identified"
    patients = _export_scope(out, user, site, action)
    withdrawn = 0
    if deidentify:
        withdrawn = patients.filter(consent__withdrawn=True).count()
        patients = patients.exclude(consent__withdrawn=True)

    def text(table: str, row: Any) -> dict[str, str]:
        texts = row_text(table, row)
        if not deidentify:
            return texts
        patient = row if table == "patients" else row.patient
        return deidentify_row(table, texts, patient.site.code, patient.jaki_start_date,
                              settings.SECRET_KEY, keep_extras)

    counts: dict[str, int] = {}
    frames = {}
    for table in TABLE_ORDER:
        if table == "patients":
            rows = list(patients)
        else:
            rows = list(data_models()[table].objects.filter(patient__in=patients)
                        .select_related("patient", "patient__site"))
        if rows or table in ("patients", "visits"):
            frames[table] = text_frame(table, [text(table, r) for r in rows])
            counts[table] = len(rows)
    ids = frames["patients"]["patient_id"]
    if ids.duplicated().any():
        raise RegistryError("patient ids repeat across the exported sites ("
                            + ", ".join(sorted(set(ids[ids.duplicated()])))
                            + "); export one site at a time with --site")
    out.mkdir(parents=True, exist_ok=True)
    for table, frame in frames.items():
        frame.to_csv(out / f"{table}.csv", index=False, encoding="utf-8", lineterminator="\n")
    if deidentify:
        counts["withdrawn (left out)"] = withdrawn
    audit.record(user, "export_deidentified" if deidentify else "export", site=site or "",
                 reason=f"export to {out.name}", rows=counts)
    return counts
