"""The report's figures, drawn in two more processes while this one builds and writes tables.

Drawing is a third to a half of a report's time, and nothing else in the report waits on
it until ``report.html``. :func:`start_figures` forks a child that imports matplotlib and
forks a sibling; each draws its share of the figures (:data:`SHARES`,
:func:`draw_figures`) while the parent writes ``results.json``, builds the tables and
writes ``tables.xlsx``. The parent then reads the drawn figures (SVG text and PNG bytes,
pickled) from a pipe per share. The children inherit the results and visits from the
fork, so nothing is copied to them, and the parent never imports matplotlib.

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


class FigureJob:
    """The figures being drawn: :meth:`collect` waits for them (or draws them here)."""

    def __init__(self, ctx: Context, visits: pd.DataFrame, pid: int | None = None,
                 fds: tuple[int, ...] = ()) -> None:
        self._ctx, self._visits = ctx, visits
        self._pid, self._fds = pid, list(fds)
        #: The child this process forked (its sibling is the child's own).
        self.pids = () if pid is None else (pid,)

    @property
    def forked(self) -> bool:
        """Whether child processes draw the figures."""
        return self._pid is not None

    def collect(self) -> dict[str, Drawn]:
        """Every figure by key: the children's, once they have finished; a share whose
        child failed (or every share, when none was started) drawn in this process."""
        if self._pid is None:
            return draw_figures(self._ctx, self._visits)
        answers = []
        while self._fds:  # each pipe to its end: the child writing it has finished
            answers.append(_read(self._fds.pop(0)))
        self._reap()
        drawn: dict[str, Drawn] = {}
        for keys, answer in zip(SHARES, answers, strict=True):
            drawn.update(answer if _well_formed(answer, keys)
                         else draw_figures(self._ctx, self._visits, keys))
        return {key: drawn[key] for key in FIGURE_KEYS}

    def close(self) -> None:
        """Stop the children still drawing (the report failed) and reap the first."""
        while self._fds:
            os.close(self._fds.pop())
        if self._pid is not None:
            for kill, target in ((os.killpg, self._pid), (os.kill, self._pid)):
                with contextlib.suppress(OSError):
                    kill(target, signal.SIGKILL)
            self._reap()

    def _reap(self) -> None:
        pid, self._pid = self._pid, None
        if pid is not None:
            os.waitpid(pid, 0)


def start_figures(ctx: Context, visits: pd.DataFrame) -> FigureJob:
    """Start drawing the report's figures: in forked children when :func:`fork_wanted`.

    One child is forked here; it imports matplotlib and forks a sibling for each further
    share (:data:`SHARES`), so the import is paid once. Each writes its share into its
    own pipe.
    """
    if not fork_wanted():
        return FigureJob(ctx, visits)
    pipes = [os.pipe() for _ in SHARES]
    try:
        pid = _fork()
    except OSError:  # no process to spare: draw here
        for pair in pipes:
            for fd in pair:
                os.close(fd)
        return FigureJob(ctx, visits)
    if pid == 0:
        _first_child(ctx, visits, pipes)
    with contextlib.suppress(OSError):  # as the child does: whichever runs first makes it
        os.setpgid(pid, pid)
    for _, write_end in pipes:
        os.close(write_end)
    return FigureJob(ctx, visits, pid, tuple(read_end for read_end, _ in pipes))


def _fork() -> int:
    with warnings.catch_warnings():
        # Python 3.12 warns at a fork of a process with threads (OpenBLAS starts some);
        # the children draw with no BLAS call and no lock another thread could hold.
        warnings.filterwarnings("ignore", r".*use of fork\(\) may lead to deadlocks",
                                DeprecationWarning)
        return os.fork()


def _first_child(ctx: Context, visits: pd.DataFrame, pipes: list[tuple[int, int]]) -> None:
    """Import matplotlib, fork a sibling per further share, draw the first share, wait for
    the siblings, and leave without running the parent's exit code."""
    code = 1
    try:
        with contextlib.suppress(OSError):  # a group of its own: the parent stops it whole
            os.setpgid(0, 0)
        quiet = os.open(os.devnull, os.O_WRONLY)  # nothing a child says reaches a terminal
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        for read_end, _ in pipes:
            os.close(read_end)
        writes = [write_end for _, write_end in pipes]
        with warnings.catch_warnings(record=True) as caught:
            import matplotlib.backends.backend_agg
            import matplotlib.figure  # noqa: F401 - imported once, for every sibling
        if caught:  # a warning is the parent's to give: it draws and warns
            return
        mine, siblings = 0, list[int]()
        for share in range(1, len(SHARES)):
            try:
                pid = _fork()
            except OSError:  # the shares left are drawn by the parent
                break
            if pid == 0:
                mine, siblings = share, []
                break
            siblings.append(pid)
        for share, fd in enumerate(writes):
            if share != mine:
                os.close(fd)
        answered = _answer(ctx, visits, SHARES[mine], writes[mine])
        for pid in siblings:
            os.waitpid(pid, 0)
        code = 0 if answered else 1
    except BaseException:  # whatever it was, the parent draws again and sees it
        pass
    finally:
        os._exit(code)


def _answer(ctx: Context, visits: pd.DataFrame, keys: tuple[str, ...], fd: int) -> bool:
    """Draw ``keys`` and write them to ``fd``, which is closed in any case (the parent
    reads to its end); whether they were written."""
    with os.fdopen(fd, "wb") as pipe:
        try:
            with warnings.catch_warnings(record=True) as caught:
                drawn = draw_figures(ctx, visits, keys)
        except Exception:  # the parent draws this share again and sees the error
            return False
        if caught:  # a warning is the parent's to give: it draws again and warns
            return False
        pipe.write(pickle.dumps(drawn, protocol=pickle.HIGHEST_PROTOCOL))
    return True


def _read(fd: int) -> Any:
    """What a child wrote to ``fd`` (to its end), unpickled; None if it cannot be read."""
    chunks = []
    with os.fdopen(fd, "rb") as pipe:
        while chunk := pipe.read(1 << 20):
            chunks.append(chunk)
    try:
        return pickle.loads(b"".join(chunks))
    except Exception:  # nothing, or a truncated or garbled answer: drawn here instead
        return None


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
