"""The README opens with the two commands, and CI runs the second one verbatim."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", text)


def test_readme_opens_with_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_blocks = text.split("## ")[0]
    assert first_blocks.count("```bash") == 2
    install_and_demo, install_and_test = readme_commands()[:2]
    assert install_and_demo.startswith("pip install ") and "jdmtrack report --demo" in install_and_demo
    assert install_and_test == 'pip install -e ".[dev]" && pytest'


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = readme_commands()[1]
    assert command in ci.splitlines()


def test_python_version_matches_pyproject():
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert requires == ">=3.11"
    assert "Python 3.11 or newer" in (ROOT / "README.md").read_text(encoding="utf-8")
