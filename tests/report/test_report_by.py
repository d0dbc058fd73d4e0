"""The by-group Table 1 and outcome table, and the site completeness table, in the report."""

from __future__ import annotations

import jdmtrack
from jdmtrack.demo import path
from jdmtrack.report import format as f
from jdmtrack.report.context import Context
from jdmtrack.report.tables_groups import (
    by_baseline_table,
    by_outcomes_table,
    site_completeness_table,
)


def _context(**options):
    results = jdmtrack.analyze(path("tofacitinib-ruxolitinib"), **options).to_dict()
    return Context.of(results), results


def test_by_group_table_one():
    ctx, _ = _context(by="jaki_drug")
    table = by_baseline_table(ctx)
    assert table is not None
    assert table.header == ["Characteristic", "tofacitinib (n = 7)", "ruxolitinib (n = 18)",
                             "p (test)"]
    rows = {row[0].text: [c.text for c in row[1:]] for row in table.rows}
    sex = next(v for k, v in rows.items() if k.startswith("Sex"))
    # tofacitinib F 1 / M 6, ruxolitinib F 10 / M 8; Fisher p = 0.09 (R fisher.test)
    assert sex[0].startswith("F 1 (") and sex[1].startswith("F 10 (")
    assert sex[2] == f"{f.fmt_p(0.09)} (Fisher)"
    outcomes = by_outcomes_table(ctx)
    assert outcomes is not None and outcomes.header[-2:] == ["p, values",
                                                               "p, change from baseline"]
    assert site_completeness_table(ctx) is None  # one site
    assert by_baseline_table(_context()[0]) is None  # no --by, no table


def test_report_has_the_tables(tmp_path):
    results = jdmtrack.analyze(path("tofacitinib-ruxolitinib"), by="sex")
    jdmtrack.report(results, tmp_path)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Baseline characteristics by Sex" in html and "Outcomes by Sex" in html
    assert "F (n = 11)" in html
