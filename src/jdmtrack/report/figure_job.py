"""The report's figures, drawn in a second process while this one builds and writes tables.

Drawing is a third to a half of a report's time, and nothing else in the report waits on
it until ``report.html``. :func:`start_figures` forks a child that draws every figure
(:func:`draw_figures`, all of matplotlib's work) while the parent writes ``results.json``,
builds the tables and writes ``tables.xlsx``; the parent then reads the drawn figures
(SVG text and PNG bytes, pickled) from a pipe. The child inherits the results and visits
from the fork, so nothing is copied to it, and the parent never imports matplotlib.

The figures are drawn in-process instead, in the same order and with the same result,
when ``os.fork`` is not there (Windows) or not safe (macOS: system libraries that do not
survive a fork), when only one CPU is available, when the calling process runs other
Python threads (one might hold a lock the child needs), when the environment variable
``JDMTRACK_FIGURE_PROCESS`` is ``0`` (or ``false``, ``no``, ``off``), and whenever the
child fails: an exception, a warning, a crash or an unreadable answer. The child's own
output goes nowhere, so a failure there prints nothing; drawing again in this process
raises (or warns) just as a report drawn here always did.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
import warnings
from typing import TYPE_CHECKING, Any

from .model import FigureOut

if TYPE_CHECKING:
    import pandas as pd

    from .context import Context

__all__ = ["ENV_VAR", "FIGURE_KEYS", "Drawn", "FigureJob", "draw_figures", "fork_wanted",
           "start_figures"]

#: A figure (None when there is nothing to draw) and the notes that go with it.
Drawn = tuple[FigureOut | None, list[str]]

#: Every figure the report can hold, in the order the document shows (and draws) them.
FIGURE_KEYS = ("outcomes_by_group", "trajectories", "response", "tis", "kaplan_meier",
               "kaplan_meier_by_group", "dose_weight")

#: Set to 0 to draw the figures in the report's own process.
ENV_VAR = "JDMTRACK_FIGURE_PROCESS"
_OFF = {"0", "false", "no", "off"}


def draw_figures(ctx: Context, visits: pd.DataFrame) -> dict[str, Drawn]:
    """Every figure of the report by key (:data:`FIGURE_KEYS`), drawn here in order."""
    from . import figures, figures_dose, figures_groups

    drawn: dict[str, Drawn] = {}
    drawn["outcomes_by_group"] = figures_groups.group_outcomes_figure(ctx), []
    drawn["trajectories"] = figures.trajectories_figure(ctx, visits)
    drawn["response"] = figures.response_figure(ctx), []
    drawn["tis"] = figures.tis_figure(ctx), []
    drawn["kaplan_meier"] = figures.km_figure(ctx), []
    drawn["kaplan_meier_by_group"] = figures_groups.group_km_figure(ctx), []
    drawn["dose_weight"] = figures_dose.dose_figure(ctx)
    return drawn


def fork_wanted() -> bool:
    """Whether :func:`start_figures` may fork (the conditions in the module's docstring)."""
    if os.environ.get(ENV_VAR, "").strip().lower() in _OFF:
        return False
    if not hasattr(os, "fork") or sys.platform in ("win32", "darwin"):
        return False
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cpus or 1) > 1 and threading.active_count() == 1


class FigureJob:
    """The figures being drawn: :meth:`collect` waits for them (or draws them here)."""

    def __init__(self, ctx: Context, visits: pd.DataFrame, pid: int | None = None,
                 fd: int | None = None) -> None:
        self._ctx, self._visits = ctx, visits
        self._pid, self._fd = pid, fd

    @property
    def forked(self) -> bool:
        """Whether a child process is drawing (or has drawn) the figures."""
        return self._pid is not None

    def collect(self) -> dict[str, Drawn]:
        """The figures: the child's, once it has finished; else drawn in this process."""
        answer = self._read() if self._pid is not None else None
        return answer if answer is not None else draw_figures(self._ctx, self._visits)

    def _read(self) -> dict[str, Drawn] | None:
        assert self._fd is not None and self._pid is not None
        chunks = []
        with os.fdopen(self._fd, "rb") as pipe:  # to end of file: the child has exited
            self._fd = None
            while chunk := pipe.read(1 << 20):
                chunks.append(chunk)
        status = self._reap()
        if status != 0 or not chunks:
            return None
        try:
            answer = pickle.loads(b"".join(chunks))
        except Exception:  # a truncated or garbled answer: draw here instead
            return None
        return answer if _well_formed(answer) else None

    def _reap(self) -> int:
        pid, self._pid = self._pid, None
        if pid is None:
            return -1
        _, status = os.waitpid(pid, 0)
        return status

    def close(self) -> None:
        """Stop the child if it is still drawing (the report failed) and reap it."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            self._reap()


def start_figures(ctx: Context, visits: pd.DataFrame) -> FigureJob:
    """Start drawing the report's figures: in a forked child when :func:`fork_wanted`."""
    if not fork_wanted():
        return FigureJob(ctx, visits)
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12 warns at every fork of a process with threads (OpenBLAS starts some);
        # the child draws with no BLAS call and no lock another thread could hold.
        warnings.filterwarnings("ignore", r".*use of fork\(\) may lead to deadlocks",
                                DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: draw, answer, leave without running the parent's exit code
        os.close(read_end)
        _child(ctx, visits, write_end)
    os.close(write_end)
    return FigureJob(ctx, visits, pid, read_end)


def _child(ctx: Context, visits: pd.DataFrame, fd: int) -> None:
    code = 1
    try:
        quiet = os.open(os.devnull, os.O_WRONLY)  # nothing the child says reaches a terminal
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        with warnings.catch_warnings(record=True) as caught:
            drawn = draw_figures(ctx, visits)
        if not caught:  # a warning is the parent's to give: it draws again and warns
            with os.fdopen(fd, "wb") as pipe:
                pipe.write(pickle.dumps(drawn, protocol=pickle.HIGHEST_PROTOCOL))
            code = 0
    except BaseException:  # whatever it was, the parent draws again and sees it
        pass
    finally:
        os._exit(code)


def _well_formed(answer: Any) -> bool:
    """Whether the child's answer is a figure (or None) and notes for every key."""
    if not isinstance(answer, dict) or list(answer) != list(FIGURE_KEYS):
        return False
    for value in answer.values():
        if not (isinstance(value, tuple) and len(value) == 2):
            return False
        figure, notes = value
        if figure is not None and not (isinstance(figure, FigureOut)
                                       and isinstance(figure.svg, str)
                                       and isinstance(figure.png, bytes)):
            return False
        if not (isinstance(notes, list) and all(isinstance(n, str) for n in notes)):
            return False
    return True
