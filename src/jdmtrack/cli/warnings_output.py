"""Data warnings on the terminal (a screenful at most) and, when asked, in a CSV file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from ..warning_log import WarningLog

__all__ = ["SHOWN_WARNING_LINES", "echo_warnings", "warnings_file_option"]

# At most this many lines of warnings on the terminal (one per kind); the rest in a file.
SHOWN_WARNING_LINES = 20


def warnings_file_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--warnings-file FILE``: every row each warning concerns, as CSV."""
    return click.option(
        "--warnings-file", type=click.Path(dir_okay=False, path_type=Path),
        help="Write every row each data warning concerns to FILE (CSV); the terminal and "
             "the report show one line per kind of warning.")(command)


def echo_warnings(log: WarningLog, warnings_file: Path | None) -> None:
    """A screenful at most: one line per kind (code x table x column x rule), then a count."""
    if log:
        click.echo(f"{log.total} data warning(s) of {len(log)} kind(s) (the data can be "
                   "analysed):")
        from ..warning_log import summary_lines

        for line in summary_lines(log, SHOWN_WARNING_LINES - 1):
            click.echo(line)
    if warnings_file is not None:
        warnings_file.parent.mkdir(parents=True, exist_ok=True)
        rows = log.write_csv(warnings_file)
        click.echo(f"Wrote {warnings_file}: {rows} warning row(s).")
