"""The administrator's operations behind the commands: create the registry, sites, users.

Each is audited (``permission`` events for roles) with the command line as the actor: the
person at the server's console is the one who may run these commands.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from django.db import transaction

from . import audit
from .errors import RegistryError
from .policy import OWN, ROLES, RULES

__all__ = ["CONSOLE", "add_site", "create_user", "migrate", "write_secret_key"]

CONSOLE = "command line"


def write_secret_key(home: Path) -> bool:
    """Create ``home/secret.key`` readable by its owner only (0600); False if it existed."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / "secret.key"
    if path.exists():
        return False
    # O_EXCL with mode 0600: the key is never, even briefly, readable by others.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(50) + "\n")
    return True


def migrate() -> None:
    """Create or update every table (Django migrations), quietly."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _site_roles() -> set[str]:
    """Roles that work at one site (their rules say OWN): they need --site."""
    return {role for rule in RULES.values() for role, scope in rule.items() if scope == OWN}


def create_user(name: str, role: str, site: str | None, password: str, *,
                superuser: bool = False) -> Any:
    """A new user with one role (at one site for data entry and site PI)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from .models import Membership, Site

    if role not in ROLES:
        raise RegistryError(f"--role {role}: expected one of {', '.join(ROLES)}")
    needs_site = role in _site_roles()
    if needs_site and not site:
        raise RegistryError(f"--role {role} works at one site: give --site CODE")
    if not needs_site and site:
        raise RegistryError(f"--role {role} is not tied to one site: leave out --site")
    user_model = get_user_model()
    if user_model.objects.filter(username=name).exists():
        raise RegistryError(f"user {name!r} exists already")
    site_row = None
    if site:
        site_row = Site.objects.filter(code=site).first()
        if site_row is None:
            known = ", ".join(Site.objects.values_list("code", flat=True)) or "none yet"
            raise RegistryError(f"--site {site}: no such site (sites: {known}); "
                                "add it with `jdmtrack registry site add CODE`")
    candidate = user_model(username=name)
    try:
        validate_password(password, candidate)
    except ValidationError as err:
        raise RegistryError("password refused: " + " ".join(err.messages)) from err
    with transaction.atomic():
        user = user_model.objects.create_user(username=name, password=password,
                                              is_staff=superuser, is_superuser=superuser)
        Membership.objects.create(user=user, role=role, site=site_row)
        audit.record(CONSOLE, "permission", table="users", row=name, site=site or "",
                     reason=f"created with role {role}", role=role)
    return user


def add_site(code: str, name: str) -> Any:
    from .models import Site

    code = code.strip()
    if not code or any(c in code for c in ",;\"'\n"):
        raise RegistryError(f"site code {code!r}: expected a short code without , ; or quotes")
    if Site.objects.filter(code=code).exists():
        raise RegistryError(f"site {code!r} exists already")
    with transaction.atomic():
        site = Site.objects.create(code=code, name=name)
        audit.record(CONSOLE, "create", table="sites", row=code, site=code,
                     after=audit.row_digest({"code": code, "name": name}))
    return site


def find_user(name: str) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=name, is_active=True).first()
    if user is None:
        raise RegistryError(f"--user {name}: no such user; create one with "
                            "`jdmtrack registry createuser`")
    return user
