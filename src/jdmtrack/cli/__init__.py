"""The ``jdmtrack`` command line: each command parses, makes one library call, writes.

Exit codes: 0 success; 1 bad input or any other problem jdmtrack can name (every
problem is listed, no traceback), and an unexpected failure (one line asking for a bug
report; see ``cli.errors``); 2 usage errors (click's own).
"""

from __future__ import annotations

import gc

import click

from .._version import __version__
from . import (
    commands_analysis,
    commands_data,
    commands_demo,
    commands_dictionary,
    commands_plan,
    commands_redcap,
    commands_registry,
)
from .errors import GuardedGroup

__all__ = ["main", "run"]


@click.group(cls=GuardedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="jdmtrack")
def main() -> None:
    """Score, classify, analyse and report JAK-inhibitor studies in juvenile dermatomyositis.

    DATA is a folder holding patients.csv and visits.csv (optionally events.csv and
    adverse_events.csv), or one .xlsx workbook with sheets of those names.
    """


for _module in (commands_data, commands_analysis, commands_dictionary, commands_demo,
                commands_redcap, commands_plan, commands_registry):
    for _command in _module.COMMANDS:
        main.add_command(_command)


def run() -> None:
    """The ``jdmtrack`` program (and ``python -m jdmtrack``): ``main``, then a quicker exit.

    As the interpreter exits, its garbage collector walks every object still alive; after
    pandas, scipy and matplotlib are loaded that is some 10^5 objects and 0.1-0.3 s spent
    finding nothing to collect. ``gc.freeze`` takes them out of the collector's sight.
    Everything else about exiting is unchanged: every file jdmtrack writes is already
    closed, and atexit handlers and stream flushing still run. Tests call ``main``, not
    this, so a test process never freezes its objects.
    """
    try:
        main()
    finally:
        gc.freeze()
