"""Fixtures of the registry tests: two sites, a user per role, the example cohort loaded.

Every test that touches the database gets its own transaction, rolled back afterwards
(pytest-django's ``db``): no test sees another's rows.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

pytest.importorskip("django", reason="the registry extra is not installed")

from jdmtrack.pipeline import example_path

OWN, OTHER = "SYNTHETIC", "OTHER"
# The example cohort's last two patients are moved to the other site.
OTHER_PATIENTS = ("SYN-003", "SYN-004")


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """On the PostgreSQL pass (test_postgres.py) keep only the tests using the database."""
    import os

    if not os.environ.get("JDMTRACK_REGISTRY_PG_PASS"):
        return
    keep = [i for i in items if {"db", "transactional_db"} & set(getattr(i, "fixturenames", ()))]
    dropped = [i for i in items if i not in keep]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items[:] = keep


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # Test users' passwords need no slow hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def two_site_cohort(tmp_path: Path) -> Path:
    """The bundled example cohort with its patients split over two sites."""
    folder = tmp_path / "cohort"
    shutil.copytree(example_path(), folder, ignore=shutil.ignore_patterns("README.txt"))
    patients = pd.read_csv(folder / "patients.csv", dtype=str, keep_default_na=False)
    patients.loc[patients["patient_id"].isin(OTHER_PATIENTS), "site"] = OTHER
    patients.to_csv(folder / "patients.csv", index=False, lineterminator="\n")
    return folder


def _verified_client() -> Any:
    from django.test import Client

    class VerifiedClient(Client):
        """``force_login`` that also passes the second factor a monitor or admin owes.

        ``force_login`` skips the password; this skips the TOTP code the same way, with a
        confirmed device. The second factor itself is tested through the real pages
        (test_security.py), with a plain client.
        """

        def force_login(self, user: Any, backend: str | None = None) -> None:
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            from jdmtrack.registry.policy import needs_mfa

            super().force_login(user, backend)
            if needs_mfa(user):
                device = (TOTPDevice.objects.filter(user=user, confirmed=True).first()
                          or TOTPDevice.objects.create(user=user, name="test", confirmed=True))
                session = self.session
                session[DEVICE_ID_SESSION_KEY] = device.persistent_id
                session.save()

    return VerifiedClient()


@pytest.fixture
def client() -> Any:
    """pytest-django's client, whose ``force_login`` also passes the second factor."""
    return _verified_client()


@pytest.fixture
def sites(db: Any) -> dict[str, Any]:
    from jdmtrack.registry.models import Site

    return {code: Site.objects.create(code=code, name=f"Site {code}") for code in (OWN, OTHER)}


def make_user(name: str, role: str, site: Any = None, password: str = "a-long-test-password") -> Any:
    from django.contrib.auth import get_user_model

    from jdmtrack.registry.models import Membership

    user = get_user_model().objects.create_user(username=name, password=password)
    Membership.objects.create(user=user, role=role, site=site)
    return user


ROLE_SITES = {"data_entry": OWN, "site_pi": OWN, "monitor": None, "statistician": None,
              "admin": None}


@pytest.fixture
def users(sites: dict[str, Any]) -> dict[str, Any]:
    """One user per role; the site roles work at SYNTHETIC ("own"), not at OTHER."""
    return {role: make_user(role, role, sites[code] if code else None)
            for role, code in ROLE_SITES.items()}


@pytest.fixture
def loaded(sites: dict[str, Any], two_site_cohort: Path) -> dict[str, Any]:
    """The two-site example cohort imported by a data-entry user of both sites."""
    from jdmtrack.registry.models import Membership
    from jdmtrack.registry.transfer import import_cohort

    loader = make_user("loader", "data_entry", sites[OWN])
    Membership.objects.create(user=loader, role="data_entry", site=sites[OTHER])
    import_cohort(two_site_cohort, loader)
    return sites
