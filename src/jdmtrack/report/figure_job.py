"""The report's figures, drawn in two more processes while this one builds and writes tables.

Drawing is a third to a half of a report's time, and nothing else in the report waits on
it until ``report.html``. :func:`start_figures` forks two children, each drawing its share
of the figures (:data:`SHARES`, :func:`draw_figures`: all of matplotlib's work), while the
parent writes ``results.json``, builds the tables and writes ``tables.xlsx``; the parent
then reads the drawn figures (SVG text and PNG bytes, pickled) from a pipe per child. The
children inherit the results and visits from the fork, so nothing is copied to them, and
the parent never imports matplotlib.

The figures are drawn in-process instead, in the same order and with the same result,
when ``os.fork`` is not there (Windows) or not safe (macOS: system libraries that do not
survive a fork), when only one CPU is available, when the calling process runs other
Python threads (one might hold a lock a child needs), when the environment variable
``JDMTRACK_FIGURE_PROCESS`` is ``0`` (or ``false``, ``no``, ``off``), and, for a child's
share, whenever that child fails: an exception, a warning, a crash or an unreadable
answer. A child's own output goes nowhere, so a failure there prints nothing; drawing
again in this process raises (or warns) just as a report drawn here always did.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .model import FigureOut

if TYPE_CHECKING:
    import pandas as pd

    from .context import Context

__all__ = ["ENV_VAR", "FIGURE_KEYS", "SHARES", "Drawn", "FigureJob", "draw_figures",
           "fork_wanted", "start_figures"]

#: A figure (None when there is nothing to draw) and the notes that go with it.
Drawn = tuple[FigureOut | None, list[str]]

#: Every figure the report can hold, in the order the document shows (and draws) them.
FIGURE_KEYS = ("outcomes_by_group", "trajectories", "response", "tis", "kaplan_meier",
               "kaplan_meier_by_group", "dose_weight")

#: Set to 0 to draw the figures in the report's own process.
ENV_VAR = "JDMTRACK_FIGURE_PROCESS"
_OFF = {"0", "false", "no", "off"}


#: What each child draws: the per-patient lines (the costliest figure at every cohort size)
#: with the by-group outcomes, and the rest; two shares keep both CPUs of a laptop busy.
SHARES = (("outcomes_by_group", "trajectories"),
          ("response", "tis", "kaplan_meier", "kaplan_meier_by_group", "dose_weight"))


def draw_figures(ctx: Context, visits: pd.DataFrame,
                 keys: tuple[str, ...] = FIGURE_KEYS) -> dict[str, Drawn]:
    """The report's figures named by ``keys`` (all by default), drawn here in that order."""
    from . import figures, figures_dose, figures_groups

    drawers: dict[str, Callable[[], Drawn]] = {
        "outcomes_by_group": lambda: (figures_groups.group_outcomes_figure(ctx), []),
        "trajectories": lambda: figures.trajectories_figure(ctx, visits),
        "response": lambda: (figures.response_figure(ctx), []),
        "tis": lambda: (figures.tis_figure(ctx), []),
        "kaplan_meier": lambda: (figures.km_figure(ctx), []),
        "kaplan_meier_by_group": lambda: (figures_groups.group_km_figure(ctx), []),
        "dose_weight": lambda: figures_dose.dose_figure(ctx),
    }
    return {key: drawers[key]() for key in keys}


def fork_wanted() -> bool:
    """Whether :func:`start_figures` may fork (the conditions in the module's docstring)."""
    if os.environ.get(ENV_VAR, "").strip().lower() in _OFF:
        return False
    if not hasattr(os, "fork") or sys.platform in ("win32", "darwin"):
        return False
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cpus or 1) > 1 and threading.active_count() == 1


