"""A progress line on the terminal for work that takes more than a second or two.

The command line opens one :class:`Progress` for a run (:func:`progress_line`); it prints
each stage as it starts (``[  2.1 s] analysing``) and, while a stage's long loop reports
how far it is (:func:`report_progress`: Monte Carlo resamples, report sections), a bar on
the same line once that stage has run for ``delay`` seconds. It writes nothing at all when
its stream (stderr) is not a terminal: piped or redirected output, logs and CI stay clean.
Library code calls :func:`report_progress`, which does nothing when no line is open, so
the library itself never prints.

>>> import io
>>> quiet = io.StringIO()                      # not a terminal
>>> with progress_line(quiet) as line:
...     line.stage("analysing")
...     report_progress(50, 100, "permutations")
>>> quiet.getvalue()
''
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TextIO

__all__ = ["Progress", "progress_line", "report_progress", "silence_progress"]

_ACTIVE: ContextVar[Progress | None] = ContextVar("jdmtrack_progress", default=None)


class Progress:
    """Stage lines and a bar for one run, on ``stream`` (stderr) when it is a terminal.

    ``delay``: seconds a stage runs before its bar appears (short work shows none);
    ``interval``: least seconds between redraws (a tight loop costs nothing).
    """

    def __init__(self, stream: TextIO | None = None, *, delay: float = 1.5,
                 interval: float = 0.1, width: int = 30,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = bool(isatty()) if callable(isatty) else False
        self.delay, self.interval, self.width, self.clock = delay, interval, width, clock
        self.start = self.stage_start = clock()
        self._drawn = 0.0 - interval
        self._bar_shown = False

    def stage(self, name: str) -> None:
        """A new stage: its name on a line of its own, with the time since the start."""
        if not self.enabled:
            return
        self._clear()
        now = self.clock()
        self.stage_start = now
        self.stream.write(f"[{now - self.start:5.1f} s] {name}\n")
        self.stream.flush()

    def update(self, done: float, total: float, what: str = "") -> None:
        """How far the current stage's loop is: ``done`` of ``total``."""
        if not self.enabled or total <= 0:
            return
        now = self.clock()
        if now - self.stage_start < self.delay or now - self._drawn < self.interval:
            return
        self._drawn = now
        share = min(1.0, max(0.0, done / total))
        filled = round(share * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r  [{bar}] {100 * share:3.0f}% {what}".rstrip() + "\x1b[K")
        self.stream.flush()
        self._bar_shown = True

    def close(self) -> None:
        self._clear()

    def _clear(self) -> None:
        if self._bar_shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._bar_shown = False


@contextmanager
def progress_line(stream: TextIO | None = None, *, delay: float = 1.5,
                  clock: Callable[[], float] = time.monotonic) -> Iterator[Progress]:
    """Open a :class:`Progress` that :func:`report_progress` reaches, for a ``with`` block."""
    line = Progress(stream, delay=delay, clock=clock)
    token = _ACTIVE.set(line)
    try:
        yield line
    finally:
        _ACTIVE.reset(token)
        line.close()


def report_progress(done: float, total: float, what: str = "") -> None:
    """Tell the open progress line (if any) that ``done`` of ``total`` is done."""
    line = _ACTIVE.get()
    if line is not None:
        line.update(done, total, what)


def silence_progress() -> None:
    """No progress line from here on in this context: a forked child's work stays silent,
    since its parent owns the terminal line (``jdmtrack.parallel``)."""
    _ACTIVE.set(None)
