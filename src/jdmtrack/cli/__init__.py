"""The ``jdmtrack`` command line: each command parses, makes one library call, writes.

Exit codes: 0 success; 1 bad input or any other problem jdmtrack can name (every
problem is listed, no traceback); 2 usage errors (click's own).
"""

from __future__ import annotations

import click

from .._version import __version__
from . import commands_analysis, commands_data, commands_demo, commands_dictionary, commands_redcap

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="jdmtrack")
def main() -> None:
    """Score, classify, analyse and report JAK-inhibitor studies in juvenile dermatomyositis.

    DATA is a folder holding patients.csv and visits.csv (optionally events.csv and
    adverse_events.csv), or one .xlsx workbook with sheets of those names.
    """


for _module in (commands_data, commands_analysis, commands_dictionary, commands_demo,
                commands_redcap):
    for _command in _module.COMMANDS:
        main.add_command(_command)
