"""Benchmark: 8 concurrent clients entering and editing visits for 60 s, served over HTTP.

A fresh registry holding the bundled baricitinib demo (20 patients) is served by
``jdmtrack registry serve`` (waitress) on 127.0.0.1, on SQLite and, when
``JDMTRACK_TEST_POSTGRES`` names a server (``eval "$(tools/pg_test_cluster.sh start)"``), on
a fresh PostgreSQL database. 8 clients, each logged in with its own session and working on
two patients of its own, enter a visit at the next free week and then edit it (with a
reason), over and over, until the time is up (tests/registry/load.py). Afterwards the
database is read back: every acknowledged write must be there with its value and version,
and each visit's version must match its audit events. Prints, per database, the writes
per second beside the floor that matters: 0 lost writes and 0 errors.

Run: ``python benchmarks/bench_registry_load.py [--seconds 60] [--clients 8]``.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import jdmtrack.demo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "registry"))
from load import check_consistent, database_state, run_clients

PASSWORD = "benchmark password 1"


def _registry(home: Path, env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    subprocess.run([sys.executable, "-m", "jdmtrack", "registry", "--home", str(home), *args],
                   input=stdin, text=True, check=True, capture_output=True, env=env)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _bench(engine: str, env: dict[str, str], seconds: float, clients: int) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "reg"
        _registry(home, env, "init", "--admin", "boss", "--password-stdin", stdin=PASSWORD + "\n")
        _registry(home, env, "site", "add", "SYNTHETIC-B")
        _registry(home, env, "createuser", "anna", "--role", "data_entry", "--site",
                  "SYNTHETIC-B", "--password-stdin", stdin=PASSWORD + "\n")
        _registry(home, env, "import", str(jdmtrack.demo.path("baricitinib")), "--user", "anna")
        port = _port()
        server = subprocess.Popen([sys.executable, "-m", "jdmtrack", "registry", "--home",
                                   str(home), "serve", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(300):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            tallies = run_clients(port, "anna", PASSWORD, seconds, clients)
        finally:
            server.terminate()
            server.wait()
        lost = 0
        try:
            check_consistent(database_state(home, env), tallies, exact=True)
        except AssertionError as err:
            lost = 1
            print(f"  {engine}: {err}")
    writes = sum(t.creates + t.edits for t in tallies)
    errors = sum(len(t.server_errors) + len(t.failures) + len(t.refused) for t in tallies)
    creates = sum(t.creates for t in tallies)
    return (f"{engine:<11} {writes:>7} {writes / seconds:>9.1f} {creates:>8} {writes - creates:>6}"
            f" {'0' if not lost else 'SOME':>6} {errors:>7}   floor: 0 lost, 0 errors: "
            f"{'met' if not lost and not errors else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=8)
    options = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    print(f"{options.clients} clients for {options.seconds:.0f} s (entering and editing visits)")
    print(f"{'database':<11} {'writes':>7} {'writes/s':>9} {'creates':>8} {'edits':>6} {'lost':>6}"
          f" {'errors':>7}")
    print(_bench("SQLite", env, options.seconds, options.clients))
    url = os.environ.get("JDMTRACK_TEST_POSTGRES")
    if not url:
        print("PostgreSQL  not run: set JDMTRACK_TEST_POSTGRES (tools/pg_test_cluster.sh start)")
        return
    import psycopg

    name = f"jdmtrack_bench_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        database = urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
        print(_bench("PostgreSQL", {**env, "DATABASE_URL": database}, options.seconds,
                     options.clients))
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    main()
