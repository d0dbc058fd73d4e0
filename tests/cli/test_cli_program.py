"""The program as users start it: ``python -m jdmtrack`` runs ``jdmtrack.cli.run``."""

from __future__ import annotations

import subprocess
import sys

from jdmtrack import __version__
from jdmtrack.pipeline import example_path


def _program(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jdmtrack", *args], capture_output=True,
                          text=True, timeout=120)


def test_version_and_exit_code_0() -> None:
    done = _program("--version")
    assert done.returncode == 0
    assert __version__ in done.stdout


def test_bad_input_keeps_exit_code_1_and_prints_no_traceback(tmp_path) -> None:
    done = _program("validate", str(tmp_path / "missing"))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "nothing exists at this path" in done.stderr + done.stdout


def test_output_is_complete_after_the_quick_exit(tmp_path) -> None:
    """The frozen exit must not lose buffered output or leave a written file short."""
    out = tmp_path / "scored.csv"
    done = _program("score", str(example_path()), "-o", str(out))
    assert done.returncode == 0, done.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + 15  # header + the example's 15 visits
    assert lines[0].startswith("patient_id,")
