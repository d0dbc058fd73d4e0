"""By-group tables (--by) and the site completeness table: the groups side by side."""

from __future__ import annotations

from ..results.groups import Groups, GroupTest, GroupValue
from . import format as f
from .cells import count, text
from .context import Context
from .model import Cell, Table

__all__ = ["TEST_NAMES", "by_baseline_table", "by_outcomes_table", "site_completeness_table"]

TEST_NAMES = {"wilcoxon_mann_whitney": "Wilcoxon-Mann-Whitney",
              "kruskal_wallis": "Kruskal-Wallis", "fisher": "Fisher", "chi_square": "chi-square",
              "logrank": "log-rank"}


def _test_cell(test: GroupTest | None) -> Cell:
    if test is None:
        return text("")
    if test.p_value is None:
        return text("not run" + (f": {test.not_run}" if test.not_run else ""))
    return text(f"{f.fmt_p(test.p_value)} ({TEST_NAMES.get(str(test.test), '')})")


def _group_cell(ctx: Context, name: str, entry: GroupValue | None) -> str:
    if entry is None:
        return f.MISSING
    if entry.categorical:
        counts = dict(entry.counts)
        if set(counts) <= {"yes", "no"}:
            return f.count_pct(counts.get("yes", 0), entry.percent.get("yes", 0.0),
                               ctx.pct_decimals)
        return "; ".join(f"{level} {f.count_pct(n, entry.percent.get(level), ctx.pct_decimals)}"
                         for level, n in entry.counts)
    d = f.decimals_for(name, entry.unit)
    return f.fmt_median_iqr(entry.median, entry.q1, entry.q3, d)


def _header(by: Groups) -> list[str]:
    return [f"{lv} (n = {f.fmt_int(by.n.get(lv))})" for lv in by.levels]


def _label(name: str, label: str | None) -> str:
    return f.measure_label(name, {"label": label} if label else None)


def by_baseline_table(ctx: Context) -> Table | None:
    """Table 1 by group: each characteristic per group, and the between-group p-value."""
    by = ctx.typed.by
    if not by.levels:
        return None
    rows: list[list[Cell]] = []
    for c in by.baseline:
        rows.append([text(_label(c.name, c.label)),
                     *(text(_group_cell(ctx, c.name, c.groups.get(lv))) for lv in by.levels),
                     _test_cell(c.test)])
    missing = (f" {f.fmt_int(by.n_missing)} patient(s) with {by.field} missing are in "
               "no group." if by.n_missing else "")
    return Table("by_baseline", f"Baseline characteristics by {by.label}",
                 ["Characteristic", *_header(by), "p (test)"], rows,
                 [ctx.quartiles + " Yes/no characteristics: n (%) with yes." + missing,
                  "p-values are not adjusted for multiplicity (see Methods)."])


def by_outcomes_table(ctx: Context) -> Table | None:
    """Each outcome by week per group (median (Q1, Q3)), with the p-values of the values and
    of the changes from baseline between the groups."""
    by = ctx.typed.by
    if not by.levels:
        return None
    rows: list[list[Cell]] = []
    for outcome in by.outcomes:
        if not outcome.tested:
            continue
        d = f.decimals_for(outcome.name)
        weeks = {w.week: w for w in outcome.weeks}
        for week in f.sorted_weeks(weeks):
            per = weeks[week]
            spreads = [per.groups.get(lv) for lv in by.levels]
            rows.append([text(f"{_label(outcome.name, outcome.label)}, {f.week_label(week)}"),
                         *(text(f.fmt_median_iqr(s.median if s else None, s.q1 if s else None,
                                                 s.q3 if s else None, d)) for s in spreads),
                         _test_cell(per.value_test), _test_cell(per.change_test)])
    return Table("by_outcomes", f"Outcomes by {by.label}",
                 ["Outcome, week", *_header(by), "p, values", "p, change from baseline"], rows,
                 [ctx.quartiles, "p-values are not adjusted for multiplicity (see Methods)."])


def site_completeness_table(ctx: Context) -> Table | None:
    """Site x week: patients with a visit used at the week, of those still followed."""
    sites = ctx.typed.sites
    if not sites.completeness:
        return None
    first = next(iter(sites.completeness.values()))
    weeks = f.sorted_weeks(w.week for w in first)
    rows = []
    for site, per in sites.completeness.items():
        at = {w.week: w for w in per}
        rows.append([text(str(site)), count(sites.n.get(site)),
                     *(text(f"{f.fmt_int(at[w].seen if w in at else None)} / "
                            f"{f.fmt_int(at[w].in_followup if w in at else None)}")
                       for w in weeks)])
    return Table("site_completeness", "Completeness by site and week",
                 ["Site", "Patients", *(f.week_label(w) for w in weeks)], rows,
                 ["Patients with a visit used at the week / patients still followed."])
