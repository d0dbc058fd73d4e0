"""Security of the pages: second factor, lockout, headers, cookies, CSRF, sessions, passwords,
validation, output encoding and logging (docs/registry-security.md maps each to OWASP ASVS)."""

from __future__ import annotations

import ast
import re
import time
from pathlib import Path
from typing import Any

import pytest

from .totp import totp

PASSWORD = "a-long-test-password"
PACKAGE = Path(__file__).resolve().parents[2] / "src" / "jdmtrack" / "registry"


def _plain_client() -> Any:
    from django.test import Client

    return Client()


def _login(client: Any, name: str, password: str = PASSWORD) -> Any:
    return client.post("/login/", {"username": name, "password": password})


def test_totp_helper_matches_rfc6238():
    """RFC 6238 appendix B, SHA-1, key "12345678901234567890": T = 59 s gives 94287082 and
    T = 1111111109 s gives 07081804 (8 digits); the 6-digit codes are the last six."""
    from base64 import b32encode

    secret = b32encode(b"12345678901234567890").decode()
    assert totp(secret, at=59, digits=8) == "94287082"
    assert totp(secret, at=1111111109, digits=8) == "07081804"
    assert totp(secret, at=1111111109) == "081804"


@pytest.mark.parametrize("role", ["monitor", "admin"])
def test_monitors_and_admins_enrol_and_pass_a_totp_code(users, role):
    from jdmtrack.registry.models import AuditEvent

    client = _plain_client()
    assert _login(client, role).status_code == 302
    sent_back = client.get("/patients/")
    assert sent_back.status_code == 302 and sent_back.url == "/mfa/?next=/patients/"
    page = client.get("/mfa/").text
    secret = re.search(r'id="mfa-secret">([A-Z2-7]+)<', page).group(1)
    uri = re.search(r'id="mfa-uri">([^<]+)<', page).group(1)
    assert uri.startswith("otpauth://totp/") and f"secret={secret}" in uri and "<svg" in page
    code = totp(secret)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    refused = client.post("/mfa/", {"token": wrong, "next": "/patients/"})
    assert refused.status_code == 400 and 'id="mfa-error"' in refused.text
    time.sleep(1.1)  # django-otp waits 1 s after one wrong code (doubling with each more)
    passed = client.post("/mfa/", {"token": code, "next": "/patients/"})
    assert passed.status_code == 302 and passed.url == "/patients/"
    assert client.get("/patients/").status_code == 200
    actions = list(AuditEvent.objects.filter(actor=role).values_list("action", flat=True))
    assert actions == ["login", "mfa_failed", "mfa_enrolled", "mfa_verified"]
    # A new session asks for the code, shows no secret, and refuses the code used already
    # (ASVS V2.8.4: a time-based code is good once).
    again = _plain_client()
    _login(again, role)
    ask = again.get("/mfa/").text
    assert "mfa-secret" not in ask
    assert again.post("/mfa/", {"token": code}).status_code == 400
    assert again.get("/patients/").status_code == 302


def test_data_entry_needs_no_second_factor(users):
    client = _plain_client()
    _login(client, "data_entry")
    assert client.get("/patients/").status_code == 200


def test_five_failed_logins_lock_the_user_name_and_are_audited(users):
    from jdmtrack.registry.models import AuditEvent

    client = _plain_client()
    for _ in range(4):
        assert _login(client, "site_pi", "wrong password!").status_code == 200
    locked = _login(client, "site_pi", "wrong password!")
    assert locked.status_code == 429 and 'id="locked-out"' in locked.text
    right_password = _login(client, "site_pi")
    assert right_password.status_code == 429  # locked whatever the password
    assert _login(_plain_client(), "data_entry").status_code == 302  # another name is not
    events = AuditEvent.objects.filter(actor="site_pi")
    assert events.filter(action="login_failed").count() >= 5
    assert events.filter(action="locked_out").exists()
    assert not events.filter(action="login").exists()


