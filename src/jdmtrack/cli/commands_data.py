"""validate and score."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .commands_analysis import settings_options
from .errors import reported

__all__ = ["COMMANDS"]

DATA = click.argument("data", type=click.Path(path_type=Path))


@click.command()
@DATA
def validate(data: Path) -> None:
    """Check DATA against the cohort format; list every problem (exit 1) or say it is valid."""
    from ..pipeline import load_cohort, score_cohort

    with reported():
        cohort = load_cohort(data)
        scored = score_cohort(cohort)
    click.echo(f"{data}: valid. {len(cohort.patients)} patients, {len(cohort.visits)} visits, "
               f"{len(cohort.events)} events, {len(cohort.adverse_events)} adverse events.")
    if scored.warnings:
        click.echo(f"{len(scored.warnings)} warning(s) (the data can be analysed):")
        for warning in scored.warnings[:50]:
            click.echo(f"  {_where(warning)}{warning.message}")
        if len(scored.warnings) > 50:
            click.echo(f"  ... and {len(scored.warnings) - 50} more (all are in `jdmtrack score` "
                       "output's warnings file)")


def _where(warning: object) -> str:
    pid = getattr(warning, "patient_id", None)
    week = getattr(warning, "week", None)
    if pid is None:
        return ""
    return f"patient {pid}" + ("" if week is None else f", week {week:g}") + ": "


@click.command()
@DATA
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="File to write: .csv or .xlsx (the visits table plus derived columns).")
@settings_options
def score(data: Path, output: Path, **options: Any) -> None:
    """Score every instrument and classify every visit of DATA; write the visits table.

    Warnings (values left missing and why) go to OUTPUT's name + _warnings.csv.
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
    click.echo(f"Wrote {output}: {len(scored.visits)} visits with derived columns; "
               f"{len(scored.warnings)} warning(s).")
    if scored.warnings:
        warnings_path = output.with_name(output.stem + "_warnings.csv")
        import pandas as pd

        from ..io.write import write_csv

        write_csv(pd.DataFrame([w.as_dict() for w in scored.warnings]), warnings_path)
        click.echo(f"Wrote {warnings_path}.")


def _derived_bools(visits: Any) -> set[str]:
    """Yes/no columns jdmtrack derived: undecidable ones are written 'not_evaluable'."""
    import pandas as pd

    from ..fields import fields_of

    inputs = {f.name for f in fields_of("visits")}
    return {str(c) for c in visits.columns
            if c not in inputs and isinstance(visits[c].dtype, pd.BooleanDtype)}


COMMANDS = [validate, score]
