"""The report's figures, drawn in two more processes while this one builds and writes tables.

Drawing is a third to a half of a report's time, and nothing else in the report waits on
it until ``report.html``. :func:`start_figures` starts a child (:func:`jdmtrack.parallel.
in_child`) that imports matplotlib and starts a sibling the same way; each draws its share
of the figures (:data:`SHARES`, :func:`draw_figures`) while the parent writes
``results.json``, builds the tables and writes ``tables.xlsx``, and the parent then takes
the drawn figures (SVG text and PNG bytes). The children inherit the results and visits
from the fork, so nothing is copied to them, and the parent never imports matplotlib.

The figures are drawn in-process instead, in the same order and with the same result,
when :func:`jdmtrack.parallel.parallel_enabled` says no (no ``os.fork``, one CPU, or
``JDMTRACK_PARALLEL=0``), on macOS (system libraries that do not survive a fork), when
the calling process runs other Python threads (one might hold a lock a child needs),
when ``JDMTRACK_FIGURE_PROCESS`` is ``0`` (or ``false``, ``no``, ``off``), and whenever
a child fails: an exception, a warning, a crash or an unreadable answer (a failed
sibling's share is drawn by the first child). A child's output goes nowhere, so a failure
there prints nothing; drawing again in this process raises (or warns) just as a report
drawn here always did.
"""

from __future__ import annotations

import os
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .model import FigureOut

if TYPE_CHECKING:
    import pandas as pd

    from ..parallel import Pending
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
    from ..parallel import parallel_enabled

    if os.environ.get(ENV_VAR, "").strip().lower() in _OFF or sys.platform == "darwin":
        return False
    return parallel_enabled() and threading.active_count() == 1


class FigureJob:
    """The figures being drawn: :meth:`collect` waits for them (or draws them here)."""

    def __init__(self, ctx: Context, visits: pd.DataFrame,
                 pending: Pending[dict[str, Drawn]]) -> None:
        self._ctx, self._visits, self._pending = ctx, visits, pending

    @property
    def forked(self) -> bool:
        """Whether child processes draw the figures."""
        return self._pending.in_child

    def collect(self) -> dict[str, Drawn]:
        """Every figure by key: the children's once they have finished, else drawn here."""
        drawn = self._pending.result()
        return drawn if _well_formed(drawn) else draw_figures(self._ctx, self._visits)


@contextmanager
def start_figures(ctx: Context, visits: pd.DataFrame) -> Iterator[FigureJob]:
    """The report's figures being drawn, in children when :func:`fork_wanted`; leaving the
    block stops and reaps a child whose figures were not collected."""
    from ..parallel import in_child

    parent = os.getpid()

    def work() -> dict[str, Drawn]:
        if os.getpid() == parent:  # no child, or it failed: drawn here, as always
            return draw_figures(ctx, visits)
        return _draw_shares(ctx, visits)

    with in_child(work, enabled=fork_wanted()) as pending:
        yield FigureJob(ctx, visits, pending)


def _draw_shares(ctx: Context, visits: pd.DataFrame) -> dict[str, Drawn]:
    """In the first child: import matplotlib once, start a sibling for the second share
    (it inherits the import), draw the first share, and add the sibling's."""
    from ..parallel import in_child

    quiet = os.open(os.devnull, os.O_WRONLY)  # nothing a child says reaches a terminal
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    with warnings.catch_warnings(record=True) as caught:
        import matplotlib.backends.backend_agg
        import matplotlib.figure  # noqa: F401 - imported once, for both children
    if caught:
        raise _Warned
    with in_child(lambda: _draw_share(ctx, visits, SHARES[1])) as sibling:
        drawn = _draw_share(ctx, visits, SHARES[0])
        drawn.update(sibling.result())  # drawn here if the sibling failed
    return drawn


class _Warned(Exception):
    """A child met a warning: the parent draws again and gives it."""


def _draw_share(ctx: Context, visits: pd.DataFrame, keys: tuple[str, ...]) -> dict[str, Drawn]:
    with warnings.catch_warnings(record=True) as caught:
        drawn = draw_figures(ctx, visits, keys)
    if caught:
        raise _Warned
    return drawn


def _well_formed(answer: Any) -> bool:
    """Whether the children's answer is a figure (or None) and notes for every key."""
    if not isinstance(answer, dict) or sorted(answer) != sorted(FIGURE_KEYS):
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
