"""The report's figures, drawn in two more processes while this one builds and writes tables.

Drawing is a third to a half of a report's time, and nothing else in the report waits on
it until ``report.html``. :func:`start_figures` starts a child (:func:`jdmtrack.parallel.
in_child`) that imports matplotlib and starts a sibling the same way; each draws its share
of the figures (:data:`SHARES`, :func:`draw_figures`) while the parent writes
``results.json``, builds the tables and writes ``tables.xlsx``, and the parent then takes
the drawn figures (SVG text and PNG bytes). The children inherit the results and visits
from the fork, so nothing is copied to them, and the parent never imports matplotlib.

The figures are drawn in-process instead, in the same order and with the same result,
when :func:`jdmtrack.parallel.parallel_enabled` says no (no ``os.fork``, one CPU,
``JDMTRACK_PARALLEL=0``, macOS: system libraries that do not survive a fork, or other
Python threads running in the calling process: one might hold a lock a child needs),
when ``JDMTRACK_FIGURE_PROCESS`` is ``0`` (or ``false``, ``no``, ``off``), and whenever
a child fails: an exception, a warning, a crash or an unreadable answer (a failed
sibling's share is drawn by the first child). A child's output goes nowhere, so a failure
there prints nothing; drawing again in this process raises (or warns) just as a report
drawn here always did.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Protocol

from .model import FigureOut

if TYPE_CHECKING:
    import pandas as pd

    from ..parallel import Warm
    from .context import Context

__all__ = ["ENV_VAR", "FIGURE_KEYS", "SHARES", "Drawn", "FigureJob", "draw_figures",
           "fork_wanted", "prepared_figures", "start_figures"]

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

    if os.environ.get(ENV_VAR, "").strip().lower() in _OFF:
        return False
    return parallel_enabled()  # fork exists and is safe here (macOS, threads), 2+ CPUs


class Answer(Protocol):
    """Figures on their way (``jdmtrack.parallel.Pending``); None: draw them here."""

    @property
    def in_child(self) -> bool: ...

    def result(self) -> dict[str, Drawn] | None: ...


class FigureJob:
    """The figures being drawn: :meth:`collect` waits for them (or draws them here)."""

    def __init__(self, ctx: Context, visits: pd.DataFrame, pending: Answer) -> None:
        self._ctx, self._visits, self._pending = ctx, visits, pending

    @property
    def forked(self) -> bool:
        """Whether child processes draw the figures."""
        return self._pending.in_child

    def collect(self) -> dict[str, Drawn]:
        """Every figure by key: the children's once they have finished, else drawn here."""
        drawn = self._pending.result()
        if drawn is not None and _well_formed(drawn):
            return drawn
        return draw_figures(self._ctx, self._visits)


#: The figures' process started early by :func:`prepared_figures`, until a report takes it.
_PREPARED: ContextVar[Warm[Sent, dict[str, Drawn] | None] | None] = ContextVar(
    "jdmtrack_prepared_figures", default=None)

#: What a prepared process is sent: the results (a results-file dict) and the visits'
#: columns the figures read.
Sent = tuple[dict[str, Any], "pd.DataFrame"]


@contextmanager
def prepared_figures() -> Iterator[None]:
    """Start the figures' first process now, before the results exist.

    It imports matplotlib, pandas and the figure modules (about 0.6 s CPU) while this
    process reads, scores and analyses; the first report rendered inside the block sends
    it the results and the visits' figure columns (pickled: a tenth of a second at 2,000
    patients) instead of forking then. ``jdmtrack report`` runs inside this block. Without
    a child (:func:`fork_wanted`) the block changes nothing.
    """
    from ..parallel import warm_child

    parent = os.getpid()

    def work(sent: Sent) -> dict[str, Drawn] | None:
        if os.getpid() == parent:  # the process failed: `FigureJob.collect` draws here
            return None
        if _PREPARE_WARNED:
            raise _Warned
        from ..results import Results
        from .context import Context

        data, visits = sent
        return _draw_shares(Context.of(Results.from_dict(data, copy_data=False)), visits)

    with warm_child(_prepare, work, enabled=fork_wanted()) as warm:
        token = _PREPARED.set(warm if warm.in_child else None)
        try:
            yield
        finally:
            _PREPARED.reset(token)


#: Warnings met by the prepared process's imports: if any, the report's own process draws
#: (and so gives them), as when a child meets a warning while drawing.
_PREPARE_WARNED: list[str] = []


def _prepare() -> None:
    """In the prepared process: the imports its drawing needs, done before it is needed.
    Nothing it says reaches the terminal (matplotlib's first run logs its font cache)."""
    _quiet()
    with warnings.catch_warnings(record=True) as caught:
        import matplotlib.backends.backend_agg
        import matplotlib.figure  # noqa: F401
        import pandas  # noqa: F401

        from ..results import Results  # noqa: F401
        from . import figures, figures_dose, figures_groups  # noqa: F401
        from .context import Context  # noqa: F401
    _PREPARE_WARNED.extend(str(w.message) for w in caught)


def _figure_columns(visits: pd.DataFrame) -> list[str]:
    """The visits' columns the figures read (the per-patient lines): all a prepared
    process is sent of the visits."""
    from .figures import TRAJECTORIES

    return [c for c in ("patient_id", "week", *TRAJECTORIES) if c in visits.columns]


@contextmanager
def start_figures(ctx: Context, visits: pd.DataFrame) -> Iterator[FigureJob]:
    """The report's figures being drawn, in children when :func:`fork_wanted`; leaving the
    block stops and reaps a child whose figures were not collected. Inside
    :func:`prepared_figures`, the process it started draws them."""
    from ..parallel import in_child

    sent = _send_to_prepared(ctx, visits)
    if sent is not None:
        yield FigureJob(ctx, visits, sent)
        return
    parent = os.getpid()

    def work() -> dict[str, Drawn]:
        if os.getpid() == parent:  # no child, or it failed: drawn here, as always
            return draw_figures(ctx, visits)
        return _draw_shares(ctx, visits)

    with in_child(work, enabled=fork_wanted()) as pending:
        yield FigureJob(ctx, visits, pending)


def _send_to_prepared(ctx: Context, visits: pd.DataFrame) -> Answer | None:
    """The figures asked of the process :func:`prepared_figures` started, if there is one
    (each such process draws one report's figures)."""
    warm = _PREPARED.get()
    if warm is None:
        return None
    _PREPARED.set(None)
    try:
        return warm.submit((dict(ctx.typed.data), visits[_figure_columns(visits)]))
    except Exception:  # the results cannot be pickled: drawn as without a process
        warm.cancel()
        return None


def _draw_shares(ctx: Context, visits: pd.DataFrame) -> dict[str, Drawn]:
    """In the first child: import matplotlib once, start a sibling for the second share
    (it inherits the import), draw the first share, and add the sibling's."""
    from ..parallel import in_child

    _quiet()
    with warnings.catch_warnings(record=True) as caught:
        import matplotlib.backends.backend_agg
        import matplotlib.figure  # noqa: F401 - imported once, for both children
    if caught:
        raise _Warned
    with in_child(lambda: _draw_share(ctx, visits, SHARES[1])) as sibling:
        drawn = _draw_share(ctx, visits, SHARES[0])
        drawn.update(sibling.result())  # drawn here if the sibling failed
    return drawn


def _quiet() -> None:
    """In a child: standard output and error go nowhere, so nothing it says (a traceback,
    a library's log line) reaches the terminal."""
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    os.close(quiet)


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
