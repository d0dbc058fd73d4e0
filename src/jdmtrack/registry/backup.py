"""``backup OUT`` and ``restore IN``: a copy of the whole registry, and putting it back.

SQLite: the backup is a SQLite file made with SQLite's online backup API (a consistent copy
even while the server writes). PostgreSQL: the backup is a portable JSON file (Django's
serialisation of every registry table, users and second-factor devices included, with
times to the microsecond so that the audit chain still verifies); it needs no ``pg_dump``
of the server's version, and it restores on either engine. Sessions and login-attempt
counters are not kept.

A restore replaces the registry's contents, in one step, and only with a backup whose audit
chain verifies: first the current database is copied to ``HOME/backups/``, then the backup
is put in place; if its chain is broken the copy is put back and the restore is refused,
naming the broken event. Stop ``serve`` during a restore.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from . import audit
from .admin_ops import CONSOLE, migrate
from .errors import RegistryError

__all__ = ["backup", "restore"]

SQLITE_MAGIC = b"SQLite format 3\x00"
FORMAT = "jdmtrack-registry-backup"
# Kept: users and groups, the second-factor devices, every registry table and its history.
_APPS = ("auth", "otp_totp", "registry")


def _is_sqlite() -> bool:
    return bool(connection.vendor == "sqlite")


def _live_sqlite() -> Path:
    return Path(connection.settings_dict["NAME"])


def _copy_sqlite(source: Path, target: Path) -> None:
    """SQLite's online backup API: a consistent copy of ``source`` into ``target``."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _models() -> list[Any]:
    from django.apps import apps
    from django.core import serializers

    configs = [(apps.get_app_config(label), None) for label in _APPS]
    return [m for m in serializers.sort_dependencies(configs, allow_cycles=True)
            if m._meta.label != "auth.Permission"]


def _json_default(value: Any) -> Any:
    # Django's own encoder cuts times to milliseconds: the audit hashes need them whole.
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} to a backup")


def _migrations() -> list[str]:
    from django.db.migrations.recorder import MigrationRecorder

    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def _write_json(out: Path) -> int:
    from django.core import serializers

    objects: list[Any] = []
    for model in _models():
        objects += serializers.serialize("python", model._base_manager.order_by("pk").iterator(),
                                         use_natural_foreign_keys=True)
    document = {"format": FORMAT, "version": 1, "migrations": _migrations(), "objects": objects}
    out.write_text(json.dumps(document, default=_json_default, ensure_ascii=False), encoding="utf-8")
    return len(objects)


@contextmanager
def _new_file(out: Path) -> Iterator[Path]:
    """A temporary file beside ``out``, renamed to it (mode 0600) only when complete."""
    if out.exists():
        raise RegistryError(f"{out} exists already: give a new file name")
    if not out.parent.is_dir():
        raise RegistryError(f"{out.parent} is not a folder")
    fd, name = tempfile.mkstemp(prefix=".backup-", dir=out.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o600)  # password hashes and second-factor keys are inside
        temporary.replace(out)
    finally:
        temporary.unlink(missing_ok=True)


def backup(out: Path) -> str:
    """Write the whole registry to ``out``; the summary of what was written."""
    count, broken = audit.verify()
    if broken is not None:
        raise RegistryError(f"not backed up: the audit log is broken ({broken})")
    audit.record(CONSOLE, "backup", reason=f"to {out.name}")
    with _new_file(out) as temporary:
        if _is_sqlite():
            _copy_sqlite(_live_sqlite(), temporary)
            summary = f"SQLite database, {count + 1} audit events"
        else:
            summary = f"JSON, {_write_json(temporary)} rows, {count + 1} audit events"
    return summary


def _stamp() -> str:
    return str(timezone.now().strftime("%Y%m%dT%H%M%SZ"))


def _check_chain(source: Path) -> int:
    count, broken = audit.verify()
    if broken is not None:
        raise RegistryError(f"{source}: its audit log is broken ({broken}); nothing restored")
    return count


def _restore_sqlite(source: Path, home: Path) -> tuple[int, Path]:
    live = _live_sqlite()
    kept = home / "backups" / f"before-restore-{_stamp()}.sqlite3"
    kept.parent.mkdir(parents=True, exist_ok=True)
    connection.close()
    _copy_sqlite(live, kept)
    os.chmod(kept, 0o600)
    with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as db:
        if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise RegistryError(f"{source}: the SQLite file is damaged; nothing restored")
    _copy_sqlite(source, live)
    try:
        count = _check_chain(source)
    except (RegistryError, DatabaseError) as err:
        connection.close()
        _copy_sqlite(kept, live)
        if isinstance(err, RegistryError):
            raise
        raise RegistryError(f"{source}: not a registry backup ({err}); nothing restored") from err
    return count, kept


def _restore_json(source: Path, home: Path) -> tuple[int, Path]:
    from django.core.management import call_command
    from django.core.management.color import no_style

    try:
        document = json.loads(source.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise RegistryError(f"{source}: not a registry backup ({err})") from err
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise RegistryError(f"{source}: not a registry backup (no {FORMAT!r} header)")
    if document["migrations"] != _migrations():
        raise RegistryError(f"{source}: made by another version of jdmtrack (its tables differ): "
                            "restore it with that version, then upgrade")
    kept = home / "backups" / f"before-restore-{_stamp()}.json"
    kept.parent.mkdir(parents=True, exist_ok=True)
    _write_json(kept)
    os.chmod(kept, 0o600)
    models = _models()
    tables = [m._meta.db_table for m in models] + [
        f.remote_field.through._meta.db_table for m in models
        for f in m._meta.local_many_to_many if f.remote_field.through._meta.auto_created]
    with tempfile.TemporaryDirectory() as folder:
        fixture = Path(folder) / "registry.json"
        fixture.write_text(json.dumps(document["objects"], ensure_ascii=False), encoding="utf-8")
        with transaction.atomic():
            connection.ops.execute_sql_flush(
                connection.ops.sql_flush(no_style(), tables, allow_cascade=True))
            call_command("loaddata", str(fixture), verbosity=0)
            count = _check_chain(source)
    return count, kept


def restore(source: Path, home: Path) -> str:
    """Replace the registry's contents with the backup ``source``; a summary."""
    if not source.is_file():
        raise RegistryError(f"{source}: no such backup file")
    with source.open("rb") as handle:
        is_sqlite_file = handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    if is_sqlite_file and not _is_sqlite():
        raise RegistryError(f"{source} is a SQLite backup: restore it into a SQLite registry "
                            "(without DATABASE_URL), then back that up to get a JSON backup")
    migrate()
    count, kept = (_restore_sqlite if is_sqlite_file else _restore_json)(source, home)
    migrate()  # a backup from an older jdmtrack gets the newer tables
    audit.record(CONSOLE, "restore", reason=f"from {source.name}; the previous database "
                                            f"is kept as {kept}")
    return f"{count} audit events verified; the previous database is kept in {kept}"
