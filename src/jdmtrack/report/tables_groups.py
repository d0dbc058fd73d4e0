"""By-group tables (--by) and the site completeness table: the groups side by side."""

from __future__ import annotations

from typing import Any

from . import format as f
from .cells import count, text
from .context import Context
from .model import Cell, Table

__all__ = ["by_baseline_table", "by_outcomes_table", "site_completeness_table"]

_TESTS = {"wilcoxon_mann_whitney": "Wilcoxon-Mann-Whitney", "kruskal_wallis": "Kruskal-Wallis",
          "fisher": "Fisher", "chi_square": "chi-square", "logrank": "log-rank"}


def _test_cell(test: object) -> Cell:
    if not isinstance(test, dict):
        return text("")
    if test.get("p_value") is None:
        return text("not run" + (f": {test['not_run']}" if test.get("not_run") else ""))
    return text(f"{f.fmt_p(test['p_value'])} ({_TESTS.get(str(test.get('test')), '')})")


def _group_cell(ctx: Context, name: str, entry: object) -> str:
    if not isinstance(entry, dict):
        return f.MISSING
    if entry.get("type") == "categorical":
        counts, percents = entry.get("counts") or {}, entry.get("percent") or {}
        if set(counts) <= {"yes", "no"}:
            return f.count_pct(counts.get("yes", 0), percents.get("yes", 0.0), ctx.pct_decimals)
        return "; ".join(f"{level} {f.count_pct(n, percents.get(level), ctx.pct_decimals)}"
                         for level, n in counts.items())
    d = f.decimals_for(name, entry.get("unit"))
    return f.fmt_median_iqr(entry.get("median"), entry.get("q1"), entry.get("q3"), d)


def _header(by: dict[str, Any]) -> list[str]:
    return [f"{lv} (n = {f.fmt_int(by['n'].get(lv))})" for lv in by["levels"]]


def by_baseline_table(ctx: Context) -> Table | None:
    """Table 1 by group: each characteristic per group, and the between-group p-value."""
    by = ctx.section("by")
    if not by or not by.get("levels"):
        return None
    rows: list[list[Cell]] = []
    for name, entry in (by.get("baseline") or {}).items():
        label = f.measure_label(name, entry)
        rows.append([text(label),
                     *(text(_group_cell(ctx, name, entry["groups"].get(lv)))
                       for lv in by["levels"]),
                     _test_cell(entry.get("test"))])
    missing = (f" {f.fmt_int(by['n_missing'])} patient(s) with {by['field']} missing are in "
               "no group." if by.get("n_missing") else "")
    return Table("by_baseline", f"Baseline characteristics by {by['label']}",
                 ["Characteristic", *_header(by), "p (test)"], rows,
                 [ctx.quartiles + " Yes/no characteristics: n (%) with yes." + missing,
                  "p-values are not adjusted for multiplicity (see Methods)."])


def by_outcomes_table(ctx: Context) -> Table | None:
    """Each outcome by week per group (median (Q1, Q3)), with the p-values of the values and
    of the changes from baseline between the groups."""
    by = ctx.section("by")
    if not by or not by.get("levels"):
        return None
    rows: list[list[Cell]] = []
    for name, entry in (by.get("outcomes") or {}).items():
        if not entry.get("tested"):
            continue
        d = f.decimals_for(name)
        for week in f.sorted_weeks(entry.get("by_week") or {}):
            per = entry["by_week"][week]
            tests = (entry.get("tests") or {}).get(week) or {}
            rows.append([text(f"{f.measure_label(name, entry)}, {f.week_label(week)}"),
                         *(text(f.fmt_median_iqr((per.get(lv) or {}).get("median"),
                                                 (per.get(lv) or {}).get("q1"),
                                                 (per.get(lv) or {}).get("q3"), d))
                           for lv in by["levels"]),
                         _test_cell(tests.get("value")), _test_cell(tests.get("change"))])
    return Table("by_outcomes", f"Outcomes by {by['label']}",
                 ["Outcome, week", *_header(by), "p, values", "p, change from baseline"], rows,
                 [ctx.quartiles, "p-values are not adjusted for multiplicity (see Methods)."])


def site_completeness_table(ctx: Context) -> Table | None:
    """Site x week: patients with a visit used at the week, of those still followed."""
    sites = ctx.section("sites")
    if not sites or not sites.get("completeness"):
        return None
    weeks = f.sorted_weeks(next(iter(sites["completeness"].values())))
    rows = [[text(str(site)), count(sites["n"].get(site)),
             *(text(f"{f.fmt_int(c[w]['seen'])} / {f.fmt_int(c[w]['in_followup'])}")
               for w in weeks)]
            for site, c in sites["completeness"].items()]
    return Table("site_completeness", "Completeness by site and week",
                 ["Site", "Patients", *(f.week_label(w) for w in weeks)], rows,
                 ["Patients with a visit used at the week / patients still followed."])
