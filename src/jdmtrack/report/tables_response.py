"""Tables of the criteria met, the response and the Total Improvement Score per week."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import format as f
from .cells import blank, count, text
from .context import Context
from .labels import RESPONSES, TIS_CATEGORIES, response_label, tis_category_labels
from .model import Cell, Table
from .tables_outcomes import _not_run_note, _rash_definition

if TYPE_CHECKING:
    from ..results import CriterionWeek

__all__ = ["CRITERIA", "criteria_table", "response_table", "tis_table"]

CRITERIA = ("printo_cid", "skin_inactive", "rash_improved")


def criteria_table(ctx: Context) -> Table | None:
    """PRINTO inactive disease, inactive skin and rash improvement per week."""
    met = ctx.typed.criteria.met
    rows: list[list[Cell]] = []
    skipped: list[str] = []
    for name in [c for c in CRITERIA if c in met]:
        rows.append([text(f.measure_label(name)), blank(), blank(), blank(), blank()])
        for w in f.sorted_weeks(met[name]):
            s = met[name][w]
            note = _not_run_note(f"{f.measure_label(name)}, {f.week_label(w)}", s.not_run)
            if note:
                skipped.append(note)
            pct = 100 * s.proportion if s.proportion is not None else None
            rows.append([text(f.week_label(w), level=1), count(s.n_evaluable),
                         text(f.count_pct(s.n_met, pct, ctx.pct_decimals)),
                         text(f.fmt_ci(s.ci95, ctx.pct_decimals, scale=100, suffix="%")),
                         count(_not_met(s))])
    if not rows:
        return None
    return Table("criteria", "Criteria met per week",
                 ["Criterion", "Evaluable", "Met, n (%)", "95% CI", "Not met"], rows,
                 ["Percent of the patients evaluable at that week; Clopper–Pearson 95% CI.",
                  *_rash_definition(ctx, "criteria"), *skipped, ctx.pct_note()])


def _not_met(s: CriterionWeek) -> int | None:
    n, k = s.n_evaluable, s.n_met
    return n - k if n is not None and k is not None else None


def response_table(ctx: Context) -> Table | None:
    """CR / PR / NR per week with n evaluable and 95% CIs."""
    response = ctx.typed.response
    if not response:
        return None
    rows: list[list[Cell]] = []
    skipped: list[str] = []
    for w in f.sorted_weeks(response):
        s = response[w]
        row = [text(f.week_label(w)), count(s.n_evaluable)]
        for k in RESPONSES:
            row.append(text(f.count_pct(s.counts.get(k), s.percent.get(k), ctx.pct_decimals)))
            row.append(text(f.fmt_ci(s.ci95.get(k), ctx.pct_decimals, scale=100, suffix="%")))
        row.append(count(s.not_evaluable))
        rows.append(row)
        note = _not_run_note(f"{f.week_label(w)}, response", s.not_run)
        if note:
            skipped.append(note)
    return Table("response", "Response per week",
                 ["Week", "Evaluable",
                  *[h for k in RESPONSES for h in (f"{response_label(k)}, n (%)",
                                                   f"{k} 95% CI")],
                  "Not evaluable"], rows,
                 ["CR complete response, PR partial response, NR no response (definitions in "
                  "Methods). Percent of the patients evaluable at that week; Clopper–Pearson "
                  "95% CI. Not evaluable: a visit whose known inputs do not decide the response.",
                  *skipped, ctx.pct_note()])


def tis_table(ctx: Context) -> Table | None:
    """Total Improvement Score per week: median and categories."""
    tis = ctx.typed.criteria.tis
    if not any((s.n or 0) > 0 for s in tis.values()):
        return None
    rows: list[list[Cell]] = []
    for w in f.sorted_weeks(tis):
        s = tis[w]
        row = [text(f.week_label(w)), count(s.n),
               text(f.fmt_median_iqr(s.median, s.q1, s.q3, 1))]
        for k in TIS_CATEGORIES:
            n = s.categories.get(k)
            row.append(text(f.count_pct(n, f.percent(n, s.n), ctx.pct_decimals)))
        rows.append(row)
    return Table("tis", "Total Improvement Score (2016 ACR/EULAR) per week",
                 ["Week", "n", "TIS, median (Q1, Q3)", *tis_category_labels(ctx)], rows,
                 [ctx.quartiles, "Improvement categories as n (% of patients with a TIS).",
                  f.rounding_note(measures=True, pct_decimals=ctx.pct_decimals)])
