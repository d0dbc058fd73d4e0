"""What every request passes besides the role table: session age, second factor, and a
clear page when the database cannot be written.

``RegistryGuard`` (a middleware, after django-otp's) ends a session 12 hours after its
login whatever the activity (the idle limit is the session cookie's age), and sends a
monitor or an administrator who has not yet passed the second factor to ``/mfa/``.
``server_error`` is the registry's last-resort error page: a database that is full or
read-only is said in words (HTTP 503); any other failure gets an incident number, logged
with the traceback, instead of details (OWASP ASVS V7.4.1).
"""

from __future__ import annotations

import logging
import secrets
import sys
import time
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import get_template

from .policy import needs_mfa

__all__ = ["LOGIN_AT", "MFA_URL", "RegistryGuard", "database_problem", "server_error"]

LOGIN_AT = "jdmtrack_login_at"
MFA_URL = "/mfa/"
# What a user who still owes the second factor may reach.
_OPEN_PATHS = (MFA_URL, "/login/", "/logout/", "/static/")
log = logging.getLogger("jdmtrack.registry")


class RegistryGuard:
    """Session age limit and the second factor, before any view runs."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = float(request.session.get(LOGIN_AT, 0))
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect_to_login(request.get_full_path())
            if (needs_mfa(user) and not user.is_verified()
                    and not request.path.startswith(_OPEN_PATHS)):
                return HttpResponseRedirect(f"{MFA_URL}?next={quote(request.get_full_path())}")
        return self.get_response(request)


def database_problem(err: BaseException | None) -> str | None:
    """A full or read-only database, said in words; None for any other error."""
    if err is None:
        return None
    text = str(err).lower()
    # psycopg 3 keeps the SQLSTATE: 53100 disk_full, 25006 read_only_sql_transaction.
    state = getattr(err.__cause__, "sqlstate", None) or getattr(err, "sqlstate", None)
    if state == "53100" or "disk is full" in text or "no space left" in text:
        return ("the disk holding the registry's database is full, so nothing was saved. "
                "Free space on that disk, then try again.")
    if state == "25006" or "readonly database" in text or "read-only" in text:
        return ("the registry's database is read-only (its file or folder cannot be written "
                "by the registry's process, or the disk is mounted read-only), so nothing "
                "was saved.")
    return None


def server_error(request: HttpRequest) -> HttpResponse:
    """The page for an unhandled error (Django's ``handler500``); it reads no database."""
    err = sys.exc_info()[1]
    problem = database_problem(err)
    if problem is not None:
        log.error("database unavailable: %s", err)
        page = get_template("registry/unavailable.html").render({"problem": problem})
        return HttpResponse(page, status=503)
    incident = secrets.token_hex(4)
    log.error("incident %s: %s %s", incident, request.method, request.path, exc_info=err)
    page = get_template("registry/error.html").render({"incident": incident})
    return HttpResponse(page, status=500)
