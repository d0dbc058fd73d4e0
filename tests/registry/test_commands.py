"""`jdmtrack registry ...` as a user runs it: real processes on a fresh home folder.

One scenario walks the commands in the order an administrator would (each step checked
as it goes); the misuse tests check that every wrong call is one clear line and exit 1.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest

import jdmtrack.demo

PASSWORD = "correct horse battery staple"


def registry(home: Path, *args: str, stdin: str | None = None, cwd: Path | None = None
             ) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    return subprocess.run([sys.executable, "-m", "jdmtrack", "registry", "--home", str(home), *args],
                          input=stdin, capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=300, check=False)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def refused(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: ")
    for fragment in fragments:
        assert fragment in result.stderr


def test_the_administrators_walk(tmp_path):
    home = tmp_path / "reg"
    demo = jdmtrack.demo.path("baricitinib")
    out = ok(registry(home, "init", "--admin", "boss", "--password-stdin", stdin=PASSWORD + "\n"))
    assert "Created the registry" in out
    assert stat.S_IMODE((home / "secret.key").stat().st_mode) == 0o600
    refused(registry(home, "init", "--admin", "boss", "--password-stdin", stdin=PASSWORD + "\n"),
            "already holds a registry")
    ok(registry(home, "site", "add", "SYNTHETIC-B", "--name", "Demo centre"))
    ok(registry(home, "site", "add", "OTHER"))
    refused(registry(home, "site", "add", "OTHER"), "exists already")
    for name, role, site in (("anna", "data_entry", "SYNTHETIC-B"), ("pia", "site_pi", "SYNTHETIC-B"),
                             ("otto", "site_pi", "OTHER"), ("mo", "monitor", None)):
        site_args = ["--site", site] if site else []
        ok(registry(home, "createuser", name, "--role", role, *site_args, "--password-stdin",
                    stdin=PASSWORD + "\n"))
    assert "1 problem" not in ok(registry(home, "import", str(demo), "--user", "anna"))
    again = ok(registry(home, "import", str(demo), "--user", "anna"))
    assert "0 new, 0 changed" in again
    refused(registry(home, "import", str(demo), "--user", "otto"),
            "column 'site': got 'SYNTHETIC-B', expected a site you may enter data for (OTHER)")
    bad = tmp_path / "bad"
    bad.mkdir()
    for table in ("patients", "visits"):
        frame = pd.read_csv(demo / f"{table}.csv", dtype=str, keep_default_na=False)
        if table == "visits":
            frame.loc[0, "cmas_01"] = "9"
            frame.loc[5, "das_skin"] = "x"
        frame.to_csv(bad / f"{table}.csv", index=False)
    refused(registry(home, "import", str(bad), "--user", "anna"), "2 problems",
            "row 2, column 'cmas_01': got '9'", "row 7, column 'das_skin': got 'x'")
    refused(registry(home, "export", str(tmp_path / "x"), "--user", "anna"),
            "may not export identified data")
    refused(registry(home, "export", str(tmp_path / "x"), "--user", "otto", "--site", "SYNTHETIC-B"),
            "may not export site 'SYNTHETIC-B'")
    ok(registry(home, "export", str(tmp_path / "pi"), "--user", "pia"))
    ok(registry(home, "export", str(tmp_path / "mo"), "--user", "mo"))
    assert len(pd.read_csv(tmp_path / "mo" / "patients.csv")) == 20
    analyzed = subprocess.run([sys.executable, "-m", "jdmtrack", "analyze", str(tmp_path / "pi"),
                               "--json", str(tmp_path / "r.json")], capture_output=True, text=True,
                              check=False)
    assert analyzed.returncode == 0, analyzed.stderr
    log = ok(registry(home, "audit"))
    assert " anna import" in log and " pia export" in log and " otto refused" in log
    assert "permission users mo" in log
    visit_events = ok(registry(home, "audit", "--record", "1"))
    assert visit_events and all(" 1" in line for line in visit_events.splitlines())
    assert "intact" in ok(registry(home, "verify-audit"))
    with closing(sqlite3.connect(home / "registry.sqlite3")) as db, db:
        db.execute("UPDATE registry_auditevent SET reason = 'nothing to see' WHERE id = 7")
    refused(registry(home, "verify-audit"), "audit event 7", "altered")


def test_misuse_is_one_clear_line(tmp_path):
    home = tmp_path / "none"
    refused(registry(home, "site", "add", "X"), f"no registry in {home}", "registry init")
    refused(registry(home, "init", "--admin", "boss", "--password-stdin", stdin="short\n"),
            "password refused")
    refused(registry(home, "init", "--admin", "boss", "--password-stdin", stdin="\n"),
            "no password on standard input")
    ok(registry(home, "init", "--admin", "boss", "--password-stdin", stdin=PASSWORD + "\n"))
    refused(registry(home, "createuser", "x", "--role", "data_entry", "--password-stdin",
                     stdin=PASSWORD + "\n"), "give --site CODE")
    refused(registry(home, "createuser", "x", "--role", "data_entry", "--site", "NOPE",
                     "--password-stdin", stdin=PASSWORD + "\n"), "no such site")
    refused(registry(home, "createuser", "x", "--role", "monitor", "--site", "NOPE",
                     "--password-stdin", stdin=PASSWORD + "\n"), "leave out --site")
    refused(registry(home, "import", str(tmp_path / "missing"), "--user", "ghost"),
            "--user ghost: no such user")
    refused(registry(home, "import", str(tmp_path / "missing"), "--user", "boss"),
            "may not enter data")
    refused(registry(home, "export", str(tmp_path / "e"), "--user", "boss"),
            "may not export identified data")
    ok(registry(home, "site", "add", "S"))
    ok(registry(home, "createuser", "pi", "--role", "site_pi", "--site", "S", "--password-stdin",
                stdin=PASSWORD + "\n"))
    refused(registry(home, "export", str(tmp_path / "e.xlsx"), "--user", "pi"), "give a folder name")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "mine.txt").write_text("keep me")
    refused(registry(home, "export", str(tmp_path / "full"), "--user", "pi"), "not an empty folder")
    assert (tmp_path / "full" / "mine.txt").read_text() == "keep me"


def test_without_the_extra_the_command_names_the_pip_line():
    code = ("import importlib.util, sys\n"
            "real = importlib.util.find_spec\n"
            "importlib.util.find_spec = lambda n, *a: None if n == 'django' else real(n, *a)\n"
            "from jdmtrack.cli import main\n"
            "main(['registry', 'init', '--admin', 'x'])\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert 'pip install "jdmtrack[registry]"' in result.stderr and "Traceback" not in result.stderr


def test_the_core_package_and_the_cli_import_no_django():
    code = ("import sys, jdmtrack, jdmtrack.cli, jdmtrack.pipeline\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'simple_history')"
            " or m.startswith('jdmtrack.registry')))\n")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env=env)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("args", [["--help"], ["site", "--help"], ["serve", "--help"]])
def test_help_needs_no_registry(tmp_path, args):
    assert "Usage" in ok(registry(tmp_path / "nothing", *args))


def test_serve_on_a_port_in_use_is_one_clear_line(tmp_path):
    import socket

    home = tmp_path / "reg"
    ok(registry(home, "init", "--admin", "boss", "--password-stdin", stdin=PASSWORD + "\n"))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        refused(registry(home, "serve", "--port", str(port)), f"cannot serve on 127.0.0.1:{port}")


def test_a_database_url_of_no_known_kind_is_one_clear_line(tmp_path):
    env = {**os.environ, "DATABASE_URL": "nosuchdb://x/y"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run([sys.executable, "-m", "jdmtrack", "registry", "--home", str(tmp_path),
                             "verify-audit"], capture_output=True, text=True, env=env, check=False)
    refused(result, "settings cannot be used")
