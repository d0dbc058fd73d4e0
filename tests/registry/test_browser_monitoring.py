"""Monitoring in a real browser (Playwright, the system Chromium, ``registry serve``): the
query workflow, lock/unlock, and the e-signature voided by a later change.

Skips without Chromium or Playwright unless JDMTRACK_REQUIRE_BROWSER=1 (then it fails),
as test_browser does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import pytest

from .test_browser import CHROMIUM, CHROMIUM_ARGS, _browser_or_skip, new_registry, served
from .test_commands import PASSWORD
from .totp import totp

USERS = (("anna", "data_entry", "SYNTHETIC"), ("mo", "monitor", None), ("pia", "site_pi", "SYNTHETIC"))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("monitoring") / "reg"
    new_registry(home, *USERS)
    with served(home) as base:
        yield base


@pytest.fixture
def browser() -> Iterator[Any]:
    _browser_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _login(browser: Any, server: str, name: str) -> Any:
    """A page of a new browser context (its own cookies), logged in as ``name``."""
    from playwright.sync_api import expect

    page = browser.new_context(viewport={"width": 1300, "height": 1000}).new_page()
    page.goto(server + "/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/(patients|mfa)/"))
    if "/mfa/" in page.url:  # monitors pass a second factor (issue 18: MFA for monitors)
        _second_factor(page, name)
    expect(page).to_have_url(server + "/patients/")
    return page


_SECRETS: dict[str, str] = {}
_LAST_STEP: dict[str, int] = {}


def _second_factor(page: Any, name: str) -> None:
    """Enrol on the first login (the page shows the secret), then type the code an
    authenticator app would show. A code is good once, so a later login uses the next
    30-s step (django-otp accepts one step of drift) and waits when even that is used."""
    import time

    secret = page.locator("#mfa-secret")
    if secret.count():
        _SECRETS[name] = secret.inner_text().strip()
    now = int(time.time() // 30)
    step = max(now, _LAST_STEP.get(name, now - 1) + 1)
    if step > now + 1:
        time.sleep((step - 1) * 30 - time.time() + 0.5)
    _LAST_STEP[name] = step
    page.fill("#id_token", totp(_SECRETS[name], at=step * 30))
    page.click("form[action='/mfa/'] button[type=submit]")  # not the header's Log out


def _open_patient(page: Any, pid: str) -> None:
    from playwright.sync_api import expect

    page.goto(urljoin(page.url, "/patients/"))
    page.click(f"text={pid}")
    expect(page.locator("h1")).to_contain_text(f"Patient {pid}")


def _raise(page: Any, row: str, field: str, text: str) -> None:
    page.select_option("#id_query_row", label=row)
    page.select_option("#id_query_field", field)
    page.fill("#id_query_text", text)
    page.click("#raise")


def test_query_raised_answered_closed(server, browser):
    from playwright.sync_api import expect

    monitor = _login(browser, server, "mo")
    _open_patient(monitor, "SYN-001")
    _raise(monitor, "visit week 4", "phga_cm", "Source note says 2.5 cm?")
    expect(monitor.locator("#messages")).to_contain_text("raised on visit week 4, phga_cm")
    expect(monitor.locator("#queries .status")).to_have_text(["open"])
    monitor.goto(server + "/patients/")
    expect(monitor.locator("tr", has_text="SYN-001").locator("td.queries")).to_have_text("1")

    site = _login(browser, server, "anna")
    _open_patient(site, "SYN-001")
    site.click("#queries a")
    site.fill("#id_answer_text", "Checked: the source says 2.0")
    site.click("#answer")
    expect(site.locator("#query-status")).to_have_text("answered")
    expect(site.locator("#close")).to_have_count(0)  # the site cannot close its own query

    _open_patient(monitor, "SYN-001")
    monitor.click("#queries a")
    expect(monitor.locator("#thread tbody tr")).to_have_count(2)
    monitor.click("#close")
    expect(monitor.locator("#query-status")).to_have_text("closed")
    monitor.fill("#id_reopen_text", "Please attach the source page")
    monitor.click("#reopen")
    expect(monitor.locator("#query-status")).to_have_text("open")


def test_lock_refused_with_an_open_query_then_locked_and_unlocked(server, browser):
    from playwright.sync_api import expect

    monitor = _login(browser, server, "mo")
    _open_patient(monitor, "SYN-002")
    _raise(monitor, "patient", "sex", "Sex as on the source?")
    monitor.click("#lock")
    expect(monitor.locator("#messages")).to_contain_text("cannot be locked: 1 query is not closed")
    monitor.click("#queries a")
    monitor.click("#close")
    _open_patient(monitor, "SYN-002")
    monitor.click("#lock")
    expect(monitor.locator("#lock-state")).to_contain_text("Locked")

    site = _login(browser, server, "anna")
    _open_patient(site, "SYN-002")
    site.get_by_role("link", name="0", exact=True).click()
    expect(site.locator("#locked")).to_contain_text("locked")
    expect(site.locator("#save")).to_have_count(0)

    monitor.fill("#id_unlock_reason", "correct the week-0 CK")
    monitor.click("#unlock")
    expect(monitor.locator("#lock-state")).to_contain_text("Not locked")
    site.reload()
    expect(site.locator("#save")).to_have_count(1)


def test_e_signature_and_its_voiding(server, browser):
    from playwright.sync_api import expect

    pi = _login(browser, server, "pia")
    _open_patient(pi, "SYN-003")
    pi.fill("#id_printed_name", "Dr Pia Example")
    pi.fill("#id_sign_password", "not the password")
    pi.click("#sign")
    expect(pi.locator("#messages")).to_contain_text("password did not match")
    expect(pi.locator("#signature")).to_contain_text("Not signed")
    pi.fill("#id_printed_name", "Dr Pia Example")
    pi.fill("#id_sign_password", PASSWORD)
    pi.click("#sign")
    expect(pi.locator("#signature")).to_contain_text("Signed by Dr Pia Example (pia)")
    expect(pi.locator("#signature")).to_contain_text("complete and correct")

    site = _login(browser, server, "anna")
    _open_patient(site, "SYN-003")
    site.get_by_role("link", name="4", exact=True).click()
    site.fill("#id_phga_cm", "2.2")
    site.fill("#id_reason", "transcription error")
    site.click("#save")
    expect(site.locator("#audit tbody tr").first).to_contain_text("update")

    pi.reload()
    expect(pi.locator("#signature")).to_contain_text("is void: the data changed after signing")
    expect(pi.locator("#sign")).to_have_count(1)
