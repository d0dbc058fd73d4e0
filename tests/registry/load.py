"""Concurrent clients entering and editing visits through HTTP against a served registry.

Used by tests/registry/test_load.py (a few seconds) and benchmarks/bench_registry_load.py
(60 s). Standard library only. Each client logs in with its own session, takes two
patients of its own, and until the deadline enters a new visit at the next free week and
then edits it (a new ``phga_cm`` with a reason); when its patients have no free week left
it keeps editing the visits it entered. Every write the server acknowledged (HTTP 302) is
recorded with the value and version the database must now hold.
"""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

PATIENT_LINK = re.compile(r'href="/patients/(\d+)/">')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Session:
    """One browser: a keep-alive connection and its cookies."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}
        self.token = ""

    def request(self, method: str, path: str, form: dict[str, Any] | None = None
                ) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.token, **form})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name.strip()] = value
        found = TOKEN.search(text)
        if found:
            self.token = found.group(1)
        return response.status, response.headers.get("Location", ""), text

    def close(self) -> None:
        self.connection.close()

    def login(self, user: str, password: str) -> str:
        self.request("GET", "/login/")
        status, location, _ = self.request("POST", "/login/", {"username": user,
                                                               "password": password})
        if status != 302:
            raise RuntimeError(f"login of {user} answered {status}")
        status, _, page = self.request("GET", location)  # the list: a fresh CSRF token
        return page


@dataclass
class Tally:
    """What one client did: acknowledged writes and anything that went wrong."""

    creates: int = 0
    edits: int = 0
    server_errors: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    # visit pk -> (phga_cm, version) of the last acknowledged write
    expected: dict[int, tuple[str, int]] = field(default_factory=dict)


def _client(port: int, user: str, password: str, patients: list[int], weeks: list[int],
            seconds: float, start: threading.Barrier, number: int, tally: Tally) -> None:
    session = Session(port)
    try:
        try:
            session.login(user, password)
        finally:
            start.wait(timeout=300)  # the clock starts once every client has logged in
        deadline = time.monotonic() + seconds
        free = [(p, w) for p in patients for w in weeks]
        mine: list[tuple[int, int]] = []  # (visit pk, week)
        step = 0
        while time.monotonic() < deadline:
            step += 1
            value = f"{(number + step) % 10}.{step % 10}"
            if free and step % 2:
                patient, week = free.pop(0)
                status, location, text = session.request(
                    "POST", f"/patients/{patient}/visits/new/", {"week": week, "phga_cm": value})
                if status == 302:
                    pk = int(location.rstrip("/").rsplit("/", 1)[1])
                    mine.append((pk, week))
                    tally.creates += 1
                    tally.expected[pk] = (value, 1)
            elif mine:
                pk, week = mine[step % len(mine)]
                version = tally.expected[pk][1]
                status, _, text = session.request("POST", f"/visits/{pk}/", {
                    "week": week, "phga_cm": value, "version": version,
                    "reason": f"load test edit {step}"})
                if status == 302:
                    tally.edits += 1
                    tally.expected[pk] = (value, version + 1)
            else:
                continue
            if status >= 500:
                tally.server_errors.append(f"{status} at step {step}")
            elif status != 302:
                tally.refused.append(f"{status} at step {step}: {text[:300]}")
    except (OSError, http.client.HTTPException, RuntimeError, threading.BrokenBarrierError) as err:
        tally.failures.append(f"{type(err).__name__}: {err}")
    finally:
        session.close()


def run_clients(port: int, user: str, password: str, seconds: float, clients: int = 8,
                weeks: list[int] | None = None, tallies: list[Tally] | None = None
                ) -> list[Tally]:
    """``clients`` clients for ``seconds`` after they logged in: their tallies (filled as
    they go into ``tallies`` if given). Each thread ends by itself."""
    first = Session(port)
    try:
        page = first.login(user, password)
    finally:
        first.close()
    patients = sorted({int(pk) for pk in PATIENT_LINK.findall(page)})
    if len(patients) < 2 * clients:
        raise RuntimeError(f"{len(patients)} patients: {clients} clients need two each")
    weeks = weeks or [w for w in range(1, 24) if w not in (4, 12)]
    start = threading.Barrier(clients)
    tallies = tallies if tallies is not None else []
    tallies[:] = [Tally() for _ in range(clients)]
    threads = [threading.Thread(target=_client, args=(
        port, user, password, patients[2 * i:2 * i + 2], weeks, seconds, start, i, tallies[i]))
        for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 600)
    return tallies


def stale_save_is_refused(port: int, user: str, password: str, other: str, visit: int,
                          week: int) -> str:
    """Two users open the same visit; both save. The second save's answer (the page)."""
    first, second = Session(port), Session(port)
    try:
        first.login(user, password)
        second.login(other, password)
        _, _, page = first.request("GET", f"/visits/{visit}/")
        version = int(re.search(r'name="version" value="(\d+)"', page).group(1))  # type: ignore[union-attr]
        second.request("GET", f"/visits/{visit}/")
        saved = first.request("POST", f"/visits/{visit}/", {
            "week": week, "phga_cm": "9.5", "version": version, "reason": "first user"})
        if saved[0] != 302:
            raise RuntimeError(f"the first save answered {saved[0]}")
        status, _, text = second.request("POST", f"/visits/{visit}/", {
            "week": week, "phga_cm": "0.5", "version": version, "reason": "second user"})
        return f"{status}\n{text}"
    finally:
        first.close()
        second.close()


STATE = """
import json, sys
from pathlib import Path
from jdmtrack.registry import setup
setup(Path(sys.argv[1]))
from django.db import connection
from jdmtrack.registry.models import AuditEvent, Visit
visits = {v.pk: [str(v.phga_cm) if v.phga_cm is not None else None, v.version]
          for v in Visit.objects.all()}
events = {a: AuditEvent.objects.filter(table="visits", action=a).count()
          for a in ("create", "update")}
integrity = "ok"
if connection.vendor == "sqlite":
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        integrity = cursor.fetchone()[0]
print(json.dumps({"visits": visits, "events": events, "integrity": integrity}))
"""


def database_state(home: Path, env: dict[str, str]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-c", STATE, str(home)], env=env, capture_output=True,
                         text=True, timeout=300, check=True).stdout
    state: dict[str, Any] = json.loads(out)
    state["visits"] = {int(k): v for k, v in state["visits"].items()}
    return state


def check_consistent(state: dict[str, Any], tallies: list[Tally], *, exact: bool) -> None:
    """Acknowledged writes are there; versions and audit events agree one for one."""
    visits = state["visits"]
    for tally in tallies:
        for pk, (value, version) in tally.expected.items():
            assert pk in visits, f"acknowledged visit {pk} is missing"
            held, held_version = visits[pk]
            if exact or held_version == version:
                assert (Decimal(held), held_version) == (Decimal(value), version), pk
            else:  # a write in flight when the server died may have committed unanswered
                assert held_version == version + 1, pk
    assert state["events"]["create"] == len(visits)
    assert state["events"]["update"] == sum(version - 1 for _, version in visits.values())
    assert state["integrity"] == "ok"
