"""Property: any mutation of a valid cohort gives success or located problems, never a
traceback and never the CLI's last-resort guard (see cohort_mutations.py).

A bounded run for the suite (about 20 s); the long run is benchmarks/fuzz_inputs.py and its
figures are in docs/fuzzing.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from cohort_mutations import Unhandled, build_input, cases, check_input, scratch_folder
from hypothesis import HealthCheck, given, seed, settings

from jdmtrack.cli import main
from jdmtrack.cli.errors import INTERNAL_ERROR

_SETTINGS = settings(max_examples=25, deadline=None, database=None, derandomize=True,
                     suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("form", ["csv", "xlsx", "redcap"])
def test_mutated_inputs_succeed_or_give_located_problems(form: str) -> None:
    @_SETTINGS
    @seed(12)
    @given(cases(form))
    def run(case: tuple[str, list[tuple[Any, ...]]]) -> None:
        with scratch_folder() as scratch:
            path = build_input(case[0], case[1], Path(scratch) / "in")
            check_input(case[0], path, Path(scratch) / "out")

    run()


def test_the_check_fails_when_the_guard_fires(monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    """The property above can fail: a defect reaching the CLI guard is caught."""
    import jdmtrack.pipeline

    path = build_input("csv", [("cell", "visits.csv", 2, 5, "3")], tmp_path / "in")

    def broken(_: object) -> None:
        raise KeyError("a defect")

    monkeypatch.setattr(jdmtrack.pipeline, "load_cohort", broken)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert INTERNAL_ERROR in result.output and "KeyError" in result.output
    assert "Traceback" not in result.output
    with pytest.raises(Unhandled, match="the last-resort guard fired"):
        from cohort_mutations import _check_cli

        _check_cli("csv", path, tmp_path / "out", valid=False)
