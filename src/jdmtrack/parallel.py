"""Work done in a forked child process beside the parent, with the parent's answer as fallback.

Why: the report's large pieces (the per-site section of the analysis, the figures) are
independent of the rest, and the machines this runs on have two or more cores. A forked
child inherits the data already in memory (nothing is pickled on the way in) and sends
back only its result.

The child's answer is used only if the child ran to its end: a child that raised, was
killed or sent something unreadable is reaped, and the parent then does the work itself,
so an error surfaces exactly as it would without a child (same exception, same message)
and never as a traceback printed by the child. Without ``os.fork`` (Windows), on macOS,
in a process running other threads, on one core, or with ``JDMTRACK_PARALLEL=0`` in the
environment, the work is done in the parent when its result is asked for
(:func:`parallel_enabled`). Either way the result is the same value.

>>> with in_child(lambda: sum(range(10))) as pending:
...     pending.result()
45

A *warm* child is started before its argument exists, so that its preparation (the
figures' imports) runs while the parent computes what it will be given:

>>> with warm_child(lambda: None, lambda numbers: sum(numbers)) as warm:
...     warm.submit([1, 2, 3]).result()
6
"""

from __future__ import annotations

import os
import pickle
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Generic, TypeVar

__all__ = ["ENVIRONMENT", "Pending", "Warm", "in_child", "parallel_enabled", "warm_child"]

A = TypeVar("A")
T = TypeVar("T")

#: Set to 0 (or "no", "false", "off") to do all work in one process.
ENVIRONMENT = "JDMTRACK_PARALLEL"


def parallel_enabled() -> bool:
    """Whether work may go to a forked child: fork exists and is safe, more than one core is
    usable, and ``JDMTRACK_PARALLEL`` does not say no.

    Not safe: on macOS (system libraries, Accelerate's BLAS among them, do not survive a
    fork: a child could hang, and its parent with it), and in a process running other
    Python threads (a notebook kernel, a web server), one of which may hold a lock the
    child would wait for forever.
    """
    import sys
    import threading

    if os.environ.get(ENVIRONMENT, "1").strip().lower() in ("0", "no", "false", "off"):
        return False
    if not hasattr(os, "fork") or sys.platform == "darwin" or threading.active_count() > 1:
        return False
    affinity = getattr(os, "sched_getaffinity", None)
    cores = len(affinity(0)) if callable(affinity) else (os.cpu_count() or 1)
    return cores > 1


class Pending(Generic[T]):
    """The result of ``work``, computed by a child process if one was started."""

    def __init__(self, work: Callable[[], T], pid: int | None, read_end: int | None) -> None:
        self._work = work
        self._pid = pid
        self._read_end = read_end
        self._done = False
        self._value: T | None = None

    @property
    def in_child(self) -> bool:
        """Whether a child process was started for this work."""
        return self._pid is not None

    def result(self) -> T:
        """The child's result; the parent's own, computed now, if the child failed."""
        if not self._done:
            received = self._receive()
            self._value = received[1] if received is not None else self._work()
            self._done = True
        return self._value  # type: ignore[return-value]  # set above, T may include None

    def cancel(self) -> None:
        """Stop and reap the child if it is still running (the parent no longer needs it)."""
        if self._pid is not None:
            _stop(self._pid, self._read_end)
        self._pid = self._read_end = None

    def _receive(self) -> tuple[bool, T] | None:
        if self._pid is None or self._read_end is None:
            return None
        chunks = []
        with os.fdopen(self._read_end, "rb") as pipe:
            self._read_end = None
            while chunk := pipe.read(1 << 20):
                chunks.append(chunk)
        ok = self._reap()
        if not ok:
            return None
        try:
            received = pickle.loads(b"".join(chunks))
        except Exception:  # anything unreadable: the parent does the work
            return None
        if not (isinstance(received, tuple) and len(received) == 2 and received[0] is True):
            return None
        return received

    def _reap(self) -> bool:
        """Wait for the child; True if it exited normally with status 0."""
        if self._pid is None:
            return False
        pid, self._pid = self._pid, None
        if self._read_end is not None:
            os.close(self._read_end)
            self._read_end = None
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return False
        return os.waitstatus_to_exitcode(status) == 0


@contextmanager
def in_child(work: Callable[[], T], *, enabled: bool | None = None) -> Iterator[Pending[T]]:
    """Start ``work`` in a forked child; yield its ``Pending`` result.

    On leaving the block the child is stopped and reaped if its result was not collected,
    so no process outlives the block. ``enabled`` overrides ``parallel_enabled()``.
    """
    pending = _start(work) if (parallel_enabled() if enabled is None else enabled) else None
    if pending is None:
        pending = Pending(work, None, None)
    try:
        yield pending
    finally:
        pending.cancel()


