"""The figures drawn in a forked child (report/figure_job.py): the same files as drawn in
process, and every way the child can fail ends in the report drawn in process instead."""

from __future__ import annotations

import copy
import os
import signal
import subprocess
import sys
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import jdmtrack
from jdmtrack.demo import generate_synthetic, path
from jdmtrack.errors import JdmtrackError
from jdmtrack.report import figure_job, figures, render_report
from jdmtrack.report.context import Context

PARENT = os.getpid()


def _contents(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path; a .docx as its members (python-docx
    stamps each member with the minute it was written, so the zip itself can differ)."""
    out: dict[str, bytes] = {}
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = file.relative_to(folder).as_posix()
        if file.suffix == ".docx":
            with zipfile.ZipFile(file) as docx:
                out.update({f"{name}:{m}": docx.read(m) for m in docx.namelist()})
            out[f"{name}:members"] = "\n".join(docx.namelist()).encode()
        else:
            out[name] = file.read_bytes()
    return out


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each report rendered in the test had its figures drawn by a child."""
    started: list[bool] = []
    start = figure_job.start_figures

    @contextmanager
    def spy(ctx: Any, visits: pd.DataFrame) -> Iterator[figure_job.FigureJob]:
        with start(ctx, visits) as job:
            started.append(job.forked)
            yield job

    monkeypatch.setattr(figure_job, "start_figures", spy)
    monkeypatch.delenv(figure_job.ENV_VAR, raising=False)
    return started


def _no_child_left() -> bool:
    """Whether this process has no child process, running or a zombie (never reaped)."""
    with suppress(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # 0 for a child still running; a zombie's pid
        return False
    return True


needs_fork = pytest.mark.skipif(not figure_job.fork_wanted(),
                                reason="the figures are drawn in process on this machine")


@needs_fork
@pytest.mark.parametrize("demo", ["baricitinib", "tofacitinib-ruxolitinib"])
def test_the_child_draws_what_the_parent_would(demo: str) -> None:
    """Both demos, every figure: the same SVG text, PNG bytes, caption and notes."""
    results = jdmtrack.analyze(path(demo), resamples=1000)
    ctx = Context.of(results)
    with figure_job.start_figures(ctx, results.visits) as job:
        assert job.forked
        drawn = job.collect()
    assert _no_child_left()
    assert drawn == figure_job.draw_figures(ctx, results.visits)


@needs_fork
def test_forked_and_in_process_reports_are_the_same_bytes(
        tmp_path: Path, forks: list[bool], monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file of a report with all seven figures (by drug, two sites)."""
    synthetic = generate_synthetic(80, 3, tmp_path / "synthetic")  # sites of 42 and 38
    results = jdmtrack.analyze(synthetic, resamples=1000, by="jaki_drug",
                               measures=("das_skin", "cmas_total", "cs_mg_kg_day"))
    assert results.to_dict()["sites"]["levels"] == ["SYNTHETIC-01", "SYNTHETIC-02"]
    forked = render_report(results, results.visits, tmp_path / "forked")
    with monkeypatch.context() as off:
        off.setenv(figure_job.ENV_VAR, "0")
        here = render_report(results, results.visits, tmp_path / "here")
    assert forks == [True, False] and _no_child_left()  # forked once, and reaped
    assert len(forked.figures) == 14
    assert [p.name for p in forked.figures] == [p.name for p in here.figures]
    assert _contents(forked.out_dir) == _contents(here.out_dir)


def test_the_variable_turns_the_process_off(monkeypatch: pytest.MonkeyPatch,
                                            results: dict[str, Any], visits: pd.DataFrame,
                                            tmp_path: Path) -> None:
    for value in ("0", "false", "Off", "no"):
        monkeypatch.setenv(figure_job.ENV_VAR, value)
        assert not figure_job.fork_wanted()

    def no_fork() -> int:
        raise AssertionError("forked")

    monkeypatch.setattr(os, "fork", no_fork)
    files = render_report(results, visits, tmp_path)
    assert [p.name for p in files.figures][:2] == ["figure_1_trajectories.png",
                                                   "figure_1_trajectories.svg"]


def _in_child_only(name: str, action: Any) -> Any:
    """Figure function ``name`` doing ``action`` in a child and drawing as usual here."""
    draw = getattr(figures, name)

    def figure(*args: Any) -> Any:
        if os.getpid() != PARENT:
            return action()
        return draw(*args)

    return figure


def _raise() -> None:
    raise RuntimeError("drawing failed")


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


@needs_fork
@pytest.mark.parametrize(("name", "action"), [
    ("trajectories_figure", _raise), ("response_figure", _die),
    ("response_figure", lambda: "not a figure"), ("trajectories_figure", _die)],
    ids=["raises in the first child", "killed", "garbage", "first child killed"])
def test_a_failed_child_leaves_its_figures_to_the_parent(
        name: str, action: Any, forks: list[bool], monkeypatch: pytest.MonkeyPatch,
        results: dict[str, Any], visits: pd.DataFrame, tmp_path: Path,
        rendered: tuple[dict[str, Any], Any], capfd: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(figures, name, _in_child_only(name, action))
    files = render_report(results, visits, tmp_path)
    assert forks == [True] and _no_child_left()
    assert _contents(files.out_dir) == _contents(rendered[1].out_dir)
    assert capfd.readouterr() == ("", "")  # no traceback from the child


@needs_fork
def test_a_warning_in_the_child_is_given_by_the_parent(
        forks: list[bool], monkeypatch: pytest.MonkeyPatch, results: dict[str, Any],
        visits: pd.DataFrame, tmp_path: Path) -> None:
    draw = figures.response_figure

    def response_figure(ctx: Any) -> Any:
        warnings.warn("odd response counts", UserWarning, stacklevel=1)
        return draw(ctx)

    monkeypatch.setattr(figures, "response_figure", response_figure)
    with pytest.warns(UserWarning, match="odd response counts") as caught:
        render_report(results, visits, tmp_path)
    assert len(caught) == 1 and forks == [True] and _no_child_left()


@needs_fork
def test_an_error_in_the_parent_stops_and_reaps_the_child(
        forks: list[bool], results: dict[str, Any], visits: pd.DataFrame,
        tmp_path: Path) -> None:
    with pytest.raises(JdmtrackError, match="cannot be written as JSON"):
        render_report(dict(copy.deepcopy(results), extra=float("nan")), visits, tmp_path)
    assert forks == [True] and _no_child_left()


@needs_fork
def test_the_parent_never_imports_matplotlib(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "sys.path.insert(0, sys.argv[2])\n"
        "from conftest import make_results, make_visits\n"
        "from jdmtrack.report import render_report\n"
        "files = render_report(make_results(), make_visits(), sys.argv[1])\n"
        "assert len(files.figures) == 10, files.figures\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))\n")
    env = {k: v for k, v in os.environ.items() if k != figure_job.ENV_VAR}
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path),
                           str(Path(__file__).parent)], capture_output=True, text=True,
                          env=env, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
