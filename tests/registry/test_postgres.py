"""The registry's in-process tests (those using the database) again, on PostgreSQL.

The same test files run in a second pytest process whose DATABASE_URL names the test
server; tests that start their own processes choose their database themselves (the
``engine`` parameter), so that pass leaves them out (conftest.py).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from .databases import postgres_url

HERE = Path(__file__).resolve().parent
PG_PASS = "JDMTRACK_REGISTRY_PG_PASS"


def test_the_registry_tests_pass_on_postgresql():
    url = postgres_url()
    env = {**os.environ, "DATABASE_URL": url, PG_PASS: "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             "--create-db", str(HERE)], env=env, cwd=HERE.parents[1],
                            capture_output=True, text=True, timeout=1800, check=False)
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    passed = re.search(r"(\d+) passed", result.stdout)
    assert passed and int(passed.group(1)) >= 100, result.stdout[-2000:]
    assert " failed" not in result.stdout and " error" not in result.stdout
