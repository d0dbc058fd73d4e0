"""SQLite under stress: parallel writers queue instead of failing; a killed import leaves
the database exactly as it was. Real processes on a real file, as in production."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from contextlib import closing
from pathlib import Path

import pandas as pd

from jdmtrack.demo import generate_synthetic

from .test_commands import PASSWORD, ok, registry

WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from jdmtrack.registry import setup
    setup(Path(sys.argv[1]))
    from django.db import transaction
    from jdmtrack.registry import audit
    from jdmtrack.registry.models import Site
    for i in range(int(sys.argv[3])):
        with transaction.atomic():
            # read the chain's last hash, then write: two writers must not interleave here
            code = f"W{sys.argv[2]}-{i}"
            Site.objects.create(code=code)
            audit.record("writer " + sys.argv[2], "create", table="sites", row=code)
    print("done")
""")


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}


def _home(tmp_path: Path) -> Path:
    home = tmp_path / "reg"
    ok(registry(home, "init", "--admin", "boss", "--password-stdin", stdin=PASSWORD + "\n"))
    return home


def test_parallel_writers_all_succeed(tmp_path):
    home = _home(tmp_path)
    writers, each = 4, 25
    processes = [subprocess.Popen([sys.executable, "-c", WRITER, str(home), str(n), str(each)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env=_env()) for n in range(writers)]
    results = [p.communicate(timeout=300) for p in processes]
    for process, (out, err) in zip(processes, results, strict=True):
        assert "database is locked" not in err
        assert process.returncode == 0 and out.strip() == "done", err
    with closing(sqlite3.connect(home / "registry.sqlite3")) as db:
        assert db.execute("SELECT count(*) FROM registry_site").fetchone()[0] == writers * each
    assert "intact" in ok(registry(home, "verify-audit"))


def _dump(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as db:
        return list(db.iterdump())


def _write_locked(path: Path) -> bool:
    """Does another connection hold the write lock (an import's transaction is open)?"""
    db = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        db.close()


def test_sigkill_during_import_leaves_the_database_as_before(tmp_path):
    home = _home(tmp_path)
    ok(registry(home, "site", "add", "SITE"))
    ok(registry(home, "createuser", "anna", "--role", "data_entry", "--site", "SITE",
                "--password-stdin", stdin=PASSWORD + "\n"))
    cohort = generate_synthetic(150, 7, tmp_path / "big")
    patients = pd.read_csv(cohort / "patients.csv", dtype=str, keep_default_na=False)
    patients["site"] = "SITE"
    patients.to_csv(cohort / "patients.csv", index=False)
    database = home / "registry.sqlite3"
    before = _dump(database)
    process = subprocess.Popen(
        [sys.executable, "-m", "jdmtrack", "registry", "--home", str(home), "import", str(cohort),
         "--user", "anna"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env())
    deadline = time.monotonic() + 120
    while not _write_locked(database):
        assert process.poll() is None, "the import ended before it began writing"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    time.sleep(0.5)  # well inside the transaction: rows have been written, nothing committed
    assert process.poll() is None, "the import finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert _dump(database) == before
    assert "intact" in ok(registry(home, "verify-audit"))
