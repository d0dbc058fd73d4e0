"""analyze and report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..progress import progress_line
from .errors import reported
from .warnings_output import echo_warnings, warnings_file_option

__all__ = ["COMMANDS"]


def _weeks(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[float, ...] | None:
    if value is None:
        return None
    try:
        return tuple(float(w) for w in value.split(","))
    except ValueError:
        raise click.BadParameter(f"{value!r}: expected weeks separated by commas, e.g. 0,4,12,24") from None


def _measures(ctx: click.Context, param: click.Parameter,
              value: str | None) -> tuple[str, ...] | None:
    """Outcome measures as given; the settings check names the valid ones."""
    if value is None:
        return None
    return tuple(name.strip() for name in value.split(",") if name.strip())


def _visit_window(ctx: click.Context, param: click.Parameter,
                  value: str | None) -> float | dict[str, str] | None:
    """``2`` (every follow-up week) or ``4:2,12:4,24:6`` (week: half-width)."""
    if value is None:
        return None
    if ":" not in value:
        try:
            return float(value)
        except ValueError:
            raise click.BadParameter(f"{value!r}: expected a number of weeks (e.g. 2) or "
                                     "week:half-width pairs (e.g. 4:2,12:4,24:4)") from None
    pairs = [item.split(":") for item in value.split(",")]
    if any(len(pair) != 2 for pair in pairs):
        raise click.BadParameter(f"{value!r}: expected week:half-width pairs separated by "
                                 "commas, e.g. 4:2,12:4,24:4")
    return {week.strip(): half.strip() for week, half in pairs}


class _SettingOption(click.Option):
    """An option whose ``[default: ...]`` is read from the settings model when help is shown.

    The default lives only in :class:`~jdmtrack.analysis.settings.AnalysisSettings` and
    :class:`~jdmtrack.criteria.CriteriaSettings`; the option's own default stays None so
    that a settings file is overridden only by options actually given.
    """

    def __init__(self, *args: Any, setting: str, note: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setting, self.note = setting, note

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        record = super().get_help_record(ctx)
        if record is None:
            return None
        from ..analysis.settings import AnalysisSettings

        defaults = AnalysisSettings()
        owner = defaults if hasattr(defaults, self.setting) else defaults.criteria
        value = getattr(owner, self.setting)
        shown = ",".join(f"{w:g}" for w in value) if isinstance(value, tuple) else str(value)
        return record[0], f"{record[1]} [default: {shown}{self.note}]"


def _setting(*names: str, setting: str, note: str = "", **kwargs: Any
             ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(*names, cls=_SettingOption, setting=setting, note=note, **kwargs)


def settings_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The analysis settings, shared by analyze and report (they override --settings)."""
    options: list[Callable[[Callable[..., Any]], Callable[..., Any]]] = [
        click.option("--settings", "settings_file", type=click.Path(exists=True, dir_okay=False,
                                                                  path_type=Path),
                     help="A settings file (.json or .toml) with any of the options below."),
        _setting("--quantile-method", type=click.IntRange(1, 9), setting="quantile_method",
                 note=", as SPSS and Prism", help="Hyndman-Fan quantile type."),
        _setting("--alpha", type=click.FloatRange(0, 1, min_open=True, max_open=True),
                 setting="alpha", help="Significance level."),
        _setting("--weeks", callback=_weeks, setting="weeks",
                 help="Assessment weeks, baseline first."),
        click.option("--p-adjust", type=click.Choice(["holm", "bonferroni", "BH", "none"]),
                     cls=_SettingOption, setting="p_adjust",
                     help="Adjustment across post-baseline weeks."),
        _setting("--resamples", type=click.IntRange(1000), setting="resamples",
                 help="Monte Carlo permutations for Friedman."),
        _setting("--seed", type=int, setting="seed",
                 help="Seed of the Monte Carlo permutations."),
        click.option("--tis-core-set",
                     type=click.Choice(["imacs", "printo_published", "printo_variant", "printo"]),
                     help="Total Improvement Score core set: imacs; printo_published (CMAS, "
                          "CHQ-PhS, DAS); printo_variant (CMAS, enzyme, DAS); printo is the "
                          "deprecated name of printo_variant.",
                     cls=_SettingOption, setting="tis_core_set"),
        click.option("--tis-enzyme-rule", type=click.Choice(["relative", "uln_range"]),
                     help="TIS enzyme percent change (unverified): relative to week 0, or "
                          "divided by a multiple of the ULN.",
                     cls=_SettingOption, setting="tis_enzyme_rule"),
        click.option("--tis-enzyme-uln-multiples", metavar="ENZYME=K,...",
                     help="For --tis-enzyme-rule uln_range: the multiple of the ULN of each "
                          "enzyme, e.g. ck=15,ldh=3 (no default)."),
        click.option("--printo-cid-variant",
                     type=click.Choice(["lazarevic_2013", "almeida_2015"]),
                     help="PRINTO inactive disease: 3 of 4 (lazarevic_2013), or with physician "
                          "global <= 0.2 cm mandatory (almeida_2015).",
                     cls=_SettingOption, setting="printo_cid_variant"),
        click.option("--tis-population", type=click.Choice(["jdm", "adult"]),
                     help="TIS thresholds: jdm 30/45/70, adult 20/40/60.",
                     cls=_SettingOption, setting="tis_population"),
        click.option("--refractory-definition",
                     type=click.Choice(["refractory_type", "failed_agents"]),
                     help="How refractory JDM is decided.",
                     cls=_SettingOption, setting="refractory_definition"),
        click.option("--measures", callback=_measures,
                     help="Outcome measures to test, comma-separated (e.g. cmas_total,"
                          "phga_cm) [default: the disease-activity and treatment-burden "
                          "measures present; weight, height, creatinine, eGFR and JAKi dose "
                          "are described only]."),
        click.option("--visit-window", callback=_visit_window,
                     help="Visit window half-width in weeks: one number for every follow-up "
                          "week, or week:half-width pairs (e.g. 4:2,12:4,24:4) [default: half "
                          "the gap to the nearest analysis week, at most 4]."),
        click.option("--dose-reference", type=click.Path(exists=True, dir_okay=False),
                     help="A JAKi dose reference table (CSV) to replace the bundled one."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def population_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--where (and --by): who is analysed, and how they are split (analysis/population.py)."""
    command = click.option(
        "--by", "by", metavar="FIELD",
        help="Describe the groups of a patients field side by side and compare them "
             "(e.g. jaki_drug, sex, site, muscle_involvement).")(command)
    return click.option(
        "--where", "where", multiple=True, metavar="CONDITION",
        help="Analyse only the patients meeting CONDITION on a patients field (repeatable, "
             "AND): FIELD=V, FIELD!=V, 'FIELD in A;B', FIELD<V, <=, >, >=. Replaces the "
             "settings file's where.")(command)


def _run(data: Path, options: dict[str, Any], progress: Callable[[str], None]) -> Any:
    """The analysis through the Python API (jdmtrack.api.analyze): a typed Results."""
    from ..api import analyze

    settings_file = options.pop("settings_file", None)
    where = tuple(options.pop("where", None) or ()) or None
    return analyze(data, where=where, settings=settings_file, progress=progress, **options)


@click.command()
@click.argument("data", type=click.Path(path_type=Path))
@click.option("--json", "json_path", required=True, type=click.Path(path_type=Path),
              help="The results file to write (JSON, full precision).")
@warnings_file_option
@settings_options
@population_options
def analyze(data: Path, json_path: Path, warnings_file: Path | None, **options: Any) -> None:
    """Analyse DATA and write the results file (version 1)."""
    with reported(), progress_line() as line:
        typed = _run(data, options, line.stage)
        typed.to_json(json_path)
    results = typed.data
    population = results["settings"]["population"]
    who = ("" if not population["where"] else
           f" (population {population['definition']}: {population['n_patients']} of "
           f"{population['n_source_patients']})")
    click.echo(f"Wrote {json_path}: {results['cohort']['n_patients']} patients{who}, "
               f"{len(results['outcomes'])} outcome measures.")
    echo_warnings(typed.scored.warnings, warnings_file)


@click.command()
@click.argument("data", type=click.Path(path_type=Path), required=False)
@click.option("--demo", "demo", help="Report on a bundled demo cohort instead of DATA.")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the report into.")
@click.option("--pdf", "pdf", is_flag=True,
              help="Also print the report to report.pdf (needs Chromium; see docs/report.md).")
@warnings_file_option
@settings_options
@population_options
def report(data: Path | None, demo: str | None, output: Path, warnings_file: Path | None,
           pdf: bool = False, **options: Any) -> None:
    """Write the full report on DATA (or --demo NAME): HTML, Word, Excel, figures, results."""
    if (data is None) == (demo is None):
        raise click.UsageError("give either DATA or --demo NAME")
    from ..report.figure_job import prepared_figures

    # The figures' process starts first, and imports its libraries while this one reads
    # and analyses (jdmtrack.report.figure_job).
    with reported(), progress_line() as line, prepared_figures():
        progress = line.stage
        if pdf:  # before the analysis: say at once when the PDF cannot be printed
            from ..report.pdf import require_chromium

            require_chromium()
        if demo is not None:
            from ..demo import path as demo_path

            data = Path(str(demo_path(demo)))
        typed = _run(Path(str(data)), options, progress)
        # A shallow copy: attach_published only adds the top-level "demo" key, and `typed`
        # is not read again (a deep copy took 0.3-1 s at 2,000 patients).
        results = dict(typed.data)
        if demo is not None:
            from ..analysis.published import attach_published

            progress("comparing with the published figures")
            attach_published(results, demo, typed.scored, typed.settings,
                             folder=Path(str(data)))
        from ..api import report as write_report

        files = write_report(results, output, visits=typed.visits, progress=progress)
        printed = []
        if pdf:
            from ..report.pdf import print_pdf

            progress("report.pdf")
            printed = [print_pdf(output / "report.html", output / "report.pdf").name]
    click.echo(f"Wrote the report to {output}/ ({', '.join(_names(files) + printed)}).")
    click.echo(f"Open {output / 'report.html'} in a browser.")
    echo_warnings(typed.scored.warnings, warnings_file)


def _names(files: Any) -> list[str]:
    names = getattr(files, "names", None)
    if callable(names):
        return list(names())
    return ["report.html", "report.docx", "tables.xlsx", "figures/", "results.json"]


COMMANDS = [analyze, report]
