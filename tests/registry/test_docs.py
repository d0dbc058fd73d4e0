"""The README's registry block and docs/registry.md name commands that exist."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from jdmtrack.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_readme_has_a_run_the_registry_block():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Run the registry", 1)[1].split("\n## ", 1)[0]
    (command,) = re.findall(r"```bash\n(.+?)\n```", section)
    assert command.split(" && ") == ['pip install ".[registry]"',
                                     "jdmtrack registry init --admin you", "jdmtrack registry serve"]


def test_every_registry_command_in_the_docs_exists():
    text = (ROOT / "docs" / "registry.md").read_text(encoding="utf-8")
    assert "screenshots/registry.png" in text
    named = set(re.findall(r"jdmtrack registry (?:--home \S+ )?([a-z-]+)", text))
    commands = main.commands["registry"].commands  # type: ignore[attr-defined]
    assert named and named <= set(commands)
    for name in commands:
        assert CliRunner().invoke(main, ["registry", name, "--help"]).exit_code == 0
