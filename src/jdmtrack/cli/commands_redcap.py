"""redcap project / redcap import."""

from __future__ import annotations

from pathlib import Path

import click

from .errors import reported

__all__ = ["COMMANDS"]

_SHOWN_WARNINGS = 50


@click.group()
def redcap() -> None:
    """Create a jdmtrack-compatible REDCap project; turn its exports into a cohort."""


def _weeks(text: str) -> tuple[int, ...]:
    from ..errors import SettingsError
    from ..redcap.layout import check_weeks

    try:
        return check_weeks(tuple(int(part) for part in text.split(",") if part.strip()))
    except (ValueError, SettingsError) as err:
        raise click.BadParameter(f"{text!r}: expected whole weeks >= 0 separated by commas, "
                                 "including 0 (baseline), e.g. 0,4,12,24",
                                 param_hint="--weeks") from err


@redcap.command()
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the project files into (created if needed).")
@click.option("--weeks", default="0,4,12,24", show_default=True,
              help="Scheduled visit weeks, comma-separated (0 = baseline). Visits at other "
                   "weeks go to the repeating 'Unscheduled visit' event.")
@click.option("--data", type=click.Path(path_type=Path), default=None,
              help="A cohort (folder or workbook) to move into REDCap: also writes "
                   "records.csv to import, and fields for the cohort's x_ columns.")
def project(output: Path, weeks: str, data: Path | None) -> None:
    """Write the data dictionary, arms, events, instrument-event mapping and repeating
    set-up of a longitudinal REDCap project, with a README giving the upload order."""
    from ..redcap import export_records, extra_columns, write_project

    schedule = _weeks(weeks)
    with reported():
        extras = None
        records = None
        if data is not None:
            from ..pipeline import load_cohort

            cohort = load_cohort(data)
            extras = extra_columns(cohort)
            records = export_records(cohort, weeks=schedule)
        written = write_project(output, schedule, extras)
    if records is not None:
        path = output / "records.csv"
        path.write_text(records, encoding="utf-8", newline="")
        written.append(path)
    click.echo(f"Wrote {len(written)} files to {output}: " + ", ".join(p.name for p in written)
               + f". Upload order: {output / 'README.txt'}.")


@redcap.command("import")
@click.argument("export", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Cohort folder to write (patients.csv, visits.csv, events.csv, "
                   "adverse_events.csv); the warnings go beside it, in OUTPUT_warnings.csv.")
@click.option("--dictionary", type=click.Path(path_type=Path), default=None,
              help="The project's data dictionary CSV, to decode its fields and codes "
                   "[default: jdmtrack's own].")
@click.option("--missing-codes", default=None,
              help="The project's missing-data codes: 'UNK,NA,-99' or REDCap's "
                   "'UNK, Unknown | NA, Not applicable' [default: REDCap's suggested codes]. "
                   "Use '' for none.")
def import_(export: Path, output: Path, dictionary: Path | None,
            missing_codes: str | None) -> None:
    """Turn EXPORT, a raw REDCap export (CSV, raw data), into a cohort folder.

    The cohort is validated first: every problem is listed by record, event and field,
    and nothing is written when there is one.
    """
    from ..redcap import import_records, parse_missing_codes, write_cohort

    codes = None if missing_codes is None else parse_missing_codes(missing_codes)
    with reported():
        result = import_records(export, dictionary=dictionary, missing_codes=codes)
        write_cohort(result, output)
    cohort = result.cohort
    click.echo(f"Wrote {output}: {len(cohort.patients)} patients, {len(cohort.visits)} visits, "
               f"{len(cohort.events)} events, {len(cohort.adverse_events)} adverse events; "
               f"{len(result.warnings)} warning(s).")
    for warning in result.warnings[:_SHOWN_WARNINGS]:
        click.echo(f"  {warning.message}")
    if len(result.warnings) > _SHOWN_WARNINGS:
        click.echo(f"  ... and {len(result.warnings) - _SHOWN_WARNINGS} more")
    if result.warnings:
        from ..redcap.importer import warnings_path

        click.echo(f"All warnings: {warnings_path(output)}.")


COMMANDS = [redcap]