def test_headers_forbid_inline_script_framing_and_sniffing(client, db):
    response = client.get("/login/")
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_templates_hold_no_inline_script_or_event_handler():
    templates = sorted((PACKAGE / "templates").rglob("*.html"))
    assert templates
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag, (path.name, tag)
        assert not re.search(r"<script\b[^>]*>\s*[^<\s]", text), path.name  # a script with a body
        assert not re.search(r"\son[a-z]+\s*=", text, re.IGNORECASE), path.name
        assert "javascript:" not in text.lower(), path.name
        assert "hx-on" not in text, path.name  # htmx inline handlers are inline script too


def test_cookies_are_secure_httponly_samesite(users):
    client = _plain_client()
    client.get("/login/")
    response = _login(client, "data_entry")
    for name in ("__Host-sessionid", "__Host-csrftoken"):
        cookie = response.cookies.get(name) or client.cookies[name]
        assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax", name
        assert cookie["path"] == "/" and not cookie["domain"], name


def test_plain_http_on_loopback_drops_only_the_secure_flag(tmp_path):
    """`serve` on 127.0.0.1 sets JDMTRACK_REGISTRY_INSECURE_COOKIES: a browser drops Secure
    cookies over http, and a __Host- cookie must be Secure."""
    import os
    import subprocess
    import sys

    code = ("from django.conf import settings as s; import django; django.setup(); "
            "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_NAME, s.SESSION_COOKIE_HTTPONLY,"
            " s.CSRF_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE)")
    env = {**os.environ, "JDMTRACK_REGISTRY_INSECURE_COOKIES": "1",
           "JDMTRACK_REGISTRY_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE":
           "jdmtrack.registry.settings"}
    env.pop("DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "sessionid", "True", "True", "Lax"]


def _urls() -> list[str]:
    from django.urls import URLPattern, get_resolver

    paths = []
    for pattern in get_resolver().url_patterns:
        assert isinstance(pattern, URLPattern)
        assert not getattr(pattern.callback, "csrf_exempt", False), pattern
        route = re.sub(r"<int:\w+>", "1", str(pattern.pattern))
        paths.append("/" + re.sub(r"<str:\w+>", "visits", route))
    return paths


def test_every_page_refuses_a_post_without_the_csrf_token(users, loaded):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["data_entry"])
    for path in _urls():
        assert client.post(path, {"week": "9"}).status_code == 403, path
    anonymous = Client(enforce_csrf_checks=True)
    assert _login(anonymous, "data_entry").status_code == 403


def test_sessions_end_when_idle_and_12_hours_after_login(client, users, settings):
    from jdmtrack.registry.security import LOGIN_AT

    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(users["data_entry"])
    assert client.get("/patients/").status_code == 200
    session = client.session
    session[LOGIN_AT] = time.time() - 12 * 3600 - 1
    session.save()
    expired = client.get("/patients/")
    assert expired.status_code == 302 and expired.url.startswith("/login/")
    assert client.get("/patients/").url.startswith("/login/")  # logged out, not only redirected


def test_login_makes_a_new_session_and_logout_ends_it(users):
    client = _plain_client()
    client.get("/login/")
    before = client.session.session_key
    response = _login(client, "data_entry")
    token = client.cookies["__Host-sessionid"].value
    # 32 characters of [a-z0-9] from the secrets module: about 165 bits; never in a URL
    assert token != before and len(token) >= 32 and token not in response.url
    assert client.post("/logout/").status_code == 302
    replay = _plain_client()
    replay.cookies["__Host-sessionid"] = token
    assert replay.get("/patients/").status_code == 302


@pytest.mark.parametrize("password", ["short-pw", "password1234", "839201748263", "data_entry_1"])
def test_weak_passwords_are_refused(users, password):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password(password, users["data_entry"])


def test_long_and_unicode_passwords_are_taken_whole(users):
    """ASVS V2.1.2-4: 64+ characters, any Unicode, never truncated."""
    from django.contrib.auth.password_validation import validate_password

    user = users["data_entry"]
    long_one = "ünïcödé pass phrase " * 5
    validate_password(long_one, user)
    user.set_password(long_one)
    assert user.check_password(long_one) and not user.check_password(long_one[:-1])


