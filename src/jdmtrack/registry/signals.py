"""Login success, failure and lockout go to the audit log; a login starts the session clock."""

from __future__ import annotations

import time
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from . import audit
from .security import LOGIN_AT


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(user, "login", reason=_client(request))
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = time.time()  # security.RegistryGuard's 12-hour limit


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None,
                  **kwargs: Any) -> None:
    # The name tried is kept (never the password): repeated failures show who was targeted.
    audit.record(str(credentials.get("username", ""))[:150] or "(no name)", "login_failed",
                 reason=_client(request))


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any = None, username: str | None = None,
                **kwargs: Any) -> None:
    audit.record(str(username or "")[:150] or "(no name)", "locked_out",
                 reason=f"too many failed logins {_client(request)}".rstrip())


def _client(request: Any) -> str:
    if request is None:
        return ""
    return f"from {request.META.get('REMOTE_ADDR', 'unknown address')}"