class Warm(Generic[A, T]):
    """A child started early: it prepares, then waits for the argument of its work."""

    def __init__(self, work: Callable[[A], T], pid: int | None, inbox: int | None,
                 outbox: int | None) -> None:
        self._work = work
        self._pid, self._inbox, self._outbox = pid, inbox, outbox
        self._pending: Pending[T] | None = None

    @property
    def in_child(self) -> bool:
        return self._pid is not None

    def submit(self, argument: A) -> Pending[T]:
        """Send ``argument`` to the child (or keep it, without one); its pending result.

        The argument is pickled here and written by a thread, so the parent goes on while
        a child still preparing has not read it yet.
        """
        if self._pending is not None:
            raise RuntimeError("a warm child takes one argument")
        work = self._work
        if self._pid is None or self._inbox is None:
            self._pending = Pending(lambda: work(argument), None, None)
            return self._pending
        payload = pickle.dumps(argument, protocol=pickle.HIGHEST_PROTOCOL)
        inbox, self._inbox = self._inbox, None
        import threading

        threading.Thread(target=_send, args=(inbox, payload), daemon=True).start()
        self._pending = Pending(lambda: work(argument), self._pid, self._outbox)
        self._pid = self._outbox = None
        return self._pending

    def cancel(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
        if self._inbox is not None:
            os.close(self._inbox)
            self._inbox = None
        if self._pid is not None:
            _stop(self._pid, self._outbox)
        self._pid = self._outbox = None


def _stop(pid: int, read_end: int | None) -> None:
    """Kill and reap child ``pid``; close the parent's end of its pipe."""
    import signal

    if read_end is not None:
        os.close(read_end)
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _send(fd: int, payload: bytes) -> None:
    """Write ``payload`` with its length first; a child that died meanwhile is ignored
    (its pending result then falls back to the parent)."""
    try:
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(len(payload).to_bytes(8, "little") + payload)
    except OSError:
        pass


@contextmanager
def warm_child(prepare: Callable[[], object], work: Callable[[A], T], *,
               enabled: bool | None = None) -> Iterator[Warm[A, T]]:
    """Start a child that runs ``prepare()`` at once and ``work(argument)`` when given one.

    Leaving the block stops and reaps the child unless its result was collected. Without
    a child (see ``parallel_enabled``) ``submit`` keeps the argument and the parent does
    the work when the result is asked for; ``prepare`` then never runs.
    """
    warm: Warm[A, T] | None = None
    if parallel_enabled() if enabled is None else enabled:
        inbox_read, inbox_write = os.pipe()

        def child_work() -> T:
            os.close(inbox_write)
            with suppress(Exception):  # the work meets the same problem, or the parent redoes it
                prepare()
            with os.fdopen(inbox_read, "rb") as inbox:
                size = int.from_bytes(inbox.read(8), "little")
                argument = pickle.loads(inbox.read(size))
            return work(argument)

        started = _start(child_work)
        os.close(inbox_read)
        if started is None:
            os.close(inbox_write)
        else:
            warm = Warm(work, started._pid, inbox_write, started._read_end)
    try:
        if warm is None:
            warm = Warm(work, None, None, None)
        yield warm
    finally:
        if warm is not None:
            warm.cancel()


def _start(work: Callable[[], T]) -> Pending[T] | None:
    read_end, write_end = os.pipe()
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns that fork in a process with threads (OpenBLAS's pool) may
            # deadlock the child: the child here runs only numpy and Python code, and a
            # child that never answers is killed when the parent leaves `in_child`.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # pragma: no cover - the child's lines run in another process
        _child(work, read_end, write_end)
    os.close(write_end)
    return Pending(work, pid, read_end)


def _child(work: Callable[[], object], read_end: int, write_end: int) -> None:  # pragma: no cover
    """Run ``work``, write ``(True, result)`` to the pipe, and leave without cleanup.

    ``os._exit``: the parent's atexit handlers, buffered output and open files belong to
    the parent, and must not run, flush or close twice.
    """
    status = 1
    try:
        os.close(read_end)
        from .progress import silence_progress

        silence_progress()  # the parent alone draws the progress line
        payload = pickle.dumps((True, work()), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
        status = 0
    except BaseException:  # the parent redoes the work and reports any error
        status = 1
    finally:
        os._exit(status)