def test_stored_passwords_use_pbkdf2_with_many_iterations():
    """The registry keeps Django's default hasher list (the tests swap in a fast one):
    PBKDF2-SHA256, far above ASVS V2.4.3's 100 000 iterations."""
    from django.conf import global_settings
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    import jdmtrack.registry.settings as registry_settings

    assert not hasattr(registry_settings, "PASSWORD_HASHERS")
    assert global_settings.PASSWORD_HASHERS[0].endswith(".PBKDF2PasswordHasher")
    assert PBKDF2PasswordHasher.iterations >= 100_000


def test_login_goes_to_no_other_host(users):
    client = _plain_client()
    response = client.post("/login/?next=https://evil.example/", {
        "username": "data_entry", "password": PASSWORD, "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == "/patients/"


def test_posted_fields_beyond_the_form_change_nothing(client, users, loaded):
    """Mass assignment: state, version, patient and site in a post are not taken."""
    from jdmtrack.registry.models import Patient, Visit

    own = Patient.objects.get(patient_id="SYN-001")
    other = Patient.objects.get(patient_id="SYN-003")
    client.force_login(users["data_entry"])
    response = client.post(f"/patients/{own.pk}/visits/new/", {
        "week": "2", "state": "locked", "version": "7", "patient": other.pk,
        "patient_id": "SYN-003", "site": "OTHER"})
    assert response.status_code == 302
    visit = Visit.objects.get(patient=own, week=2)
    assert (visit.state, visit.version) == ("draft", 1)
    assert not other.visits.filter(week=2).exists()


def test_what_users_type_is_escaped_on_the_pages(client, users, loaded):
    from jdmtrack.registry.models import Visit

    visit = Visit.objects.get(patient__patient_id="SYN-001", week=4)
    client.force_login(users["data_entry"])
    script = "<script>alert(1)</script>"
    assert client.post(f"/visits/{visit.pk}/", {"week": "4", "phga_cm": "1", "version": "1",
                                                "reason": script}).status_code == 302
    page = client.get(f"/visits/{visit.pk}/").text
    assert script not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_sql_is_only_the_orms_or_constant_text():
    """No raw()/extra()/RawSQL, and every cursor.execute() takes a literal SQL string
    (values go as parameters)."""
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                assert node.attr not in ("raw", "extra"), path
            if isinstance(node, ast.Name):
                assert node.id != "RawSQL", path
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "execute":
                assert node.args and isinstance(node.args[0], ast.Constant), path


def test_the_log_keeps_no_password_and_times_in_utc(users):
    from datetime import timedelta

    from jdmtrack.registry.models import AuditEvent

    secret = "Not-my-Passw0rd-2026"
    _login(_plain_client(), "data_entry", secret)
    event = AuditEvent.objects.get(action="login_failed")
    assert event.actor == "data_entry" and event.reason.startswith("from ")
    for values in AuditEvent.objects.values_list():
        assert not any(secret in str(v) for v in values)
    assert event.time.utcoffset() == timedelta(0)


def test_an_unexpected_error_shows_an_incident_number_only(client, users, loaded, monkeypatch):
    from django.db import OperationalError

    import jdmtrack.registry.views as views
    from jdmtrack.registry.models import Visit

    url = f"/visits/{Visit.objects.filter(patient__patient_id='SYN-001').first().pk}/"
    client.force_login(users["data_entry"])
    client.raise_request_exception = False

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "evaluate", broken)
    page = client.get(url)
    assert page.status_code == 500 and re.search(r'id="incident">[0-9a-f]{8}<', page.text)
    assert "secret internals" not in page.text and "Traceback" not in page.text

    def full(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(views, "evaluate", full)
    page = client.get(url)
    assert page.status_code == 503 and "disk holding the registry&#x27;s database is full" in page.text


@pytest.mark.parametrize("path", ["/static/", "/static/registry/", "/.git/config", "/admin/"])
def test_no_folder_listing_or_hidden_file_is_served(client, db, path):
    assert client.get(path).status_code in (302, 404)