class _Child:
    """One child drawing ``keys``: its process id and the read end of its pipe."""

    def __init__(self, keys: tuple[str, ...], pid: int, fd: int) -> None:
        self.keys, self.pid, self.fd = keys, pid, fd

    def answer(self) -> dict[str, Drawn] | None:
        """The child's figures, once it has exited; None if it failed in any way."""
        chunks = []
        with os.fdopen(self.fd, "rb") as pipe:  # to end of file: the child has finished
            self.fd = -1
            while chunk := pipe.read(1 << 20):
                chunks.append(chunk)
        if self.reap() != 0 or not chunks:
            return None
        try:
            answer = pickle.loads(b"".join(chunks))
        except Exception:  # a truncated or garbled answer: draw here instead
            return None
        return answer if _well_formed(answer, self.keys) else None

    def reap(self) -> int:
        """Wait for the child to exit (once); its wait status."""
        pid, self.pid = self.pid, -1
        return os.waitpid(pid, 0)[1] if pid > 0 else -1

    def stop(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if self.pid > 0:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self.reap()


class FigureJob:
    """The figures being drawn: :meth:`collect` waits for them (or draws them here)."""

    def __init__(self, ctx: Context, visits: pd.DataFrame,
                 children: list[_Child] | None = None) -> None:
        self._ctx, self._visits = ctx, visits
        self._children = children or []
        self.pids = tuple(child.pid for child in self._children)

    @property
    def forked(self) -> bool:
        """Whether child processes draw the figures."""
        return bool(self._children)

    def collect(self) -> dict[str, Drawn]:
        """Every figure by key: the children's, once they have finished, and where a child
        failed (or none was started), drawn in this process."""
        if not self._children:
            return draw_figures(self._ctx, self._visits)
        drawn: dict[str, Drawn] = {}
        for child in self._children:
            answer = child.answer()
            drawn.update(answer if answer is not None
                         else draw_figures(self._ctx, self._visits, child.keys))
        self._children = []
        return {key: drawn[key] for key in FIGURE_KEYS}

    def close(self) -> None:
        """Stop the children still drawing (the report failed) and reap them."""
        for child in self._children:
            child.stop()
        self._children = []


def start_figures(ctx: Context, visits: pd.DataFrame) -> FigureJob:
    """Start drawing the report's figures: in forked children when :func:`fork_wanted`."""
    if not fork_wanted():
        return FigureJob(ctx, visits)
    children: list[_Child] = []
    for keys in SHARES:
        read_end, write_end = os.pipe()
        try:
            with warnings.catch_warnings():
                # Python 3.12 warns at a fork of a process with threads (OpenBLAS starts
                # some); the child draws with no BLAS call and no lock a thread could hold.
                warnings.filterwarnings("ignore", r".*use of fork\(\) may lead to deadlocks",
                                        DeprecationWarning)
                pid = os.fork()
        except OSError:  # no process to spare: draw here
            os.close(read_end)
            os.close(write_end)
            FigureJob(ctx, visits, children).close()
            return FigureJob(ctx, visits)
        if pid == 0:  # the child: draw, answer, leave without running the parent's exit code
            os.close(read_end)
            for sibling in children:
                os.close(sibling.fd)
            _child(ctx, visits, keys, write_end)
        os.close(write_end)
        children.append(_Child(keys, pid, read_end))
    return FigureJob(ctx, visits, children)


def _child(ctx: Context, visits: pd.DataFrame, keys: tuple[str, ...], fd: int) -> None:
    code = 1
    try:
        quiet = os.open(os.devnull, os.O_WRONLY)  # nothing the child says reaches a terminal
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        with warnings.catch_warnings(record=True) as caught:
            drawn = draw_figures(ctx, visits, keys)
        if not caught:  # a warning is the parent's to give: it draws again and warns
            with os.fdopen(fd, "wb") as pipe:
                pipe.write(pickle.dumps(drawn, protocol=pickle.HIGHEST_PROTOCOL))
            code = 0
    except BaseException:  # whatever it was, the parent draws again and sees it
        pass
    finally:
        os._exit(code)


def _well_formed(answer: Any, keys: tuple[str, ...]) -> bool:
    """Whether the child's answer is a figure (or None) and notes for each of ``keys``."""
    if not isinstance(answer, dict) or tuple(answer) != keys:
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
