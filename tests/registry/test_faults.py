"""A read-only database and a full disk: one clear line, exit 1, the database as it was;
an import killed with SIGKILL on PostgreSQL changes nothing (test_sqlite.py: on SQLite).

Read-only: the tests run as root here, and root writes through any file mode, so as root
the database file is made immutable (``chattr +i``, which binds root too); as another
user its mode and its folder's are made read-only. Full disk: the registry is copied onto
a small tmpfs mounted in a private mount namespace (``unshare``; no change outside the
test's own processes), and an import fills it.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import jdmtrack.demo

from .databases import engine_env
from .test_backup import PASSWORD, run


def _registry(home: Path, env: dict[str, str]) -> None:
    run(home, env, "init", "--admin", "boss", "--password-stdin", stdin=PASSWORD + "\n")
    run(home, env, "site", "add", "SYNTHETIC-B")
    run(home, env, "createuser", "anna", "--role", "data_entry", "--site", "SYNTHETIC-B",
        "--password-stdin", stdin=PASSWORD + "\n")


@contextmanager
def _read_only(home: Path) -> Iterator[None]:
    database = home / "registry.sqlite3"
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: cannot make a file read-only for root")
        subprocess.run(["chattr", "+i", str(database)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(database)], check=True)
        return
    modes = {p: stat.S_IMODE(p.stat().st_mode) for p in (home, *home.iterdir())}
    for path in modes:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


def test_a_read_only_database_is_one_clear_line(tmp_path):
    home = tmp_path / "reg"
    with engine_env("sqlite") as env:
        _registry(home, env)
        with _read_only(home):
            message = run(home, env, "site", "add", "NEW", code=1)
            assert message.startswith(f"Error: {home}: the registry's database is read-only")
            assert "nothing was saved" in message and "Traceback" not in message
        assert "intact: 3 events" in run(home, env, "verify-audit")


def test_a_full_disk_is_one_clear_line_and_imports_nothing(tmp_path):
    if shutil.which("unshare") is None:
        pytest.skip("no unshare: cannot mount a small private tmpfs")
    home = tmp_path / "reg"
    with engine_env("sqlite") as env:
        _registry(home, env)
        size = sum(p.stat().st_size for p in home.iterdir()) + 200_000
        mount = tmp_path / "small"
        mount.mkdir()
        jdm = f"{sys.executable} -m jdmtrack registry --home {mount}/reg"
        script = (f"mount -t tmpfs -o size={size} tmpfs {mount} && cp -a {home} {mount}/reg && "
                  f"{jdm} import {jdmtrack.demo.path('baricitinib')} --user anna; "
                  f"echo exit=$?; {jdm} verify-audit; df -k {mount} | tail -n 1")
        result = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                                 script], capture_output=True, text=True, env=env, timeout=300,
                                check=False)
        if "mount" in result.stderr and "exit=" not in result.stdout:
            pytest.skip(f"cannot mount a private tmpfs here: {result.stderr.strip()}")
    assert "exit=1" in result.stdout, (result.stdout, result.stderr)
    assert f"Error: {mount}/reg: the disk holding the registry's database is full" in result.stderr
    assert "Traceback" not in result.stderr
    assert "intact: 3 events" in result.stdout  # the import wrote nothing
    assert " 100% " in result.stdout  # the disk was really full


def _pg_snapshot(url: str) -> dict[str, object]:
    """Row counts of every table and the last audit hash."""
    import psycopg

    with psycopg.connect(url) as db:
        tables = [t for (t,) in db.execute("SELECT table_name FROM information_schema.tables "
                                           "WHERE table_schema = 'public'")]
        counts: dict[str, object] = {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()
                                     for t in tables}
        counts["last hash"] = db.execute("SELECT hash FROM registry_auditevent "
                                         "ORDER BY id DESC LIMIT 1").fetchone()
    return counts


def _writing(url: str) -> bool:
    """Has another session's open transaction written rows (it holds a transaction id)?"""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url) as db:
        row = db.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                         "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()", [name]).fetchone()
    return bool(row and row[0])


def test_sigkill_during_import_on_postgresql_leaves_the_database_as_before(tmp_path):
    import signal
    import time

    import pandas as pd

    from jdmtrack.demo import generate_synthetic

    home = tmp_path / "reg"
    with engine_env("postgresql") as env:
        url = env["DATABASE_URL"]
        _registry(home, env)
        cohort = generate_synthetic(150, 7, tmp_path / "big")
        patients = pd.read_csv(cohort / "patients.csv", dtype=str, keep_default_na=False)
        patients["site"] = "SYNTHETIC-B"
        patients.to_csv(cohort / "patients.csv", index=False)
        before = _pg_snapshot(url)
        process = subprocess.Popen([sys.executable, "-m", "jdmtrack", "registry", "--home",
                                    str(home), "import", str(cohort), "--user", "anna"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + 180
        while not _writing(url):
            assert process.poll() is None, "the import ended before it began writing"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.5)  # rows written, nothing committed
        assert process.poll() is None, "the import finished before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        while _writing(url):  # the server notices the lost client and rolls back
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert _pg_snapshot(url) == before
        assert "intact: 3 events" in run(home, env, "verify-audit")
