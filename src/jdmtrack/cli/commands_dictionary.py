"""template and dictionary."""

from __future__ import annotations

from pathlib import Path

import click

from .errors import reported

__all__ = ["COMMANDS"]


@click.command()
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="The .xlsx workbook to write.")
def template(output: Path) -> None:
    """Write a blank cohort workbook with drop-downs, range checks and a dictionary sheet."""
    from ..io.template import write_template

    if output.suffix.lower() != ".xlsx":
        raise click.UsageError(f"-o {output}: the template is an .xlsx workbook")
    with reported():
        write_template(output)
    click.echo(f"Wrote {output}.")


@click.command()
@click.option("--format", "fmt", type=click.Choice(["markdown", "redcap"]), default="markdown",
              show_default=True, help="markdown: the docs page; redcap: a REDCap data dictionary CSV.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="File to write [default: standard output].")
def dictionary(fmt: str, output: Path | None) -> None:
    """Print the field dictionary of cohort format v1."""
    if fmt == "markdown":
        from ..fields.markdown import dictionary_markdown

        text = dictionary_markdown()
    else:
        from ..redcap import data_dictionary_csv

        with reported():
            text = data_dictionary_csv()
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}.")


COMMANDS = [template, dictionary]
