"""Login success and failure go to the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from . import audit


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(user, "login", reason=_client(request))


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None,
                  **kwargs: Any) -> None:
    # The name tried is kept (never the password): repeated failures show who was targeted.
    audit.record(str(credentials.get("username", ""))[:150] or "(no name)", "login_failed",
                 reason=_client(request))


def _client(request: Any) -> str:
    if request is None:
        return ""
    return f"from {request.META.get('REMOTE_ADDR', 'unknown address')}"
