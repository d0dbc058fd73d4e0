"""Load and faults on a real `jdmtrack registry serve`, on SQLite and on PostgreSQL.

8 clients enter and edit visits over HTTP for a few seconds (benchmarks/bench_registry_load.py
runs the same for 60 s): no acknowledged write is lost and no request fails. Two users
saving the same visit: the second save is refused with what differs. Then the server is
killed (SIGKILL) while the clients write: every acknowledged write is there, every visit's
version matches its audit events one for one, and the audit chain verifies.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import jdmtrack.demo

from .databases import ENGINES, engine_env
from .load import Tally, check_consistent, database_state, run_clients, stale_save_is_refused
from .test_backup import PASSWORD, run

LOAD_SECONDS = 6.0

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(home: Path, env: dict[str, str]) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "jdmtrack", "registry", "--home", str(home),
                               "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.2)
        yield port, server
    finally:
        if server.poll() is None:
            server.terminate()
        server.wait(timeout=60)
        if server.stderr:
            server.stderr.close()


@pytest.mark.parametrize("engine", ENGINES)
def test_eight_clients_lose_no_write_and_a_killed_server_leaves_a_consistent_database(
        tmp_path, engine):
    home = tmp_path / "reg"
    with engine_env(engine) as env:
        run(home, env, "init", "--admin", "boss", "--password-stdin", stdin=PASSWORD + "\n")
        run(home, env, "site", "add", "SYNTHETIC-B")
        for name in ("anna", "bea"):
            run(home, env, "createuser", name, "--role", "data_entry", "--site", "SYNTHETIC-B",
                "--password-stdin", stdin=PASSWORD + "\n")
        run(home, env, "import", str(jdmtrack.demo.path("baricitinib")), "--user", "anna")
        imported = database_state(home, env)["visits"]
        with served(home, env) as (port, _):
            tallies = run_clients(port, "anna", PASSWORD, LOAD_SECONDS)
            first = min(imported)
            answer = stale_save_is_refused(port, "anna", PASSWORD, "bea", first, 0)
        for tally in tallies:
            assert not tally.server_errors and not tally.failures and not tally.refused, tally
        assert sum(t.creates for t in tallies) >= 8 and sum(t.edits for t in tallies) >= 8
        check_consistent(database_state(home, env), tallies, exact=True)
        status, page = answer.split("\n", 1)
        assert status == "200" and 'id="stale"' in page and "phga_cm: now Decimal" in page

        # SIGKILL while the clients write
        killed: list[Tally] = []
        with served(home, env) as (port, server):
            writers = threading.Thread(target=run_clients, args=(port, "bea", PASSWORD, 60.0),
                                       kwargs={"tallies": killed})
            writers.start()
            deadline = time.monotonic() + 180
            while sum(t.creates + t.edits for t in killed) < 8:
                assert time.monotonic() < deadline and writers.is_alive()
                time.sleep(0.05)
            os.kill(server.pid, signal.SIGKILL)
            writers.join(timeout=120)
        assert any(t.creates or t.edits for t in killed)
        assert all(not t.server_errors for t in killed)
        check_consistent(database_state(home, env), killed, exact=False)
        assert "intact" in run(home, env, "verify-audit")
