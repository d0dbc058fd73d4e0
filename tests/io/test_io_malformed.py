"""Every malformed input under tests/data/malformed/ is reported, never a traceback.

Each case is a folder ``tests/data/malformed/<case>/``: the input is the folder's
``cohort.*`` file when it has one (a workbook or a file that is not a cohort), else
the folder itself (CSV files). ``expected.txt`` lists the complete set of problem
locations the input must produce, one per line, as ``Problem.location()`` prints them
with the file named relative to the case folder; text after `` :: `` must occur in
that problem's message. Workbooks are written by ``make_xlsx_cases.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from jdmtrack.cli import main
from jdmtrack.errors import InputError, Problem
from jdmtrack.pipeline import load_cohort

MALFORMED = Path(__file__).resolve().parents[1] / "data" / "malformed"
CASES = sorted(p for p in MALFORMED.iterdir() if (p / "expected.txt").is_file())
SEPARATOR = " :: "


@dataclass(frozen=True)
class Expected:
    location: str
    text: str | None


def _input_path(case: Path) -> Path:
    inputs = sorted(case.glob("cohort.*"))
    return inputs[0] if inputs else case


def _expected(case: Path) -> list[Expected]:
    out = []
    for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        location, _, text = line.partition(SEPARATOR)
        out.append(Expected(location, text or None))
    return out


def _location(problem: Problem, case: Path) -> str:
    """``Problem.location()`` with the file named relative to the case folder."""
    name = Path(problem.file).relative_to(case).as_posix()
    return Problem(name, problem.row, problem.column, None, "", problem.sheet).location()


def _problems(case: Path) -> tuple[Problem, ...]:
    with pytest.raises(InputError) as info:
        load_cohort(_input_path(case))
    return info.value.problems


def test_there_are_at_least_30_cases() -> None:
    assert len(CASES) >= 30


def test_every_case_folder_has_an_expected_listing() -> None:
    folders = [p for p in MALFORMED.iterdir() if p.is_dir() and p.name != "__pycache__"]
    assert sorted(folders) == CASES


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_library_reports_exactly_the_expected_problems(case: Path) -> None:
    problems = _problems(case)
    expected = _expected(case)
    found = [_location(p, case) for p in problems]
    wanted = [e.location for e in expected]
    assert len(wanted) == len(set(wanted)), "expected.txt lists a location twice"
    assert sorted(set(found)) == sorted(wanted)
    assert len(found) == len(set(found)), "a location is reported twice"
    for e in expected:
        if e.text is not None:
            message = str(problems[found.index(e.location)])
            assert e.text in message, f"{e.location}: {message!r} lacks {e.text!r}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_problems_are_listed_by_file_then_row(case: Path) -> None:
    problems = list(_problems(case))
    assert problems == sorted(problems, key=Problem.sort_key)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_validate_command_lists_every_problem_without_traceback(case: Path) -> None:
    path = _input_path(case)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    folder = path.parent if path.is_file() else path
    for e in _expected(case):
        # The CLI names files as given on the command line; each problem line is
        # "<location>: got ..., expected ...".
        assert f"{folder / e.location}: " in result.output, e.location


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_score_command_writes_nothing(case: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(main, ["score", str(_input_path(case)), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
