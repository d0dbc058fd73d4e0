"""The figures' process started before the results exist (figure_job.prepared_figures):
``jdmtrack report`` starts it first, so matplotlib loads while the cohort is analysed.

It must draw exactly what the report would draw in process, and each way it can fail (it
died, it was never used, the results cannot be sent) ends in the report drawn here.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from test_figure_job import _contents, _no_child_left, needs_fork

from jdmtrack import parallel
from jdmtrack.report import figure_job, render_report

pytestmark = needs_fork


@pytest.fixture
def submitted(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each figure request sent to a prepared process went to a live child."""
    sent: list[bool] = []
    submit = parallel.Warm.submit

    def spy(self: parallel.Warm[Any, Any], argument: Any) -> Any:
        pending = submit(self, argument)
        sent.append(pending.in_child)
        return pending

    monkeypatch.setattr(parallel.Warm, "submit", spy)
    monkeypatch.delenv(figure_job.ENV_VAR, raising=False)
    monkeypatch.delenv(parallel.ENVIRONMENT, raising=False)
    return sent


def test_the_prepared_process_draws_the_report(
        submitted: list[bool], results: dict[str, Any], visits: pd.DataFrame,
        tmp_path: Path, rendered: tuple[dict[str, Any], Any]) -> None:
    with figure_job.prepared_figures():
        files = render_report(results, visits, tmp_path / "prepared")
        again = render_report(results, visits, tmp_path / "again")  # forks on its own
    assert submitted == [True] and _no_child_left()
    assert _contents(files.out_dir) == _contents(rendered[1].out_dir)
    assert _contents(again.out_dir) == _contents(rendered[1].out_dir)


def test_a_prepared_process_that_died_leaves_the_figures_here(
        submitted: list[bool], results: dict[str, Any], visits: pd.DataFrame,
        tmp_path: Path, rendered: tuple[dict[str, Any], Any],
        capfd: pytest.CaptureFixture[str]) -> None:
    with figure_job.prepared_figures():
        warm = figure_job._PREPARED.get()
        assert warm is not None and warm.in_child
        os.kill(warm._pid, signal.SIGKILL)  # type: ignore[arg-type]
        files = render_report(results, visits, tmp_path)
    assert submitted == [True]  # sent to the dead process, then drawn here
    assert _no_child_left()
    assert _contents(files.out_dir) == _contents(rendered[1].out_dir)
    assert capfd.readouterr() == ("", "")


def test_results_that_cannot_be_sent_are_drawn_here(
        monkeypatch: pytest.MonkeyPatch, results: dict[str, Any], visits: pd.DataFrame,
        tmp_path: Path, rendered: tuple[dict[str, Any], Any]) -> None:
    def unpicklable(self: parallel.Warm[Any, Any], argument: Any) -> Any:
        raise TypeError("cannot pickle 'generator' object")

    monkeypatch.setattr(parallel.Warm, "submit", unpicklable)
    with figure_job.prepared_figures():
        files = render_report(results, visits, tmp_path)
    assert _no_child_left()
    assert _contents(files.out_dir) == _contents(rendered[1].out_dir)


def test_an_error_before_the_report_stops_the_prepared_process(submitted: list[bool]) -> None:
    with pytest.raises(ValueError, match="no such cohort"), figure_job.prepared_figures():
        assert figure_job._PREPARED.get() is not None
        raise ValueError("no such cohort")
    assert submitted == [] and _no_child_left()
    assert figure_job._PREPARED.get() is None


def test_jdmtrack_report_never_imports_matplotlib_itself(tmp_path: Path) -> None:
    """The command line's report: its figures come from the prepared process."""
    script = (
        "import sys\n"
        "from jdmtrack.cli import run\n"
        "sys.argv = ['jdmtrack', 'report', '--demo', 'baricitinib', '-o', sys.argv[1],\n"
        "            '--resamples', '1000']\n"
        "try:\n"
        "    run()\n"
        "except SystemExit as done:\n"
        "    assert not done.code, done.code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))\n")
    env = {k: v for k, v in os.environ.items()
           if k not in (figure_job.ENV_VAR, parallel.ENVIRONMENT)}
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True,
                          text=True, env=env, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert len(list((tmp_path / "figures").glob("*.png"))) == 4


def test_a_warning_while_preparing_leaves_the_drawing_here(
        submitted: list[bool], monkeypatch: pytest.MonkeyPatch, results: dict[str, Any],
        visits: pd.DataFrame, tmp_path: Path, rendered: tuple[dict[str, Any], Any]) -> None:
    """A warning met by the prepared process's imports (here: recorded as if matplotlib
    had given one) makes the report's own process draw, where it would show again."""
    prepare = figure_job._prepare

    def warned() -> None:
        prepare()
        figure_job._PREPARE_WARNED.append("Matplotlib created a temporary cache directory")

    drawn_in: list[int] = []
    draw = figure_job.draw_figures

    def spy(*args: Any, **kwargs: Any) -> Any:
        drawn_in.append(os.getpid())
        return draw(*args, **kwargs)

    monkeypatch.setattr(figure_job, "_prepare", warned)
    monkeypatch.setattr(figure_job, "draw_figures", spy)
    with figure_job.prepared_figures():
        files = render_report(results, visits, tmp_path)
    assert submitted == [True] and _no_child_left()
    assert drawn_in == [os.getpid()]  # drawn here (the child's calls are not seen here)
    assert figure_job._PREPARE_WARNED == []  # the list of this process: never filled here
    assert _contents(files.out_dir) == _contents(rendered[1].out_dir)
