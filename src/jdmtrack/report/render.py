"""``render_report``: typed results + scored visits -> HTML, Word, Excel, figures, JSON."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import JdmtrackError

if TYPE_CHECKING:
    import pandas as pd

    from ..results import Results
    from .context import Context
    from .figure_job import FigureJob

__all__ = ["ReportFiles", "render_report"]


@dataclass(frozen=True)
class ReportFiles:
    """The files one report consists of (all inside ``out_dir``)."""

    out_dir: Path
    html: Path
    docx: Path
    xlsx: Path
    json: Path
    figures: tuple[Path, ...]

    def all(self) -> tuple[Path, ...]:
        return (self.html, self.docx, self.xlsx, self.json, *self.figures)

    def names(self) -> list[str]:
        """What was written, for a one-line summary: ``figures/ (10 files)`` etc."""
        return [self.html.name, self.docx.name, self.xlsx.name,
                f"figures/ ({len(self.figures)} files)", self.json.name]


def render_report(results: Results | Mapping[str, Any], visits: pd.DataFrame, out_dir: Path,
                  *, progress: Callable[[str], None] | None = None) -> ReportFiles:
    """Write the report of ``results`` into ``out_dir`` (created if needed).

    ``results`` is a typed ``Results`` or a results-file dict (read into one here).

    Writes ``report.html`` (self-contained: inline CSS and SVG, no network request),
    ``report.docx``, ``tables.xlsx`` (every table plus the scored visits),
    ``figures/<name>.png`` (300 dpi) and ``.svg``, and ``results.json`` (the dict as
    given, full precision). ``visits`` is the scored visits table; it supplies only the
    per-patient lines. ``progress`` receives the name of each stage as it starts.

    Raises
    ------
    JdmtrackError
        If ``results`` cannot be written as strict JSON (NaN, infinity, or a value JSON
        cannot hold): the report would not be reproducible from its results file.
    """
    from ..results import Results

    typed = (results if isinstance(results, Results)
             else Results.from_dict(results, copy_data=False))
    with _older_objects_set_aside():
        return _render(typed, visits, Path(out_dir), progress or (lambda _stage: None))


@contextmanager
def _older_objects_set_aside() -> Iterator[None]:
    """Keep the garbage collector's full passes off the objects made before rendering.

    Drawing makes many short-lived objects, so the collector runs often, and each full pass
    walks every object alive, the caller's data and libraries included: a tenth of the
    demo report's rendering time. ``gc.freeze`` sets those objects aside until the report
    is written; a caller that froze objects itself keeps its own arrangement.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _render(typed: Results, visits: pd.DataFrame, out_dir: Path,
            say: Callable[[str], None]) -> ReportFiles:
    from .context import Context
    from .figure_job import start_figures

    ctx = Context.of(typed)
    # First of all: the figures are drawn in a second process while this one writes the
    # results, builds the tables and writes the workbook (see .figure_job).
    with start_figures(ctx, visits) as job:
        return _write(ctx, visits, out_dir, say, job)


def _write(ctx: Context, visits: pd.DataFrame, out_dir: Path, say: Callable[[str], None],
           job: FigureJob) -> ReportFiles:
    from .build import draft_document
    from .excel import write_xlsx
    from .html import render_html
    from .json_text import indented_json
    from .word import write_docx

    out_dir.mkdir(parents=True, exist_ok=True)
    say("results.json")
    results = dict(ctx.typed.data)
    try:
        text = indented_json(results)  # json.dumps(indent=2)'s text, most of it in C
    except (TypeError, ValueError) as err:
        raise JdmtrackError(f"the results cannot be written as JSON: {err}") from err
    json_path = out_dir / "results.json"
    json_path.write_text(text + "\n", encoding="utf-8")

    draft = draft_document(ctx, say)
    generated = results.get("generated")
    say("tables.xlsx")  # the workbook holds no figure: written while they are drawn
    xlsx_path = out_dir / "tables.xlsx"
    write_xlsx(draft.document, visits, xlsx_path, generated=generated)
    say("figures")
    document = draft.fill(job.collect())
    figure_dir = out_dir / "figures"
    figure_dir.mkdir(exist_ok=True)
    figure_paths: list[Path] = []
    for figure in document.figures():
        stem = f"figure_{figure.number}_{figure.key}"
        png, svg = figure_dir / f"{stem}.png", figure_dir / f"{stem}.svg"
        png.write_bytes(figure.png)
        svg.write_text(figure.svg, encoding="utf-8")
        figure_paths += [png, svg]

    say("report.html")
    html_path = out_dir / "report.html"
    software = results.get("software")
    if not isinstance(software, dict):
        software = {}
    generator = f"{software.get('name', 'jdmtrack')} {software.get('version', '')}".strip()
    html_path.write_text(render_html(document, generator), encoding="utf-8")
    say("report.docx")
    docx_path = out_dir / "report.docx"
    write_docx(document, docx_path, generated=generated)
    say("done")
    return ReportFiles(out_dir, html_path, docx_path, xlsx_path, json_path, tuple(figure_paths))
