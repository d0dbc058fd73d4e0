"""Render the results of an analysis: the only place that rounds or formats.

``render_report(results, visits, out_dir)`` writes ``report.html`` (one self-contained
file), ``report.docx``, ``tables.xlsx``, ``figures/`` (PNG at 300 dpi and SVG) and
``results.json``. ``check_results(results)`` lists every total or percentage in a
results dict that disagrees with its own counts. Rounding rules: :mod:`.format`.

Importing this package is cheap: pandas, matplotlib, python-docx and jinja2 load only
when a report is rendered or checked (the workbook is written without openpyxl), so that
``jdmtrack report`` can start its figures' process (:mod:`.figure_job`) before them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .render import ReportFiles, render_report

if TYPE_CHECKING:
    from ..results.consistency import check_results

__all__ = ["ReportFiles", "check_results", "render_report"]


def __getattr__(name: str) -> Any:
    if name == "check_results":  # the typed results and pandas load with it
        from ..results.consistency import check_results

        return check_results
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
