"""Turn library errors into click errors: message on stderr, exit 1, no traceback.

Two layers:

- ``reported()`` around a command's library calls: a ``JdmtrackError`` (bad input, a
  setting that cannot be used) becomes its message and exit code 1;
- ``GuardedGroup``, the ``jdmtrack`` group itself: an ``OSError`` (an output path that
  is a folder, a full disk) is named as such; anything else a command raises is a
  defect of jdmtrack, printed as one line that says so and asks for a report (exit 1).
  ``JDMTRACK_DEBUG=1`` shows the traceback instead. The fuzz tests fail if this guard is
  ever reached: every bad input must be a located ``InputError`` long before it.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click

from ..errors import JdmtrackError

__all__ = ["INTERNAL_ERROR", "GuardedGroup", "file_error_message", "reported"]

T = TypeVar("T")

# The start of the guard's message; tests look for it.
INTERNAL_ERROR = "internal error in jdmtrack"


class ReportedError(click.ClickException):
    exit_code = 1


@contextmanager
def reported() -> Iterator[None]:
    """Run a block; a ``JdmtrackError`` becomes a clean error message and exit code 1."""
    try:
        yield
    except JdmtrackError as err:
        raise ReportedError(str(err)) from err


def call(function: Callable[..., T], *args: object, **kwargs: object) -> T:
    with reported():
        return function(*args, **kwargs)


class GuardedGroup(click.Group):
    """A click group whose commands never end in a traceback (see the module docstring)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit,
                KeyboardInterrupt, GeneratorExit):
            raise
        except JdmtrackError as err:
            raise ReportedError(str(err)) from err
        except BrokenPipeError:
            # The reader of our output went away (``jdmtrack validate DATA | head``):
            # nothing is wrong, and nothing more can be shown.
            _silence_stdout()
            raise click.exceptions.Exit(1) from None
        except OSError as err:
            # A file that cannot be written or read (an output path that is a folder, a
            # full disk, no permission): the user's to fix, and named.
            if os.environ.get("JDMTRACK_DEBUG"):
                raise
            raise ReportedError(file_error_message(err)) from err
        except Exception as err:
            if os.environ.get("JDMTRACK_DEBUG"):
                raise
            raise ReportedError(internal_error_message(err)) from err


def _silence_stdout() -> None:
    """Point stdout at the null device so that the final flush at exit cannot fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass  # not a real file (a test runner's buffer): nothing to flush


def file_error_message(err: OSError) -> str:
    """An operating-system error on a file, as one line naming the file.

    >>> file_error_message(IsADirectoryError(21, "Is a directory", "out.csv"))
    'out.csv: cannot be written or read (Is a directory); check the path and try again'
    """
    where = err.filename if err.filename is not None else "a file"
    why = err.strerror or str(err)
    return f"{where}: cannot be written or read ({why}); check the path and try again"


def internal_error_message(err: BaseException) -> str:
    """One line naming the failure, saying it is jdmtrack's and asking for a report.

    >>> internal_error_message(KeyError("x"))  # doctest: +ELLIPSIS
    "internal error in jdmtrack ... (KeyError: 'x'). This is a bug in jdmtrack, ..."
    """
    from .._version import __version__

    detail = str(err).strip().splitlines()[0][:200] if str(err).strip() else ""
    what = f"{type(err).__name__}: {detail}" if detail else type(err).__name__
    return (f"{INTERNAL_ERROR} {__version__} ({what}). This is a bug in jdmtrack, not a "
            "problem you can fix in the data: please report it with the command you ran "
            "(and, if you can, the input); run again with JDMTRACK_DEBUG=1 to see the details.")
