"""validate and score."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .commands_analysis import settings_options
from .errors import reported
from .warnings_output import echo_warnings, warnings_file_option

__all__ = ["COMMANDS"]

DATA = click.argument("data", type=click.Path(path_type=Path))
@click.command()
@DATA
@warnings_file_option
def validate(data: Path, warnings_file: Path | None) -> None:
    """Check DATA against the cohort format; list every problem (exit 1) or say it is valid."""
    from ..pipeline import load_cohort, score_cohort

    with reported():
        cohort = load_cohort(data)
        scored = score_cohort(cohort)
    click.echo(f"{data}: valid. {len(cohort.patients)} patients, {len(cohort.visits)} visits, "
               f"{len(cohort.events)} events, {len(cohort.adverse_events)} adverse events.")
    echo_warnings(scored.warnings, warnings_file)


@click.command()
@DATA
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="File to write: .csv or .xlsx (the visits table plus derived columns).")
@warnings_file_option
@settings_options
def score(data: Path, output: Path, warnings_file: Path | None, **options: Any) -> None:
    """Score every instrument and classify every visit of DATA; write the visits table.

    Warnings (values left missing and why) are summarised one line per kind; every row
    goes to --warnings-file FILE when given.
    """
    from ..analysis.settings import load_settings
    from ..io.write import write_table
    from ..pipeline import load_cohort, score_cohort

    if output.suffix.lower() not in (".csv", ".xlsx"):
        raise click.UsageError(f"-o {output}: the output must end in .csv or .xlsx")
    with reported():
        settings = load_settings(options.pop("settings_file", None), **options)
        scored = score_cohort(load_cohort(data), settings.criteria)
        write_table(scored.visits, output, derived_bools=_derived_bools(scored.visits))
    click.echo(f"Wrote {output}: {len(scored.visits)} visits with derived columns.")
    echo_warnings(scored.warnings, warnings_file)


def _derived_bools(visits: Any) -> set[str]:
    """Yes/no columns jdmtrack derived: undecidable ones are written 'not_evaluable'."""
    import pandas as pd

    from ..fields import fields_of

    inputs = {f.name for f in fields_of("visits")}
    return {str(c) for c in visits.columns
            if c not in inputs and isinstance(visits[c].dtype, pd.BooleanDtype)}


COMMANDS = [validate, score]
