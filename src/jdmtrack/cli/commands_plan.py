"""plan: size a study (Simon two-stage, exact binomial, or power by simulation)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .errors import reported

__all__ = ["COMMANDS"]


def _sizes(_ctx: click.Context, _param: click.Parameter, value: str | None) -> list[int] | None:
    if value is None:
        return None
    try:
        return [int(part) for part in value.split(",") if part.strip()]
    except ValueError as err:
        raise click.BadParameter(f"expected whole numbers separated by commas, e.g. 6,8,10; "
                                 f"got {value!r}") from err


@click.command()
@click.option("--design", type=click.Choice(["simon", "binomial"]),
              help="An exact single-arm design for a response rate (instead of --test).")
@click.option("--test", type=click.Choice(["wilcoxon", "mann-whitney", "fisher", "logrank",
                                           "friedman"]),
              help="Simulate power for this test (n per arm for two-arm tests).")
@click.option("--n", "n", callback=_sizes,
              help="Sample sizes, comma-separated (e.g. 6,8,10; default 10,15,...,55).")
@click.option("--p0", type=float, help="Response rate to rule out (designs).")
@click.option("--p1", type=float, help="Response rate worth detecting (designs); arm 1 (fisher).")
@click.option("--p2", type=float, help="Response rate of arm 2 (fisher).")
@click.option("--alpha", type=float, default=0.05, show_default=True, help="Significance level.")
@click.option("--beta", type=float, default=0.2, show_default=True,
              help="Type II error (Simon): power = 1 - beta.")
@click.option("--nmax", type=int, default=100, show_default=True,
              help="Largest total n searched (Simon).")
@click.option("--effect", type=float,
              help="Mean change, difference between arms, or hazard ratio (logrank).")
@click.option("--sd", type=float, help="SD of the change (parametric settings).")
@click.option("--pilot", type=click.Path(exists=True, path_type=Path),
              help="A pilot cohort (folder or workbook) to resample patients from.")
@click.option("--endpoint", help="With --pilot: cmas_change, mmt8_change, das_total_change, "
                                 "phga_change or cs_change.")
@click.option("--week", type=float, help="With --pilot: the endpoint week (default: the last "
                                         "week with at least 2 patients measured at baseline too).")
@click.option("--where", "where", multiple=True, metavar="CONDITION",
              help="With --pilot: resample only the pilot patients meeting CONDITION on a "
                   "patients field, as jdmtrack analyze --where (repeatable, AND): FIELD=V, "
                   "FIELD!=V, 'FIELD in A;B', FIELD<V, <=, >, >=.")
@click.option("--sites", type=int, default=1, show_default=True, help="Number of sites.")
@click.option("--icc", type=float,
              help="Intraclass correlation between sites (with --sites >= 2; default 0.05).")
@click.option("--analysis", type=click.Choice(["pooled", "stratified"]),
              help="How each simulated multicentre study is analysed, for every test: "
                   "stratified by site (default when --sites > 1) or pooled.")
@click.option("--dropout", type=float, default=0.0, show_default=True,
              help="Probability of leaving the study at each visit.")
@click.option("--visits", type=int, help="Scheduled post-baseline visits (parametric; default "
                                         "1, or 2 for friedman).")
@click.option("--median", type=float, default=24.0, show_default=True,
              help="Logrank: control-arm median time to event, weeks.")
@click.option("--followup", type=float, default=52.0, show_default=True,
              help="Logrank: follow-up, weeks.")
@click.option("--sims", type=int, default=2000, show_default=True,
              help="Simulated studies per sample size.")
@click.option("--seed", type=int, default=20261204, show_default=True, help="Random seed.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the result as JSON ('-' for standard output).")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the power figure, table and protocol paragraph (--test).")
def plan(design: str | None, test: str | None, n: list[int] | None, p0: float | None,
         p1: float | None, p2: float | None, alpha: float, beta: float, nmax: int,
         effect: float | None, sd: float | None, pilot: Path | None, endpoint: str | None,
         week: float | None, where: tuple[str, ...], sites: int, icc: float | None, analysis: str | None,
         dropout: float, visits: int | None,
         median: float, followup: float, sims: int, seed: int, json_path: Path | None,
         output: Path | None) -> None:
    """Size a study: Simon's two-stage design, an exact binomial design, or power by
    simulation for a test over a grid of sample sizes (from settings or a pilot cohort)."""
    from ..plan import plan as run_plan
    from ..plan.output import write_outputs
    from ..plan.power import PowerResult

    if design is None and test is None and pilot is not None:
        test = "wilcoxon"
    if (design is None) == (test is None):
        raise click.UsageError("give --design simon|binomial or --test NAME (or --pilot DATA)")
    if output is not None and test is None:
        raise click.UsageError("-o/--output goes with --test (the power curve)")
    with reported():
        result = run_plan(
            design=design, test=test, n=n, p0=p0, p1=p1, p2=p2, alpha=alpha, beta=beta,
            nmax=nmax, effect=effect, sd=sd, pilot=pilot, endpoint=endpoint, week=week,
            sites=sites, icc=icc, dropout=dropout, visits=visits, median=median,
            followup=followup, sims=sims, seed=seed, analysis=analysis,
            progress=None, where=list(where))  # shown when standard error is a terminal
        text = json.dumps(result.as_dict(), indent=1, allow_nan=False)
        written = []
        if isinstance(result, PowerResult) and output is not None:
            written = write_outputs(result, output)
    if json_path is not None and str(json_path) == "-":
        click.echo(text)
    elif json_path is not None:
        json_path.write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)
    for path in written:
        click.echo(f"Wrote {path}", err=True)


COMMANDS = [plan]
