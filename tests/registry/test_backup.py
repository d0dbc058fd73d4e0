"""`backup OUT` / `restore IN` round trip on both databases, with the audit chain verified;
a backup whose chain was altered is refused and changes nothing."""

from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

import jdmtrack.demo

from .databases import ENGINES, engine_env

PASSWORD = "correct horse battery staple"


def run(home: Path, env: dict[str, str], *args: str, stdin: str | None = None,
        code: int = 0) -> str:
    result = subprocess.run([sys.executable, "-m", "jdmtrack", "registry", "--home", str(home),
                             *args], input=stdin, capture_output=True, text=True, env=env,
                            timeout=300, check=False)
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result.stdout + result.stderr


def _tamper(backup: Path, engine: str) -> None:
    """Change the reason of audit event 5 inside the backup, as an attacker would."""
    if engine == "sqlite":
        with closing(sqlite3.connect(backup)) as db, db:
            db.execute("UPDATE registry_auditevent SET reason = 'nothing to see' WHERE id = 5")
        return
    document = json.loads(backup.read_text(encoding="utf-8"))
    (event,) = [o for o in document["objects"] if o["model"] == "registry.auditevent"
                and o["pk"] == 5]
    event["fields"]["reason"] = "nothing to see"
    backup.write_text(json.dumps(document), encoding="utf-8")


@pytest.mark.parametrize("engine", ENGINES)
def test_backup_and_restore_round_trip_with_the_chain_verified(tmp_path, engine):
    home = tmp_path / "reg"
    with engine_env(engine) as env:
        run(home, env, "init", "--admin", "boss", "--password-stdin", stdin=PASSWORD + "\n")
        run(home, env, "site", "add", "SYNTHETIC-B")
        run(home, env, "createuser", "anna", "--role", "data_entry", "--site", "SYNTHETIC-B",
            "--password-stdin", stdin=PASSWORD + "\n")
        run(home, env, "import", str(jdmtrack.demo.path("baricitinib")), "--user", "anna")
        saved = tmp_path / "saved.backup"
        assert "audit events" in run(home, env, "backup", str(saved))
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
        assert saved.read_bytes().startswith(b"SQLite format 3" if engine == "sqlite"
                                             else b'{"format": "jdmtrack-registry-backup"')
        log_at_backup = run(home, env, "audit")
        run(home, env, "site", "add", "LATER")
        restored = run(home, env, "restore", str(saved))
        assert "audit events verified" in restored and "backups" in restored
        log = run(home, env, "audit")
        assert log.startswith(log_at_backup) and " LATER" not in log
        assert " command line restore — from saved.backup" in log.splitlines()[-1]
        assert "intact" in run(home, env, "verify-audit")
        run(home, env, "site", "add", "AFTER")  # the database goes on after a restore

        _tamper(saved, engine)
        refused = run(home, env, "restore", str(saved), code=1)
        assert "audit event 5" in refused and "nothing restored" in refused
        assert "intact" in run(home, env, "verify-audit")
        assert " AFTER" in run(home, env, "audit")  # the registry is as it was
