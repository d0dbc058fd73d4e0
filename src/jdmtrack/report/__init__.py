"""Render the results of an analysis: the only place that rounds or formats.

``render_report(results, visits, out_dir)`` writes ``report.html`` (one self-contained
file), ``report.docx``, ``tables.xlsx``, ``figures/`` (PNG at 300 dpi and SVG) and
``results.json``. ``check_results(results)`` lists every total or percentage in a
results dict that disagrees with its own counts. Rounding rules: :mod:`.format`.

Importing this package is cheap: matplotlib, python-docx and jinja2 load only when a
report is rendered (the workbook is written without openpyxl).
"""

from ..results.consistency import check_results
from .render import ReportFiles, render_report

__all__ = ["ReportFiles", "check_results", "render_report"]
