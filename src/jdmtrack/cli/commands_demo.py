"""demo: write a bundled demo cohort, or generate a larger synthetic one."""

from __future__ import annotations

from pathlib import Path

import click

from .errors import reported

__all__ = ["COMMANDS"]


@click.command()
@click.argument("name")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the cohort into.")
@click.option("--patients", type=click.IntRange(1), default=None,
              help="With NAME 'synthetic': how many patients to generate.")
@click.option("--seed", type=int, default=None,
              help="With NAME 'synthetic': the random seed (same seed, same cohort).")
def demo(name: str, output: Path, patients: int | None, seed: int | None) -> None:
    """Write the demo cohort NAME (every patient in it is synthetic).

    NAME is a bundled cohort (baricitinib, tofacitinib-ruxolitinib) or 'synthetic' for a
    generated cohort of --patients patients from --seed.
    """
    from .. import demo as demos

    if name == "synthetic":
        if patients is None or seed is None:
            raise click.UsageError("demo synthetic needs --patients N and --seed S")
        with reported():
            folder = demos.generate_synthetic(patients, seed, output)
        click.echo(f"Wrote a synthetic cohort of {patients} patients (seed {seed}) to {folder}.")
        return
    if patients is not None or seed is not None:
        raise click.UsageError("--patients and --seed go with 'demo synthetic'")
    if name not in demos.available():
        raise click.UsageError(f"no demo cohort {name!r}; choose from "
                               + ", ".join([*demos.available(), "synthetic"]))
    with reported():
        folder = demos.write(name, output)
    click.echo(f"Wrote the {name} demo cohort (synthetic patients) to {folder}.")


COMMANDS = [demo]
