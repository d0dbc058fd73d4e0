"""Inputs that are not what they seem: paths, special files, unreadable files, and the
CLI's handling of what is left (files it cannot write, defects)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from jdmtrack.cli import main
from jdmtrack.cli.errors import INTERNAL_ERROR
from jdmtrack.errors import InputError, Problem
from jdmtrack.pipeline import example_path, load_cohort


def _problems(path: Path | str) -> tuple[Problem, ...]:
    with pytest.raises(InputError) as info:
        load_cohort(path)
    return info.value.problems


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "cohort"
    shutil.copytree(example_path(), folder)
    return folder


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_an_optional_table_that_is_a_fifo_is_named_and_never_opened(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "events.csv").unlink()
    os.mkfifo(folder / "events.csv")  # opening it to read would wait forever
    (problem,) = _problems(folder)
    assert problem.file == str(folder / "events.csv")
    assert "not a regular file" in problem.expected


def test_an_unreadable_table_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Permission bits do not stop root (these tests may run as root): the read fails as
    it does for a user without permission."""
    folder = _copy(tmp_path)
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "adverse_events.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    (problem,) = _problems(folder)
    assert problem.file == str(folder / "adverse_events.csv")
    assert "Permission denied" in problem.expected


@pytest.mark.parametrize("path", ["x" * 5000, "a\x00b"], ids=["name_too_long", "nul_byte"])
def test_a_path_that_cannot_be_opened_is_a_problem(path: str) -> None:
    (problem,) = _problems(path)
    assert "this path cannot be opened" in problem.expected


def test_a_special_file_given_as_the_cohort_is_not_read(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("named pipes are POSIX")
    pipe = tmp_path / "cohort.xlsx"
    os.mkfifo(pipe)
    (problem,) = _problems(pipe)
    assert "not a regular file" in problem.expected


def test_an_output_path_that_is_a_folder_is_named_not_called_a_bug(tmp_path: Path) -> None:
    (tmp_path / "scored.csv").mkdir()
    result = CliRunner().invoke(main, ["score", str(example_path()), "-o",
                                       str(tmp_path / "scored.csv")])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {tmp_path / 'scored.csv'}: cannot be written")
    assert INTERNAL_ERROR not in result.output


def test_a_defect_is_one_line_asking_for_a_report(monkeypatch: pytest.MonkeyPatch) -> None:
    import jdmtrack.pipeline

    def broken(_: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(jdmtrack.pipeline, "load_cohort", broken)
    result = CliRunner().invoke(main, ["validate", str(example_path())])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert result.output.startswith(f"Error: {INTERNAL_ERROR}")
    assert "ZeroDivisionError: division by zero" in result.output
    assert "please report it" in result.output
    monkeypatch.setenv("JDMTRACK_DEBUG", "1")
    result = CliRunner().invoke(main, ["validate", str(example_path())])
    assert isinstance(result.exception, ZeroDivisionError)
