"""The registry served for real (``jdmtrack registry serve``: waitress, DEBUG off) and used
in a real browser: Playwright for Python driving the system Chromium.

Without Chromium (or Playwright) the browser test skips and says why; with
JDMTRACK_REQUIRE_BROWSER=1 (set by .ci/run) it fails instead. With
JDMTRACK_UPDATE_SCREENSHOTS=1 it also writes docs/screenshots/registry.png.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from jdmtrack.pipeline import example_path

from .test_commands import PASSWORD, ok, registry

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "registry.png"
CMAS_WEEK0 = ["4", "1", "4", "2", "5", "2", "2", "3", "2", "3", "3", "3", "3", "3"]  # sum 40


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(home: Path) -> Iterator[str]:
    """``jdmtrack registry serve`` on the registry in ``home``, on a free loopback port."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    process = subprocess.Popen([sys.executable, "-m", "jdmtrack", "registry", "--home", str(home),
                                "serve", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/login/", timeout=2).close()
            break
        except (urllib.error.URLError, ConnectionError):
            assert process.poll() is None, "serve exited"
            assert time.monotonic() < deadline, "serve did not answer within 60 s"
            time.sleep(0.2)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def new_registry(home: Path, *users: tuple[str, str, str | None]) -> None:
    """A registry right after init, with the site SYNTHETIC, the users (name, role, site)
    and the example cohort imported by the first of them."""
    ok(registry(home, "init", "--admin", "boss", "--password-stdin", stdin=PASSWORD + "\n"))
    ok(registry(home, "site", "add", "SYNTHETIC"))
    for name, role, site in users:
        ok(registry(home, "createuser", name, "--role", role, *(["--site", site] if site else []),
                    "--password-stdin", stdin=PASSWORD + "\n"))
    ok(registry(home, "import", str(example_path()), "--user", users[0][0]))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A registry right after init (plus a site, a user and the example cohort), served."""
    home = tmp_path_factory.mktemp("served") / "reg"
    new_registry(home, ("anna", "data_entry", "SYNTHETIC"))
    with served(home) as base:
        yield base


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_served_right_after_init_with_production_settings(server):
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(server + "/patients/")
    assert redirect.value.code == 302
    assert redirect.value.headers["Location"] == "/login/?next=/patients/"
    redirect.value.close()
    with urllib.request.urlopen(server + "/login/") as login:
        assert login.headers["X-Frame-Options"] == "DENY"
        assert "Log in" in login.read().decode()
    with urllib.request.urlopen(server + "/static/registry/htmx.min.js") as static:
        assert static.status == 200 and len(static.read()) > 10_000
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(server + "/no-such-page/")
    body = missing.value.read().decode()
    missing.value.close()
    assert missing.value.code == 404 and "Traceback" not in body and "DEBUG" not in body


def _browser_or_skip() -> None:
    reason = None
    if not CHROMIUM.exists():
        reason = f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    elif shutil.which("chromium") is None and not os.access(CHROMIUM, os.X_OK):
        reason = f"{CHROMIUM} is not executable"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "Playwright for Python is not installed (pip install -e '.[dev]')"
    if reason is not None:
        if os.environ.get("JDMTRACK_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser required (JDMTRACK_REQUIRE_BROWSER=1): {reason}")
        pytest.skip(reason)


def test_enter_a_visit_in_a_browser(server, tmp_path):
    _browser_or_skip()
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(server + "/patients/")
        expect(page).to_have_url(server + "/login/?next=/patients/")
        page.fill("#id_username", "anna")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        expect(page).to_have_url(server + "/patients/")
        page.click("text=SYN-001")
        expect(page.locator("h1")).to_contain_text("Patient SYN-001")
        page.click("text=Enter a visit")
        page.fill("#id_week", "2")
        for number, value in enumerate(CMAS_WEEK0, start=1):
            page.fill(f"#id_cmas_{number:02d}", value)
        total = page.locator("#live-cmas_total")
        expect(total).to_have_text("40")
        page.fill("#id_cmas_01", "5")
        expect(total).to_have_text("41")  # scored by the server as the item changed
        page.screenshot(path=str(tmp_path / "registry.png"))
        page.click("#save")
        expect(page.locator("h1")).to_contain_text("Visit at week 2")
        audit_rows = page.locator("#audit tbody tr")
        expect(audit_rows).to_have_count(1)
        expect(audit_rows.first).to_contain_text("anna")
        expect(audit_rows.first).to_contain_text("create")
        browser.close()
    assert (tmp_path / "registry.png").stat().st_size > 10_000
    if os.environ.get("JDMTRACK_UPDATE_SCREENSHOTS") == "1":
        shutil.copyfile(tmp_path / "registry.png", SCREENSHOT)


def test_a_missing_browser_skips_unless_required(monkeypatch, tmp_path):
    from _pytest.outcomes import Failed, Skipped

    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.delenv("JDMTRACK_REQUIRE_BROWSER", raising=False)
    with pytest.raises(Skipped, match="no Chromium at"):
        _browser_or_skip()
    monkeypatch.setenv("JDMTRACK_REQUIRE_BROWSER", "1")
    with pytest.raises(Failed, match="browser required"):
        _browser_or_skip()
