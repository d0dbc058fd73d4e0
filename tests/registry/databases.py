"""The two databases the registry runs on, for tests that start real processes.

``JDMTRACK_TEST_POSTGRES`` (set by ``tools/pg_test_cluster.sh start``, as ``.ci/run`` does)
names a PostgreSQL server the tests may create databases on. Without it the PostgreSQL
cases skip, unless ``JDMTRACK_REQUIRE_POSTGRES=1`` (set by ``.ci/run``): then a missing or
unreachable server fails them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import pytest

ENGINES = ("sqlite", "postgresql")


def postgres_url() -> str:
    """The test server's URL, or skip (fail when PostgreSQL is required)."""
    url = os.environ.get("JDMTRACK_TEST_POSTGRES", "")
    required = os.environ.get("JDMTRACK_REQUIRE_POSTGRES") == "1"
    problem = "" if url else "JDMTRACK_TEST_POSTGRES is not set (tools/pg_test_cluster.sh start)"
    if url:
        try:
            import psycopg

            psycopg.connect(url, connect_timeout=10).close()
        except Exception as err:  # any failure to reach the server
            problem = f"the PostgreSQL server of JDMTRACK_TEST_POSTGRES is unreachable: {err}"
    if problem:
        if required:
            pytest.fail(f"JDMTRACK_REQUIRE_POSTGRES=1 but {problem}")
        pytest.skip(problem)
    return url


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty database on the test server (dropped afterwards): its URL."""
    import psycopg

    url = postgres_url()
    name = f"jdmtrack_t_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(url)
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def engine_env(engine: str) -> Iterator[dict[str, str]]:
    """The environment of a ``jdmtrack registry`` process using ``engine``: SQLite in its
    home folder, or a fresh PostgreSQL database through DATABASE_URL."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    if engine == "sqlite":
        yield env
        return
    with fresh_postgres_database() as url:
        yield {**env, "DATABASE_URL": url}
